"""The operation and family registries: discovered from their packages, complete, and in
agreement with the test client's own (independently written) path tables."""

from __future__ import annotations

import sys

import pytest

from simulator.families import FAMILIES, SimFamily
from simulator.ops import OPERATIONS, SimOp
from simulator.registry import discover
from tests.simulator.simclient import DIALECTS, PATHS, POLLS

OP_KEYS = {"generate", "extend", "upload_cover", "upload_extend", "add_vocals", "add_instrumental",
           "replace_section", "lyrics", "cover_art", "vocal_removal", "split_stem", "wav", "mp4",
           "timestamped_lyrics", "style_boost", "persona",
           "mashup", "sounds", "midi", "recovery", "voice_validate", "voice_regenerate", "voice_generate",
           "voice_check"}
SUNOAPI_ONLY_OPS = {"mashup", "sounds", "midi", "recovery", "voice_validate", "voice_regenerate", "voice_generate",
                    "voice_check"}
SUNOAPI_ONLY_FAMILIES = {"midi", "recovery", "voice_phrase", "voice"}
ID_PARAMS = {"recovery": "task_id"}


def test_operations_registry_is_complete():
    assert set(OPERATIONS) == OP_KEYS
    for name, op in OPERATIONS.items():
        assert isinstance(op, SimOp) and op.name == name
        assert op.family in {*FAMILIES, "sync"}
        assert op.paths == dict(zip(DIALECTS, PATHS[name], strict=False)), name
        assert (op.paths["anyint"] is None) == (name in SUNOAPI_ONLY_OPS), name
        assert op.id_key == ("task_id" if name == "recovery" else "taskId"), name
        assert isinstance(op.cost, int) and op.cost >= 0
        if op.family == "sync":
            assert op.answer and not op.start and not op.render, name
        else:
            assert op.start and op.render and not op.answer, name
            assert op.stages is None or set(op.stages) <= {label for label, _ in FAMILIES[op.family].stages}


def test_shared_vocal_removal_route_is_told_apart_by_type():
    vocal, split = OPERATIONS["vocal_removal"], OPERATIONS["split_stem"]
    assert vocal.paths["sunoapi"] == split.paths["sunoapi"] == "/api/v1/vocal-removal/generate"
    assert vocal.selector is None and split.selector == ("type", "split_stem")


def test_families_registry_is_complete():
    assert set(FAMILIES) == set(POLLS)
    for name, family in FAMILIES.items():
        assert isinstance(family, SimFamily) and family.name == name
        assert family.id_param == ID_PARAMS.get(name, "taskId"), name
        assert family.poll_paths == dict(zip(DIALECTS, POLLS[name], strict=False))
        assert (family.poll_paths["anyint"] is None) == (name in SUNOAPI_ONLY_FAMILIES), name
        assert (family.poll_answer is not None) == (name == "recovery"), name
        labels = [label for label, _ in family.stages]
        assert labels[-1] == "complete" and set(family.callback_stages) <= set(labels)
        assert family.failed_status and callable(family.record) and callable(family.callback)


def test_check_refuses_non_objects_for_every_operation():
    for op in OPERATIONS.values():
        assert op.check([1]) == (400, "request body must be a JSON object")


def test_discovery_scans_public_modules_only(tmp_path, monkeypatch):
    pkg = tmp_path / "fakeops"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "alpha.py").write_text("from types import SimpleNamespace\nOP = SimpleNamespace(name='alpha')\n")
    (pkg / "_helper.py").write_text("raise RuntimeError('helpers are not scanned')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert list(discover("fakeops", [str(pkg)], "OP")) == ["alpha"]
    (pkg / "beta.py").write_text("from types import SimpleNamespace\nOP = SimpleNamespace(name='gamma')\n")
    with pytest.raises(RuntimeError, match="must match its module"):
        discover("fakeops", [str(pkg)], "OP")
    for mod in [m for m in sys.modules if m.startswith("fakeops")]:
        monkeypatch.delitem(sys.modules, mod)


def test_route_dispatch_by_selector():
    from simulator.routes import choose
    vocal, split = OPERATIONS["vocal_removal"], OPERATIONS["split_stem"]
    body = {"taskId": "t", "audioId": "a"}
    assert choose([vocal, split], body) == (vocal, body)
    assert choose([vocal, split], {**body, "type": "split_stem"})[0] is split
    assert choose([vocal], {**body, "type": "split_stem"})[0] is split  # /suno/vocal-removal
    op, forced = choose([split], {**body, "type": "separate_vocal"})  # /suno/split-stem
    assert op is split and forced["type"] == "split_stem"
    assert choose([OPERATIONS["generate"]], [1]) == (OPERATIONS["generate"], [1])
