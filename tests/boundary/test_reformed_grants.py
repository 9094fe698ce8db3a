"""What a reform cannot make of a grant: negative (refused on every command), or budget neutral
when there is nothing, or something negative, to scale."""

from __future__ import annotations

from fuzz import run_cli


def test_budget_neutral_needs_something_to_scale():
    amounts = [
        "regional_data_coordinator.amount_per_region",
        "sector_led_improvement.amount_per_region",
        "self_assessment_and_peer_challenge.amount_per_authority",
        "data_to_insight.amount_per_region",
        "national_framework_implementation.amount_per_region",
        "annex_a_adjustment.south_west",
    ]
    sets = [word for amount in amounts for word in ("--set", f"riia_31_7421.{amount}=0")]
    status, _, err = run_cli(["compare", *sets, "--year", "2024-25", "--budget-neutral"])
    assert (
        status == 2
        and "Cannot make 31/7421 (2024-25) budget neutral: under the reform the grants add up to nothing"
        in err
    )
    negative = ["--set", "riia_31_7421.annex_a_adjustment.south_west=-2413000"]
    status, _, err = run_cli(["compare", *negative, "--year", "2024-25", "--budget-neutral"])
    assert status == 2 and "would pay South West -£2,163,800.00: a grant cannot be negative" in err


def test_a_negative_grant_is_refused_everywhere():
    adjustment = "riia_31_7421.annex_a_adjustment.south_west"
    message = "a grant cannot be negative"
    for argv in (
        ["compare", "--set", f"{adjustment}=-300000", "--year", "2024-25"],
        ["explain", "--set", f"{adjustment}=-300000", "--year", "2024-25", "--region", "South West"],
        ["sweep", adjustment, "--from", "-1000000", "--to", "0", "--steps", "3", "--year", "2024-25"],
    ):
        status, out, err = run_cli(argv)
        assert status == 2 and message in err and out == "", (argv, err)
