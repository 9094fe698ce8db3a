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
    assert f"Changed by the reform: {WEIGHTING} = 20% (baseline 14%)" in out
    line = next(line for line in out.splitlines() if "london_weighting" in line and "[parameter" in line)
    assert "[parameter, CHANGED by the reform]" in line and "= 20% (baseline 14%)" in line
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


def test_a_replaced_formula_is_marked_and_cites_the_reform_not_the_letter(capsys):
    from openfisca_grants import api

    reform = str(EXAMPLES / "sector_led_improvement_costed.py")
    tree = api.explain("2024-25", region="London", reform=reform)["computation"]
    replaced = [n for n in _nodes(tree) if n["replaced_by_reform"]]
    assert [n["variable"] for n in replaced] == ["riia_sector_led_improvement"]
    assert replaced[0]["value"] == "£93,600.00"  # 4 x 39 days x £600, not the letter's £94,000
    assert replaced[0]["reference"].startswith("replaced by the reform '")
    assert reform in replaced[0]["reference"] and "Determination" not in replaced[0]["reference"]
    # Its parents keep the letter's formulas, but their amounts come from the replaced one.
    assert tree["depends_on_reform"] and not tree["replaced_by_reform"]
    untouched = next(n for n in _nodes(tree) if n["variable"] == "riia_regional_data_coordinator")
    assert not untouched["replaced_by_reform"] and not untouched["depends_on_reform"]
    assert untouched["reference"].startswith("Determination 31/7421")
    argv = ["explain", "--year", "2024-25", "--region", "London", "--reform", reform]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "[formula REPLACED by the reform] riia_sector_led_improvement = £93,600.00" in out
    assert "[the letter's formula, from a replaced one] riia_grant = £317,600.00" in out


def _nodes(node):
    yield node
    for child in node["computed_from"]:
        yield from _nodes(child)


def test_a_parameter_the_reform_adds_is_marked_changed_with_no_baseline(tmp_path):
    reform = tmp_path / "floor.py"
    reform.write_text(
        """
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money
from openfisca_grants.within_country import one_per_region

RIIA = by_number("31/7421")


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR

    def formula_2024_04(region, period, parameters):
        return one_per_region(region, parameters(period).determinations.riia_31_7421.framework_floor)


class added(Reform):
    name = "A new parameter"

    def apply(self):
        def add(parameters):
            riia = parameters.determinations.riia_31_7421
            node = ParameterNode("framework_floor", data={"framework_floor": {"values": {"2024-04-01": 30000.0}}})
            riia.add_child("framework_floor", node.children["framework_floor"])
            return parameters

        self.modify_parameters(modifier_function=add)
        self.update_variable(riia_national_framework_implementation)
""",
        encoding="utf-8",
    )
    tree = api.explain("2024-25", region="London", reform=str(reform))
    (added,) = tree["changed_parameters"]
    assert added["parameter"] == "determinations.riia_31_7421.framework_floor"
    assert added["baseline_value"] is None and added["value"] == 30000.0
