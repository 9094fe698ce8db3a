"""Reforms as data: YAML files and --set, strictly validated, applied, listed; no silent no-ops."""

from __future__ import annotations

import pathlib
import textwrap

import pytest
from catalogue_helpers import of_determination

from openfisca_grants import reforms
from openfisca_grants.cli import main
from openfisca_grants.compare import compare
from openfisca_grants.errors import RulesCannotAnswer

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WEIGHTING = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"


def write(tmp_path, text: str) -> pathlib.Path:
    path = tmp_path / "reform.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_example_yaml_reform_loads():
    spec = reforms.load(EXAMPLES / "london_weighting_20.yaml")
    assert spec.name == "London weighting at 20%"
    (change,) = spec.changes
    assert (change.path, change.value, change.year.label) == (WEIGHTING, 0.2, "2024-25")
    assert "london_weighting_20.yaml, line 9" in change.where


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_wieghting
             value: 0.2
         """,
            r"reform.yaml, line 3: no parameter is called .*Closest: determinations.riia_31_7421.regional_data_coordinator.london_weighting",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator
             value: 0.2
         """,
            r"line 3: 'determinations.riia_31_7421.regional_data_coordinator' is a group of parameters, not one value. It holds: .*amount_per_region",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 20
         """,
            r"line 4: .*london_weighting: '20' is above 1: a rate of 2000% is more than 100%. Did you mean 0.2 \(20%\)\?",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: twenty
         """,
            r"line 4: .*'twenty' is not a number. Expected a rate",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.amount_per_region
             value: 80000.005
         """,
            r"line 4: .*'80000.005' is not a whole number of pence",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.sector_led_improvement.amount_per_region
             value: -5
         """,
            r"line 4: .*cannot be negative",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.sector_led_improvement.costing.days_per_authority
             value: 39.5
         """,
            r"line 4: .*'39.5' is not a whole number of days",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.data_to_insight.paid_to_region
             value: Wessex
         """,
            r"line 4: .*paid_to_region = 'Wessex': No English region is called 'Wessex'",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.lead_bodies.west_midlands
             value: Birmingam City Council
         """,
            r"line 4: .*No authority is called 'Birmingam City Council' on 2024-04-01. Closest: Birmingham",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
             year: 2025-26
         """,
            r"line 3: .*governs 2024-25 only; the change asks for 2025-26",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
             from: 2024-06-01
         """,
            r"line 3: 'from: 2024-06-01' is not the first day of a financial year",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
             year: 2024-25
             from: 2024-04-01
         """,
            r"line 3: give 'year' or 'from', not both",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             valeu: 0.2
         """,
            r"line 4: unknown key 'valeu' in a change. Allowed: from, parameter, value, year. Did you mean 'value'\?",
        ),
        (
            """
         name: x
         chnages: []
         """,
            r"line 2: unknown key 'chnages'",
        ),
        (
            """
         description: no name
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
         """,
            r"line 1: the reform has no name",
        ),
        (
            """
         name: x
         changes: []
         """,
            r"line 2: 'changes' must be a list of parameter changes",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: [0.2
         """,
            r"reform.yaml, line \d+: not valid YAML",
        ),
        ("- just a list", r"a reform file is a mapping"),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: [0.2, 0.3]
         """,
            r"reform.yaml, line 4: expected a single value, not a list",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
             value: 0.3
         """,
            r"reform.yaml, line 5: 'value' is given twice in this change \(first at line 4\)",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.2
           - parameter: determinations.riia_31_7421.regional_data_coordinator.london_weighting
             value: 0.3
         """,
            r"line 6: determinations.riia_31_7421.regional_data_coordinator.london_weighting is changed twice for 2024-25 \(also at .*line 4\)",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.london_weighting
             value: yes
         """,
            r"line 4: .*'yes' is not a number",
        ),
        (
            """
         name: x
         changes:
           - parameter: riia_31_7421.regional_data_coordinator.amount_per_region
             value: 20%
         """,
            r"line 4: .*'20%' is not an amount of money",
        ),
    ],
)
def test_bad_reform_files_are_refused_naming_file_and_line(tmp_path, body, message):
    with pytest.raises(RulesCannotAnswer, match=message):
        reforms.load(write(tmp_path, body))


def test_values_in_other_forms_are_read():
    system = reforms._baseline()
    assert reforms.validate(system, WEIGHTING, "20%").value == pytest.approx(0.2)
    assert reforms.validate(system, WEIGHTING, 0.2).value == 0.2
    amount = "determinations.riia_31_7421.regional_data_coordinator.amount_per_region"
    assert reforms.validate(system, amount, "£85,000.50").value == 85000.50
    region = "determinations.riia_31_7421.data_to_insight.paid_to_region"
    assert reforms.validate(system, region, "London").value == "E12000007"
    assert reforms.validate(system, WEIGHTING, 0.2, start="2024-04-01").year.label == "2024-25"


def test_set_on_the_command_line():
    change = reforms.parse_set("riia_31_7421.regional_data_coordinator.london_weighting=0.2", year="2024-25")
    assert (change.path, change.value) == (WEIGHTING, 0.2)
    with pytest.raises(RulesCannotAnswer, match="write PATH=VALUE"):
        reforms.parse_set("riia_31_7421.regional_data_coordinator.london_weighting")


def test_applying_a_reform_leaves_the_baseline_alone():
    from openfisca_grants.simulation import tax_benefit_system

    spec = reforms.load(EXAMPLES / "london_weighting_20.yaml")
    reformed = reforms.apply(spec)
    at = "2024-04-01"
    assert (
        reformed.parameters(at).determinations.riia_31_7421.regional_data_coordinator.london_weighting == 0.2
    )
    assert (
        tax_benefit_system()
        .parameters(at)
        .determinations.riia_31_7421.regional_data_coordinator.london_weighting
        == 0.14
    )


def test_a_reform_that_changes_nothing_is_reported(capsys):
    day_rate = "riia_31_7421.sector_led_improvement.costing.day_rate=650"
    assert main(["compare", "--set", day_rate, "--year", "2024-25"]) == 0
    err = capsys.readouterr().err
    assert "changes no figure of 31/7421 in 2024-25" in err
    assert "No formula reads determinations.riia_31_7421.sector_led_improvement.costing.day_rate" in err
    spec = reforms.from_changes("same", [reforms.parse_set(f"{WEIGHTING}=0.14")])
    comparison = of_determination(compare(spec, "2024-25"), "31/7421")
    assert comparison.changes_nothing
    assert comparison.unread_changes == []  # read, but set to the value it had


def test_a_reform_of_another_year_says_so(tmp_path, capsys):
    path = write(
        tmp_path,
        """
        name: Southwark up
        changes:
          - parameter: innovation_programme_31_3010.annex_a.E09000028
            value: 1700000
            year: 2016-17
        """,
    )
    assert main(["compare", str(path), "--year", "2024-25"]) == 0
    err = capsys.readouterr().err
    assert "changes no figure of 31/7421 in 2024-25" in err
    assert (
        "It changes the rules of another determination: determinations.innovation_programme_31_3010.annex_a.E09000028 (2016-17)."
        in err
    )


def test_a_reform_that_changes_something_is_not_flagged(capsys):
    assert main(["compare", str(EXAMPLES / "london_weighting_20.yaml"), "--year", "2024-25"]) == 0
    captured = capsys.readouterr()
    assert "changes no figure of 31/7421" not in captured.err
    assert "London weighting at 20%" in captured.out


def test_parameters_listing(capsys):
    assert main(["parameters", "--year", "2024-25"]) == 0
    out = capsys.readouterr().out
    assert f"{WEIGHTING} = 14%  [/1; 31/7421, 2024-25]" in out
    assert (
        'source: Determination 31/7421, covering letter, first core function: "London weighting of 14% will be included."'
        in out
    )
    assert "annex_a_adjustment.south_west = £11,400  [currency-GBP" in out
    rows = reforms.changeable_parameters(year="2016-17")
    assert len(rows) == 23 and all(row["unit"] == "currency-GBP" for row in rows)


def test_python_reform_file_loads():
    spec = reforms.load(EXAMPLES / "sector_led_improvement_costed.py")
    assert spec.formula_reform is not None
    assert spec.description.startswith("Sector-led improvement costed from the letter's prose")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("none.py", "x = 1\n", "defines exactly one openfisca_core Reform subclass; found 0"),
        ("reform.txt", "", "neither a YAML reform"),
    ],
)
def test_bad_reform_file_kinds(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(RulesCannotAnswer, match=message):
        reforms.load(path)


def test_a_cached_reformed_system_gives_what_a_fresh_one_gives():
    """reforms.apply keeps reformed systems by their changes: the shortcut must change no figure,
    also after a sweep has run on the same reformed rules."""
    from openfisca_grants import CountryTaxBenefitSystem, api
    from openfisca_grants.compare import compare
    from openfisca_grants.sweep import sweep

    weighting = "riia_31_7421.regional_data_coordinator.london_weighting"
    framework = "riia_31_7421.national_framework_implementation.amount_per_region"
    spec = api.as_reform({weighting: "20%"}, "2024-25")
    first = [c.as_dict() for c in compare(spec, "2024-25")]
    assert reforms.apply(spec) is reforms.apply(spec)  # the cache is used
    sweep(framework, [20000, 30000, 40000], "2024-25", reform=spec)
    again = [c.as_dict() for c in compare(spec, "2024-25")]
    fresh = [c.as_dict() for c in compare(spec, "2024-25", baseline=CountryTaxBenefitSystem())]
    assert first == again == fresh
    assert of_determination(first, "31/7421")["total"]["reform"] == "2417800.00"
