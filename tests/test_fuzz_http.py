"""Fuzz: OpenFisca's Web API for these rules, sent what careless clients and hostile ones send.

Every answer is a 2xx or a 4xx, never a 5xx; its body is strict JSON (no NaN or Infinity);
a 4xx says why; and a 200 that gives a grant gives the published figure, never a silent 0.
The app is the one ``openfisca serve -c openfisca_grants`` runs, driven in-process (Flask's
test client); tests/test_web_api.py drives the real server over HTTP.
"""

from __future__ import annotations

import functools
import json

from fuzz import CASES, cases, nasty_text, strict_json
from hypothesis import given
from hypothesis import strategies as st

from openfisca_grants.register import register
from openfisca_grants.simulation import tax_benefit_system
from openfisca_grants.web.openfisca_api import create_app

SYSTEM = tax_benefit_system()
CLIENT = create_app(SYSTEM).test_client()

ANNEX_A = SYSTEM.parameters.determinations.innovation_programme_31_3010.annex_a
ANNEX_A_2016_17 = {code: round(ANNEX_A.children[code]("2016-04-01") * 100) for code in ANNEX_A.children}
ANNEX_A_2024_25 = {
    "E12000001": 23960000, "E12000002": 27800000, "E12000003": 24920000, "E12000004": 23320000,
    "E12000005": 24600000, "E12000006": 23640000, "E12000007": 30960000, "E12000008": 35200000,
    "E12000009": 26060000,
}  # fmt: skip
CODES = ["E09000007", "E06000054", "E09000028", "E10000023", "E06000065", "E47000007", "E99999999", "", "x"]
REGION_CODES = [r.code for r in register().regions] + ["E12000010", "London", ""]
PERIODS = [
    "year:2016-04",
    "year:2024-04",
    "year:2023-04",
    "year:2025-04",
    "month:2024-04",
    "2024-04",
    "2024-04-01",
    "day:2024-04-01",
    "eternity",
    "ETERNITY",
    "year:2024-04:2",
    "2024",
    "year:2024",
    "year:2024-04-06",
    "",
    "garbage",
    "year:1800-04",
    "year:9999-04",
    "year:0000-04",
    "month:2024-13",
    "week:2024-W01",
    "2024-25",
]
VARIABLES = sorted(SYSTEM.variables) + ["no_such_variable", ""]
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
    "application/json; charset=latin-1",
]


@functools.cache
def value():
    return st.one_of(
        st.none(),
        st.sampled_from(CODES + REGION_CODES),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        nasty_text(),
        st.lists(st.integers(), max_size=2),
    )


# Strategies are built once: building them per draw costs more than the request they make.
AUTHORITY_CODE = st.sampled_from(CODES)
REGION_CODE = st.sampled_from(REGION_CODES)
VARIABLE = st.sampled_from(VARIABLES)
PERIOD_LIST = st.lists(st.sampled_from(PERIODS), min_size=0, max_size=2)
AUTHORITY_ID = st.sampled_from(["c", "w", "", "a/b", " ", "x" * 300, "é", "1"])
MEMBERS = st.lists(st.sampled_from(["c", "w", "nobody", 5]), max_size=3)
REGION_ID = st.sampled_from(["r", "", "s/w"])
ODD_KEY = st.sampled_from(["axes", "persons", "countries", ""])
FIFTH, QUARTER, TENTH, TWENTIETH = st.integers(0, 4), st.integers(0, 3), st.integers(0, 9), st.integers(0, 19)
COIN = st.booleans()


@st.composite
def instance(draw, entity: str) -> dict:
    fields: dict = {}
    if draw(FIFTH):
        code = draw(AUTHORITY_CODE if entity == "local_authorities" else REGION_CODE)
        fields["gss_code" if entity == "local_authorities" else "region_code"] = {"ETERNITY": code}
    for _ in range(draw(QUARTER)):
        name = draw(VARIABLE)
        periods = draw(PERIOD_LIST)
        fields[name] = {period: draw(value()) for period in periods} if draw(TENTH) else draw(value())
    return fields


AUTHORITY = instance("local_authorities")
REGION = instance("regions")


@st.composite
def situation(draw) -> dict:
    authorities = {}
    for _ in range(draw(QUARTER)):
        authorities[draw(AUTHORITY_ID)] = draw(AUTHORITY)
    body: dict = {}
    if authorities or draw(COIN):
        body["local_authorities"] = authorities
    if draw(COIN):
        region = draw(REGION)
        if draw(QUARTER):
            region["members"] = draw(MEMBERS)
        body["regions"] = {draw(REGION_ID): region}
    if not draw(TWENTIETH):
        body[draw(ODD_KEY)] = draw(value())
    return body


def assert_answer_is_right(body: dict) -> None:
    """Each grant a 200 gives is the published figure for the body asked about."""
    for authority in body.get("local_authorities", {}).values():
        grant = authority.get("innovation_programme_grant", {}).get("year:2016-04")
        if isinstance(grant, float):
            code = authority["gss_code"]["ETERNITY"]
            assert round(grant * 100) == ANNEX_A_2016_17[code], (code, grant)
    for region in body.get("regions", {}).values():
        grant = region.get("riia_grant", {}).get("year:2024-04")
        if isinstance(grant, float) and isinstance(region.get("region_code"), dict):
            code = region["region_code"]["ETERNITY"]
            assert round(grant * 100) == ANNEX_A_2024_25[code], (code, grant)


def check(response, asked) -> None:
    assert response.status_code < 500, (asked, response.status_code, response.get_data(as_text=True)[:500])
    if response.status_code in (301, 302, 308):
        return  # OpenFisca's redirect of a path ending in '/' to the same path without it
    text = response.get_data(as_text=True)
    body = strict_json(text)
    if response.status_code >= 400:
        assert isinstance(body, dict) and body, (asked, text)
        reason = body.get("error", body)
        assert reason and "Traceback" not in json.dumps(reason), (asked, text)
    elif response.status_code == 200 and isinstance(body, dict):
        assert_answer_is_right(body)


@cases(2200)
@given(situation(), st.sampled_from(["/calculate", "/calculate", "/calculate", "/trace"]))
def test_situations(body, route):
    CASES["HTTP (Web API)"] += 1
    check(CLIENT.post(route, json=body), body)


@cases(500)
@given(
    st.one_of(
        st.binary(max_size=200),
        nasty_text().map(str.encode),
        st.sampled_from(
            [
                b"",
                b"{",
                b"[]",
                b"null",
                b"1",
                b'"x"',
                b'{"local_authorities": NaN}',
                b'{"a": Infinity}',
                b'{"a": -Infinity}',
                b'{"local_authorities": {}, "local_authorities": {}}',
                b"[" * 5000 + b"]" * 5000,
                b'{"a":' * 3000 + b"1" + b"}" * 3000,
                b"1" * 5000,
                b'{"local_authorities": {"c": {"gss_code": {"ETERNITY": "E09000007"}}}}\x00',
                '{"local_authorities": {"\u00e9": {}}}'.encode("latin-1"),
                b"\xff\xfe{}",
            ]
        ),
    ),
    st.sampled_from(CONTENT_TYPES),
    st.sampled_from(
        ["/calculate", "/trace", "/calculate/", "/spec", "/variables", "/nowhere", "/parameter/x"]
    ),
    st.sampled_from(["POST", "POST", "GET", "PUT", "DELETE"]),
)
def test_raw_bodies_methods_and_routes(data, content_type, route, method):
    CASES["HTTP (Web API)"] += 1
    response = CLIENT.open(route, method=method, data=data, content_type=content_type or None)
    check(response, (method, route, content_type, data[:100]))


def test_a_body_over_the_size_limit_is_a_413():
    response = CLIENT.post("/calculate", data=b" " * (1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413
    assert "error" in strict_json(response.get_data(as_text=True))


def _answer(body):
    response = CLIENT.post("/calculate", json=body)
    return response.status_code, strict_json(response.get_data(as_text=True))


def test_every_code_given_must_be_paid():
    two_codes = {"gss_code": {"year:2016-04": "E09000007", "ETERNITY": "E06000001"}}
    status, body = _answer(
        {"local_authorities": {"c": {**two_codes, "innovation_programme_grant": {"year:2016-04": None}}}}
    )
    assert status == 400 and "Hartlepool (E06000001) is not among the authorities" in body["error"]


def test_an_authority_placed_in_no_region_is_refused():
    situation = {
        "local_authorities": {
            "w": {"gss_code": {"ETERNITY": "E06000054"}},
            "c": {"gss_code": {"ETERNITY": "E09000007"}},
        },
        "regions": {"sw": {"members": ["w"], "region_code": {"ETERNITY": "E12000009"}}},
        "countries": {"e": {"authorities": ["w", "c"], "riia_total": {"year:2024-04": None}}},
    }
    status, body = _answer(situation)
    assert status == 400 and "regions: local_authorities 'c' are in no region" in body["error"]


def test_counts_and_sums_stay_within_the_limits():
    region = {
        "members": ["w"],
        "region_code": {"ETERNITY": "E12000009"},
        "riia_grant": {"year:2024-04": None},
    }
    wiltshire = {"w": {"gss_code": {"ETERNITY": "E06000054"}}}
    for count, message in ((-5, "-5 is negative"), (2147483647, "2147483647 is more than 1,000,000")):
        status, body = _answer(
            {
                "local_authorities": wiltshire,
                "regions": {"r": {**region, "local_authorities_in_region": {"year:2024-04": count}}},
            }
        )
        assert status == 400 and message in body["error"]
    status, body = _answer(
        {
            "local_authorities": wiltshire,
            "regions": {"r": {**region, "riia_formula_amount": {"year:2024-04": 1e12}}},
        }
    )
    assert (
        status == 400
        and "regions/r/riia_grant/year:2024-04: the answer, 1,000,000,011,400.00, is beyond" in body["error"]
    )


def test_a_situation_that_contradicts_the_register_is_refused():
    camden = {"gss_code": {"ETERNITY": "E09000007"}}
    region = {"riia_grant": {"year:2024-04": None}}
    for situation, message in [
        (
            {
                "local_authorities": {"c": camden},
                "regions": {"r": {**region, "members": ["c"], "region_code": {"ETERNITY": "E12000009"}}},
            },
            "Camden (E09000007) is in London, not South West",
        ),
        (
            {
                "local_authorities": {"c": camden, "d": camden},
                "regions": {"r": {"members": ["c", "d"], "region_code": {"ETERNITY": "E12000007"}}},
            },
            "'c' and 'd' are both E09000007",
        ),
        (
            {
                "local_authorities": {"c": camden, "w": {"gss_code": {"ETERNITY": "E09000028"}}},
                "regions": {
                    "l": {"members": ["c"], "region_code": {"ETERNITY": "E12000007"}},
                    "m": {"members": ["w"], "region_code": {"ETERNITY": "E12000007"}},
                },
            },
            "'l' and 'm' are both E12000007",
        ),
        (
            {
                "local_authorities": {"c": {"gss_code": {"ETERNITY": "E12000007"}}},
                "regions": {"r": {**region, "members": ["c"], "region_code": {"ETERNITY": "E12000007"}}},
            },
            "No authority has the code 'E12000007'",
        ),
    ]:
        status, body = _answer(situation)
        assert status == 400 and message in body["error"], body
