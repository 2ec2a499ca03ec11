"""Words for people (`lib.views.words`, `lib.contract.fields.model_label`) and finding a task by
an id in a link (`lib.views.board_detail.lookup_task`)."""

from __future__ import annotations

import pytest

from lib.contract.fields import MODEL_LABELS, MODELS, model_label
from lib.log.sqlite import SqliteLog
from lib.views import words
from lib.views.board_detail import AMBIGUOUS_LIMIT, lookup_task


@pytest.fixture
def log(tmp_path):
    return SqliteLog(tmp_path / "songbench.db")


def test_counts_are_pluralised():
    assert words.plural(1, "task") == "1 task"
    assert words.plural(0, "task") == "0 tasks"
    assert words.plural(2, "track") == "2 tracks"
    assert words.matches(1, "task") == "1 task matches"
    assert words.matches(2, "task") == "2 tasks match"
    assert words.matches(1, "track") == "1 track matches"


def test_tags_and_models_in_words():
    assert words.tags_text("backing_vocals, keyboard, G major") == "backing vocals, keyboard, G major"
    assert words.tags_text(None) == ""
    assert set(MODEL_LABELS) == set(MODELS)           # every model has its words
    assert model_label("V4_5") == "V4.5" and model_label("V4_5PLUS") == "V4.5+"
    assert model_label("V6_WILD") == "V6 wild"
    assert model_label("chirp-crow") == "chirp-crow" and model_label(None) == ""
    assert all("_" not in label for label in MODEL_LABELS.values())
    # the picker spells a model as the request and the cards do ("V5", never "v5")
    assert all(model_label(m) == m for m in MODELS if "_" not in m)
    assert all(model_label(m).startswith("V") for m in MODELS)


def _task(log, task_id: str, now: float) -> str:
    return log.create_task("generate", "music", {}, task_id=task_id, now=now)


def test_lookup_finds_one_task_by_every_id_the_user_sees(log):
    task_id = log.create_task("generate", "music", {}, now=100.0)
    log.mark_submitted(task_id, "5c79be8e0a", next_poll_at=0, now=101.0)
    for ref in (task_id, task_id[:8], f" {task_id[:6]} ", "5c79be8e0a"):
        found = lookup_task(log, ref)
        assert found.task is not None and found.task["id"] == task_id, ref
        assert found.message is None


def test_lookup_says_why_nothing_opened(log):
    a = _task(log, "eec1d545" + "0" * 24, 100.0)
    b = _task(log, "eec1d546" + "0" * 24, 101.0)
    ambiguous = lookup_task(log, "eec1d5")
    assert ambiguous.task is None and [t["id"] for t in ambiguous.matches] == [b, a]
    assert ambiguous.message == ("“eec1d5” matches 2 tasks: pick one, or give more characters "
                                 "of its id.")
    short = lookup_task(log, "eec1")
    assert short.task is None and "too short" in (short.message or "")
    assert "at least 6 characters" in (short.message or "")
    missing = lookup_task(log, "nope-123")
    assert missing.task is None and missing.matches == []
    assert missing.message == ("No task has the id “nope-123”: it is neither the start of a "
                               "local task id nor a provider task id in this log.")
    assert lookup_task(log, "  ").message == "No task id given."


def test_lookup_caps_the_list_of_an_ambiguous_id(log):
    for i in range(AMBIGUOUS_LIMIT + 2):
        _task(log, f"abcdef{i:02d}" + "0" * 24, 100.0 + i)
    found = lookup_task(log, "abcdef")
    assert len(found.matches) == AMBIGUOUS_LIMIT
    assert f"matches {AMBIGUOUS_LIMIT} or more tasks" in (found.message or "")


def test_first_line_of_a_prompt_is_cut_at_a_word():
    assert words.first_line("\n  [Verse] la la  \nmore") == "[Verse] la la"
    assert words.first_line("") is None and words.first_line(None) is None
    long = "a slow song about " + "very " * 30 + "long roads"
    cut = words.first_line(long, 40)
    assert cut is not None and cut.endswith("…") and len(cut) <= 40
    assert cut == "a slow song about very very very very…"
    assert words.first_line("x" * 100, 10) == "x" * 9 + "…"     # one long word: cut inside it


def test_experiment_cell_in_words():
    assert words.experiment_cell("rock-fast", 2) == "variant: rock-fast · repeat 2"
    assert words.experiment_cell(None, None) is None
    assert words.experiment_cell("calm", None) == "variant: calm"
    assert words.experiment_cell("calm", 3, named=False) == "calm · repeat 3"
