"""The text helper on the forms (`lib.text.forms`): every operation with free text says which
draft it asks for (its `Ui.draft`), and a draft's fields land in that form's field names, the
ones that do not fit held with their problems at the form's own field (never truncated)."""

from __future__ import annotations

import json

import pytest

from lib import ops
from lib.contract.operation import DRAFT_KINDS, DraftSpec
from lib.text import KINDS, check_song
from lib.text.draft import Draft, Problem
from lib.text.forms import ANSWER, fill, kind_for, music_model_for, target_label

SONG = {"title": "Salt", "style": "sea shanty, fiddle, stomps",
        "lyrics": "[Verse]\nHaul the line\n\n[Chorus]\nWe sail at nine"}


def song(fields: dict | None = None, music_model: str = "V5", text: str | None = None) -> Draft:
    text = json.dumps(fields if fields is not None else SONG) if text is None else text
    found, problems = check_song(text, music_model)
    return Draft("song", text, found, problems)


def prompt(text: str, kind: str) -> Draft:
    return Draft(kind, text, {"prompt": text.strip()} if text.strip() else {},
                 [] if text.strip() else [Problem("prompt", "The answer is empty.")])


def test_every_free_text_form_has_its_draft_kind():
    assert set(DRAFT_KINDS) == set(KINDS)  # the contract's words are the helper's
    kinds = {name: kind_for(op) for name, op in ops.OPERATIONS.items()}
    assert {n for n, k in kinds.items() if k == "song"} == {
        "generate", "extend", "upload_cover", "upload_extend", "add_vocals", "add_instrumental",
        "mashup", "replace_section", "style_boost"}
    assert {n for n, k in kinds.items() if k == "image_prompt"} == {"qwen_image", "kling_image",
                                                                    "wan_image"}
    assert {n for n, k in kinds.items() if k == "video_prompt"} == {
        "video_t2v", "video_i2v", "kling_t2v", "kling_i2v", "kling_omni"}
    assert {n for n, k in kinds.items() if k == "music_prompt"} == {"lyrics", "sounds"}
    # no form that has a prompt, style or title the user writes is left without one (but a
    # voice's own description and style: persona, voice)
    free = {n for n, op in ops.OPERATIONS.items() if n != "text_chat" and
            {"prompt", "style", "tags", "title", "content"} & set(op.names) - set(op.source_fields)}
    assert free - {n for n, k in kinds.items() if k} == {"persona", "voice_generate"}


def test_a_song_fills_generate_custom_mode_title_style_and_lyrics_as_the_prompt():
    filled = fill(ops.get("generate"), song(), {"customMode": False, "model": "V5"})
    assert filled.ok and not filled.held and not filled.unused
    assert filled.values == {"title": "Salt", "style": SONG["style"], "prompt": SONG["lyrics"]}
    assert filled.now() == {"customMode": True, "instrumental": False, **filled.values}


@pytest.mark.parametrize(("op", "into"), [
    ("extend", {"title": "title", "style": "style", "lyrics": "prompt"}),
    ("add_vocals", {"title": "title", "style": "style", "lyrics": "prompt"}),
    ("replace_section", {"title": "title", "style": "tags", "lyrics": "prompt"}),
])
def test_a_song_goes_into_each_forms_own_field_names(op, into):
    filled = fill(ops.get(op), song(), {})
    assert filled.ok, filled.problems
    assert filled.values == {form: SONG[field] for field, form in into.items()}


def test_what_a_form_has_no_place_for_is_unused_not_a_problem():
    filled = fill(ops.get("add_instrumental"), song(), {})
    assert filled.values == {"title": "Salt", "tags": SONG["style"]}
    assert filled.unused == {"lyrics": SONG["lyrics"]}
    untagged = song({**SONG, "lyrics": "no tags at all"})
    assert untagged.problems  # a problem of the lyrics ...
    styled = fill(ops.get("style_boost"), untagged, {})
    assert styled.ok and styled.values == {"content": SONG["style"]}  # ... not of a style form


def test_a_value_over_the_forms_limit_is_held_whole_with_its_problem():
    style = "x" * 250  # V4 allows 200, V5 1000
    filled = fill(ops.get("generate"), song({**SONG, "style": style}), {"model": "V4"})
    assert filled.held == {"style": style}  # not truncated
    assert "style" not in filled.values and filled.values["title"] == "Salt"
    (problem,) = filled.problems
    assert problem.field == "style" and "V4 allows at most 200" in problem.message
    assert filled.anyway()["style"] == style and filled.anyway()["customMode"] is True
    # the same answer fits V5: the form's model decides
    assert fill(ops.get("generate"), song({**SONG, "style": style}), {"model": "V5"}).ok
    assert music_model_for(ops.get("generate"), {"model": "V4"}) == "V4"
    assert music_model_for(ops.get("qwen_image"), {"model": "qwen-image"}) == "V5"


def test_the_forms_own_limits_not_generates():
    title = "t" * 90  # over generate's V4 limit (80 characters)
    drafted = song({**SONG, "title": title}, music_model="V4")
    assert any(p.field == "title" for p in drafted.problems)  # generate's V4 limit
    filled = fill(ops.get("replace_section"), drafted, {})
    assert filled.ok and filled.values["title"] == title  # replace section has no such limit


def test_lyrics_without_section_tags_are_a_problem_of_the_prompt_field():
    filled = fill(ops.get("generate"), song({**SONG, "lyrics": "just words"}), {})
    assert [p.field for p in filled.problems] == ["prompt", "prompt"]
    assert target_label(ops.get("generate"), "prompt") == "Prompt / lyrics"
    assert filled.held == {"prompt": "just words"}


def test_an_answer_that_is_not_json_fills_nothing():
    filled = fill(ops.get("generate"), song(text="Sure! Here is a song: ..."), {})
    assert not filled.values and not filled.held and not filled.now()
    assert [p.field for p in filled.problems] == [ANSWER]
    assert target_label(ops.get("generate"), ANSWER) == "The answer"


@pytest.mark.parametrize(("op", "kind", "limit"), [
    ("qwen_image", "image_prompt", 800), ("kling_image", "image_prompt", 2500),
    ("video_t2v", "video_prompt", 1500), ("kling_i2v", "video_prompt", 2500),
    ("sounds", "music_prompt", 500)])
def test_a_prompt_fills_the_prompt_field_within_its_limit(op, kind, limit):
    filled = fill(ops.get(op), prompt("  a lighthouse at dusk  ", kind), {})
    assert filled.ok and filled.values == {"prompt": "a lighthouse at dusk"}
    over = fill(ops.get(op), prompt("y" * (limit + 1), kind), {})
    assert over.held == {"prompt": "y" * (limit + 1)} and over.problems[0].field == "prompt"


def test_the_video_limit_follows_the_forms_model():
    text = "z" * 1000  # wan2.6 takes 1500, wanx2.1 800
    assert fill(ops.get("video_t2v"), prompt(text, "video_prompt"), {"model": "wan2.6-t2v"}).ok
    older = fill(ops.get("video_t2v"), prompt(text, "video_prompt"),
                 {"model": "wanx2.1-t2v-turbo"})
    assert older.held and "800" in older.problems[0].message


def test_a_draft_spec_names_only_its_operations_fields():
    assert DraftSpec("song", {"title": "title"}).kind == "song"
    with pytest.raises(ValueError, match="unknown draft kind"):
        DraftSpec("poem", {"prompt": "prompt"})
    from dataclasses import replace
    gen = ops.get("generate")
    with pytest.raises(ValueError, match="does not have"):
        replace(gen, ui=replace(gen.ui, draft=DraftSpec("song", {"lyrics": "lyricz"})))
