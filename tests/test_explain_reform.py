"""explain under a reform: each changed parameter marked, its baseline value beside the reformed one."""

import pathlib

from openfisca_grants import api
from openfisca_grants.cli import main

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
WEIGHTING = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"
FRAMEWORK = "determinations.riia_31_7421.national_framework_implementation.amount_per_region"


def _parameters(node):
    yield from node["parameters"]
    for child in node["computed_from"]:
        yield from _parameters(child)


def test_each_changed_parameter_is_marked_with_its_baseline_value():
    tree = api.explain("2024-25", region="London", reform={WEIGHTING: "20%", FRAMEWORK: 30000})
    assert tree["changed_parameters"] == [
        {"parameter": WEIGHTING, "baseline_value": 0.14, "value": 0.2, "unit": "/1"},
        {
            "parameter": FRAMEWORK,
            "baseline_value": "£27,200.00",
            "value": "£30,000.00",
            "unit": "currency-GBP",
        },
    ]
    changed = {p["parameter"] for p in _parameters(tree["computation"]) if p["changed"]}
    assert changed == {WEIGHTING, FRAMEWORK}


def test_without_a_reform_nothing_is_marked():
    tree = api.explain("2024-25", region="London")
    assert tree["changed_parameters"] == []
    assert not any(p["changed"] for p in _parameters(tree["computation"]))


def test_the_text_marks_the_change_beside_the_letters_words(capsys):
    argv = ["explain", "--year", "2024-25", "--region", "London"]
    assert main([*argv, "--set", "riia_31_7421.regional_data_coordinator.london_weighting=20%"]) == 0
    out = capsys.readouterr().out
    assert f"Changed by the reform: {WEIGHTING} = 0.2 (baseline 0.14)" in out
    line = next(line for line in out.splitlines() if "london_weighting" in line and "[parameter" in line)
    assert "[parameter, CHANGED by the reform]" in line and "= 0.2 (baseline 0.14)" in line
    assert '"London weighting of 14% will be included."' in line
    unchanged = next(
        line for line in out.splitlines() if "regional_data_coordinator.amount_per_region" in line
    )
    assert "CHANGED" not in unchanged


def test_a_formula_reform_says_it_changes_no_parameter(capsys):
    argv = ["explain", "--year", "2024-25", "--region", "London"]
    assert main([*argv, "--reform", str(EXAMPLES / "national_framework_shared_by_authorities.py")]) == 0
    out = capsys.readouterr().out
    assert "The reform changes no parameter this computation reads (it may change a formula)." in out
    assert "CHANGED" not in out
