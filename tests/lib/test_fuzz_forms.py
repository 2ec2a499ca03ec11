"""Validation and preparation never raise, whatever a form or a script sends; and every form's
defaults are valid for the source it is given.

Property-based (hypothesis): `CASES` examples per operation through `validate` and through
`prepare` (with a source duration and model): every field of the operation and some unknown
ones, each with a value of any type - unicode text, huge and negative numbers (``-10**400``,
``1e308``, NaN, infinities), booleans, lists, objects, None.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import ops
from lib.contract.operation import FieldError
from lib.views import submission as sub

#: Examples per operation and function: 200 in `make test`, 1000 or more in `make soak`
#: (SONGBENCH_FUZZ_CASES).
CASES = int(os.environ.get("SONGBENCH_FUZZ_CASES", "200"))
CB = "https://me.example/api/callbacks/x"
NAMES = sorted(ops.OPERATIONS)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10**400, max_value=10**400),
    st.sampled_from([-10**400, 10**400, 2**63, -1, 0, 1]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 1e-320]),
    st.text(max_size=60), st.text(alphabet=st.characters(), min_size=0, max_size=20),
    st.sampled_from(["V5", "V6", "V4_5ALL", "m", "f", "http://x/a.mp3", "split_stem", " "]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=4),
                   st.dictionaries(st.text(max_size=5), scalars, max_size=3))


def bodies(op: str):
    names = list(ops.get(op).names) + ["junk", "", "model", "customMode"]
    return st.dictionaries(st.sampled_from(names), values, max_size=len(names))


def _messages_are_words(errors: list[FieldError]) -> None:
    for e in errors:
        assert isinstance(e, FieldError) and isinstance(e.message, str) and e.message
        assert not e.message.startswith(f"{e.field}:"), e.message  # words, not field names


@pytest.mark.parametrize("op", NAMES)
def test_validate_never_raises(op):
    @settings(max_examples=CASES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(bodies(op))
    def check(body):
        _messages_are_words(ops.validate(op, body))

    check()


@pytest.mark.parametrize("op", NAMES)
def test_prepare_never_raises(op):
    @settings(max_examples=CASES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(bodies(op), st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
           st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["V5", "V4_5"])))
    def check(values, duration, model):
        duration = duration if duration is None or math.isfinite(duration) else None
        prepared = sub.prepare(op, values, CB, duration=duration, source_model=model)
        _messages_are_words(prepared.errors)

    check()


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
        prepared = sub.prepare(op, values, CB, duration=source.duration, source_model=model)
        refused = {e.field for e in prepared.errors}
        prefilled = set(values) - set(spec.source_fields)
        assert not refused & prefilled, (op, duration, model, prepared.errors)
        for e in prepared.errors:  # the rest: required fields left empty, or the source
            assert e.field in spec.source_fields or "is required" in e.message, e

    check()
