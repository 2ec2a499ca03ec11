"""Hypothesis strategies for the values a script, a form or a provider may send where a
scalar belongs: huge and negative integers, floats like ``1e400`` and NaN, text of any kind,
booleans, lists and objects, None. Shared by the forms' and the families' fuzz tests (and so by
`make soak`'s fuzz, which runs them with more cases)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per operation or family and function: 200 in `make test`, 1000 or more in
#: `make soak` (SONGBENCH_FUZZ_CASES).
CASES = int(os.environ.get("SONGBENCH_FUZZ_CASES", "200"))

#: Bounded and repeatable: the same cases on every run, no deadline (CI machines are slow).
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))

#: huge and negative integers (under the 4300 digits Python still prints, so a failure can be shown)
HUGE = (10**400, -10**400, 10**4000, -10**4000, 2**63, -2**63 - 1)
ODD_FLOATS = (float("inf"), float("-inf"), float("nan"), 1e308, -1e308, 1e-320, -0.0)

numbers = st.one_of(
    st.integers(), st.integers(min_value=-10**400, max_value=10**400), st.sampled_from(HUGE),
    st.sampled_from([-1, 0, 1, 200, 201, 500]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(ODD_FLOATS),
)
scalars = st.one_of(
    st.none(), st.booleans(), numbers,
    st.text(max_size=60), st.text(alphabet=st.characters(), min_size=0, max_size=20),
    st.sampled_from(["V5", "V6", "V4_5ALL", "m", "f", "http://x/a.mp3", "split_stem", " ",
                     "SUCCESS", "PENDING", "FAILED", "1", "3", "fail", "wait_validating"]),
)
#: Any JSON-like value: a scalar, or a list or object of scalars (one level deep).
values = st.one_of(scalars, st.lists(scalars, max_size=4),
                   st.dictionaries(st.text(max_size=5), scalars, max_size=3))



def short(value: object) -> str:
    """A test id for ``value`` (``repr`` of an integer over 4300 digits raises)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"{'-' if value < 0 else ''}2^{value.bit_length()}"
    return repr(value)
