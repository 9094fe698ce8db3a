"""Money is exact to the penny: storage, sums, comparison in openfisca test, and output.

The meta-tests here prove that the suite cannot pass with a figure 1p off: every published
figure in the YAML cases, and every encoded amount in the parameters, is moved by 1p and the
suite must fail.
"""

from __future__ import annotations

import copy
import decimal
import pathlib
import subprocess
import sys

import numpy
import pytest
import yaml
from catalogue_helpers import of_determination
from yaml_cases import load_cases, openfisca_test, run_case

from openfisca_grants import CountryTaxBenefitSystem, api, determinations
from openfisca_grants.money import (
    MONEY_DTYPE,
    assert_money_equal,
    format_pounds,
    pence_array,
    round_to_pence,
    to_pence,
)
from openfisca_grants.reforms import determination_of
from openfisca_grants.simulation import amounts_in_pence, build_simulation

ROOT = pathlib.Path(__file__).resolve().parent.parent


# ---- the problem, as measured on stock OpenFisca ------------------------------------------


def test_float32_loses_pence_that_money_keeps():
    southwark = 1637997.91
    assert f"{numpy.float32(southwark):.2f}" == "1637997.88"  # what stock OpenFisca stores
    assert to_pence(numpy.array([southwark], dtype=MONEY_DTYPE)[0]) == 163799791
    assert numpy.float32(32350063.17) == numpy.float32(32350065.00)  # stock comparison passes


# ---- conversions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "pence"),
    [
        ("£32,350,063.17", 3235006317),
        ("£233,200", 23320000),
        (1637997.91, 163799791),
        (953595.67, 95359567),
        (decimal.Decimal("0.01"), 1),
        (0, 0),
        (-400.0, -40000),
    ],
)
def test_to_pence(amount, pence):
    assert to_pence(amount) == pence


@pytest.mark.parametrize("amount", ["£1.005", 1.005, "twelve pounds"])
def test_to_pence_refuses_what_is_not_whole_pence(amount):
    with pytest.raises(ValueError):
        to_pence(amount)


def test_format_pounds():
    assert format_pounds(3235006317) == "£32,350,063.17"
    assert format_pounds(-40000) == "-£400.00"
    assert format_pounds(5) == "£0.05"


def test_round_to_pence_rounds_halves_away_from_zero():
    assert list(round_to_pence([80000 * 1.14, 0.005, -0.005, 2.675])) == [91200.0, 0.01, -0.01, 2.68]


def test_pence_array_is_exact_for_sums_of_many_amounts():
    amounts = numpy.full(10_000, 1637997.91, dtype=MONEY_DTYPE)
    assert pence_array(amounts.sum()) == 163799791 * 10_000


def test_money_variables_are_float64(system):
    for name in ("innovation_programme_grant", "innovation_programme_total", "riia_grant", "riia_total"):
        assert system.variables[name].dtype == MONEY_DTYPE
        assert system.variables[name].unit == "currency-GBP"


def test_stored_amounts_keep_every_penny():
    grants = amounts_in_pence(build_simulation("2016-17"), "innovation_programme_grant", "2016-17")
    assert grants["E09000028"] == 163799791  # Southwark, £1,637,997.91
    assert grants["E09000013"] == 95359567  # Hammersmith and Fulham, £953,595.67
    assert sum(grants.values()) == 3235006317


# ---- the comparison openfisca test uses ----------------------------------------------------


def test_comparison_fails_on_one_penny():
    with pytest.raises(AssertionError, match="differs from £32,350,063.18 by -£0.01"):
        assert_money_equal(numpy.array([32350063.17]), 32350063.18)
    with pytest.raises(AssertionError):
        assert_money_equal(numpy.array([32350063.17]), 32350065.00)
    assert_money_equal(numpy.array([32350063.17]), 32350063.17)
    assert_money_equal(numpy.array([32350063.17]), "£32,350,063.17")


def test_comparison_honours_explicit_margins():
    assert_money_equal(numpy.array([100.00]), 100.01, absolute_error_margin=0.01)
    with pytest.raises(AssertionError):
        assert_money_equal(numpy.array([100.00]), 100.02, absolute_error_margin=0.01)


def test_openfisca_runners_own_comparison_is_left_alone():
    from openfisca_core.tools import test_runner

    # (That the runner compares money in whole pence is held by a case 1p out failing through
    # it: tests/test_openfisca_adapter_contract.py.) What is money is decided by the variable, not by the dtype: OpenFisca's own comparison is
    # left alone, so a float64 that is not money (as openfisca-core's planned move of every
    # float to float64 would give) is compared as OpenFisca compares it.
    assert not getattr(test_runner.assert_near, "wrapped_by_openfisca_grants", False)
    test_runner.assert_near(numpy.array([0.145], dtype=numpy.float64), 0.145)
    test_runner.assert_near(numpy.array([3], dtype=numpy.int32), 3)
    with pytest.raises(AssertionError):
        test_runner.assert_near(numpy.array([3], dtype=numpy.int32), 4)


def test_money_is_decided_by_the_variable(system):
    from openfisca_grants.openfisca_adapter.yaml_runner import assert_output, is_money

    riia = determinations.by_number("31/7421")
    grant = system.variables[riia.grant_variable]
    count = system.variables["local_authorities_in_region"]
    assert is_money(grant) and not is_money(count)
    with pytest.raises(AssertionError, match="money is compared in whole pence"):
        assert_output(grant, numpy.array([260600.00]), 260600.01)
    # A float64 rate that is not money keeps OpenFisca's comparison, which allows what it allows.
    rate = type("rate", (), {"unit": "/1"})()
    assert_output(rate, numpy.array([0.145], dtype=numpy.float64), 0.145)


def test_a_yaml_case_one_penny_out_fails_through_openfisca_test(tmp_path):
    """The runner's own path, end to end: a case 1p out fails with the whole-pence message,
    and a case on a non-money variable passes as OpenFisca compares it."""
    case = tmp_path / "case.yaml"
    case.write_text(
        "- name: one penny out\n  period: year:2016-04\n  input:\n    gss_code: E09000028\n"
        "  output:\n    innovation_programme_grant: 1637997.92\n"
        "- name: not money\n  period: year:2024-04\n  input:\n    region_code: E12000009\n"
        "  output:\n    local_authorities_in_region: 15\n",
        encoding="utf-8",
    )
    result = openfisca_test(str(case), "-c", "openfisca_grants", cwd=tmp_path)
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:]
    assert (
        "£1,637,997.91 differs from £1,637,997.92 by -£0.01 (money is compared in whole pence)"
        in result.stdout
    )


# ---- meta-tests: a 1p change anywhere makes the suite fail --------------------------------

# The published figures of the two determinations encoded by hand (a determination written by
# new-determination has its own cases, and they are run with the rest).
ENCODED_CASES = ("31_3010", "31_7421")
CASES = [(path, case) for path, case in load_cases() if path.parent.name in ENCODED_CASES]
MONEY_OUTPUTS = [
    (path.name, case["name"], variable)
    for path, case in CASES
    for variable, value in case["output"].items()
    if variable.startswith(("innovation_programme_grant", "innovation_programme_total", "riia_"))
    and isinstance(value, float)
]


def test_every_published_figure_has_a_case():
    names = [case["name"] for _, case in CASES]
    annex_rows = [n for n in names if " Annex A row " in n]
    totals = [n for n in names if " Annex A total" in n]
    assert len(annex_rows) == 23 + 9
    assert len(totals) == 2
    assert len(annex_rows) + len(totals) == 34


# Every determination's published figures, the hand-encoded ones and any a letter was imported
# for (new-determination writes a case per Annex A row and total).
ALL_CASES = load_cases()


def test_every_case_passes_in_process(system):
    for _, case in ALL_CASES:
        run_case(system, case)


@pytest.mark.parametrize("delta", [0.01, -0.01])
def test_each_published_figure_moved_by_one_penny_fails(system, delta):
    checked = 0
    for _, case in ALL_CASES:
        for variable, value in case["output"].items():
            if not (isinstance(value, float) and system.variables[variable].dtype == MONEY_DTYPE):
                continue
            mutated = copy.deepcopy(case)
            mutated["output"] = {variable: round(value + delta, 2)}
            with pytest.raises(AssertionError, match="money is compared in whole pence"):
                run_case(system, mutated)
            checked += 1
    assert checked >= 34


def test_openfisca_test_command_fails_on_a_one_penny_change(tmp_path):
    """The command users run, on copies of the published-figure files with every figure +1p."""
    for source in (ROOT / "tests" / "determinations").rglob("annex_a.yaml"):
        if source.parent.name not in ENCODED_CASES:
            continue
        cases = yaml.safe_load(source.read_text(encoding="utf-8"))
        for case in cases:
            for variable, value in case["output"].items():
                if isinstance(value, float):
                    case["output"][variable] = round(value + 0.01, 2)
        target = tmp_path / source.parent.name / source.name
        target.parent.mkdir()
        target.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    result = openfisca_test(str(tmp_path), "--country-package", "openfisca_grants", cwd=tmp_path)
    assert result.returncode != 0
    assert "34 failed" in result.stdout, result.stdout[-2000:]


def _numeric_leaves(node, path=""):
    for key, child in node.children.items():
        child_path = f"{path}.{key}" if path else key
        if hasattr(child, "children"):
            yield from _numeric_leaves(child, child_path)
        else:
            yield child_path, child


ENCODED = [
    (path, parameter)
    for path, parameter in _numeric_leaves(
        CountryTaxBenefitSystem().parameters.determinations, "determinations"
    )
    if any(
        isinstance(at.value, (int, float)) and not isinstance(at.value, bool) for at in parameter.values_list
    )
    # A draft's amounts are no published figure: no case asserts them.
    and not determination_of(path).is_draft
]


def _parameter(system, path: str):
    node = system.parameters
    for key in path.split("."):
        node = node.children[key]
    return node


def _suite_fails(system) -> list[str]:
    """What the suite's assertions say of ``system``: the YAML cases and the reconciliation."""
    from test_reconcile import reconciliation_problems

    failures = []
    for _, case in load_cases():  # every determination's cases: each guards its own amounts
        try:
            run_case(system, case)
        except AssertionError as error:
            failures.append(str(error))
    failures += reconciliation_problems(system)
    return failures


def test_every_encoded_amount_is_covered():
    assert len(ENCODED) >= 23 + 14


@pytest.mark.parametrize("path", [path for path, _ in ENCODED])
def test_each_encoded_amount_changed_by_one_penny_fails_the_suite(path):
    system = CountryTaxBenefitSystem()
    parameter = _parameter(system, path)
    current = next(at for at in parameter.values_list if at.value is not None)
    unit = parameter.metadata.get("unit", "")
    # The smallest change that matters: a penny for money, one for a count, a hundredth of a
    # percentage point for a rate.
    step = (
        0.01
        if unit == "currency-GBP"
        else (0.0001 if unit == "/1" and isinstance(current.value, float) else 1)
    )
    # Only the financial year the value governs (year:YYYY-04), so its end date stays.
    parameter.update(period=f"year:{current.instant_str[:7]}", value=current.value + step)
    assert _suite_fails(system), f"moving {path} by {step} left the whole suite passing"


ONE_PENNY_OUT = (
    "- name: one penny out\n  period: year:2016-04\n  input:\n    gss_code: E09000028\n"
    "  output:\n    innovation_programme_grant: 1637997.92\n"
)


@pytest.mark.parametrize(
    "program",
    [
        # The package first, then the runner (a script that builds the rules, then runs cases).
        "import openfisca_grants\nfrom openfisca_core.tools import test_runner\n",
        # The runner first, as `openfisca test` and pytest's conftest import it.
        "from openfisca_core.tools import test_runner\nimport openfisca_grants\n",
    ],
)
def test_exact_comparison_whatever_the_import_order(program, tmp_path):
    """A case 1p out fails through the runner, whichever of it and the package is imported first."""
    case = tmp_path / "case.yaml"
    case.write_text(ONE_PENNY_OUT, encoding="utf-8")
    check = program + (
        "import sys\n"
        "assert 'pytest' in sys.modules\n"
        "system = openfisca_grants.CountryTaxBenefitSystem()\n"
        f"code = test_runner.run_tests(system, [{str(case)!r}], {{}})\n"
        "assert code == 1, f'a case 1p out passed (exit {code})'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "differs from £1,637,997.92 by -£0.01 (money is compared in whole pence)" in result.stdout


def test_importing_the_package_does_not_import_pytest():
    check = "import sys, openfisca_grants\nassert 'pytest' not in sys.modules, 'pytest imported'\n"
    subprocess.run([sys.executable, "-c", check], check=True, cwd=ROOT.parent)


WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"

# London weightings at which £80,000 x (1 + weighting) ends in exactly half a penny: from 13.99938%
# to 14.00062%, a hundred of them, with two either side of a half for contrast.
HALF_PENNY_WEIGHTINGS = [str((1_120_000 + k + decimal.Decimal("0.5")) / 8_000_000) for k in range(-50, 50)]
NEAR_HALF_PENNY_WEIGHTINGS = [str((1_120_000 + decimal.Decimal(f)) / 8_000_000) for f in ("0.49", "0.51")]


def london_by_hand(weighting: str) -> int:
    """London's 31/7421 grant in pence, worked out in decimal: the coordinator's £80,000 with the
    weighting, rounded to the penny with halves away from zero, plus £94,000 + 33 x £3,200 + £27,200."""
    coordinator = (8_000_000 * (1 + decimal.Decimal(weighting))).quantize(1, decimal.ROUND_HALF_UP)
    return int(coordinator) + 9_400_000 + 33 * 320_000 + 2_720_000


def test_half_penny_london_weightings_round_away_from_zero():
    weightings = HALF_PENNY_WEIGHTINGS + NEAR_HALF_PENNY_WEIGHTINGS
    swept = api.sweep(WEIGHTING, [float(w) for w in weightings], "2024-25")
    london = swept["codes"].index("E12000007")
    got = dict(zip(weightings, swept["pence"][:, london].tolist(), strict=True))
    assert got == {w: london_by_hand(w) for w in weightings}
    assert london_by_hand(HALF_PENNY_WEIGHTINGS[50]) == 31_800_001  # £91,200.005 is £91,200.01
    for weighting in (HALF_PENNY_WEIGHTINGS[50], HALF_PENNY_WEIGHTINGS[0]):  # compare, one at a time
        comparison = of_determination(api.compare({WEIGHTING: weighting}, "2024-25"), "31/7421")
        (row,) = [row for row in comparison["rows"] if row["code"] == "E12000007"]
        assert int(decimal.Decimal(row["reform"]) * 100) == london_by_hand(weighting)
