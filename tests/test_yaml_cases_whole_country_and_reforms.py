"""YAML cases: the rest of England filled in around a placed region, and reform files in `reforms:`.

The cases themselves are in tests/reform_cases/ (pytest collects them); here, the command
users run fails on a 1p change to any of them, and what the runner cannot do it says.
"""

import pathlib
import shutil

import pytest
import yaml
from yaml_cases import openfisca_test

from openfisca_grants import yaml_tests
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.simulation import tax_benefit_system

ROOT = pathlib.Path(__file__).parent.parent
CASES = ROOT / "tests" / "reform_cases" / "reforms_and_the_whole_country.yaml"


def _plus_one_penny(value):
    if isinstance(value, float):
        return round(value + 0.01, 2)
    if isinstance(value, list):
        return [_plus_one_penny(item) for item in value]
    return value


def test_openfisca_test_runs_the_cases_and_fails_each_on_a_one_penny_change(tmp_path):
    """`openfisca test` on a copy of the cases (reform paths relative to it) and on a +1p copy."""
    for example in ("london_weighting_20.yaml", "national_framework_shared_by_authorities.py"):
        (tmp_path / "examples").mkdir(exist_ok=True)
        shutil.copy(ROOT / "examples" / example, tmp_path / "examples" / example)
    cases_dir = tmp_path / "tests" / "reform_cases"
    cases_dir.mkdir(parents=True)
    shutil.copy(CASES, cases_dir / "as_written.yaml")
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    for case in cases:
        case["output"] = {variable: _plus_one_penny(value) for variable, value in case["output"].items()}
    (cases_dir / "plus_one_penny.yaml").write_text(
        yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8"
    )
    result = openfisca_test(str(tmp_path / "tests"), "--country-package", "openfisca_grants", cwd=tmp_path)
    assert f"{len(cases)} failed, {len(cases)} passed" in result.stdout, result.stdout[-3000:]
    assert "money is compared in whole pence" in result.stdout


def test_a_case_placing_a_region_is_filled_in_but_checked_on_what_it_placed():
    situation = {"regions": {"london": {"region_code": "E12000007"}}}
    filled, output = yaml_tests.whole_country(
        situation, {"riia_grant": 318000.0}, "year:2024-04", tax_benefit_system()
    )
    assert len(filled["regions"]) == 9 and len(filled["local_authorities"]) == 153
    assert len(filled["regions"]["london"]["members"]) == 33
    assert filled["countries"] == {"england": {"authorities": list(filled["local_authorities"])}}
    assert output == {"regions": {"london": {"riia_grant": 318000.0}}}


def test_a_case_that_gives_its_own_country_or_no_region_runs_as_written():
    with_country = {"regions": {"london": {"region_code": "E12000007"}}, "countries": {"england": {}}}
    assert yaml_tests.whole_country(with_country, {"x": 1}, "year:2024-04", None) == (with_country, {"x": 1})
    authorities_only = {"local_authorities": {"E09000028": {"gss_code": "E09000028"}}}
    assert yaml_tests.whole_country(authorities_only, {}, "year:2016-04", None) == (authorities_only, {})


def test_the_runner_says_why_it_cannot_fill_in_the_country():
    situation = {"regions": {"london": {"region_code": "E12000007"}}}
    with pytest.raises(RulesCannotAnswer, match="its period 'year:2024' is not a financial year"):
        yaml_tests.whole_country(situation, {}, "year:2024", tax_benefit_system())
    with pytest.raises(RulesCannotAnswer, match="cannot tell which region it is .region_code: None."):
        yaml_tests.whole_country({"regions": {"atlantis": {}}}, {}, "year:2024-04", tax_benefit_system())


def test_a_missing_reform_file_is_named_with_where_it_was_looked_for():
    token = yaml_tests._case_file.set(CASES)
    try:
        with pytest.raises(
            RulesCannotAnswer, match="reform file 'no_such_reform.yaml' does not exist"
        ) as error:
            yaml_tests._reform_path("no_such_reform.yaml")
        assert "relative to the test file" in str(error.value)
    finally:
        yaml_tests._case_file.reset(token)


def test_a_case_whose_reform_file_says_budget_neutral_is_refused_not_computed_without_it(tmp_path):
    """A case computes each variable by its formula; budget neutral scales a comparison's amounts
    together. Computing the case without it would assert figures 'compare FILE' does not print."""
    reform = tmp_path / "neutral.yaml"
    reform.write_text(
        "name: London at 20%, budget neutral\nbudget_neutral: true\nchanges:\n"
        "  - {parameter: riia_31_7421.regional_data_coordinator.london_weighting, value: 20%, year: 2024-25}\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.yaml"
    case.write_text(
        "- name: London under a budget-neutral reform\n  period: year:2024-04\n  reforms: [neutral.yaml]\n"
        "  input: {regions: {london: {region_code: E12000007}}}\n  output: {riia_grant: 322159.15}\n",
        encoding="utf-8",
    )
    result = openfisca_test(str(case), "-c", "openfisca_grants")
    assert result.returncode != 0
    assert "budget_neutral: true scales a comparison's amounts" in result.stdout + result.stderr
