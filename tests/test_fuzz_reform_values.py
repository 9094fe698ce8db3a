"""Fuzz: parameter values given with --set, in reform files and through the Python API.

Each generated value is refused clearly (naming the parameter) or accepted, and then every
figure of the comparison is the one an independent reckoning of the letter's formula gives.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json

import pytest
from catalogue_helpers import determination_of, of_determination
from fuzz import CASES, assert_clear_cli_outcome, cases, nasty_python_value, nasty_text, pence, run_cli
from hypothesis import given
from hypothesis import strategies as st

from openfisca_grants import api, reforms
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.register import register
from openfisca_grants.simulation import tax_benefit_system

SYSTEM = tax_benefit_system()
LEAVES = reforms.leaves(SYSTEM)
YEARS = {"riia_31_7421": "2024-25", "innovation_programme_31_3010": "2016-17"}
# The parameters of the two determinations encoded by hand, whose figures are worked out here.
PATHS = sorted(path for path in LEAVES if path.split(".")[1] in YEARS)
SHORT_PATHS = [path.removeprefix("determinations.") for path in PATHS]
JUNK_PATHS = [
    "",
    " ",
    "determinations",
    "riia_31_7421",
    "riia_31_7421.nope",
    "x" * 400,
    "riia_31_7421..amount",
]
HALF = decimal.Decimal("0.5")


def year_of(path: str) -> str:
    return YEARS.get(path.removeprefix("determinations.").split(".")[0], "2024-25")


def kind_of(path: str) -> str:
    parameter = LEAVES[path]
    current = parameter(f"{year_of(path)[:4]}-04-01")
    if isinstance(current, str):
        return "text"
    if parameter.metadata.get("unit") == "currency-GBP":
        return "money"
    return "count" if isinstance(current, int) else "rate"


def lenient_number(kind: str, text) -> decimal.Decimal:
    """The number a person meant, read independently of the package's own parser."""
    if isinstance(text, (int, float, decimal.Decimal)) and not isinstance(text, bool):
        return decimal.Decimal(repr(text) if isinstance(text, float) else text)
    text = str(text).strip()
    if kind == "rate" and text.endswith("%"):
        return decimal.Decimal(text[:-1].strip()) / 100
    return decimal.Decimal(text.replace("£", "").replace(",", ""))


def current_values(year: str) -> dict[str, object]:
    return {path: LEAVES[path](f"{year[:4]}-04-01") for path in PATHS}


def expected_pence(path: str, meant) -> dict[str, set[int]]:
    """Each paid body's reformed grant, in pence (a set: either rounding of an exact half penny)."""
    year = year_of(path)
    values = current_values(year)
    values[path] = meant
    if year == "2016-17":
        annex = {p.rsplit(".", 1)[1]: v for p, v in values.items() if ".annex_a." in p}
        return {code: {int(decimal.Decimal(str(amount)) * 100)} for code, amount in annex.items()}

    def value(suffix):
        return decimal.Decimal(str(values[f"determinations.riia_31_7421.{suffix}"]))

    counts = register().count_by_region(datetime.date(2024, 4, 1))
    paid_to = values["determinations.riia_31_7421.data_to_insight.paid_to_region"]
    paid_to = register().region(paid_to).code
    london = register().region("London").code
    south_west = register().region("South West").code
    result = {}
    for region in register().regions:
        coordinator = value("regional_data_coordinator.amount_per_region") * 100
        roundings = {int(coordinator)}
        if region.code == london:
            exact = coordinator * (1 + value("regional_data_coordinator.london_weighting"))
            floor = int(exact)
            roundings = {floor, floor + 1} if exact - floor == HALF else {int(exact + HALF)}
        rest = (
            value("sector_led_improvement.amount_per_region")
            + value("self_assessment_and_peer_challenge.amount_per_authority") * counts[region.code]
            + (value("data_to_insight.amount_per_region") * 9 if region.code == paid_to else 0)
            + value("national_framework_implementation.amount_per_region")
            + (value("annex_a_adjustment.south_west") if region.code == south_west else 0)
        ) * 100
        result[region.code] = {r + int(rest) for r in roundings}
    return result


def assert_right_figures(path: str, meant, comparison: dict) -> None:
    expected = expected_pence(path, meant)
    for row in comparison["rows"]:
        assert pence(row["reform"]) in expected[row["code"]], (path, meant, row)
    total = sum(pence(row["reform"]) for row in comparison["rows"])
    assert pence(comparison["total"]["reform"]) == total


@functools.cache
def valid_value(path: str):
    """Values the letter's units allow for ``path``, written as people write them."""
    kind = kind_of(path)
    if kind == "money":
        amounts = st.integers(min_value=0, max_value=10**9 * 100)  # sums stay within the limit
        return st.one_of(
            amounts.map(lambda p: f"{p // 100}.{p % 100:02d}"),
            amounts.map(lambda p: f"£{p // 100:,}.{p % 100:02d}"),
            st.integers(min_value=0, max_value=10**9).map(str),
        )
    if kind == "rate":
        return st.one_of(
            st.integers(min_value=0, max_value=10_000).map(lambda b: f"{b / 10_000}"),
            st.integers(min_value=0, max_value=100).map(lambda p: f"{p}%"),
        )
    if kind == "count":
        return st.integers(min_value=0, max_value=1_000_000).map(str)
    if path.endswith("paid_to_region"):
        return st.sampled_from([r.name for r in register().regions] + [r.code for r in register().regions])
    if ".lead_bodies." in path:
        # A region's lead body is one of its own bodies: its authorities, by name, letter name or code.
        region = register().region(path.rsplit(".", 1)[-1])
        on = FinancialYear.parse(year_of(path)).start
        own = [b for b in register().authorities_on(on) if b.region_code == region.code]
        return st.sampled_from([b.code for b in own] + [n for b in own for n in (b.name, *b.letter_names)])
    return st.sampled_from(["East Sussex County Council", "Wiltshire Council", "E10000011"])


# Strategies are built once: building them at each draw costs more than the case they make.
ANY_PATH, KNOWN_PATH = st.sampled_from(PATHS + JUNK_PATHS), st.sampled_from(PATHS)
QUARTER, TENTH = st.integers(0, 3), st.integers(0, 9)
OTHER_YEAR = st.sampled_from(["2023-24", "2016-17", "", "x"])
API_PATH = st.sampled_from(SHORT_PATHS + PATHS + JUNK_PATHS) | nasty_python_value()
API_YEAR = st.sampled_from(["2024-25", "2016-17"]) | nasty_python_value()


@st.composite
def set_arguments(draw):
    path = draw(ANY_PATH)
    if path in LEAVES and draw(QUARTER) == 0:
        value = draw(valid_value(path))
    else:
        value = draw(nasty_text())
    shown = draw(st.sampled_from([path, path.removeprefix("determinations.")]))
    year = year_of(path) if draw(TENTH) else draw(OTHER_YEAR)
    return path, shown, value, year


@cases(1000)
@given(set_arguments())
def test_set_values_on_the_command_line(arguments):
    CASES["--set values (command line)"] += 1
    path, shown, value, year = arguments
    argv = ["compare", "--set", f"{shown}={value}", "--year", year, "--format", "json"]
    status, out, err = run_cli(argv)
    assert_clear_cli_outcome(status, out, err, argv)
    if status != 0:
        assert status == 2
        return
    assert path in LEAVES and year == year_of(path), argv
    kind = kind_of(path)
    if kind == "text":
        return
    meant = lenient_number(kind, value)
    if kind == "money":
        assert 0 <= meant <= 10**12 or ".annex_a_adjustment." in path, argv
    comparison = of_determination(json.loads(out), determination_of(path))
    assert_right_figures(path, meant, comparison)


@cases(200)
@given(st.data())
def test_valid_values_are_always_accepted(data):
    CASES["--set values (command line)"] += 1
    path = data.draw(KNOWN_PATH)
    value = data.draw(valid_value(path))
    argv = ["compare", "--set", f"{path}={value}", "--year", year_of(path), "--format", "json"]
    status, out, err = run_cli(argv)
    assert status == 0, (argv, err)
    kind = kind_of(path)
    if kind != "text":
        comparison = of_determination(json.loads(out), determination_of(path))
        assert_right_figures(path, lenient_number(kind, value), comparison)


@cases(1000)
@given(st.data())
def test_reform_dicts_in_the_python_api(data):
    CASES["Python API"] += 1
    path = data.draw(API_PATH)
    full = f"determinations.{path}" if isinstance(path, str) and f"determinations.{path}" in LEAVES else path
    known = isinstance(full, str) and full in LEAVES
    value = data.draw(nasty_python_value() | (valid_value(full) if known else st.none()))
    year = data.draw(API_YEAR)
    try:
        result = api.compare({path: value} if _hashable(path) else [], year)
    except RulesCannotAnswer as error:
        assert str(error).strip(), (path, value, year)
        return
    assert known, (path, value, year)
    kind = kind_of(full)
    if kind == "text":
        return
    comparison = of_determination(result, determination_of(full))
    assert_right_figures(full, lenient_number(kind, value), comparison)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".inf", "'.inf' is not a finite amount"),
        ("1e308", "'1e308' is beyond the £1,000,000,000,000.00"),
        ("1e20", "'1e20' is beyond the £1,000,000,000,000.00"),
        ("*a", "'*a' is not an amount of money"),
        ("", "'' is empty: no amount was given"),
        ("!!python/object/apply:os.system [x]", "'!!python/object/apply:os.system [x]' is not an amount"),
    ],
)
def test_the_issues_examples_get_their_message(value, message):
    argv = ["compare", "--set", f"riia_31_7421.regional_data_coordinator.amount_per_region={value}"]
    status, _, err = run_cli([*argv, "--year", "2024-25"])
    assert status == 2
    assert "determinations.riia_31_7421.regional_data_coordinator.amount_per_region: " + message in err
