"""One walk over both registries, per provider: every operation has a spec, a form, a route in
each dialect of its provider (the same in the app and in the simulator, or None in both where a
dialect has none; a music operation always has a sunoapi route), a parser for its family (of the
same provider), and a board rendering. Adding an operation to one side only, or without any of
these, fails here.

The two registries are written independently on purpose (`lib/ops`, `simulator/ops`); this is the
one place that compares them. Music operations and families match the simulator's by name
(`simulator/ops`, `simulator/families`); another provider's match its media registries
(`simulator/media_ops`, `simulator/media_families`) by route, since one simulated route may serve
several of the app's forms; a text operation's route (under the text server's base, the
gateway's ``/openai/v1``) must be one of the simulator's OpenAI text routes
(`simulator.routes_openai`). An operation whose route the simulator does not serve yet is skipped
with that reason, never passed.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib import families, ops
from lib.contract.fields import TYPES
from lib.contract.operation import MUSIC
from lib.provider import adapters
from lib.views import board
from simulator.families import FAMILIES as SIM_FAMILIES
from simulator.media_families import MEDIA_FAMILIES
from simulator.media_ops import MEDIA_OPERATIONS
from simulator.ops import OPERATIONS as SIM_OPERATIONS
from simulator import chat as sim_chat
from simulator.routes_dashscope import PREFIX as DASHSCOPE_PREFIX
from simulator.routes_openai import CREATE_ROUTES as TEXT_ROUTES, PREFIX as TEXT_PREFIX
from tests.lib import contract_examples as ex

ROOT = Path(__file__).resolve().parents[1]
NAMES = sorted(ops.OPERATIONS)
PROVIDERS = sorted(adapters.ADAPTERS)

#: A finished answer of every family (and of every synchronous operation), from the contract:
#: what the board renders for a task of that kind.
FAMILY_EXAMPLES = {
    "music": ex.MUSIC_RECORD_INFO["data"], "lyrics": ex.LYRICS_RECORD_INFO["data"],
    "wav": ex.WAV_RECORD_INFO["data"], "stems": ex.STEMS_RECORD_INFO_SPLIT_STEM["data"],
    "mp4": ex.MP4_RECORD_INFO["data"] if hasattr(ex, "MP4_RECORD_INFO") else None,
    "cover": ex.COVER_RECORD_INFO["data"], "midi": ex.MIDI_RECORD_INFO["data"],
    "recovery": ex.RECOVERY_DONE, "voice_phrase": ex.VOICE_PHRASE_READY["data"],
    "voice": ex.VOICE_RECORD_READY["data"],
    "dashscope_video": ex.DASHSCOPE_VIDEO_SUCCEEDED,
    "dashscope_image": ex.DASHSCOPE_IMAGE_SUCCEEDED,
    "kling_video": ex.KLING_DONE["data"], "kling_image": ex.KLING_IMAGE_DONE["data"],
}
SYNC_EXAMPLES = {
    "timestamped_lyrics": ex.TIMESTAMPED_LYRICS_OK["data"], "style_boost": ex.STYLE_BOOST_OK["data"],
    "persona": ex.PERSONA_OK["data"], "voice_check": ex.VOICE_CHECK_OK["data"],
    "qwen_image": ex.QWEN_IMAGE_OK, "text_chat": ex.CHAT_COMPLETION_OK,
}
#: The text provider (OpenAI-compatible chat): served by the simulator's text routes, not by
#: its media registries.
TEXT = "text"


def finished_view(name: str) -> board.TaskView:
    """The board's view of a finished task of ``name`` (task id ``t-<name>``), built from its
    family's example."""
    op = ops.get(name)
    data = SYNC_EXAMPLES.get(name) if op.sync else FAMILY_EXAMPLES.get(op.family)
    assert data is not None, f"{name}: no example answer for family {op.family!r}"
    poll = families.parse_poll(op.family, copy.deepcopy(data))
    assert poll.state.value == "succeeded", (name, poll)
    tid = f"t-{name}"
    task = {"id": tid, "op": name, "family": op.family, "model": None, "title": None,
            "state": "succeeded", "stage": poll.stage, "raw_status": str(poll.raw_status),
            "provider_task_id": "p1", "created_at": 0.0, "finished_at": 1.0, "updated_at": 1.0,
            "error_code": None, "error_message": None, "prompt": "a prompt",
            "result_json": None, "source_audio_id": None}
    tracks = [{"id": f"{tid}-{t.id}", "task_id": tid, "idx": t.index, "title": t.title, "tags": t.tags,
               "duration": t.duration, "lyrics": t.lyrics, "rating": None, "notes": None,
               "audio_url": t.audio_url, "stream_audio_url": t.stream_audio_url,
               "image_url": t.image_url} for t in poll.tracks]
    assets = [{"id": i, "task_id": tid, "track_id": a.track_id and f"{tid}-{a.track_id}", "kind": a.kind, "url": a.url,
               "status": "pending", "local_path": None} for i, a in enumerate(poll.assets)]
    view = board.task_view(task, tracks, assets, None, now=2.0)
    view.result = poll.result
    return view


def _sim_op(name: str):
    """The simulator's module for ``name`` (music: by name; a missing one fails)."""
    sim = SIM_OPERATIONS.get(name)
    assert sim is not None, f"the simulator has no module for {name}"
    return sim


def _media_op(name: str):
    """The simulator's media operation serving ``name``'s route (its API is the operation's
    provider); a missing one fails."""
    op = ops.get(name)
    served = [m for m in MEDIA_OPERATIONS.values()
              if m.api == op.provider and set(filter(None, op.paths.values())) & set(m.paths)]
    assert served, f"the simulator does not serve {name}'s route ({op.provider})"
    return served[0]


def test_the_registries_agree_per_provider():
    """Every operation and family names a provider with an adapter, routes in that provider's
    dialects only, and a family of the same provider (`lib.provider.adapters.problems`)."""
    assert adapters.problems() == []
    for provider in PROVIDERS:
        named = ops.of_provider(provider)
        assert {op.family for op in named.values()} <= set(families.of_provider(provider))


def test_both_registries_name_the_same_music_operations():
    """The simulator serves every music operation, and no music operation the app lacks."""
    assert sorted(SIM_OPERATIONS) == sorted(ops.of_provider(MUSIC))


@pytest.mark.parametrize("name", NAMES)
def test_spec(name):
    op = ops.get(name)
    assert op.fields and op.title and op.description, name
    assert set(op.ui.advanced) <= set(op.names), name
    assert set(op.source_fields) <= set(op.names), name
    # async music operations tell where to call back; the other providers have no callbacks
    assert (op.callback_field is not None) is (not op.sync and op.provider == MUSIC), name
    for f in op.fields:
        assert f.type in TYPES and f.label and f.help, (name, f.name)


@pytest.mark.parametrize("name", NAMES)
def test_form(name):
    from pages.components.sources import PICKERS

    op = ops.get(name)
    assert op.ui.page in ops.pages(), name
    assert (ROOT / "pages" / f"{op.ui.page}.py").is_file(), f"{name}: no pages/{op.ui.page}.py"
    assert op.ui.label and op.ui.submit, name
    assert op in ops.on_page(op.ui.page)
    for spec in op.ui.sources:
        assert spec.kind in PICKERS, (name, spec.kind)
        for task_op in spec.task_ops:
            assert task_op in ops.OPERATIONS, (name, task_op)
        assert spec.task_family is None or spec.task_family in families.FAMILIES


@pytest.mark.parametrize("name", NAMES)
def test_route_in_each_dialect(name):
    op = ops.get(name)
    dialects = adapters.get(op.provider).dialects
    assert set(op.paths) == set(dialects), name
    if op.provider == MUSIC:
        assert op.paths["sunoapi"] is not None, name
    if op.provider == TEXT:  # answered at once by the simulator's OpenAI text routes
        assert op.sync, name
        for path in filter(None, op.paths.values()):
            assert TEXT_PREFIX + path in TEXT_ROUTES, (name, path)
        model = op.field("model") if "model" in op.names else None
        if model is not None and model.enum:  # models come from the server's list
            assert set(model.enum) <= set(sim_chat.TEXT_MODELS), name
        return
    if op.provider != MUSIC:
        media = _media_op(name)
        # the simulator calls every answer without a task "sync"; the app's sync family is the
        # provider's own (its parser), named for what it parses
        assert media.family == ("sync" if op.sync else op.family), name
        model = next((m for m in ("model", "model_name") if m in op.names), None)
        if model:  # every model the form offers is one the route serves
            assert set(op.field(model).enum) <= set(media.models), name
        return
    sim = _sim_op(name)
    assert set(sim.paths) == set(dialects), name
    for dialect in dialects:
        assert op.paths[dialect] == sim.paths[dialect], (name, dialect)
    assert sim.family == op.family, name


@pytest.mark.parametrize("name", NAMES)
def test_parser_and_poll_route(name):
    op = ops.get(name)
    fam = families.get(op.family)
    assert fam.provider == op.provider, name
    if op.sync:
        assert all(path is None for path in fam.poll.values())
        return
    dialects = adapters.get(op.provider).dialects
    assert any(fam.poll.get(d) for d in dialects), f"{op.family}: no poll route"
    if op.provider != MUSIC:
        media = MEDIA_FAMILIES.get(op.family)
        assert media is not None, f"the simulator has no family {op.family} ({op.provider})"
        assert media.api == op.provider, op.family
        if op.provider == "dashscope":  # every DashScope task is polled on one route
            assert fam.poll["anyint"] == f"{DASHSCOPE_PREFIX}/tasks/{{task_id}}", op.family
        return
    sim_fam = SIM_FAMILIES.get(op.family)
    assert sim_fam is not None, f"the simulator has no family {op.family}"
    for dialect in dialects:
        assert fam.poll.get(dialect) == sim_fam.poll_paths.get(dialect), (op.family, dialect)
    if op.provider == MUSIC:  # the id as a query parameter (the others: in the path)
        assert fam.id_param == sim_fam.id_param, op.family


@pytest.mark.parametrize("name", NAMES)
def test_board_rendering(name):
    view = finished_view(name)
    fam = families.get(ops.get(name).family)
    shows = (view.tracks or view.files or board.result_summary(name, view.result)
             or fam.result_files(view.result))
    assert shows, f"a finished {name} task shows nothing on the board"
    assert view.op_label == ops.get(name).title
    for download in [d for t in view.tracks for d in t.downloads] + view.files:
        assert download.label and download.label != download.kind.upper() or download.kind in (
            "wav", "mp4", "mp3"), (name, download.kind)


def _cards_script():
    import streamlit as st

    from pages.components.board import render_task_card
    from tests.test_conformance import NAMES, finished_view

    for name in NAMES:
        st.markdown(f"op:{name}")
        render_task_card(finished_view(name))


def test_every_operation_renders_a_board_card():
    at = AppTest.from_function(_cards_script, default_timeout=60).run()
    assert not at.exception, at.exception
    texts = " ".join(m.value for m in at.markdown)
    for name in NAMES:
        assert f"op:{name}" in texts and ops.get(name).title in texts, name


def test_every_family_has_operations_and_a_simulator_module():
    """No family without an operation; the simulator has every music family (the sync one has
    no poll route), and no family the app lacks."""
    assert {op.family for op in ops.OPERATIONS.values()} == set(families.FAMILIES)
    assert set(SIM_FAMILIES) <= set(families.FAMILIES)
    assert set(SIM_FAMILIES) | {"sync"} >= set(families.of_provider(MUSIC))
