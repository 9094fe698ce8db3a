"""openfisca-grants reconcile: 34 published figures matched to the penny, differences shown."""

from __future__ import annotations

import csv
import io
import json

import pytest
from catalogue_helpers import catalogue_labels, of_determination, ungoverned_year

from openfisca_grants.cli import main
from openfisca_grants.reconcile import reconcile

# What the letters' own figures give when worked out from their words, in pence: stated amount,
# worked-out amount. Written by hand from the letters, independently of the parameters.
EXPECTED_CHECKS = {
    "Annex A rows add up to the stated total": (3235006317, 3235006317),
    "Sector-led improvement: stated amount against its costing": (9400000, 9360000),
    "Self-assessment and peer challenge: stated amount per authority against its costing": (320000, 320000),
    "National Framework implementation: stated amount against its costing": (2720000, 2640000),
    "Data to Insight: stated pooled amount against the amount per region x regions": (9000000, 9000000),
}

# 31/7421 by Annex A row: the letter's formula and the named adjustment, in pence.
EXPECTED_RIIA_FORMULA = {
    1: 23320000,
    2: 23640000,
    3: 31800000,
    4: 23960000,
    5: 27800000,
    6: 35200000,
    7: 24920000,
    8: 24600000,
    9: 24920000,
}
EXPECTED_ADJUSTMENTS = {7: ("south_west_unexplained_annex_a_difference", 1140000)}


# The two determinations encoded by hand; a determination added later has its own cases.
ENCODED = ("31/3010", "31/7421")


def encoded(system=None):
    return [r for r in reconcile(system=system) if r.determination.number in ENCODED]


def reconciliation_problems(system=None) -> list[str]:
    """Every way the reconciliation departs from what the letters say; empty when it agrees."""
    problems = []
    for result in encoded(system):
        for line in result.lines:
            if not line.matches:
                problems.append(f"{result.determination.number} {line.body}: {line.difference_pence}p")
            if result.determination.number == "31/7421" and line.kind == "annex_a_row":
                if line.formula_pence != EXPECTED_RIIA_FORMULA[line.row]:
                    problems.append(f"31/7421 row {line.row} formula {line.formula_pence}p")
                name, pence = EXPECTED_ADJUSTMENTS.get(line.row, (None, 0))
                if (line.adjustment_name, line.adjustment_pence) != (name, pence):
                    problems.append(f"31/7421 row {line.row} adjustment {line.adjustment_pence}p")
        for check in result.checks:
            stated_and_worked_out = (check.stated_pence, check.worked_out_pence)
            if EXPECTED_CHECKS.get(check.name) != stated_and_worked_out:
                problems.append(f"{check.name}: {stated_and_worked_out}")
    return problems


def test_reconciliation_agrees_with_the_letters():
    assert reconciliation_problems() == []


def test_34_published_figures_all_matched():
    results = encoded()
    published = [line for r in results for line in r.lines if line.published_pence is not None]
    assert len(published) == 34
    assert all(line.matches for line in published)
    assert all(r.reconciled for r in results)
    assert not [line for r in results for line in r.lines if line.kind == "unlisted"]


def test_rows_name_the_bodies_paid():
    riia = of_determination(reconcile("2024-25"), "31/7421")
    codes = {line.row: line.gss_code for line in riia.lines if line.kind == "annex_a_row"}
    assert codes[8] == "E47000007"  # West Midlands Combined Authority
    assert codes[9] == "E06000065"  # North Yorkshire, the unitary council, in 2024-25
    innovation = of_determination(reconcile("2016-17"), "31/3010")
    codes = {line.row: line.gss_code for line in innovation.lines if line.kind == "annex_a_row"}
    assert codes[13] == "E10000023"  # North Yorkshire, the county council, in 2016-17
    assert codes[15] == "E10000009"  # Dorset County Council


def test_cli_table(capsys):
    assert main(["reconcile"]) == 0
    out = capsys.readouterr().out
    assert "24 of 24 published figures matched to the penny: reconciled." in out
    assert "10 of 10 published figures matched to the penny: reconciled." in out
    assert "south_west_unexplained_annex_a_difference £11,400.00" in out
    assert "£32,350,063.17  £32,350,063.17       £0.00" in out
    assert "differs (recorded), difference £400.00" in out
    assert "differs (recorded), difference £800.00" in out


def test_cli_json(capsys):
    assert main(["reconcile", "--year", "2024-25", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reconciled"] is True
    riia = of_determination(data["determinations"], "31/7421")
    south_west = riia["lines"][6]
    assert (south_west["published"], south_west["formula"], south_west["adjustment"]) == (
        "260600.00",
        "249200.00",
        "11400.00",
    )


def test_cli_csv(capsys):
    assert main(["reconcile", "--year", "2016-17", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    southwark = next(row for row in rows if row["gss_code"] == "E09000028")
    assert southwark["published"] == southwark["computed"] == "1637997.91"
    total = next(row for row in rows if row["kind"] == "total")
    assert total["published"] == total["computed"] == "32350063.17"


def test_cli_exits_non_zero_on_an_unexplained_difference(monkeypatch, capsys):
    from openfisca_grants import CountryTaxBenefitSystem
    from openfisca_grants import reconcile as reconcile_module

    changed = CountryTaxBenefitSystem()
    changed.parameters.determinations.riia_31_7421.annex_a_adjustment.south_west.update(
        period="year:2024-04", value=11399.99
    )
    original = reconcile_module.reconcile
    monkeypatch.setattr("openfisca_grants.cli.reconcile", lambda year=None: original(year, system=changed))
    assert main(["reconcile", "--year", "2024-25"]) == 1
    out = capsys.readouterr().out
    assert "NOT RECONCILED" in out
    assert "-£0.01" in out


# Two years no encoded determination governs, found from the catalogue: the first the register
# covers, and the first after 2024-25.
UNCOVERED = [ungoverned_year(), ungoverned_year(after="2024-25")]


@pytest.mark.parametrize("year", UNCOVERED)
def test_cli_refuses_a_year_no_determination_covers(year, capsys):
    assert main(["reconcile", "--year", year]) == 2
    err = capsys.readouterr().err
    assert f"No encoded determination governs {year}" in err
    assert f"Encoded determinations: {catalogue_labels()}." in err
    assert "31/3010 (2016-17), " in err and "31/7421 (2024-25)" in err
    assert "Traceback" not in err
