"""Fuzz: the what-if page's JSON API and the page's own requests, sent what careless and hostile clients send.

Every answer is below 500; a refusal is JSON ``{"error": ...}`` (with ``fields`` naming each
parameter on the page's requests); and an answer that gives figures gives the right ones: the
London weighting's effect is worked out here independently, in decimals, from the letter
(£80,000 for the regional data coordinator, London's Annex A figure £318,000 with 14%).
The app is ``openfisca_grants.web.app.create()``, driven in-process (Flask's test client).
"""

from __future__ import annotations

import decimal
import json
import urllib.parse

from catalogue_helpers import of_determination
from fuzz import CASES, cases, nasty_text, strict_json
from hypothesis import given
from hypothesis import strategies as st

from openfisca_grants.web.app import create

CLIENT = create().test_client()
LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
PATHS = [
    LONDON,
    "determinations." + LONDON,
    "riia_31_7421.regional_data_coordinator.amount_per_region",
    "riia_31_7421.sector_led_improvement.costing.day_rate",
    "riia_31_7421.self_assessment_and_peer_challenge.costing.days_per_authority",
    "riia_31_7421.data_to_insight.paid_to_region",
    "riia_31_7421.lead_bodies.london",
    "riia_31_7421.regional_data_coordinator",
    "innovation_programme_31_3010.annex_a.E09000028",
    "no.such.parameter",
    "",
    "year",
    "budget_neutral",
    "examples/sector_led_improvement_costed.py",
]
YEARS = [
    "2024-25",
    "2016-17",
    "2030-31",
    "2024",
    "24-25",
    "",
    "2024-26",
    "1899-00",
    2024,
    None,
    True,
    ["2024-25"],
]
VALUE = st.one_of(
    nasty_text(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.sampled_from(["20%", "0.2", "14%", "£90,000", "600", "4", "South East", "E12000008"]),
    st.lists(st.integers(), max_size=2),
)
CHANGES = st.dictionaries(st.sampled_from(PATHS), VALUE, max_size=3)
ODD_FIELD = st.sampled_from(["reform", "reform_file", "python", "", "sets"])
GOOD_RATE = st.one_of(
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.decimals(0, 100, places=2).map(lambda d: f"{d}%"),
    st.floats(0, 1).map(lambda f: round(f, 4)),
    st.decimals(0, 1, places=4).map(str),
)


@st.composite
def compare_body(draw):
    body = {}
    if draw(st.integers(0, 9)):
        body["year"] = "2024-25" if draw(st.integers(0, 2)) else draw(st.sampled_from(YEARS))
    if draw(st.integers(0, 9)):
        kind = draw(st.integers(0, 9))
        if kind >= 5:  # a good what-if, whose figures are checked
            body["set"] = {draw(st.sampled_from([LONDON, "determinations." + LONDON])): draw(GOOD_RATE)}
        else:
            body["set"] = draw(CHANGES) if kind else draw(VALUE)
    if draw(st.booleans()):
        body["budget_neutral"] = draw(st.sampled_from([True, False, "yes", 1, None]))
    if not draw(st.integers(0, 14)):
        body[draw(ODD_FIELD)] = draw(VALUE)
    return body


def refusal(response, asked) -> dict:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, (asked, response.status_code, text[:500])
    body = strict_json(text)
    assert isinstance(body, dict) and body.get("error"), (asked, text)
    assert "Traceback" not in text, (asked, text)
    return body


def expected_london(value) -> int | None:
    """London's grant in pence with the weighting at ``value``, from the letter, in decimals."""
    text = str(value).strip()
    try:
        rate = decimal.Decimal(text[:-1].strip()) / 100 if text.endswith("%") else decimal.Decimal(text)
    except decimal.InvalidOperation:
        return None
    coordinator = (decimal.Decimal(80000) * (1 + rate)).quantize(
        decimal.Decimal("0.01"), decimal.ROUND_HALF_UP
    )
    return 31800000 - 9120000 + int(coordinator * 100)


def check_compare(response, body) -> None:
    if response.status_code != 200:
        refusal(response, body)
        return
    comparison = of_determination(strict_json(response.get_data(as_text=True)), "31/7421")
    changes = body["set"]
    assert body.get("year") == "2024-25" and changes, body
    rows = {row["code"]: row for row in comparison["rows"]}
    total = sum(round(decimal.Decimal(row["reform"]) * 100) for row in rows.values())
    assert round(decimal.Decimal(comparison["total"]["reform"]) * 100) == total, body
    if body.get("budget_neutral") is True:
        assert comparison["total"]["reform"] == comparison["total"]["baseline"] == "2413000.00", body
    elif list(changes) in ([LONDON], ["determinations." + LONDON]):
        expected = expected_london(changes[list(changes)[0]])
        assert round(decimal.Decimal(rows["E12000007"]["reform"]) * 100) == expected, (
            body,
            rows["E12000007"],
        )


@cases(300)
@given(compare_body())
def test_api_compare(body):
    CASES["HTTP (what-if JSON API)"] += 1
    check_compare(CLIENT.post("/api/compare", json=body), body)


@cases(60)
@given(
    compare_body(),
    st.sampled_from([LONDON, "riia_31_7421.data_to_insight.paid_to_region", "nope", 5, None]),
    st.sampled_from([0, "0", 0.1, -1, "abc", 1e308, None]),
    st.sampled_from([0.3, "0.3", 2, "20%"]),
    st.sampled_from([1, 3, 0, 1001, "31", 2.5, -3, 10**9]),
)
def test_api_sweep(body, parameter, start, stop, steps):
    CASES["HTTP (what-if JSON API)"] += 1
    body = {**body, "parameter": parameter, "from": start, "to": stop, "steps": steps}
    response = CLIENT.post("/api/sweep", json=body)
    if response.status_code != 200:
        refusal(response, body)
        return
    answer = strict_json(response.get_data(as_text=True))
    assert 1 <= len(answer["values"]) <= 1000 and len(answer["amounts"]) == len(answer["values"]), body


@cases(60)
@given(
    compare_body(),
    st.sampled_from(
        [
            {"region": "South West"},
            {"region": "Nowhere"},
            {"authority": "Camden"},
            {"region": 5},
            {},
            {"region": "London", "authority": "Camden"},
        ]
    ),
)
def test_api_explain(body, who):
    CASES["HTTP (what-if JSON API)"] += 1
    body = {**body, **who}
    response = CLIENT.post("/api/explain", json=body)
    if response.status_code != 200:
        refusal(response, body)
        return
    answer = strict_json(response.get_data(as_text=True))
    assert answer["computation"]["value"].startswith("£"), body


@cases(120)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PATHS + ["year", "year", "budget_neutral", "determination", "kept"]), nasty_text()
        ),
        max_size=4,
    ),
    st.sampled_from(
        [
            "/page/results",
            "/",
            "/page/explain",
            "/page/sweep",
            "/download/comparison.csv",
            "/download/reform.yaml",
            "/download/side_by_side.csv",
            "/download/side_by_side.xlsx",
            "/statement",
            "/api/parameters",
            "/api/reconcile",
        ]
    ),
)
def test_page_queries(pairs, route):
    CASES["HTTP (what-if page)"] += 1
    query = urllib.parse.urlencode(pairs)
    response = CLIENT.get(f"{route}?{query}", headers={"Accept": "text/html"})
    assert response.status_code < 500, (route, query, response.get_data(as_text=True)[:500])
    if response.status_code >= 400 and response.mimetype == "application/json":
        refusal(response, (route, query))


@cases(60)
@given(
    st.one_of(
        st.binary(max_size=100),
        nasty_text().map(str.encode),
        st.sampled_from([b"", b"[]", b"{", b'{"year": NaN}', b"{}" * 3]),
    ),
    st.sampled_from(["application/json", "text/plain", ""]),
    st.sampled_from(["/api/compare", "/api/sweep", "/api/explain", "/api/parameters", "/api/reconcile"]),
    st.sampled_from(["POST", "GET", "PUT"]),
)
def test_raw_bodies_and_methods(data, content_type, route, method):
    CASES["HTTP (what-if JSON API)"] += 1
    response = CLIENT.open(route, method=method, data=data, content_type=content_type or None)
    if response.status_code >= 400:
        refusal(response, (method, route, data[:80]))


def test_a_python_reform_file_is_never_read_over_http():
    for body in (
        {"year": "2024-25", "reform": "examples/sector_led_improvement_costed.py"},
        {"year": "2024-25", "set": {"examples/sector_led_improvement_costed.py": "1"}},
    ):
        answer = refusal(CLIENT.post("/api/compare", json=body), body)
        assert "reform" in answer["error"] or "no parameter" in answer["error"], answer


def test_a_body_over_the_limit_and_a_long_address_are_refused():
    response = CLIENT.post("/api/compare", data=b" " * (1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413 and "too large" in json.loads(response.data)["error"]
    response = CLIENT.get("/page/results?year=2024-25&" + "x" * 20000)
    assert response.status_code == 414 and "too long" in json.loads(response.data)["error"]
