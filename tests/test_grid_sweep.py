"""Grid sweeps: two parameters at once, from the command line, with a heatmap and budget neutrality."""

import pathlib

import numpy
import pytest

from openfisca_grants import reforms
from openfisca_grants.cli import main
from openfisca_grants.sweep import grid_sweep, grid_sweep_one_at_a_time

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"
FRAMEWORK = "riia_31_7421.national_framework_implementation.amount_per_region"
GRID = ["grid", "--first", WEIGHTING, "0", "0.3", "3", "--second", FRAMEWORK, "20000", "30000", "3"]


def test_grid_command_table_csv_and_heatmap(tmp_path, capsys):
    chart = tmp_path / "grid.png"
    assert main([*GRID, "--year", "2024-25", "--chart", str(chart), "--body", "London"]) == 0
    out = capsys.readouterr().out
    assert "Grid sweep for 2024-25 (vectorised)" in out
    # London at 15% and £25,000: £80,000 x 1.15 + £94,000 + 33 x £3,200 + £25,000
    assert " 15%   25000" in out and "316600.00" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert main([*GRID, "--year", "2024-25", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("South West,total") and len(lines) == 1 + 9
    assert lines[1].endswith(",2337000.00")


def test_budget_neutral_grid_adds_up_to_the_baseline_total_for_every_pair():
    result = grid_sweep(
        ("determinations." + WEIGHTING, "determinations." + FRAMEWORK),
        ([0, 0.2], [20000, 35000]),
        "2024-25",
        budget_neutral=True,
    )
    assert (result.pence.sum(axis=2) == 241_300_000).all()
    assert result.budget_neutral_factors.shape == (2, 2)


def test_a_grid_of_whole_numbers_equals_one_at_a_time():
    count = "determinations.riia_31_7421.sector_led_improvement.costing.authorities_supported"
    days = "determinations.riia_31_7421.sector_led_improvement.costing.days_per_authority"
    costed = reforms.load(EXAMPLES / "sector_led_improvement_costed.py")  # the costing is paid
    fast = grid_sweep((count, days), ([3, 4, 5], [30, 39]), "2024-25", reform=costed)
    slow = grid_sweep_one_at_a_time((count, days), ([3, 4, 5], [30, 39]), "2024-25", reform=costed)
    assert fast.method == "vectorised"
    numpy.testing.assert_array_equal(fast.pence, slow.pence)
    # North East's sector-led improvement: authorities x days x £600, the rest unchanged
    assert fast.pence[2, 1, 0] - fast.pence[0, 0, 0] == (5 * 39 - 3 * 30) * 600 * 100


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["grid", "--first", WEIGHTING, "0", "0.3", "3", "--second", WEIGHTING, "0", "0.3", "3"],
            "A grid sweep needs two different parameters",
        ),
        (
            [*GRID[:4], "x", *GRID[5:]],
            "--first TO: 'x' is not a number",
        ),
        (
            [*GRID[:-1], "0"],
            "--second STEPS: '0' is not a number of steps from 1 to 1,000,000",
        ),
        (
            [
                "grid",
                "--first",
                WEIGHTING,
                "0",
                "0.3",
                "3",
                "--second",
                "riia_31_7421.nonsense",
                "1",
                "2",
                "2",
            ],
            "riia_31_7421.nonsense",
        ),
    ],
)
def test_grid_refusals(argv, message, capsys):
    assert main([*argv, "--year", "2024-25"]) == 2
    assert message in capsys.readouterr().err


def test_a_grids_heatmap_finds_a_body_as_the_register_reads_it(tmp_path):
    from openfisca_grants.charts import _body_in_grid
    from openfisca_grants.errors import RulesCannotAnswer

    result = grid_sweep(
        ("determinations." + WEIGHTING, "determinations." + FRAMEWORK), ([0], [20000]), "2024-25"
    )
    london, yorkshire = result.codes.index("E12000007"), result.codes.index("E12000003")
    for asked in ("London", "E12000007", "london"):
        assert _body_in_grid(result, asked) == london, asked
    assert _body_in_grid(result, "Yorkshire and Humber") == yorkshire  # as 31/7421's Annex A writes it
    with pytest.raises(RulesCannotAnswer, match="No body 'Camden' in this sweep"):
        _body_in_grid(result, "Camden")  # an authority, in a grid of regions
    with pytest.raises(RulesCannotAnswer, match="No body 'Atlantis' in this sweep"):
        _body_in_grid(result, "Atlantis")
