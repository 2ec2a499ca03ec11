"""lib.experiments.grid: typed axes, the product, CSV sheets and their refusals, the plan."""

import pytest

from lib.experiments import grid

BASE = {"customMode": True, "instrumental": False, "model": "V5", "title": "Night drive",
        "style": "synthwave", "prompt": "[Verse]\nNeon lights"}


def axis(field, text, op="generate"):
    a, errors = grid.parse_axis(op, field, text)
    assert not errors, errors
    return a


def test_axes_expand_to_their_product_with_readable_names():
    variants = grid.expand([axis("style", "rock\njazz"), axis("model", "V5\nv4_5")])
    assert [v.name for v in variants] == ["rock · V5", "rock · V4_5", "jazz · V5", "jazz · V4_5"]
    assert variants[1].values == {"style": "rock", "model": "V4_5"}  # enum case fixed


def test_no_axis_is_one_base_variant():
    assert [(v.name, v.values) for v in grid.expand([])] == [("base", {})]


def test_axis_values_are_typed_and_refused_in_words():
    a = axis("styleWeight", "0.2\n0.8")
    assert a.values == (0.2, 0.8)
    assert axis("instrumental", "yes\nfalse").values == (True, False)
    _, errors = grid.parse_axis("generate", "model", "V5\nV9")
    assert [str(e) for e in errors] == [
        "Grid, column model: “V9” is not one of " + ", ".join(grid.grid_fields("generate")[
            [f.name for f in grid.grid_fields("generate")].index("model")].enum)]
    _, errors = grid.parse_axis("generate", "styleWeight", "heavy")
    assert "“heavy” is not a number" in str(errors[0])
    _, errors = grid.parse_axis("generate", "colour", "red")
    assert "Generate music has no field colour" in str(errors[0])


def test_duplicate_names_are_numbered():
    variants = grid.expand([axis("style", "rock\nrock")])
    assert [v.name for v in variants] == ["rock", "rock #2"]


def test_plan_counts_calls_credits_and_bodies_without_callback():
    variants = grid.expand([axis("style", "rock\njazz\nfolk")])
    plan = grid.plan("generate", BASE, variants, repeats=2)
    assert plan.ok and plan.calls == 6 and plan.credits == 6 * 12
    assert [(v, r) for v, r, _ in plan.cells] == [("rock", 1), ("rock", 2), ("jazz", 1),
                                                  ("jazz", 2), ("folk", 1), ("folk", 2)]
    body = plan.cells[2][2]
    assert body["style"] == "jazz" and body["title"] == "Night drive"
    assert "callBackUrl" not in body


def test_plan_refuses_cells_that_break_the_contract_naming_the_variant():
    variants = grid.expand([axis("model", "V4\nV5")])
    long_title = {**BASE, "title": "t" * 90}  # V4 allows 80 characters, V5 100
    plan = grid.plan("generate", long_title, variants)
    assert not plan.ok
    assert len(plan.errors) == 1
    assert str(plan.errors[0]).startswith("Variant “V4”, column title:")


def test_csv_sheet_with_names_repeats_and_typed_cells():
    sheet = ("variant,repeats,style,model,instrumental\n"
             "rock-fast,2,fast rock,V5,false\n"
             ",1,slow jazz,V4_5,yes\n")
    variants, errors = grid.parse_csv("generate", sheet)
    assert not errors
    assert [(v.name, v.repeats, v.row) for v in variants] == [
        ("rock-fast", 2, 2), ("slow jazz · V4_5 · yes", 1, 3)]
    plan = grid.plan("generate", BASE, variants, repeats=5)
    assert plan.calls == 3  # the sheet's repeats win


def test_csv_refuses_unknown_columns_and_bad_cells_with_row_and_column():
    sheet = ("variant,style,colour,styleWeight,repeats\n"
             "a,rock,red,heavy,2\n"
             "b,jazz,blue,0.5,0\n")
    variants, errors = grid.parse_csv("generate", sheet)
    text = [str(e) for e in errors]
    assert text[0].startswith("Row 1, column colour: not a field of Generate music")
    assert "Row 2, column styleWeight: “heavy” is not a number" in text
    assert "Row 3, column repeats: 0 repeats is outside 1 to 50" in text


def test_csv_cells_checked_by_the_contract_give_the_sheet_row():
    sheet = "variant,title,model\nok,Fine,V5\nlong," + "x" * 120 + ",V5\n"
    variants, errors = grid.parse_csv("generate", sheet)
    assert not errors
    plan = grid.plan("generate", BASE, variants)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "title")]


def test_csv_round_trip():
    variants = grid.expand([axis("style", "rock\njazz"), axis("instrumental", "true")])
    text = grid.to_csv("generate", variants, repeats=3)
    back, errors = grid.parse_csv("generate", text)
    assert not errors
    assert [(v.name, v.values, v.repeats) for v in back] == [
        (v.name, v.values, 3) for v in variants]


@pytest.mark.parametrize("sheet, reason", [
    ("", "the file has no header row"),
    ("variant,style\n", "the sheet has no variant rows"),
])
def test_empty_sheets(sheet, reason):
    _, errors = grid.parse_csv("generate", sheet)
    assert reason in str(errors[0])


@pytest.mark.parametrize("calls, ahead, seconds", [
    (1, 0, 0.0), (19, 0, 0.0), (20, 0, 10.5), (200, 0, 105.0), (10, 15, 10.5)])
def test_send_time_follows_the_limit(calls, ahead, seconds):
    assert grid.send_seconds(calls, ahead) == seconds


def test_every_music_operation_can_be_a_grid():
    names = grid.experiment_ops()
    assert {"generate", "extend", "upload_cover", "mashup", "sounds"} <= set(names)
    assert "lyrics" not in names and "wav" not in names


def test_a_sheet_need_not_repeat_the_forms_defaults():
    variants, errors = grid.parse_csv("generate", "variant,prompt\nsea,a song about the sea\n")
    assert not errors
    plan = grid.plan("generate", {}, variants)
    assert plan.ok, plan.errors
    body = plan.cells[0][2]
    assert (body["customMode"], body["instrumental"], body["model"]) == (False, False, "V5")


SIMPLE = {"customMode": False, "instrumental": False, "model": "V5", "prompt": "a calm song"}


@pytest.mark.parametrize("field", ["style", "title"])
def test_an_axis_over_a_field_simple_mode_ignores_is_refused_in_words(field):
    """A grid over style on a simple-mode request sent "customMode": false, "style": "rock"
    without a word: against the real provider both cells are likely the same request."""
    plan = grid.plan("generate", SIMPLE, grid.expand([axis(field, "rock\njazz")]), 2)
    assert not plan.ok and not plan.cells
    [refusal] = plan.errors                                  # once for the grid, not per cell
    assert refusal.column == field and refusal.row is None
    assert "Custom mode (customMode) is off" in refusal.reason
    assert "Turn Custom mode on in the base request" in refusal.reason
    assert str(refusal).startswith(f"Grid, column {field}: ")


def test_the_same_axis_counts_once_custom_mode_is_on():
    plan = grid.plan("generate", {**SIMPLE, "customMode": True, "title": "T", "style": "s"},
                     grid.expand([axis("style", "rock\njazz")]), 1)
    assert plan.ok and {body["style"] for _, _, body in plan.cells} == {"rock", "jazz"}
    both = grid.plan("generate", {**SIMPLE, "title": "T"},
                     grid.expand([axis("customMode", "true"), axis("style", "rock\njazz")]), 1)
    assert both.ok                                            # the axis switches the mode on


def test_a_sheet_row_setting_an_ignored_field_is_refused_by_row():
    sheet = "variant,prompt,customMode,style\nplain,a song,false,rock\ncustom,x,true,jazz\n"
    variants, errors = grid.parse_csv("generate", sheet)
    assert not errors
    plan = grid.plan("generate", {"title": "T"}, variants, 1)
    refused = [e for e in plan.errors if e.column == "style"]
    assert [e.row for e in refused] == [variants[0].row]
    assert "ignored while Custom mode" in refused[0].reason


def test_planning_a_grid_needs_no_view_model():
    """Preparing a request is contract logic: the grid (and the contract) load no lib.views."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, lib.experiments.grid, lib.contract.prepare; "
            "print(sorted(m for m in sys.modules if m.startswith('lib.views')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3],
                         capture_output=True, text=True, timeout=120, check=True).stdout.strip()
    assert out == "[]"
