"""Baseline against reform, sweeps (vectorised equal to one at a time), explain, the Python API."""

from __future__ import annotations

import json
import pathlib
import re

import numpy
import pytest
from catalogue_helpers import of_determination, ungoverned_year, year_paying_only

from openfisca_grants import api, determinations, reforms
from openfisca_grants.authority_data import read_authority_csv
from openfisca_grants.cli import main
from openfisca_grants.compare import compare
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.reforms import leaves
from openfisca_grants.simulation import tax_benefit_system
from openfisca_grants.sweep import sweep, sweep_one_at_a_time

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WEIGHTING = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"
UNGOVERNED = ungoverned_year()
REGIONS_ONLY = year_paying_only("region")


# ---- compare ---------------------------------------------------------------------------------


def test_the_comparisons_heading_writes_each_change_as_the_letter_does(capsys):
    argv = ["compare", "--set", "riia_31_7421.regional_data_coordinator.london_weighting=0.2"]
    assert (
        main(
            [
                *argv,
                "--set",
                "riia_31_7421.sector_led_improvement.amount_per_region=95000",
                "--year",
                "2024-25",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "regional_data_coordinator.london_weighting = 20% for 2024-25" in out
    assert "sector_led_improvement.amount_per_region = £95,000 for 2024-25" in out


def test_london_weighting_at_20_percent():
    result = of_determination(
        compare(reforms.load(EXAMPLES / "london_weighting_20.yaml"), "2024-25"), "31/7421"
    )
    by_name = {row.name: row for row in result.rows}
    # £80,000 x 1.20 = £96,000 instead of £91,200: London gets £4,800 more, nobody else changes.
    assert by_name["London"].reform_pence == 32280000
    assert by_name["London"].difference_pence == 480000
    assert by_name["London"].difference_percent == pytest.approx(480000 / 31800000 * 100)
    assert all(row.difference_pence == 0 for row in result.rows if row.name != "London")
    assert (result.baseline_total_pence, result.reform_total_pence) == (241300000, 241780000)
    assert not result.changes_nothing


def test_budget_neutral_adds_up_to_the_baseline_total_to_the_penny():
    comparisons = compare(reforms.load(EXAMPLES / "london_weighting_20.yaml"), "2024-25", budget_neutral=True)
    result = of_determination(comparisons, "31/7421")
    assert result.reform_total_pence == result.baseline_total_pence == 241300000
    assert result.budget_neutral_factor == pytest.approx(241300000 / 241780000)
    london = next(row for row in result.rows if row.name == "London")
    assert london.reform_pence == pytest.approx(32280000 * result.budget_neutral_factor, abs=1)


def test_per_authority_comparison_for_2016_17():
    change = reforms.parse_set("innovation_programme_31_3010.annex_a.E09000028=1700000")
    result = of_determination(compare(reforms.from_changes("Southwark up", [change]), "2016-17"), "31/3010")
    assert len(result.rows) == 23
    southwark = next(row for row in result.rows if row.code == "E09000028")
    assert southwark.difference_pence == 170000000 - 163799791


SOUTHWARK = "innovation_programme_31_3010.annex_a.E09000028"


def test_a_body_set_to_nothing_stays_in_the_comparison(capsys):
    """Southwark's £1,637,997.91 set to £0: its row stays, the totals lose exactly that amount."""
    comparison = of_determination(api.compare({SOUTHWARK: 0}, "2016-17"), "31/3010")
    southwark = [row for row in comparison["rows"] if row["code"] == "E09000028"]
    assert southwark == [
        {
            "code": "E09000028",
            "name": "Southwark",
            "baseline": "1637997.91",
            "reform": "0.00",
            "difference": "-1637997.91",
            "difference_percent": -100.0,
        }
    ]
    assert len(comparison["rows"]) == 23
    assert (comparison["total"]["baseline"], comparison["total"]["reform"]) == ("32350063.17", "30712065.26")
    assert comparison["changes_nothing"] is False
    assert main(["compare", "--set", f"{SOUTHWARK}=0", "--year", "2016-17", "--format", "json"]) == 0
    printed = of_determination(json.loads(capsys.readouterr().out), "31/3010")
    assert printed["rows"] == comparison["rows"] and printed["total"] == comparison["total"]


def test_a_body_swept_to_nothing_stays_in_the_sweep(capsys):
    """Southwark swept to £0 only: its column stays, at £0.00, beside the 22 others."""
    swept = api.sweep(SOUTHWARK, [0], "2016-17")
    assert len(swept["codes"]) == 23 and swept["pence"].shape == (1, 23)
    by_code = dict(zip(swept["codes"], swept["pence"][0].tolist(), strict=True))
    assert by_code["E09000028"] == 0
    assert sum(by_code.values()) == 3235006317 - 163799791
    argv = [
        "sweep",
        SOUTHWARK,
        "--from",
        "0",
        "--to",
        "0",
        "--steps",
        "1",
        "--year",
        "2016-17",
        "--format",
        "csv",
    ]
    assert main(argv) == 0
    header, values = capsys.readouterr().out.splitlines()[:2]
    assert dict(zip(header.split(","), values.split(","), strict=True))["Southwark"] == "0.00"


def test_formula_reform_with_a_set_day_rate(capsys):
    argv = [
        "compare",
        str(EXAMPLES / "sector_led_improvement_costed.py"),
        "--year",
        "2024-25",
        "--set",
        "riia_31_7421.sector_led_improvement.costing.day_rate=650",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    data = of_determination(json.loads(capsys.readouterr().out), "31/7421")
    # 4 authorities x 39 days x £650 = £101,400 in place of the stated £94,000: +£7,400 a region.
    assert {row["difference"] for row in data["rows"]} == {"7400.00"}
    assert data["total"]["difference"] == "66600.00"


def test_need_weighted_example_shares_the_pot():
    comparisons = compare(reforms.load(EXAMPLES / "need_weighted_self_assessment.py"), "2024-25")
    result = of_determination(comparisons, "31/7421")
    # The pot is unchanged (153 x £3,200), give or take the pennies of rounding nine shares.
    assert abs(result.reform_total_pence - result.baseline_total_pence) <= 9
    assert len({row.difference_pence for row in result.rows}) == 9


def test_compare_csv_and_chart(tmp_path, capsys):
    for chart in ("chart.png", "chart.svg"):
        argv = [
            "compare",
            str(EXAMPLES / "london_weighting_20.yaml"),
            "--year",
            "2024-25",
            "--format",
            "csv",
            "--chart",
            str(tmp_path / chart),
        ]
        assert main(argv) == 0
    out = capsys.readouterr().out
    assert "31/7421,2024-25,E12000007,London,318000.00,322800.00,4800.00" in out
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "chart.svg").read_text()


def test_compare_refuses_a_chart_format_it_cannot_write(tmp_path, capsys):
    argv = [
        "compare",
        str(EXAMPLES / "london_weighting_20.yaml"),
        "--year",
        "2024-25",
        "--chart",
        str(tmp_path / "chart.jpg"),
    ]
    assert main(argv) == 2
    assert "a chart is written as .png or .svg" in capsys.readouterr().err


def test_compare_needs_a_reform(capsys):
    assert main(["compare", "--year", "2024-25"]) == 2
    assert "compare needs a reform" in capsys.readouterr().err


# ---- sweep -----------------------------------------------------------------------------------

NUMERIC_2024_25 = [
    path
    for path, parameter in leaves(tax_benefit_system()).items()
    if ".riia_31_7421." in path and isinstance(parameter("2024-04-01"), (int, float))
]


def _values_for(path: str) -> list:
    current = leaves(tax_benefit_system())[path]("2024-04-01")
    if isinstance(current, int):
        return [0, current, current + 3]
    if current < 1:
        return [0.0, current, 0.25, 1.0]
    return [0.0, current, current * 1.5 + 0.37]


@pytest.mark.parametrize("path", NUMERIC_2024_25)
def test_vectorised_sweep_equals_one_at_a_time(path):
    fast = sweep(path, _values_for(path), "2024-25")
    slow = sweep_one_at_a_time(path, _values_for(path), "2024-25")
    assert fast.method == "vectorised"
    assert fast.pence.dtype == numpy.int64
    numpy.testing.assert_array_equal(fast.pence, slow.pence)


def test_sweep_of_a_2016_17_amount_equals_one_at_a_time():
    path = "determinations.innovation_programme_31_3010.annex_a.E09000028"
    fast = sweep(path, [0, 1637997.91, 2000000.01], "2016-17")
    slow = sweep_one_at_a_time(path, [0, 1637997.91, 2000000.01], "2016-17")
    numpy.testing.assert_array_equal(fast.pence, slow.pence)
    southwark = fast.codes.index("E09000028")
    assert fast.pence[:, southwark].tolist() == [0, 163799791, 200000001]


def test_sweep_on_top_of_a_formula_reform():
    spec = reforms.load(EXAMPLES / "sector_led_improvement_costed.py")
    path = "determinations.riia_31_7421.sector_led_improvement.costing.day_rate"
    fast = sweep(path, [500, 600, 650], "2024-25", reform=spec)
    slow = sweep_one_at_a_time(path, [500, 600, 650], "2024-25", reform=spec)
    numpy.testing.assert_array_equal(fast.pence, slow.pence)
    assert fast.pence[2, 0] - fast.pence[1, 0] == 4 * 39 * 50 * 100


def test_sweep_command_table_and_chart(tmp_path, capsys):
    chart = tmp_path / "sweep.png"
    argv = [
        "sweep",
        WEIGHTING,
        "--from",
        "0",
        "--to",
        "0.3",
        "--steps",
        "4",
        "--year",
        "2024-25",
        "--chart",
        str(chart),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "(vectorised)" in out
    # London at 0%: 80,000 + 94,000 + 33 x 3,200 + 27,200 = 306,800; each 10 points adds 8,000.
    assert "   0%  239600.00  278000.00  249200.00  233200.00  246000.00  236400.00  306800.00" in out
    assert "  30%  239600.00  278000.00  249200.00  233200.00  246000.00  236400.00  330800.00" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["sweep", WEIGHTING, "--from", "0", "--to", "2", "--steps", "3", "--year", "2024-25"],
            "london_weighting: 2.0 is above 1: a rate of 200% is more than 100%. Did you mean 0.02 (2%)?",
        ),
        (
            ["sweep", WEIGHTING, "--from", "0", "--to", "0.3", "--steps", "0", "--year", "2024-25"],
            "--steps: '0' is not a number of steps from 1 to 1,000,000",
        ),
        (
            ["sweep", WEIGHTING, "--from", "0", "--to", "0.3", "--steps", "3", "--year", "2025-26"],
            "which governs 2024-25 only; the change asks for 2025-26",
        ),
        (
            [
                "sweep",
                "riia_31_7421.lead_bodies.london",
                "--from",
                "0",
                "--to",
                "1",
                "--steps",
                "2",
                "--year",
                "2024-25",
            ],
            "Only numeric parameters can be swept: determinations.riia_31_7421.lead_bodies.london holds the name or code of a lead body.",
        ),
    ],
)
def test_sweep_refusals(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


# ---- explain ---------------------------------------------------------------------------------


def test_explain_a_region(capsys):
    assert main(["explain", "--year", "2024-25", "--region", "South West"]) == 0
    out = capsys.readouterr().out
    assert "riia_grant = £260,600.00" in out
    assert "riia_formula_amount = £249,200.00" in out
    assert "riia_annex_a_adjustment = £11,400.00" in out
    assert (
        "[parameter] determinations.riia_31_7421.annex_a_adjustment.south_west = £11,400.00  (Determination 31/7421, Annex A row 7"
        in out
    )
    assert "local_authorities_in_region = 15" in out
    assert "annex_a_adjustment.london" not in out


def test_explain_json_carries_sources_and_the_letters_words():
    tree = api.explain("2024-25", region="London")["computation"]
    coordinator = next(
        c
        for c in tree["computed_from"][0]["computed_from"]
        if c["variable"] == "riia_regional_data_coordinator"
    )
    assert coordinator["value"] == "£91,200.00"
    weighting = next(p for p in coordinator["parameters"] if p["parameter"].endswith("london_weighting"))
    assert weighting["value"] == 0.14
    assert weighting["determination"] == "31/7421"
    assert "London weighting of 14% will be included" in weighting["letter_wording"]


def test_explain_an_authority(capsys):
    assert (
        main(
            ["explain", "--year", "2016-17", "--authority", "London Borough of Southwark", "--format", "json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    tree = data["computation"]
    assert tree["value"] == "£1,637,997.91"
    (parameter,) = tree["parameters"]
    assert parameter["parameter"] == "determinations.innovation_programme_31_3010.annex_a.E09000028"
    assert "Annex A row 12" in parameter["source"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["explain", "--year", "2024-25", "--authority", "Camden", "--determination", "31/7421"],
            "31/7421 (2024-25) pays each region, not each local authority",
        ),
        (
            ["explain", "--year", "2016-17", "--region", "London"],
            "pays each local authority, not each region",
        ),
        (
            ["explain", "--year", UNGOVERNED, "--region", "London"],
            f"No encoded determination governs {UNGOVERNED}",
        ),
        (["explain", "--year", "2024-25", "--region", "Wessex"], "No English region is called 'Wessex'"),
    ],
)
def test_explain_refusals(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_explain_under_a_reform():
    tree = api.explain("2024-25", region="London", reform={WEIGHTING: "20%"})
    assert tree["computation"]["value"] == "£322,800.00"


# ---- the Python API --------------------------------------------------------------------------


def test_api_returns_plain_data():
    assert api.allocations("2024-25")["E12000009"] == {
        "name": "South West",
        "determination": "31/7421",
        "status": "published",
        "pence": 26060000,
        "amount": "260600.00",
    }
    assert api.allocations("2016-17")["E09000028"]["amount"] == "1637997.91"
    comparison = of_determination(api.compare({WEIGHTING: "20%"}, "2024-25"), "31/7421")
    assert comparison["total"]["difference"] == "4800.00"
    swept = api.sweep(WEIGHTING, [0.10, 0.14, 0.20], "2024-25")
    assert swept["pence"].shape == (3, 9)
    assert swept["pence"][1].tolist() == [
        23960000,
        27800000,
        24920000,
        23320000,
        24600000,
        23640000,
        31800000,
        35200000,
        26060000,
    ]
    assert any(p["parameter"] == WEIGHTING for p in api.parameters("2024-25"))
    assert all(r["reconciled"] for r in api.reconcile())


def test_api_entitlement_of_one_body():
    assert api.entitlement("2016-17", authority="London Borough of Southwark")["amount"] == "1637997.91"
    assert api.entitlement("2024-25", region="Yorkshire and Humber")["pence"] == 24920000
    assert api.entitlement("2024-25", region="London", reform={WEIGHTING: "20%"})["amount"] == "322800.00"


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            {"year": "2016-17", "authority": "Lancashire"},
            "Lancashire (E10000017) is not among the authorities determination 31/3010 (2016-17) pays: its Annex A does not list it. It pays 23: ",
        ),
        ({"year": "2016-17", "authority": "E06000059"}, "Dorset (E06000059) did not exist on 2016-04-01"),
        ({"year": UNGOVERNED, "region": "London"}, f"No encoded determination governs {UNGOVERNED}"),
        *(
            [
                (  # a year whose determinations all pay regions, asked about an authority
                    {"year": REGIONS_ONLY, "authority": "Camden"},
                    f"Determination {determinations.for_year(REGIONS_ONLY)[0].label} pays each region, "
                    "not each local authority",
                )
            ]
            if REGIONS_ONLY
            else []
        ),
    ],
)
def test_a_body_outside_a_determination_is_an_error_not_a_zero(question, message):
    with pytest.raises(RulesCannotAnswer, match=re.escape(message)):
        api.entitlement(**question)
    if "authority" in question and question["year"] == "2016-17":
        with pytest.raises(RulesCannotAnswer, match=re.escape(message)):
            api.explain(**question)


def test_api_refuses_what_is_not_a_reform():
    with pytest.raises(
        RulesCannotAnswer, match="reform: 42 is not a reform. Give a dict of parameter changes"
    ):
        api.as_reform(42)


# ---- authority data --------------------------------------------------------------------------


def test_the_illustrative_csv_is_complete():
    need = read_authority_csv(
        EXAMPLES / "data" / "illustrative_need_index_2024_25.csv", "need_index", "2024-25"
    )
    assert len(need) == 153


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["E09000099,1"], "line 4: E09000099 is not a GSS code the register knows"),
        (["E10000009,1"], "line 4: E10000009 (Dorset) did not exist on 2024-04-01"),
        (["E09000007,1", "E09000007,2"], "line 5: E09000007 appears twice"),
        (["E09000007,lots"], "line 4: need_index: 'lots' is not a number"),
        ([], "153 authorities of 2024-04-01 missing"),
    ],
)
def test_authority_csv_problems_are_reported_not_dropped(tmp_path, rows, message):
    path = tmp_path / "data.csv"
    path.write_text("# made up\n# for a test\ngss_code,need_index\n" + "\n".join(rows) + "\n")
    with pytest.raises(RulesCannotAnswer, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_authority_csv(path, "need_index", "2024-25")
