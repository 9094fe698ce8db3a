"""The command line's arguments at the boundary: each known mistake gets one clear line, exit 2.

The fuzz corpus (test_fuzz_commands.py) throws generated arguments at every command; these tests
pin the message each known mistake gets, so that a change of wording is a decision.
"""

from __future__ import annotations

import pytest
from fuzz import run_cli

from openfisca_grants import api
from openfisca_grants.errors import RulesCannotAnswer

WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"
COMPARE = ["compare", "--set", f"{WEIGHTING}=20%", "--year", "2024-25"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["compare", "--set", f"{WEIGHTING}=0.2", "--set", f"{WEIGHTING}=0.3", "--year", "2024-25"],
            "is changed twice for 2024-25",
        ),
        (["compare", "--set", f"{WEIGHTING}=0.2", "--year", ""], "--year: '' is not a financial year"),
        (["reconcile", "--year", ""], "--year: '' is not a financial year"),
        (
            ["compare", "--set", f"{WEIGHTING}=0.2", "--year", "-2024-25"],
            "--year: '-2024-25' is not a financial year",
        ),
        (
            ["register", "--on", "2005-04-01"],
            "2005-04-01 is before the register's data, which starts on 2009-04-01",
        ),
        (["register", "--year", "0000-01"], "'0000-01' is outside the financial years this tool reads"),
        (["register", "--on", "2024-02-30"], "--on: '2024-02-30' is not a date"),
        (
            ["sweep", WEIGHTING, "--from", "-0.1", "--to", "0.2", "--steps", "3", "--year", "2024-25"],
            "-0.1 is negative: a rate cannot be negative",
        ),
        (
            ["sweep", WEIGHTING, "--from", "0", "--to", "0.2", "--steps", "1000001", "--year", "2024-25"],
            "--steps: '1000001' is not a number of steps from 1 to 1,000,000",
        ),
        (
            ["sweep", WEIGHTING, "--from", "0", "--to", "1e999", "--steps", "2", "--year", "2024-25"],
            "--to: '1e999' is too large a number",
        ),
        (
            ["sweep", WEIGHTING, "--from", "nan", "--to", "0.2", "--steps", "2", "--year", "2024-25"],
            "--from: 'nan' is not a finite number",
        ),
        (
            ["compare", *COMPARE[1:], "--chart", "no/such/folder/chart.png"],
            "the folder 'no/such/folder' does not exist",
        ),
        (["compare", *COMPARE[1:], "--chart", "chart.txt"], "a chart is written as .png or .svg"),
        (["compare", *COMPARE[1:], "--chart", "x" * 300 + ".png"], "the name is too long"),
    ],
)
def test_command_line_mistakes(argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(argv)
    assert status == 2, err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_what_was_typed_is_shown_on_one_line():
    status, _, err = run_cli(["resolve", "Dorset County Council", "--year", "2024-25\nfoo\x1b[31m"])
    assert status == 2
    assert err.count("\n") == 1 and "\\n" in err and "\x1b" not in err


def test_an_option_given_twice_is_refused():
    status, _, err = run_cli(["reconcile", "--year", "2024-25", "--year=2016-17"])
    assert status == 2 and "--year is given twice (--year and --year=2016-17): say which you mean." in err


def test_an_empty_region_is_refused_not_read_as_all():
    status, _, err = run_cli(["register", "--region", ""])
    assert status == 2 and "No English region is called ''" in err


def test_output_that_cannot_be_written_is_a_clear_error():
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "openfisca_grants.cli", "reconcile", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 2
    assert "cannot write the output: No space left on device" in done.stderr


def test_grid_body_needs_a_chart_and_the_api_checks_its_arguments():
    framework = "riia_31_7421.national_framework_implementation.amount_per_region"
    argv = [
        "grid",
        "--first",
        WEIGHTING,
        "0",
        "0.3",
        "2",
        "--second",
        framework,
        "20000",
        "30000",
        "2",
        "--year",
        "2024-25",
        "--body",
        "Nowhere",
    ]
    status, _, err = run_cli(argv)
    assert status == 2 and "--body chooses the body the heatmap shows" in err
    for parameters, values in ((None, [[0.1], [1]]), (5, [[0.1], [1]]), ([WEIGHTING, framework], None)):
        with pytest.raises(
            RulesCannotAnswer, match="A grid sweep takes two parameters and two lists of values"
        ):
            api.grid_sweep(parameters, values, "2024-25")
