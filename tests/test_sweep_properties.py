"""Sweeps with formula reforms that share national pots, held equal to one value at a time.

Property tests (hypothesis): whatever the values swept, a sweep gives every body exactly what a
simulation per value gives, which is what ``compare`` gives. A reform written with
``within_country`` is swept vectorised; one that sums over every region of the simulation is
caught by the sweep's self-check and computed one at a time, with a note saying so.
"""

import pathlib

import numpy
import pytest
from catalogue_helpers import of_determination
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_grants import reforms
from openfisca_grants.cli import main
from openfisca_grants.compare import compare
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.simulation import tax_benefit_system
from openfisca_grants.sweep import grid_sweep, grid_sweep_one_at_a_time, sweep, sweep_one_at_a_time

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
TEST_REFORMS = pathlib.Path(__file__).parent / "reforms"
RIIA = "determinations.riia_31_7421."
FRAMEWORK = RIIA + "national_framework_implementation.amount_per_region"
PER_AUTHORITY = RIIA + "self_assessment_and_peer_challenge.amount_per_authority"
WEIGHTING = RIIA + "regional_data_coordinator.london_weighting"

POT_SHARED = reforms.load(EXAMPLES / "national_framework_shared_by_authorities.py")
NEED_WEIGHTED = reforms.load(EXAMPLES / "need_weighted_self_assessment.py")
WITH_A_FLOOR = reforms.load(TEST_REFORMS / "national_framework_with_a_floor.py")
SUMMED_OVER_SIMULATION = reforms.load(TEST_REFORMS / "national_framework_summed_over_the_simulation.py")

PROPERTY = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pence_amounts = st.integers(min_value=0, max_value=10_000_000).map(lambda pence: pence / 100)
money_values = st.lists(pence_amounts, min_size=1, max_size=6)


@PROPERTY
@given(money_values)
def test_a_pot_shared_within_the_country_sweeps_vectorised_as_one_at_a_time(values):
    fast = sweep(FRAMEWORK, values, "2024-25", reform=POT_SHARED)
    slow = sweep_one_at_a_time(FRAMEWORK, values, "2024-25", reform=POT_SHARED)
    assert fast.method == "vectorised", fast.note
    numpy.testing.assert_array_equal(fast.pence, slow.pence)


@PROPERTY
@given(money_values)
def test_a_need_weighted_pot_sweeps_vectorised_as_one_at_a_time(values):
    fast = sweep(PER_AUTHORITY, values, "2024-25", reform=NEED_WEIGHTED)
    slow = sweep_one_at_a_time(PER_AUTHORITY, values, "2024-25", reform=NEED_WEIGHTED)
    assert fast.method == "vectorised", fast.note
    numpy.testing.assert_array_equal(fast.pence, slow.pence)


@PROPERTY
@given(money_values)
def test_a_pot_shared_with_a_floor_sweeps_vectorised_as_one_at_a_time(values):
    fast = sweep(FRAMEWORK, values, "2024-25", reform=WITH_A_FLOOR)
    slow = sweep_one_at_a_time(FRAMEWORK, values, "2024-25", reform=WITH_A_FLOOR)
    assert fast.method == "vectorised", fast.note
    numpy.testing.assert_array_equal(fast.pence, slow.pence)


def test_the_floor_reform_gives_what_compare_gives():
    comparison = of_determination(compare(WITH_A_FLOOR, "2024-25"), "31/7421")
    framework = [row.reform_pence - row.baseline_pence + 2_720_000 for row in comparison.rows]
    assert min(framework) == 2_040_000  # the floor: £27,200 x 3/4, for the smallest regions
    swept = sweep(FRAMEWORK, [20000, 27200, 40000], "2024-25", reform=WITH_A_FLOOR)
    assert swept.pence[1].tolist() == [row.reform_pence for row in comparison.rows]


@PROPERTY
@given(st.lists(pence_amounts, min_size=2, max_size=5, unique=True))
def test_a_pot_summed_over_the_simulation_is_caught_and_swept_one_at_a_time(values):
    fast = sweep(FRAMEWORK, values, "2024-25", reform=SUMMED_OVER_SIMULATION)
    slow = sweep_one_at_a_time(FRAMEWORK, values, "2024-25", reform=SUMMED_OVER_SIMULATION)
    numpy.testing.assert_array_equal(fast.pence, slow.pence)
    assert fast.method == "one at a time"
    assert "differed from one at a time" in fast.note
    assert "within_country" in fast.note


@PROPERTY
@given(
    st.lists(st.integers(0, 40).map(lambda p: p / 100), min_size=1, max_size=4),
    st.lists(pence_amounts, min_size=1, max_size=4),
)
def test_a_grid_sweep_equals_one_at_a_time(weightings, amounts):
    fast = grid_sweep((WEIGHTING, FRAMEWORK), (weightings, amounts), "2024-25", reform=POT_SHARED)
    slow = grid_sweep_one_at_a_time(
        (WEIGHTING, FRAMEWORK), (weightings, amounts), "2024-25", reform=POT_SHARED
    )
    assert fast.method == "vectorised", fast.note
    assert fast.pence.shape == (len(weightings), len(amounts), 9)
    numpy.testing.assert_array_equal(fast.pence, slow.pence)


def test_a_pot_held_by_a_country_variable_sweeps_vectorised_as_one_at_a_time():
    """A country's variable counting its authorities: each copy gets all of its authorities."""
    spec = reforms.load(TEST_REFORMS / "national_framework_pot_from_a_country_variable.py")
    values = [20000, 27200, 30000.01]
    fast = sweep(FRAMEWORK, values, "2024-25", reform=spec)
    slow = sweep_one_at_a_time(FRAMEWORK, values, "2024-25", reform=spec)
    assert fast.method == "vectorised", fast.note
    numpy.testing.assert_array_equal(fast.pence, slow.pence)
    comparison = of_determination(compare(spec, "2024-25"), "31/7421")
    assert fast.pence[1].tolist() == [row.reform_pence for row in comparison.rows]


def test_the_issues_example_north_east_at_27200_is_what_compare_gives():
    comparison = of_determination(compare(POT_SHARED, "2024-25"), "31/7421")
    north_east = comparison.rows[0]
    assert (north_east.name, north_east.reform_pence) == ("North East", 23_160_000)
    for spec in (POT_SHARED, SUMMED_OVER_SIMULATION):
        swept = sweep(FRAMEWORK, [27200, 28600, 30000], "2024-25", reform=spec)
        assert swept.pence[0].tolist() == [row.reform_pence for row in comparison.rows]


def test_the_sweep_command_warns_when_it_falls_back(capsys):
    argv = ["sweep", FRAMEWORK, "--from", "27200", "--to", "30000", "--steps", "3", "--year", "2024-25"]
    assert (
        main([*argv, "--reform", str(TEST_REFORMS / "national_framework_summed_over_the_simulation.py")]) == 0
    )
    captured = capsys.readouterr()
    assert "(one at a time)" in captured.out
    assert "231600.00" in captured.out and "218800.00" not in captured.out
    assert "warning: sweep computed one at a time: the vectorised sweep differed" in captured.err
    assert "North East: £218,800.00 vectorised, £231,600.00 one at a time" in captured.err


def test_a_vectorised_sweep_says_which_values_it_checked():
    swept = sweep(WEIGHTING, numpy.linspace(0, 0.3, 31), "2024-25")
    assert swept.method == "vectorised" and swept.note == ""
    assert swept.checked == pytest.approx([0.0, 0.15, 0.3])


def test_budget_neutral_sweep_adds_up_to_the_baseline_total_in_every_row():
    swept = sweep(WEIGHTING, [0.0, 0.14, 0.3], "2024-25", budget_neutral=True)
    assert swept.pence.sum(axis=1).tolist() == [241_300_000] * 3
    assert swept.pence[1].tolist() == sweep(WEIGHTING, [0.14], "2024-25").pence[0].tolist()
    comparisons = compare(
        reforms.from_changes("30%", [reforms.validate(tax_benefit_system(), WEIGHTING, 0.3)]),
        "2024-25",
        budget_neutral=True,
    )
    comparison = of_determination(comparisons, "31/7421")
    assert swept.pence[2].tolist() == [row.reform_pence for row in comparison.rows]
    assert swept.budget_neutral_factors[2] == pytest.approx(comparison.budget_neutral_factor)


def test_one_per_region_gives_a_number_or_a_swept_array_one_value_per_region():
    from types import SimpleNamespace

    from openfisca_grants.within_country import one_per_region

    assert one_per_region(SimpleNamespace(count=3), 5.5).tolist() == [5.5, 5.5, 5.5]
    assert one_per_region(SimpleNamespace(count=3), numpy.array([1.0, 2.0, 3.0])).tolist() == [1.0, 2.0, 3.0]


@PROPERTY
@given(
    st.lists(st.lists(st.integers(0, 10**9), min_size=3, max_size=3), min_size=1, max_size=5),
    st.integers(0, 10**9),
)
def test_scale_to_total_is_largest_remainders_worked_out_in_fractions(rows, target):
    """compare and sweep share one rescaling (grant_rules.scale_to_total): held here to the rule
    worked out independently in exact fractions, largest remainders first, ties to the first."""
    from fractions import Fraction

    from openfisca_grants.grant_rules import scale_to_total

    if any(sum(row) == 0 for row in rows):
        with pytest.raises(RulesCannotAnswer, match="adds? up to nothing"):
            scale_to_total(numpy.array(rows, dtype=numpy.int64), target)
        return
    scaled, _ = scale_to_total(numpy.array(rows, dtype=numpy.int64), target)
    for row, got in zip(rows, scaled.tolist(), strict=True):
        exact = [Fraction(p * target, sum(row)) for p in row]
        floors = [int(x) for x in exact]
        order = sorted(range(len(row)), key=lambda i: (-(exact[i] - floors[i]), i))
        for index in order[: target - sum(floors)]:
            floors[index] += 1
        assert got == floors
        assert sum(got) == target


def test_a_sweep_in_several_simulations_equals_one(monkeypatch):
    import openfisca_grants.sweep as sweeps

    values = [20000 + 500 * step for step in range(11)]
    whole = sweep(FRAMEWORK, values, "2024-25", reform=POT_SHARED)
    monkeypatch.setattr(sweeps, "CHUNK_COPIES", 4)  # 11 values: simulations of 4, 4 and 3 copies
    chunked = sweep(FRAMEWORK, values, "2024-25", reform=POT_SHARED)
    assert chunked.method == whole.method == "vectorised"
    numpy.testing.assert_array_equal(chunked.pence, whole.pence)
    grid = grid_sweep(
        (WEIGHTING, FRAMEWORK), ([0, 0.1, 0.2], [20000, 27200, 30000]), "2024-25", reform=POT_SHARED
    )
    reference = grid_sweep_one_at_a_time(
        (WEIGHTING, FRAMEWORK), ([0, 0.1, 0.2], [20000, 27200, 30000]), "2024-25", reform=POT_SHARED
    )
    numpy.testing.assert_array_equal(grid.pence, reference.pence)


def test_a_value_that_is_not_an_amount_is_named_with_the_swept_value(capsys):
    from openfisca_grants.errors import RulesCannotAnswer

    spec = reforms.load(TEST_REFORMS / "national_framework_divided_by_the_amount.py")
    with pytest.raises(RulesCannotAnswer) as error:
        sweep(FRAMEWORK, [0, 15000, 30000], "2024-25", reform=spec)
    assert f"riia_grant for E12000001 comes out as inf at {FRAMEWORK} = 0" in str(error.value)
