"""Each determination is one self-describing home: generic code reads its description, never names it.

The description (``index.yaml`` metadata beside its parameters, read into a typed
``Determination``) says everything the uses need; the generic modules (everything in
``openfisca_grants/`` but the letters, and the docs' extension) must not name a determination,
its folder, its variables, or test its number. A parameter's kind comes from its metadata.
"""

from __future__ import annotations

import pathlib
import re

import pytest
from catalogue_helpers import of_determination

from openfisca_grants import determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.reconcile import Check, reconcile
from openfisca_grants.reforms import leaves, parameter_kind
from openfisca_grants.simulation import tax_benefit_system

ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERIC = sorted(
    path
    for path in [*(ROOT / "openfisca_grants").rglob("*.py"), *(ROOT / "docs" / "_ext").glob("*.py")]
    if "sources" not in path.parts
)


def names_of(determination) -> set[str]:
    """What would name a determination: its number (and its digits), folder, variables."""
    system = tax_benefit_system()
    variables = {
        name
        for name, variable in system.variables.items()
        if (variable.introspection_data or ("",))[0].endswith(determination.variables_module)
    }
    number = determination.number
    return {number, number.replace("/", "_"), number.split("/")[-1], determination.key, *variables}


@pytest.mark.parametrize("module", GENERIC, ids=lambda path: str(path.relative_to(ROOT)))
def test_generic_modules_name_no_determination(module):
    text = module.read_text(encoding="utf-8")
    for determination in determinations.catalogue():
        for name in names_of(determination):
            assert not re.search(rf"(?<![\w/]){re.escape(name)}(?![\w/])", text), (
                f"{module.relative_to(ROOT)} names {name} ({determination.label})"
            )
    assert not re.search(r"\.number\s*(==|!=|in)\s*[\"'(\[{]", text), (
        f"{module.relative_to(ROOT)} tests a number"
    )


def test_every_encoded_determination_is_found_from_its_home():
    found = {d.number: d for d in determinations.catalogue()}
    numbers = list(found)
    assert numbers.index("31/3010") < numbers.index("31/7421")  # by year
    innovation, riia = found["31/3010"], found["31/7421"]
    assert (innovation.paid_per, innovation.annex_a.amounts, innovation.lead_bodies) == (
        "local_authority",
        "annex_a",
        None,
    )
    assert innovation.listed_variable == "innovation_programme_listed_in_annex_a"
    assert (riia.paid_per, riia.lead_bodies, riia.grant_variable) == ("region", "lead_bodies", "riia_grant")
    assert riia.formula_variable == "riia_formula_amount"
    assert riia.annex_a.adjustments == "annex_a_adjustment"
    assert [check.recorded_difference_pence for check in riia.costing_checks] == [40000, None, 80000, None]
    assert riia.payment.due == "by 2024-08-30" and innovation.payment.due == "2017-03"
    assert not innovation.is_draft and innovation.label == "31/3010 (2016-17)"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"paid_per": "country"}, "paid_per 'country' is not one of local_authority, body, region"),
        ({"paid_per": "region", "lead_bodies": None}, "names its lead_bodies parameter"),
        ({"grant_varaible": "x"}, "unknown metadata grant_varaible"),
        ({"status": "provisional"}, "status 'provisional' is not one of published, draft"),
        ({"letter_file": None}, "a published determination names its letter_file"),
        ({"costing_checks": [{"name": "n", "stated": "a", "factors": [], "recorded": 1}]}, "unknown costing"),
    ],
)
def test_a_description_that_is_wrong_is_refused(change, message):
    riia = determinations.by_number("31/7421")
    metadata = {**riia.metadata, **change}
    with pytest.raises(ValueError, match=re.escape(message)):
        determinations.described(riia.key, riia.title, metadata)


def test_every_parameter_has_a_kind_from_its_metadata():
    system = tax_benefit_system()
    kinds = {}
    for path, parameter in leaves(system).items():
        kinds[path] = parameter_kind(path, parameter)
    assert kinds["determinations.riia_31_7421.data_to_insight.paid_to_region"] == "region"
    assert kinds["determinations.riia_31_7421.lead_bodies.london"] == "lead_body"
    assert kinds["determinations.riia_31_7421.regional_data_coordinator.london_weighting"] == "rate"
    assert (
        kinds["determinations.riia_31_7421.sector_led_improvement.costing.authorities_supported"] == "count"
    )
    assert kinds["determinations.riia_31_7421.sector_led_improvement.costing.days_per_authority"] == "count"
    assert kinds["determinations.innovation_programme_31_3010.annex_a.E09000028"] == "money"


def test_a_parameter_without_a_kind_is_refused():
    class Bare:
        metadata: dict = {}

    with pytest.raises(RulesCannotAnswer, match="its metadata gives it no kind"):
        parameter_kind("determinations.x.y", Bare())


def day_rate_moved(pence: int):
    from openfisca_grants import CountryTaxBenefitSystem

    changed = CountryTaxBenefitSystem()
    rate = changed.parameters.determinations.riia_31_7421.sector_led_improvement.costing.day_rate
    rate.update(period="year:2024-04", value=(60000 + pence) / 100)
    return changed


@pytest.mark.parametrize("pence", [1, -1, 100])
def test_a_recorded_difference_passes_at_exactly_its_amount(pence):
    baseline = of_determination(reconcile("2024-25"), "31/7421")
    assert baseline.reconciled
    moved = of_determination(reconcile("2024-25", system=day_rate_moved(pence)), "31/7421")
    assert not moved.reconciled
    (check,) = [c for c in moved.checks if c.name.startswith("Sector-led")]
    assert not check.passes
    assert check.status == "DIFFERS by other than the recorded £400.00"


def test_a_check_with_no_recorded_difference_must_agree():
    assert Check("c", "w", 100, 100, None).passes
    assert not Check("c", "w", 100, 99, None).passes
    assert Check("c", "w", 100, 99, 1).passes
    assert not Check("c", "w", 100, 100, 1).passes  # recorded, but gone: the record is out of date
