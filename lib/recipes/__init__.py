"""Route recipes: a route sequence for one product experience (contract-media 4), run as a
pipeline whose every step is a task of its own.

* `steps` - what a recipe is: `Recipe`, `Step`, `Param`, the `Inputs` a step is built from;
* `book` - the recipes, one module each (``RECIPE``), found by scanning like the operations;
* `plan` - what a run will send and cost, checked before anything is sent;
* `runner` - `RecipeRunner`: starts each step once the steps it needs are done, retries a
  failed step alone, resumes after a restart (everything is in the task log);
* `progress` - a run as its steps' states, outputs and times (the page, the board, the CLI).

    >>> from lib import recipes
    >>> recipes.get("promo_clip").title
    'Promo clip'
"""

from __future__ import annotations

import importlib
import pkgutil

from lib.recipes import book
from lib.recipes.steps import Recipe

RECIPES: dict[str, Recipe] = {}
for _info in sorted(pkgutil.iter_modules(book.__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    _recipe = getattr(importlib.import_module(f"{book.__name__}.{_info.name}"), "RECIPE", None)
    if isinstance(_recipe, Recipe):
        RECIPES[_recipe.name] = _recipe


def get(name: str) -> Recipe:
    """The recipe called ``name`` (KeyError naming the known ones)."""
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; known: {', '.join(RECIPES)}") from None


__all__ = ["RECIPES", "Recipe", "get"]
