"""lookup.by_code: a few codes looked up one by one give what the vectorised comparisons give."""

from __future__ import annotations

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_grants import lookup
from openfisca_grants.errors import RulesCannotAnswer

CODES = ["E12000001", "E12000002", "E12000007", "E06000001", "X"]
values = st.one_of(
    st.floats(allow_nan=False, width=64),
    st.integers(-(10**12), 10**12),
    st.sampled_from(["South West", "london", ""]),
    st.booleans(),
)


def answer(function, *args, **kwargs):
    try:
        result = function(*args, **kwargs)
    except (RulesCannotAnswer, ValueError, TypeError, OverflowError) as error:
        return (type(error).__name__, str(error))
    return (result.dtype, result.tolist())


@settings(max_examples=400, deadline=None)
@given(
    codes=st.lists(st.sampled_from(CODES), max_size=lookup.FEW_CODES),
    table=st.dictionaries(st.sampled_from(CODES), values, max_size=len(CODES)),
    default=st.sampled_from([None, 0.0, False, "none"]),
    dtype=st.sampled_from([None, numpy.float64, object]),
)
def test_a_few_codes_are_looked_up_as_many_are(codes, table, default, dtype, monkeypatch_module):
    codes = numpy.array(codes, dtype=str)
    few = answer(lookup.by_code, codes, table, default=default, dtype=dtype)
    monkeypatch_module.setattr(lookup, "FEW_CODES", -1)  # every lookup vectorised
    try:
        many = answer(lookup.by_code, codes, table, default=default, dtype=dtype)
    finally:
        monkeypatch_module.undo()
    assert few == many


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_value_for_each_code_is_taken_code_by_code_whatever_the_number_of_codes():
    codes = numpy.array(["a", "b", "a"])
    swept = numpy.array([1.0, 2.0, 3.0])
    assert lookup.by_code(codes, {"a": swept, "b": 9.0}, dtype=float).tolist() == [1.0, 9.0, 3.0]


def test_an_unknown_code_is_refused_by_the_callers_own_words_however_few():
    with pytest.raises(RulesCannotAnswer, match="no region X"):
        lookup.by_code(
            numpy.array(["X"]),
            {"Y": 1},
            unknown=lambda missing: RulesCannotAnswer(f"no region {missing[0]}"),
        )
