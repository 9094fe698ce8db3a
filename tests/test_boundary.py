"""The checked boundary, case by case: each mistake named in issue 7 gets its own clear message.

The fuzz corpus (test_fuzz_*.py) throws thousands of generated inputs at every surface; these
tests pin the message each known mistake gets, so that a change of wording is a decision.
"""

from __future__ import annotations

import os

import pytest
from fuzz import run_cli

from openfisca_grants import api, boundary, reforms
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


def test_an_existing_chart_is_kept_unless_forced(tmp_path):
    chart = tmp_path / "london.png"
    chart.write_bytes(b"an earlier chart")
    status, _, err = run_cli([*COMPARE, "--chart", str(chart)])
    assert status == 2
    assert f"'{chart}' exists already: it is not overwritten. Choose another name, or add --force" in err
    assert chart.read_bytes() == b"an earlier chart"
    status, _, _ = run_cli([*COMPARE, "--chart", str(chart), "--force"])
    assert status == 0
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert list(tmp_path.iterdir()) == [chart], "no partial file left behind"


def test_a_chart_into_a_folder_or_an_unwritable_place(tmp_path):
    (tmp_path / "folder.png").mkdir()
    status, _, err = run_cli([*COMPARE, "--chart", str(tmp_path / "folder.png"), "--force"])
    assert status == 2 and "it is a folder. Give a file name." in err
    status, _, err = run_cli([*COMPARE, "--chart", "/proc/chart.png"])
    assert status == 2 and "Cannot write '/proc/chart.png'" in err


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def broken(:\n", "reform.py, line 1: not valid Python: invalid syntax."),
        (
            "x = 1\nraise ValueError('boom')\n",
            "reform.py, line 2: the Python reform raised ValueError: boom while loading it.",
        ),
        (
            "import sys\nsys.exit(0)\n",
            "reform.py, line 2: the Python reform called sys.exit(0) while loading it.",
        ),
        ("x = 1\n", "defines exactly one openfisca_core Reform subclass; found 0"),
    ],
)
def test_python_reform_files_that_fail(tmp_path, source, message):
    path = tmp_path / "reform.py"
    path.write_text(source)
    status, out, err = run_cli(["compare", str(path), "--year", "2024-25"])
    assert (status, out) == (2, "")
    assert message in err


def sector_led_reform(tmp_path, returns: str) -> str:
    """A Python reform file whose sector-led improvement formula returns ``returns`` (line 10)."""
    path = tmp_path / "reform.py"
    path.write_text(
        "import numpy\n"
        "from openfisca_core.periods import YEAR\n"
        "from openfisca_core.reforms import Reform\n"
        "from openfisca_grants.entities import Region\n"
        "from openfisca_grants.money import Money\n"
        "class riia_sector_led_improvement(Money):\n"
        "    entity = Region\n"
        "    definition_period = YEAR\n"
        "    def formula_2024_04(region, period, parameters):\n"
        f"        return {returns}\n"
        "class replaced(Reform):\n"
        "    def apply(self):\n"
        "        self.update_variable(riia_sector_led_improvement)\n"
    )
    return str(path)


def test_a_python_reform_that_fails_while_computing(tmp_path):
    status, _, err = run_cli(["compare", sector_led_reform(tmp_path, "1 / 0"), "--year", "2024-25"])
    assert status == 2
    assert (
        "reform.py, line 10: the Python reform raised ZeroDivisionError: division by zero while computing."
        in err
    )


def test_a_formula_that_gives_nan_is_refused_not_printed(tmp_path):
    reform = sector_led_reform(tmp_path, "numpy.full(region.count, numpy.nan)")
    status, out, err = run_cli(["compare", reform, "--year", "2024-25", "--format", "json"])
    assert (status, out) == (2, "")
    assert "riia_grant for E12000001 comes out as nan: not an amount this tool reports" in err


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name: x\xff\n", "line 1: not UTF-8 text (byte 8 is 0xff)"),
        ("name: x\nchanges: " + "[" * 40 + "]" * 40 + "\n", "nested more than 32 deep"),
        (b"name: &a x\nchanges: []\n", "anchors (&name) are not allowed"),
        (b"name: x\nchanges:\n  - parameter: *a\n", "aliases (*name) are not allowed"),
        (
            f"name: x\nchanges:\n  - parameter: {WEIGHTING}\n    value: !foo 20%\n".encode(),
            "line 4: the tag '!foo' is not allowed here",
        ),
        (
            f"name: x\nchanges:\n  - parameter: {WEIGHTING}\n    value:\n".encode(),
            "'' is empty: no value was given",
        ),
        (
            f"name: x\nchanges:\n  - parameter: {WEIGHTING}\n    value: 2024-04-01\n".encode(),
            "'2024-04-01' is not a number",
        ),
        (b"", "the file is empty"),
        ("\ufeffname: x\nchanges: []\n".encode(), "'changes' must be a list of parameter changes"),
    ],
)
def test_reform_file_mistakes(tmp_path, data, message):
    path = tmp_path / "reform.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    with pytest.raises(RulesCannotAnswer) as refused:
        reforms.load(path)
    assert str(refused.value).startswith(str(path))
    assert message in str(refused.value)


def test_the_same_mistake_gets_the_same_message_everywhere(tmp_path):
    """--set, a reform file and the Python API refuse 2000% with the same words."""
    words = "'2000%' is above 1: a rate of 2000% is more than 100%."
    _, _, err = run_cli(["compare", "--set", f"{WEIGHTING}=2000%", "--year", "2024-25"])
    assert words in err
    path = tmp_path / "reform.yaml"
    path.write_text(f"name: x\nchanges:\n  - parameter: {WEIGHTING}\n    value: 2000%\n")
    with pytest.raises(RulesCannotAnswer, match=words.replace("(", r"\(")):
        reforms.load(path)
    with pytest.raises(RulesCannotAnswer, match=words):
        api.compare({WEIGHTING: "2000%"}, "2024-25")


@pytest.mark.parametrize(
    ("value", "pence"),
    [
        ("80000", 8_000_000),
        ("£80,000.50", 8_000_050),
        (80000.5, 8_000_050),
        ("1e3", 100_000),
        ("1000000000000", 10**14),
    ],
)
def test_money_within_the_limit(value, pence):
    assert boundary.money_pence(value) == pence


@pytest.mark.parametrize("value", ["1000000000000.01", 1e13, float("nan"), "inf", True, None, [1], "80,00"])
def test_money_outside_the_limit_or_not_money(value):
    with pytest.raises(RulesCannotAnswer):
        boundary.money_pence(value)


# ---- found by an adversarial review ----------------------------------------------------------


def test_a_complex_yaml_key_is_refused(tmp_path):
    path = tmp_path / "reform.yaml"
    path.write_text("name: x\n? [a, b]\n: c\nchanges: []\n")
    with pytest.raises(
        RulesCannotAnswer, match="line 2: a key here is a plain word, not a list or a mapping"
    ):
        reforms.load(path)


def test_a_reform_spec_built_by_hand_is_checked():
    from openfisca_grants.financial_year import FinancialYear

    spec = reforms.ReformSpec("x", changes=[reforms.ParameterChange(WEIGHTING, 50, FinancialYear(2024), "")])
    with pytest.raises(RulesCannotAnswer, match="50 is above 1: a rate of 5000% is more than 100%"):
        api.compare(spec, "2024-25")
    bad = reforms.ReformSpec(
        "x", changes=[reforms.ParameterChange("determinations.nope", 1, FinancialYear(2024), "")]
    )
    with pytest.raises(RulesCannotAnswer, match="no parameter is called 'determinations.nope'"):
        api.compare(bad, "2024-25")


def test_a_python_reform_whose_formula_returns_text_is_named(tmp_path):
    reform = sector_led_reform(tmp_path, "numpy.full(region.count, 'abc')")
    status, _, err = run_cli(["compare", reform, "--year", "2024-25"])
    assert status == 2
    assert f"{reform}: the Python reform raised ValueError" in err and "while computing" in err
    with pytest.raises(RulesCannotAnswer, match="the Python reform raised ValueError"):
        api.allocations("2024-25", reform=reform)


def test_a_reform_that_makes_money_a_stock_float_is_refused(tmp_path):
    path = tmp_path / "reform.py"
    path.write_text(
        "from openfisca_core.periods import YEAR\n"
        "from openfisca_core.reforms import Reform\n"
        "from openfisca_core.variables import Variable\n"
        "from openfisca_grants.entities import Region\n"
        "class riia_sector_led_improvement(Variable):\n"
        "    value_type = float\n"
        "    entity = Region\n"
        "    definition_period = YEAR\n"
        "class replaced(Reform):\n"
        "    def apply(self):\n"
        "        self.update_variable(riia_sector_led_improvement)\n"
    )
    status, _, err = run_cli(["compare", str(path), "--year", "2024-25"])
    assert status == 2
    assert "replaces the money variable riia_sector_led_improvement with one that is not money" in err


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


def test_a_chart_never_writes_through_a_planted_link(tmp_path):
    victim = tmp_path / "important.txt"
    victim.write_text("keep me")
    for name in (".chart.partial.png", ".chart.png"):
        (tmp_path / name).symlink_to(victim)
    status, _, _ = run_cli([*COMPARE, "--chart", str(tmp_path / "chart.png")])
    assert status == 0
    assert victim.read_text() == "keep me"
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"


def test_yaml_brackets_in_a_comment_are_not_nesting(tmp_path):
    path = tmp_path / "reform.yaml"
    path.write_text(f"# {'[' * 40}\nname: x\nchanges:\n  - parameter: {WEIGHTING}\n    value: 20%\n")
    assert reforms.load(path).changes[0].value == pytest.approx(0.2)


def test_a_sweep_takes_a_flat_list():
    with pytest.raises(RulesCannotAnswer, match=r"expected a flat list of numbers, not a table of \(2, 2\)"):
        api.sweep(WEIGHTING, [[0.1, 0.2], [0.3, 0.4]], "2024-25")


def test_a_sweep_shows_only_the_authorities_paid():
    result = api.sweep("innovation_programme_31_3010.annex_a.E09000025", [1, 2], "2016-17")
    assert result["pence"].shape == (2, 23)
    assert "E06000001" not in result["codes"]  # Hartlepool: Annex A does not list it


def test_a_sweeps_ends_are_whole_pence_and_its_size_is_bounded():
    amount = "riia_31_7421.regional_data_coordinator.amount_per_region"
    status, _, err = run_cli(
        ["sweep", amount, "--from", "0.005", "--to", "1", "--steps", "2", "--year", "2024-25"]
    )
    assert status == 2 and "0.005 is not a whole number of pence" in err
    annex = "innovation_programme_31_3010.annex_a.E09000025"
    status, _, err = run_cli(
        ["sweep", annex, "--from", "0", "--to", "1", "--steps", "1000000", "--year", "2016-17"]
    )
    assert status == 2 and "at most 10,000,000 are computed at once. Sweep at most 65,789 values here" in err


def test_a_chart_gets_the_permissions_of_an_ordinary_new_file(tmp_path):
    chart = tmp_path / "chart.png"
    assert run_cli([*COMPARE, "--chart", str(chart)])[0] == 0
    mask = os.umask(0)
    os.umask(mask)
    assert chart.stat().st_mode & 0o777 == 0o666 & ~mask


def test_swept_values_are_written_with_every_digit(tmp_path):
    framework = "riia_31_7421.national_framework_implementation.amount_per_region"
    status, out, _ = run_cli(
        [
            "sweep",
            framework,
            "--from",
            "1000000.01",
            "--to",
            "1000000.03",
            "--steps",
            "3",
            "--year",
            "2024-25",
            "--format",
            "csv",
        ]
    )
    assert status == 0
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["1000000.01", "1000000.02", "1000000.03"]


def test_a_workbook_never_runs_what_a_reform_file_says(tmp_path):
    import openpyxl

    reform = tmp_path / "reform.yaml"
    reform.write_text(
        f'name: "=HYPERLINK(\\"http://x\\",\\"y\\")"\ndescription: "=1+1"\nchanges:\n  - parameter: {WEIGHTING}\n    value: 20%\n'
    )
    workbook = tmp_path / "out.xlsx"
    assert run_cli(["compare", str(reform), "--year", "2024-25", "--output", str(workbook)])[0] == 0
    cells = [cell for sheet in openpyxl.load_workbook(workbook) for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "=1+1" for cell in cells)


def test_a_sweep_too_long_for_a_workbook_is_refused_before_any_work(tmp_path):
    status, _, err = run_cli(
        [
            "sweep",
            WEIGHTING,
            "--from",
            "0",
            "--to",
            "0.3",
            "--steps",
            "120000",
            "--year",
            "2024-25",
            "--output",
            str(tmp_path / "s.xlsx"),
        ]
    )
    assert status == 2 and "a workbook holds a sweep of at most 100,000 values" in err


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
