"""Python reform files at the boundary: one that fails to load or to compute is named by file and
line; one whose formula gives NaN, text or a stock float in place of money is refused."""

from __future__ import annotations

import pytest
from fuzz import run_cli

from openfisca_grants import api
from openfisca_grants.errors import RulesCannotAnswer


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
