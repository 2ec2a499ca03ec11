"""What a recipe is made of: `Recipe`, its `Step`s and `Param`s, and the `Inputs` a step's
request is built from (the brief, the run's values and the earlier steps' outputs).

A step is one task of its own: an operation of `lib.ops` (its body built by ``build``) or a
draft of the text helper (``draft`` names the kind, `lib.text.draft`). ``after`` names the
steps it starts from; steps whose ``after`` are done run at the same time. ``build`` may raise:

* `Wait` - not yet (e.g. the song's file is still being archived): tried again shortly;
* `Choose` - the user picks (e.g. which take to extend), on the recipe page or with
  ``python -m lib recipe choose``;
* `Problem` - this step cannot be sent as it is (it fails, with the reason, and can be retried).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lib.log import TaskRow, TrackRow


class Wait(Exception):
    """A step's inputs are not ready yet (the reason is shown)."""


class Problem(Exception):
    """A step cannot be sent: the reason, in plain words."""


class Choose(Exception):
    """The user chooses one of ``options`` (``(value, label)``) for ``what``."""

    def __init__(self, what: str, options: list[tuple[str, str]]) -> None:
        super().__init__(f"Choose {what}.")
        self.what, self.options = what, options


@dataclass(frozen=True)
class Param:
    """A value a run is given (``--set name=value``; a field of the recipe page)."""

    name: str
    label: str
    default: Any
    help: str = ""
    choices: tuple[Any, ...] = ()

    def parse(self, raw: Any) -> Any:
        """``raw`` (text from the command line, or a widget's value) as this param's type;
        ValueError in plain words."""
        if isinstance(self.default, bool):
            if isinstance(raw, bool):
                value: Any = raw
            elif str(raw).strip().lower() in ("1", "true", "yes", "on"):
                value = True
            elif str(raw).strip().lower() in ("0", "false", "no", "off"):
                value = False
            else:
                raise ValueError(f"{self.name} must be true or false, not {raw!r}")
        elif isinstance(self.default, int):
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValueError(f"{self.name} must be a whole number, not {raw!r}") from None
        else:
            value = str(raw).strip()
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.name} must be one of {', '.join(map(str, self.choices))}, "
                             f"not {raw!r}")
        return value


@dataclass(frozen=True)
class Step:
    """One step: ``op`` (an operation name) with ``build(inputs) -> body``, or a text draft
    (``draft`` = song | image_prompt | video_prompt, ``build(inputs) -> brief``)."""

    name: str
    title: str
    op: str
    build: Callable[[Inputs], Any]
    after: tuple[str, ...] = ()
    draft: str | None = None
    #: what a later step takes from this one, in words (shown on the plan)
    gives: str = ""


@dataclass(frozen=True)
class Recipe:
    """A route sequence for one product experience (`lib.recipes.book`)."""

    name: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    params: tuple[Param, ...] = ()
    brief_label: str = "Brief"
    brief_max: int = 400

    def step(self, name: str) -> Step:
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(f"recipe {self.name} has no step {name!r}")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def values(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every param's value: ``given`` (parsed) over the defaults. ValueError naming the
        first unknown or bad one."""
        out = {p.name: p.default for p in self.params}
        for name, raw in (given or {}).items():
            if name not in out:
                known = ", ".join(out) or "none"
                raise ValueError(f"{self.name} has no setting {name!r} (its settings: {known})")
            out[name] = self.param(name).parse(raw)
        return out


@dataclass
class Output:
    """What an earlier step left: its task, its tracks, its archived files, its drafted
    fields (a text step)."""

    task: TaskRow
    result: Any = None
    tracks: list[TrackRow] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # asset kind -> provider URL
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Inputs:
    """What a step's ``build`` reads. ``clip`` cuts and uploads ``seconds`` of a track from
    ``start`` and returns the uploaded file's URL (the runner's; raises `Problem`)."""

    brief: str
    values: dict[str, Any]
    outputs: dict[str, Output]
    choice: Any = None
    clip: Callable[[TrackRow, float, float], str] | None = None

    def of(self, step: str) -> Output:
        return self.outputs[step]

    def song(self, step: str) -> dict[str, str]:
        """A drafted song's title, style and lyrics."""
        return self.of(step).fields

    def prompt(self, step: str) -> str:
        return self.of(step).fields.get("prompt", "")

    def request(self, step: str) -> dict[str, Any]:
        """The body ``step``'s task was sent with."""
        text = self.of(step).task["request_json"]
        value = json.loads(text) if text else {}
        return value if isinstance(value, dict) else {}

    def provider_id(self, step: str) -> str:
        task_id = self.of(step).task["provider_task_id"]
        if not task_id:
            raise Problem(f"The {step} step's task has no provider task id.")
        return str(task_id)

    def track(self, step: str, rule: str = "first") -> TrackRow:
        """The take of ``step`` to go on from: the user's choice when the recipe asks
        (``rule`` ``ask``), else the first or the longest."""
        tracks = self.of(step).tracks
        if not tracks:
            raise Problem(f"The {step} step finished without a track.")
        if rule == "ask":
            for t in tracks:
                if t["id"] == self.choice:
                    return t
            raise Choose("the take to go on from", [
                (t["id"], f"Take {t['idx'] + 1}: {t['title'] or 'untitled'}"
                          f" ({(t['duration'] or 0):.0f} s)") for t in tracks])
        if rule == "longest":
            return max(tracks, key=lambda t: t["duration"] or 0.0)
        return tracks[0]

    def image_url(self, step: str) -> str:
        """The first image an image step made (the provider's URL, which it can fetch)."""
        files = self.of(step).files
        for kind in sorted(files):
            if kind.startswith("image"):
                return files[kind]
        raise Problem(f"The {step} step finished without an image.")

    def audio_clip(self, track: TrackRow, seconds: float, start: float = 0.0) -> str:
        """``seconds`` of ``track`` from ``start``, uploaded: its URL. Waits for the archived
        copy."""
        if not track["local_audio_path"]:
            raise Wait("waiting for the song's file to be archived")
        if self.clip is None:
            raise Problem("This run cannot upload a clip (no upload route).")
        return self.clip(track, start, seconds)
