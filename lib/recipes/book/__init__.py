"""The recipes: one module per recipe, each defining ``RECIPE`` (a `lib.recipes.steps.Recipe`),
found by scanning this package (`lib.recipes.RECIPES`)."""
