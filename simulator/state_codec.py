"""A generic JSON form of the simulator's state values (used by `persistence`).

`encode(value)` turns dataclass instances (any dataclass defined in a `simulator` module: `Job`,
`Track`, `JobError`, `synth.SongSpec`, ...), tuples, dicts with non-string keys, lists and JSON
scalars into plain JSON values; `decode` turns them back. A dataclass field whose metadata says
`{"persist": False}` is left out (it gets its default back). A decoded dataclass keeps only the
fields its class still has (a field added later gets its default; a removed one is dropped), so
state written by an older simulator loads in a newer one.

Tags: `{"__dc__": "module:Class", ...fields}`, `{"__tuple__": [...]}`, `{"__dict__": [[k, v], ...]}`
(a dict whose keys are not all strings, or one whose keys look like these tags).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import PurePath
from typing import Any

_TAGS = ("__dc__", "__tuple__", "__dict__")


def encode(value: Any) -> Any:
    """`value` as plain JSON values (raises TypeError for what has no JSON form, e.g. functions)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        out: dict[str, Any] = {"__dc__": f"{cls.__module__}:{cls.__qualname__}"}
        for f in dataclasses.fields(value):
            if f.metadata.get("persist", True):
                out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not any(k in _TAGS for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__dict__": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return encode(value.item())
    raise TypeError(f"cannot persist a {type(value).__name__}: {value!r}")


def _dataclass(name: str) -> type:
    module, _, qualname = name.partition(":")
    if module != "simulator" and not module.startswith("simulator."):
        raise ValueError(f"not a simulator dataclass: {name}")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not dataclasses.is_dataclass(obj):
        raise ValueError(f"not a dataclass: {name}")
    return obj


def decode(value: Any) -> Any:
    """The inverse of `encode` (raises on a malformed or unknown tag)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__dc__" in value:
        cls = _dataclass(value["__dc__"])
        known = {f.name for f in dataclasses.fields(cls) if f.init}
        return cls(**{k: decode(v) for k, v in value.items() if k in known})
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_hashable(decode(k)): decode(v) for k, v in value["__dict__"]}
    return {k: decode(v) for k, v in value.items()}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dumps(value: Any) -> str:
    """`encode` then compact JSON text."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """JSON text then `decode`."""
    return decode(json.loads(text))
