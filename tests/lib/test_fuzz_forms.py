"""Validation and preparation never raise, whatever a form or a script sends; and every form's
defaults are valid for the source it is given.

Property-based (hypothesis): `CASES` examples per operation through `validate` and through
`prepare` (with a source duration and model of any kind too): every field of the operation and
some unknown ones, each with a value of any type (`tests.lib.extremes`: unicode text, huge and
negative numbers such as ``-10**400``, ``1e308``, NaN, infinities, booleans, lists, objects,
None).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import ops
from lib.contract.operation import FieldError
from lib.contract.prepare import prepare
from lib.views import submission as sub
from tests.lib.extremes import FUZZ, HUGE, ODD_FLOATS, short, values

CB = "https://me.example/api/callbacks/x"
NAMES = sorted(ops.OPERATIONS)
SOURCE_OPS = sorted(n for n, o in ops.OPERATIONS.items() if o.ui.source_checks is not None)


def bodies(op: str):
    names = list(ops.get(op).names) + ["junk", "", "model", "customMode"]
    return st.dictionaries(st.sampled_from(names), values, max_size=len(names))


def _messages_are_words(errors: list[FieldError]) -> None:
    for e in errors:
        assert isinstance(e, FieldError) and isinstance(e.message, str) and e.message
        assert not e.message.startswith(f"{e.field}:"), e.message  # words, not field names


@pytest.mark.parametrize("op", NAMES)
def test_validate_never_raises(op):
    @FUZZ
    @given(bodies(op))
    def check(body):
        _messages_are_words(ops.validate(op, body))

    check()


@pytest.mark.parametrize("op", NAMES)
def test_prepare_never_raises(op):
    """Any values, and any source facts: a duration or model of any type and size."""
    @FUZZ
    @given(bodies(op), values, values)
    def check(values, duration, model):
        prepared = prepare(ops.get(op), values, CB, duration=duration, source_model=model)
        _messages_are_words(prepared.errors)

    check()


@pytest.mark.parametrize("op", SOURCE_OPS)
@pytest.mark.parametrize("duration", [*HUGE, *ODD_FLOATS, -5, -5.0, [], [60], {"s": 1}, "60",
                                      True], ids=short)
def test_an_unusable_source_length_is_refused_at_the_source(op, duration):
    """`prepare('upload_cover', {}, cb, duration=10**400)` raised OverflowError; a source length
    that is no usable number of seconds is one message at the source picker, with the limit."""
    prepared = prepare(ops.get(op), {}, CB, duration=duration, source_model="V5")
    at_source = [e for e in prepared.errors if e.field in ops.get(op).source_fields
                 and "length" in e.message]
    finite = isinstance(duration, (int, float)) and not isinstance(duration, bool) and (
        -1e300 < duration < 1e300)
    if finite and 0 <= duration <= 24 * 3600:
        assert not at_source
        return
    assert len(at_source) == 1, prepared.errors
    assert "between 0 and 24 h" in at_source[0].message


def test_non_objects_are_refused_in_words():
    for junk in (None, [], "text", 3):
        assert ops.validate("generate", junk) == [
            FieldError("body", "The request must be a JSON object")]


TRACK_OPS = [o.name for o in ops.from_track()]


@pytest.mark.parametrize("op", TRACK_OPS)
def test_form_defaults_are_valid_for_any_source(op):
    """Opened on a finished track of any length (one-click link), a form's prefilled values are
    never what is refused: only an empty field the user must fill, or the source itself."""
    spec = ops.get(op)

    @settings(max_examples=200, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.floats(min_value=0.5, max_value=480, allow_nan=False),
           st.sampled_from(["V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5", "V6"]))
    def check(duration, model):
        source = sub.Source(audio_id="aud-1", task_id="local-1", provider_task_id="prov-1",
                            title="A Song", tags="rock, piano", duration=round(duration, 2),
                            model=model, audio_url="http://x/a.mp3", state="succeeded")
        values = sub.prefill(op, source)
        prepared = prepare(ops.get(op), values, CB, duration=source.duration, source_model=model)
        refused = {e.field for e in prepared.errors}
        prefilled = set(values) - set(spec.source_fields)
        assert not refused & prefilled, (op, duration, model, prepared.errors)
        for e in prepared.errors:  # the rest: required fields left empty, or the source
            assert e.field in spec.source_fields or "is required" in e.message, e

    check()


@pytest.mark.parametrize("op", TRACK_OPS)
def test_prefill_never_raises(op):
    """A track whose stored length or model is of any type and size opens a form all the same
    (an unusable length reads as unknown: no window or segment is prefilled from it)."""
    @FUZZ
    @given(values, values)
    def check(duration, model):
        source = sub.Source(audio_id="aud-1", task_id="local-1", provider_task_id="prov-1",
                            title="A Song", tags="rock", duration=duration, model=model,
                            audio_url="http://x/a.mp3", state="succeeded")
        assert isinstance(sub.prefill(op, source), dict)

    check()
