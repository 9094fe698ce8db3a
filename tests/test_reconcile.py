"""openfisca-grants reconcile: 34 published figures matched to the penny, differences shown."""

from __future__ import annotations

import csv
import io
import json
import pathlib
import re

import pytest
from catalogue_helpers import catalogue_labels, of_determination, ungoverned_year
from scratch_tree import grants, tree

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
    # Every check of the letters' own figures is made: one that disappears (a stated total no
    # longer read, say) fails here, not only one that differs.
    assert sorted(check.name for result in encoded() for check in result.checks) == sorted(EXPECTED_CHECKS)


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
    monkeypatch.setattr(
        "openfisca_grants.reconcile.reconcile", lambda year=None, system=None: original(year, system=changed)
    )
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


# ---- behaviour a mutation of the source once changed without a test noticing ----------------


def edit(path, old: str, new: str) -> None:
    """Replace ``old`` (found exactly once) by ``new`` in a scratch tree's file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


INNOVATION_ANNEX_A = pathlib.Path("parameters/determinations/innovation_programme_31_3010/annex_a.yaml")
SELF_ASSESSMENT_DAY_RATE = pathlib.Path(
    "parameters/determinations/riia_31_7421/self_assessment_and_peer_challenge/costing/day_rate.yaml"
)


def test_plain_reconcile_fails_when_one_of_several_determinations_is_off_by_a_penny(tmp_path):
    """Without --year every determination is reconciled, and one 1p off fails the whole run."""
    root = tree(tmp_path)
    edit(root / INNOVATION_ANNEX_A, "2016-04-01: 1637997.91", "2016-04-01: 1637997.92")
    table = grants(root, "reconcile")
    assert table.returncode == 1, table.stderr
    assert "10 of 10 published figures matched to the penny: reconciled." in table.stdout  # 31/7421
    assert "22 of 24 published figures matched to the penny: NOT RECONCILED" in table.stdout
    assert "£1,637,997.91   £1,637,997.92       £0.01" in table.stdout
    as_json = grants(root, "reconcile", "--format", "json")
    assert as_json.returncode == 1, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["reconciled"] is False
    assert of_determination(data["determinations"], "31/3010")["reconciled"] is False
    assert of_determination(data["determinations"], "31/7421")["reconciled"] is True
    assert grants(root, "reconcile", "--format", "csv").returncode == 1


def test_check_wording_says_agrees_only_where_the_figures_agree(capsys):
    """The status of each check of the letter's figures, as text, CSV and JSON print it."""
    agrees = "Self-assessment and peer challenge: stated amount per authority against its costing"
    recorded = "Sector-led improvement: stated amount against its costing"
    assert main(["reconcile", "--year", "2024-25"]) == 0
    text = capsys.readouterr().out
    assert f"{agrees}: stated £3,200.00, worked out £3,200.00 (4 days x £800.00 a day): agrees" in text
    assert (
        f"{recorded}: stated £94,000.00, worked out £93,600.00 (4 authorities x 39 days x £600.00 a day): "
        "differs (recorded), difference £400.00"
    ) in text
    assert main(["reconcile", "--year", "2024-25", "--format", "csv"]) == 0
    rows = {row["body"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows[f"{agrees} (4 days x £800.00 a day): agrees"]["difference"] == "0.00"
    assert rows[f"{recorded} (4 authorities x 39 days x £600.00 a day): differs (recorded)"][
        "difference"
    ] == ("400.00")
    assert main(["reconcile", "--year", "2024-25", "--format", "json"]) == 0
    riia = of_determination(json.loads(capsys.readouterr().out)["determinations"], "31/7421")
    statuses = {check["name"]: check["status"] for check in riia["checks"]}
    assert (statuses[agrees], statuses[recorded]) == ("agrees", "differs (recorded)")


def test_a_check_differing_with_no_recorded_difference_never_reads_agrees(tmp_path):
    """A day rate 1p off: the self-assessment costing differs by 4p, and says so in every format."""
    root = tree(tmp_path)
    edit(root / SELF_ASSESSMENT_DAY_RATE, "2024-04-01: 800.00", "2024-04-01: 800.01")
    name = "Self-assessment and peer challenge: stated amount per authority against its costing"
    table = grants(root, "reconcile", "--year", "2024-25")
    assert table.returncode == 1, table.stderr
    assert (
        f"{name}: stated £3,200.00, worked out £3,200.04 (4 days x £800.01 a day): DIFFERS (not recorded)"
    ) in table.stdout
    assert (
        f"{name}: stated £3,200.00, worked out £3,200.04 (4 days x £800.01 a day): agrees" not in table.stdout
    )
    as_csv = grants(root, "reconcile", "--year", "2024-25", "--format", "csv")
    assert as_csv.returncode == 1
    rows = {row["body"]: row for row in csv.DictReader(io.StringIO(as_csv.stdout))}
    row = rows[f"{name} (4 days x £800.01 a day): DIFFERS (not recorded)"]
    assert (row["published"], row["computed"], row["difference"]) == ("3200.00", "3200.04", "-0.04")
    as_json = grants(root, "reconcile", "--year", "2024-25", "--format", "json")
    assert as_json.returncode == 1
    riia = of_determination(json.loads(as_json.stdout)["determinations"], "31/7421")
    (check,) = [check for check in riia["checks"] if check["name"] == name]
    assert (check["status"], check["difference"], check["recorded_difference"]) == (
        "DIFFERS (not recorded)",
        "-0.04",
        None,
    )
    assert riia["reconciled"] is False


def test_a_body_the_rules_pay_outside_annex_a_is_shown_and_fails_the_reconciliation(tmp_path):
    """Lancashire paid £1.00 by the rules of 31/3010, which Annex A does not list."""
    root = tree(tmp_path)
    edit(
        root / INNOVATION_ANNEX_A,
        "E09000025:\n",
        "E10000017:\n"
        "  description: Lancashire County Council (not in Annex A)\n"
        "  metadata:\n"
        "    unit: currency-GBP\n"
        "  values:\n"
        "    2016-04-01: 1.00\n"
        "    2017-04-01: null\n"
        "\n"
        "E09000025:\n",
    )
    as_json = grants(root, "reconcile", "--year", "2016-17", "--format", "json")
    assert as_json.returncode == 1, as_json.stderr
    innovation = of_determination(json.loads(as_json.stdout)["determinations"], "31/3010")
    (unlisted,) = [line for line in innovation["lines"] if line["kind"] == "unlisted"]
    assert (unlisted["gss_code"], unlisted["published"], unlisted["computed"], unlisted["difference"]) == (
        "E10000017",
        None,
        "1.00",
        "1.00",
    )
    assert (unlisted["body"], unlisted["note"]) == ("Lancashire", "not in Annex A")
    assert innovation["lines"][-1]["computed"] == "32350064.17"  # the total, Lancashire's £1 in it
    table = grants(root, "reconcile", "--year", "2016-17")
    assert table.returncode == 1
    # The text table shows it as a line of its own, with no row number (Annex A has none for it).
    assert re.search(r"^-\s+Lancashire\s+E10000017\s+£1\.00\s+£1\.00$", table.stdout, re.M), table.stdout


def test_a_per_authority_draft_shows_each_authority_it_pays(tmp_path, capsys):
    """31/3010 rolled forward to 2019-20: one draft line per authority paid, none for the rest."""
    root = tree(tmp_path)
    assert main(["roll-forward", "31/3010", "--to", "2019-20", "--root", str(root)]) == 0
    capsys.readouterr()
    published = of_determination(reconcile("2016-17"), "31/3010")
    # Every 2016-17 amount carried, but Dorset County Council's (gone by 1 April 2019).
    expected = {
        line.gss_code: f"{line.published_pence // 100}.{line.published_pence % 100:02d}"
        for line in published.lines
        if line.kind == "annex_a_row" and line.gss_code != "E10000009"
    }
    assert len(expected) == 22
    as_json = grants(root, "reconcile", "--year", "2019-20", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    draft = of_determination(json.loads(as_json.stdout)["determinations"], "31/3010-draft-2019-20")
    lines = [line for line in draft["lines"] if line["kind"] == "draft"]
    assert {line["gss_code"]: line["computed"] for line in lines} == expected
    assert len(lines) == 22
    assert all(
        line["published"] is None and line["note"] == "draft, not a published determination" for line in lines
    )
    total = draft["lines"][-1]
    assert (total["kind"], total["computed"]) == ("total", "31414309.17")  # £32,350,063.17 - £935,754.00


def test_the_letters_stated_total_is_read_and_checked(capsys):
    """31/3010 states its total: the total line is the letter's, and the rows are checked against it."""
    assert main(["reconcile", "--year", "2016-17", "--format", "json"]) == 0
    innovation = of_determination(json.loads(capsys.readouterr().out)["determinations"], "31/3010")
    total = innovation["lines"][-1]
    assert (total["kind"], total["body"], total["published"]) == (
        "total",
        "Total, as Annex A states it",
        "32350063.17",
    )
    (check,) = [
        check for check in innovation["checks"] if check["name"] == "Annex A rows add up to the stated total"
    ]
    assert (check["stated"], check["worked_out"], check["working"], check["status"]) == (
        "32350063.17",
        "32350063.17",
        "sum of the 23 rows",
        "agrees",
    )
    assert main(["reconcile", "--year", "2016-17"]) == 0
    assert (
        "Annex A rows add up to the stated total: stated £32,350,063.17, worked out £32,350,063.17 "
        "(sum of the 23 rows): agrees"
    ) in capsys.readouterr().out
