"""Questions the encoded law cannot answer raise a clear error, never a 0 or a traceback."""

from __future__ import annotations

import pathlib

import pytest
from catalogue_helpers import catalogue_labels, ungoverned_year
from openfisca_core.simulations import SimulationBuilder

from openfisca_grants import determinations, reforms
from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.paid_bodies import paid_body


def simulate(system, situation):
    return SimulationBuilder().build_from_entities(system, situation)


AUTHORITY = {"local_authorities": {"camden": {"gss_code": {"ETERNITY": "E09000007"}}}}
REGION = {
    "local_authorities": {"wiltshire": {"gss_code": {"ETERNITY": "E06000054"}}},
    "regions": {"south_west": {"members": ["wiltshire"], "region_code": {"ETERNITY": "E12000009"}}},
}


# Years nothing models, from the catalogue: the first the register covers, and the first after
# 2024-25 (a clone may hold a draft of 2025-26, or letters of any year).
UNGOVERNED = FinancialYear.parse(ungoverned_year())
LATER = FinancialYear.parse(ungoverned_year(after="2024-25"))
AFTER_2016_17 = FinancialYear.parse(ungoverned_year(after="2016-17"))
GOVERNING_2024_25 = ", ".join(d.label for d in determinations.for_year("2024-25"))


@pytest.mark.parametrize(
    ("situation", "variable", "period", "message"),
    [
        (
            REGION,
            "riia_grant",
            f"year:{UNGOVERNED.start_year}-04",
            f"governs 2024-25 only; {UNGOVERNED.label} was asked. "
            f"No encoded determination governs {UNGOVERNED.label}.",
        ),
        (
            REGION,
            "riia_grant",
            f"year:{LATER.start_year}-04",
            f"governs 2024-25 only; {LATER.label} was asked.",
        ),
        (
            AUTHORITY,
            "innovation_programme_grant",
            f"year:{AFTER_2016_17.start_year}-04",
            "31/3010 (2016-17) governs 2016-17 only",
        ),
        (
            AUTHORITY,
            "innovation_programme_grant",
            f"year:{UNGOVERNED.start_year}-04",
            f"Encoded determinations: {catalogue_labels()}.",
        ),
        (
            AUTHORITY,
            "innovation_programme_grant",
            "year:2024-04",
            f"2024-25 is governed by {GOVERNING_2024_25}.",
        ),
        (REGION, "riia_grant", "year:2024", "The period 2024 is not a financial year."),
        (REGION, "riia_grant", "year:2024-05", "is not a financial year"),
    ],
)
def test_years_outside_a_determination(system, situation, variable, period, message):
    with pytest.raises(RulesCannotAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        simulate(system, situation).calculate(variable, period)


def test_unknown_authority_code(system):
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": "E09000099"}}}}
    with pytest.raises(RulesCannotAnswer, match="No authority has the code 'E09000099'"):
        simulate(system, situation).calculate("innovation_programme_grant", "year:2016-04")


def test_authority_that_did_not_exist_that_year(system):
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": "E06000059"}}}}  # Dorset Council
    with pytest.raises(RulesCannotAnswer, match="did not exist on 2016-04-01: it existed from 2019-04-01"):
        simulate(system, situation).calculate("innovation_programme_grant", "year:2016-04")


def _pays_bodies_directly(year: str) -> bool:
    """Whether a determination of ``year`` pays combined authorities directly (a letter imported
    into a clone, say): then the year's simulation holds them, each a body that a determination
    of authorities pays nothing, rather than a code outside the year."""
    return any(d.paid_per == "body" for d in determinations.for_year(year))


def _paid_nothing_by_31_3010(system, code: str) -> None:
    simulation = simulate(system, {"local_authorities": {"x": {"gss_code": {"ETERNITY": code}}}})
    assert not simulation.calculate("innovation_programme_listed_in_annex_a", "year:2016-04")[0]
    assert simulation.calculate("innovation_programme_grant", "year:2016-04")[0] == 0


def test_a_combined_authority_is_not_an_authority_for_per_authority_grants(system):
    # The West Yorkshire Combined Authority existed on 1 April 2016 (from 1 April 2014).
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": "E47000003"}}}}
    if _pays_bodies_directly("2016-17"):
        _paid_nothing_by_31_3010(system, "E47000003")
    else:
        with pytest.raises(RulesCannotAnswer, match="not a local authority with children's services duties"):
            simulate(system, situation).calculate("innovation_programme_grant", "year:2016-04")
    # Asked as every face asks (the Web API, explain, the Python API), it is refused either way.
    with pytest.raises(RulesCannotAnswer, match="not a local authority with children's services duties"):
        paid_body("2016-17", authority="E47000003", number="31/3010")


def test_a_combined_authority_asked_for_before_it_existed_says_when_it_began(system):
    # The West Midlands Combined Authority was established on 17 June 2016 (S.I. 2016/653).
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": "E47000007"}}}}
    began = "did not exist on 2016-04-01: it existed from 2016-06-17"
    if _pays_bodies_directly("2016-17"):  # a letter of the year may pay it: it is a body of 2016-17
        _paid_nothing_by_31_3010(system, "E47000007")
    else:
        with pytest.raises(RulesCannotAnswer, match=began):
            simulate(system, situation).calculate("innovation_programme_grant", "year:2016-04")
    # Asked as every face asks: a body of the year (from 17 June), but not one 31/3010 could pay.
    with pytest.raises(RulesCannotAnswer, match=r"\(E47000007, from 2016-06-17\) is not a local authority"):
        paid_body("2016-17", authority="E47000007", number="31/3010")


def test_unknown_region_code(system):
    situation = {
        "local_authorities": {"a": {"gss_code": {"ETERNITY": "E06000054"}}},
        "regions": {"r": {"members": ["a"], "region_code": {"ETERNITY": "E12000010"}}},
    }
    with pytest.raises(RulesCannotAnswer, match="Unknown region code"):
        simulate(system, situation).calculate("riia_grant", "year:2024-04")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("E09000099", "No authority has the code 'E09000099'"),
        ("E06000059", "did not exist on 2016-04-01: it existed from 2019-04-01"),  # Dorset Council
        ("E47000003", "not a local authority with children's services duties"),
    ],
)
def test_whether_annex_a_lists_an_authority_is_not_answered_for_one_the_register_lacks(system, code, message):
    """Asked alone, "is it listed in Annex A?" is an error for a code of no authority of 2016-17, not No."""
    if code.startswith("E47") and _pays_bodies_directly("2016-17"):
        return _paid_nothing_by_31_3010(system, code)  # a body of the year: not listed, and paid nothing
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": code}}}}
    with pytest.raises(RulesCannotAnswer, match=message):
        simulate(system, situation).calculate("innovation_programme_listed_in_annex_a", "year:2016-04")


def test_an_authority_outside_annex_a_is_said_to_be_unlisted(system):
    situation = {"local_authorities": {"lancashire": {"gss_code": {"ETERNITY": "E10000017"}}}}
    simulation = simulate(system, situation)
    assert not simulation.calculate("innovation_programme_listed_in_annex_a", "year:2016-04")[0]
    assert simulation.calculate("innovation_programme_grant", "year:2016-04")[0] == 0


@pytest.mark.parametrize("text", ["2024-26", "24-25", "next year", "2024"])
def test_bad_financial_years(text):
    with pytest.raises(RulesCannotAnswer, match="is not a financial year"):
        FinancialYear.parse(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2024-25", "2024-25"),
        ("2024/25", "2024-25"),
        ("2024-2025", "2024-25"),
        ("FY2016-17", "2016-17"),
        ("year:2024-04", "2024-25"),
        ("1999-00", "1999-00"),
    ],
)
def test_financial_years(text, label):
    year = FinancialYear.parse(text)
    assert year.label == label
    assert str(year.period) == f"year:{year.start_year}-04"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["resolve", "Lancasheer", "--year", "2016-17"],
            "No authority is called 'Lancasheer' on 2016-04-01. Closest: Lancashire",
        ),
        (["resolve", "Dorset County Council", "--on", "2024-13-01"], "'2024-13-01' is not a date."),
        (["register", "--region", "Wessex"], "No English region is called 'Wessex'"),
        (["reconcile", "--year", "2024-26"], "'2024-26' is not a financial year."),
    ],
)
def test_cli_prints_the_message_without_a_traceback(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


POT_SHARED = (
    pathlib.Path(__file__).resolve().parent.parent
    / "examples"
    / "national_framework_shared_by_authorities.py"
)


@pytest.mark.parametrize("empty_at", [0, 1, 2])
def test_a_region_without_authorities_gets_no_share_of_a_national_pot(empty_at):
    """A pot shared within a country (openfisca_grants.within_country): a region listed with no
    authorities is in no country, refused wherever it comes in the situation, never put in one."""
    system = reforms.apply(reforms.load(POT_SHARED))
    regions = [
        ("london", ["camden"], "E12000007"),
        ("south_west", ["wiltshire"], "E12000009"),
    ]
    regions.insert(empty_at, ("east", [], "E12000006"))
    situation = {
        "local_authorities": {
            "camden": {"gss_code": {"ETERNITY": "E09000007"}},
            "wiltshire": {"gss_code": {"ETERNITY": "E06000054"}},
        },
        "regions": {
            name: {"members": members, "region_code": {"ETERNITY": code}} for name, members, code in regions
        },
        "countries": {"england": {"authorities": ["camden", "wiltshire"]}},
    }
    with pytest.raises(RulesCannotAnswer, match="A region without authorities is in no country"):
        simulate(system, situation).calculate("riia_national_framework_implementation", "year:2024-04")


def test_the_same_regions_each_with_an_authority_share_the_pot():
    """The situation above with an authority in every region: answered (so the refusal is the region's)."""
    system = reforms.apply(reforms.load(POT_SHARED))
    situation = {
        "local_authorities": {
            "camden": {"gss_code": {"ETERNITY": "E09000007"}},
            "essex": {"gss_code": {"ETERNITY": "E10000012"}},
            "wiltshire": {"gss_code": {"ETERNITY": "E06000054"}},
        },
        "regions": {
            "london": {"members": ["camden"], "region_code": {"ETERNITY": "E12000007"}},
            "east": {"members": ["essex"], "region_code": {"ETERNITY": "E12000006"}},
            "south_west": {"members": ["wiltshire"], "region_code": {"ETERNITY": "E12000009"}},
        },
        "countries": {"england": {"authorities": ["camden", "essex", "wiltshire"]}},
    }
    amounts = simulate(system, situation).calculate("riia_national_framework_implementation", "year:2024-04")
    # The pot, £27,200 x 3 regions, shared by the register's counts on 1 April 2024: 33, 11, 15.
    assert [round(float(a) * 100) for a in amounts] == [4_564_068, 1_521_356, 2_074_576]
