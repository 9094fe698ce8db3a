"""Reform files, --set and the Python API's values at the boundary: YAML read strictly, money
within its limit, the same mistake refused with the same words on every surface."""

from __future__ import annotations

import pytest
from fuzz import run_cli

from openfisca_grants import api, boundary, reforms
from openfisca_grants.errors import RulesCannotAnswer

WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"


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


def test_yaml_brackets_in_a_comment_are_not_nesting(tmp_path):
    path = tmp_path / "reform.yaml"
    path.write_text(f"# {'[' * 40}\nname: x\nchanges:\n  - parameter: {WEIGHTING}\n    value: 20%\n")
    assert reforms.load(path).changes[0].value == pytest.approx(0.2)


DAYS = "riia_31_7421.sector_led_improvement.costing.days_per_authority"


def test_a_count_of_exactly_the_limit_is_accepted_and_one_more_refused():
    """Counts run from 0 to 1,000,000 inclusive, as documented: on the command line, in the
    Python API and over the Web API."""
    status, out, err = run_cli(
        ["compare", "--set", f"{DAYS}=1000000", "--year", "2024-25", "--format", "json"]
    )
    assert status == 0 and out, err
    status, out, err = run_cli(["compare", "--set", f"{DAYS}=1000001", "--year", "2024-25"])
    assert (status, out) == (2, "")
    assert (
        "'1000001' is more than 1,000,000 days. Expected a whole number of days, from 0 to 1,000,000." in err
    )
    assert api.compare({DAYS: 1_000_000}, "2024-25")
    with pytest.raises(RulesCannotAnswer, match="days_per_authority: 1000001 is more than 1,000,000 days"):
        api.compare({DAYS: 1_000_001}, "2024-25")


@pytest.mark.parametrize(("count", "status"), [(1_000_000, 200), (1_000_001, 400)])
def test_a_count_given_to_the_web_api_is_bounded_at_the_limit(count, status):
    from openfisca_grants.simulation import tax_benefit_system
    from openfisca_grants.web.openfisca_api import create_app

    situation = {
        "local_authorities": {"wiltshire": {"gss_code": {"ETERNITY": "E06000054"}}},
        "regions": {
            "south_west": {
                "members": ["wiltshire"],
                "region_code": {"ETERNITY": "E12000009"},
                "local_authorities_in_region": {"year:2024-04": count},
                "riia_self_assessment_and_peer_challenge": {"year:2024-04": None},
            }
        },
    }
    answer = create_app(tax_benefit_system()).test_client().post("/calculate", json=situation)
    assert answer.status_code == status
    if status == 200:  # £3,200 for each of the million authorities given
        amount = answer.get_json()["regions"]["south_west"]["riia_self_assessment_and_peer_challenge"]
        assert amount == {"year:2024-04": 3_200_000_000.0}
    else:
        assert answer.get_json()["error"] == (
            "regions/south_west/local_authorities_in_region/year:2024-04: 1000001 is more than 1,000,000 "
            "items. Expected a whole number of items, from 0 to 1,000,000."
        )
