"""render.json.dumps writes what the standard library's indenting encoder writes, byte for byte."""

from __future__ import annotations

import datetime
import decimal
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_grants.render import json as render_json


def standard(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False)  # written through default=str
    | st.dates()
)
keys = (
    st.text() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.none()
)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=5).map(tuple)
        | st.dictionaries(st.text(), children, max_size=5)
        | st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=600, deadline=None)
@given(documents)
def test_any_document_is_written_as_the_standard_library_writes_it(data):
    assert render_json.dumps(data) == standard(data)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {},
        [[]],
        {"a": {}},
        {"rows": [{"code": "E1", "name": 'Ère \u2028 "quoted"\n', "pence": 1, "share": 0.1}], "total": None},
        [1e16, -0.0, 1e-7, 2**70, True, False],
        {"when": datetime.date(2024, 4, 1), "amount": decimal.Decimal("1.10")},
        {1: [1], 2.5: {"x": []}, None: [], False: [[]]},
        [[[[[{"deep": [1, [2, {"deeper": ()}]]}]]]]],
    ],
)
def test_each_shape_an_answer_takes(data):
    assert render_json.dumps(data) == standard(data)


@pytest.mark.parametrize("bad", [math.nan, [1, math.inf], {"a": [-math.inf]}, {"a": {"b": math.nan}}])
def test_a_value_json_cannot_hold_is_refused_as_the_standard_library_refuses_it(bad):
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        standard(bad)
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        render_json.dumps(bad)


def test_without_the_c_encoder_the_same_is_written(monkeypatch):
    data = {"rows": [{"code": "E1", "pence": 1, "share": 0.5}, []], "none": {}, "text": "Ère"}
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    render_json._encoder.cache_clear()
    try:
        assert render_json.dumps(data) == standard(data)
    finally:
        render_json._encoder.cache_clear()
