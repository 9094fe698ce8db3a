"""The dated register of authorities: counts by region, codes, and the names the letters use."""

from __future__ import annotations

import datetime

import pytest

from openfisca_grants import determinations, published
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.register import normalise, register

APRIL_2024 = datetime.date(2024, 4, 1)
LETTER_2017 = datetime.date(2017, 3, 22)


def counts(on):
    return {register().region_of_code(code).name: n for code, n in register().count_by_region(on).items()}


def test_counts_on_1_april_2024_are_those_the_2024_25_formula_needs():
    assert counts(APRIL_2024) == {
        "North East": 12,
        "North West": 24,
        "Yorkshire and The Humber": 15,
        "East Midlands": 10,
        "West Midlands": 14,
        "East of England": 11,
        "London": 33,
        "South East": 19,
        "South West": 15,
    }
    assert len(register().authorities_on(APRIL_2024)) == 153


def test_counts_on_the_2017_letter_date():
    # Before the 2019-2023 reorganisations: Cumbria, Northamptonshire, Dorset (with Bournemouth
    # and Poole), North Yorkshire and Somerset as they were.
    assert counts(LETTER_2017) == {
        "North East": 12,
        "North West": 23,
        "Yorkshire and The Humber": 15,
        "East Midlands": 9,
        "West Midlands": 14,
        "East of England": 11,
        "London": 33,
        "South East": 19,
        "South West": 16,
    }
    assert len(register().authorities_on(LETTER_2017)) == 152


def test_dfe_reporting_rows_are_not_authorities():
    codes = {body.code for body in register().bodies}
    assert not [code for code in codes if "/" in code]
    assert "z" not in codes


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E09000007", "Camden"),
        ("E06000047", "County Durham"),
        ("E06000065", "North Yorkshire"),
        ("E10000023", "North Yorkshire"),
        ("E08000037", "Gateshead"),
        ("E06000057", "Northumberland"),
        ("E06000058", "Bournemouth, Christchurch and Poole"),
        ("E09000001", "City of London"),
    ],
)
def test_codes(code, name):
    assert register().authority(code).name == name


def test_barnsley_and_sheffield_change_code_in_may_2025_without_a_change_of_area():
    may_2025 = datetime.date(2025, 5, 1)
    assert register().resolve("Barnsley", APRIL_2024).code == "E08000016"
    assert register().resolve("Barnsley", may_2025).code == "E08000038"
    assert register().resolve("Sheffield", may_2025).code == "E08000039"


@pytest.mark.parametrize(
    ("name", "on", "code"),
    [
        ("North Yorkshire County Council", datetime.date(2016, 4, 1), "E10000023"),
        ("North Yorkshire County Council", APRIL_2024, "E06000065"),
        ("Dorset County Council", datetime.date(2016, 4, 1), "E10000009"),
        ("Dorset Council", APRIL_2024, "E06000059"),
        ("London Borough of Camden", datetime.date(2016, 4, 1), "E09000007"),
        ("Camden London Borough Council", APRIL_2024, "E09000007"),
        ("Durham County Council", APRIL_2024, "E06000047"),
        ("City of Westminster", datetime.date(2016, 4, 1), "E09000033"),
        ("Royal Borough of Kensington and Chelsea", datetime.date(2016, 4, 1), "E09000020"),
        ("West Midlands Combined Authority", APRIL_2024, "E47000007"),
        ("Kingston upon Hull City Council", APRIL_2024, "E06000010"),
        ("City of London", APRIL_2024, "E09000001"),
        ("e09000028", APRIL_2024, "E09000028"),
    ],
)
def test_resolve(name, on, code):
    assert register().resolve(name, on).code == code


def test_every_name_in_every_annex_resolves_on_its_year():
    for determination in [d for d in determinations.catalogue() if not d.is_draft]:  # a draft has no letter
        for row in published.annex_a(determination).rows:
            name = row.text.split("–")[-1].strip()
            # A letter of a year may pay a body established during it (a combined authority in May).
            body = register().resolve_in_year(name, determination.financial_year.start)
            assert name in body.letter_names, (determination.number, name)


def test_the_west_midlands_lead_body_is_not_an_authority_with_childrens_services():
    wmca = register().resolve("West Midlands Combined Authority", APRIL_2024)
    assert not wmca.has_childrens_services
    assert wmca not in register().authorities_on(APRIL_2024)
    assert wmca.region_code == register().region("West Midlands").code


def test_unknown_name_gives_the_closest_names():
    with pytest.raises(
        RulesCannotAnswer, match="No authority is called 'Lancasheer' on 2024-04-01. Closest: Lancashire"
    ):
        register().resolve("Lancasheer", APRIL_2024)


def test_a_name_from_another_time_says_when_it_existed_and_what_stood_there():
    with pytest.raises(RulesCannotAnswer) as raised:
        register().resolve("Cumbria", APRIL_2024)
    message = str(raised.value)
    assert "existed from 2009-01-01 to 2023-03-31" in message
    assert "Cumberland (E06000063)" in message and "Westmorland and Furness (E06000064)" in message


def test_unknown_and_outdated_codes():
    with pytest.raises(RulesCannotAnswer, match="No authority has the code 'E09000099'"):
        register().authority("E09000099")
    with pytest.raises(RulesCannotAnswer, match="did not exist on 2024-04-01"):
        register().authority("E10000009", APRIL_2024)


@pytest.mark.parametrize("name", ["Yorkshire and Humber", "yorkshire_and_the_humber", "E12000003"])
def test_region_names(name):
    assert register().region(name).name == "Yorkshire and The Humber"


def test_unknown_region_lists_the_regions():
    with pytest.raises(RulesCannotAnswer, match="The regions are: North East, North West"):
        register().region("Wessex")


def test_normalise():
    assert normalise("Camden London Borough Council") == normalise("London Borough of Camden") == "camden"
    assert normalise("Kingston upon Hull, City of") == "kingston upon hull"


def test_every_authority_is_found_by_its_own_name_whatever_other_bodies_are_known():
    """A combined authority's other names are whole names ("Halton, Knowsley, Liverpool, ...
    Combined Authority"), never read as a list of places that would make "Liverpool Council"
    ambiguous between the council and the combined authority."""
    import datetime

    from openfisca_grants.register import register

    for on in (datetime.date(2016, 4, 1), datetime.date(2024, 4, 1)):
        for authority in register().authorities_on(on):
            assert register().resolve(authority.name, on).code == authority.code
            assert register().resolve(f"{authority.name} Council", on).code == authority.code, authority.name
