"""A reform's changed leaves laid over the baseline's parameters give what openfisca-core's deep copy gives.

For every changeable parameter, at several values of its kind, the overlaid system's whole
parameter tree, its parameters at the year's instant and every grant of the year equal those of
the same change applied through ``Reform.modify_parameters`` (a deep copy of the tree). And no
reform's value leaks: not into the baseline (whose parameters at an instant openfisca-core
caches per system), not into another reform, whether the systems are fresh or kept by
``reforms.apply``, nor through a reform built on a reformed system, nor through a sweep.
"""

from __future__ import annotations

import numpy
import pytest
from openfisca_core.reforms import Reform

from openfisca_grants import determinations, parameter_overlay, reforms
from openfisca_grants.parameter_index import index
from openfisca_grants.parameter_overlay import overlay
from openfisca_grants.register import register
from openfisca_grants.simulation import amounts_in_pence, build_simulation, tax_benefit_system
from openfisca_grants.sweep import sweep


def deep_copied(system, spec: reforms.ReformSpec):
    """The reform as openfisca-core makes it: ``modify_parameters``, a deep copy of the tree."""
    changes = [(change.path, change.year.period, change.value) for change in spec.changes]
    return parameter_overlay.deep_copied_system(system, spec.name, changes)


def tree(parameters) -> dict:
    """Every leaf of a parameter tree: its values over time, description and metadata."""
    found = {}

    def walk(node):
        for child in node.children.values():
            if hasattr(child, "children"):
                walk(child)
            else:
                found[child.name] = (
                    [(v.instant_str, v.value) for v in child.values_list],
                    child.description,
                    child.metadata,
                )

    walk(parameters)
    return found


def at_instant(system, year) -> dict:
    """The parameters as formulas read them in ``year`` (through openfisca-core's cache)."""
    return flattened(system.get_parameters_at_instant(year.period))


def flattened(node_at_instant) -> dict:
    """Each value of a node of parameters at an instant, by its path (".determinations....")."""
    found = {}

    def walk(node, path):
        for key in node:
            child = node[key]
            if hasattr(child, "_children"):
                walk(child, f"{path}.{key}")
            else:
                found[f"{path}.{key}"] = child

    walk(node_at_instant, "")
    return found


def grants(system, year) -> dict:
    simulation = build_simulation(year, system)
    return {
        d.number: amounts_in_pence(simulation, d.grant_variable, year) for d in determinations.for_year(year)
    }


def values_to_try(entry, current) -> list[str]:
    """Several values of the parameter's kind, as a user would type them."""
    if entry.kind == "money":
        pence = round(current * 100)
        tried = [pence + 1, pence * 2, 0, 123_456_78]
        if entry.metadata.get("may_be_negative"):
            tried.append(-pence - 1)
        return [f"{'-' if p < 0 else ''}{abs(p) // 100}.{abs(p) % 100:02d}" for p in tried]
    if entry.kind == "rate":
        return ["0%", "20%", "0.375", "100%"]
    if entry.kind == "count":
        return [str(current + 1), "1", str(current * 3)]
    if entry.kind == "region":
        return [region.code for region in register().regions if region.code != current][:3]
    if entry.kind in ("lead_body", "authority"):
        year = entry.determination.financial_year
        authorities = [a for a in register().authorities_on(year.start) if a.name != current]
        if entry.kind == "lead_body":  # a region's lead body is one of its own bodies
            region = register().region(entry.path.rsplit(".", 1)[-1])
            authorities = [a for a in authorities if a.region_code == region.code]
        return [a.name for a in authorities][:3]
    raise AssertionError(f"{entry.path}: a kind this test does not know: {entry.kind}")


def changeable():
    system = tax_benefit_system()
    return [
        entry
        for entry in index(system).changeable()
        if entry.value(entry.determination.financial_year) is not None
    ]


@pytest.mark.parametrize("entry", changeable(), ids=lambda entry: entry.short_path)
def test_an_overlaid_reform_equals_the_deep_copy_for_every_changeable_parameter(entry):
    baseline = tax_benefit_system()
    year = entry.determination.financial_year
    before = (tree(baseline.parameters), at_instant(baseline, year), grants(baseline, year))
    for value in values_to_try(entry, entry.value(year)):
        change = reforms.validate(baseline, entry.path, value, year=year.label)
        spec = reforms.from_changes(f"{entry.short_path}={value}", [change])
        overlaid = reforms._parameter_reform(spec, baseline)  # fresh, not a kept one
        copied = deep_copied(baseline, spec)
        assert overlaid.parameters is not baseline.parameters
        assert tree(overlaid.parameters) == tree(copied.parameters)
        assert at_instant(overlaid, year) == at_instant(copied, year)
        assert at_instant(overlaid, year)[f".{entry.path}"] == change.value
        assert grants(overlaid, year) == grants(copied, year)
    # The baseline saw none of it: its tree, its (cached) parameters at the instant, its grants.
    assert (tree(baseline.parameters), at_instant(baseline, year), grants(baseline, year)) == before


def test_every_kind_of_parameter_is_tried():
    assert {entry.kind for entry in changeable()} >= {"money", "rate", "count", "region", "lead_body"}


def test_only_the_nodes_on_the_way_to_a_changed_leaf_are_copied():
    baseline = tax_benefit_system()
    entry = next(e for e in changeable() if e.kind == "rate")
    year = entry.determination.financial_year
    reformed = overlay(baseline.parameters, [(entry.path, year.period, 0.5)])
    *parents, leaf = entry.path.split(".")
    node, original = reformed, baseline.parameters
    for key in parents:
        for sibling in original.children:  # the siblings off the way are the baseline's own
            if sibling != key:
                assert node.children[sibling] is original.children[sibling]
        node, original = node.children[key], original.children[key]
        assert node is not original and node.name == original.name
    assert node.children[leaf] is not original.children[leaf]
    assert getattr(node, leaf) is node.children[leaf]  # reachable as an attribute too, as in core
    assert node.children[leaf].values_history is node.children[leaf]
    assert original.children[leaf](year.start.isoformat()) == entry.value(year)


def _a_rate_and_a_money_parameter():
    entries = changeable()
    rate = next(e for e in entries if e.kind == "rate")
    money = next(e for e in entries if e.kind == "money" and e.determination_key == rate.determination_key)
    return rate, money


def test_no_reform_leaks_into_the_baseline_or_another_reform():
    baseline = tax_benefit_system()
    rate, money = _a_rate_and_a_money_parameter()
    year = rate.determination.financial_year
    label = year.label
    baseline_grants = grants(baseline, year)  # the baseline computed first: its instant cached
    cached_node = baseline.get_parameters_at_instant(year.period)

    def spec(*changes):
        return reforms.from_changes(
            "; ".join(f"{p}={v}" for p, v in changes),
            [reforms.validate(baseline, p, v, year=label) for p, v in changes],
        )

    a, b = spec((rate.path, "20%")), spec((rate.path, "30%"))
    both = spec((rate.path, "30%"), (money.path, "1000.00"))
    systems = {name: reforms.apply(s, baseline) for name, s in (("a", a), ("b", b), ("both", both))}
    expected = {
        name: grants(deep_copied(baseline, s), year) for name, s in (("a", a), ("b", b), ("both", both))
    }
    for _ in range(2):  # interleaved, and again through the kept systems
        for name, system in systems.items():
            assert grants(system, year) == expected[name], name
            assert grants(baseline, year) == baseline_grants
        systems = {name: reforms.apply(s, baseline) for name, s in (("a", a), ("b", b), ("both", both))}
    assert len({id(s) for s in systems.values()}) == 3
    assert expected["a"] != expected["b"] != baseline_grants
    assert baseline.get_parameters_at_instant(year.period) is cached_node
    assert at_instant(baseline, year)[f".{rate.path}"] == rate.value(year)

    # A reform on a reformed system: its own value over the first's, the first's left alone.
    on_top = reforms.apply(spec((money.path, "1000.00")), systems["b"])
    assert grants(on_top, year) == expected["both"]
    assert grants(systems["b"], year) == expected["b"]
    assert grants(baseline, year) == baseline_grants


def test_a_sweep_on_a_reformed_system_leaks_into_neither_it_nor_the_baseline():
    baseline = tax_benefit_system()
    rate, money = _a_rate_and_a_money_parameter()
    year = rate.determination.financial_year
    spec = reforms.from_changes("a", [reforms.validate(baseline, rate.path, "25%", year=year.label)])
    reformed = reforms.apply(spec, baseline)
    before = grants(reformed, year), grants(baseline, year)
    result = sweep(money.path, numpy.array([0.0, 5000.0, 7000.0]), year.label, reform=spec)
    assert result.method == "vectorised"
    assert (grants(reformed, year), grants(baseline, year)) == before
    assert grants(reforms.apply(spec, baseline), year) == grants(deep_copied(baseline, spec), year)


def test_a_formula_reform_with_parameter_changes_is_overlaid_on_the_formula_reform():
    baseline = tax_benefit_system()
    rate, _ = _a_rate_and_a_money_parameter()
    year = rate.determination.financial_year

    class Identity(Reform):
        name = "no formula changed"

        def apply(self):
            pass

    change = reforms.validate(baseline, rate.path, "50%", year=year.label)
    spec = reforms.ReformSpec("both kinds", changes=[change], formula_reform=Identity)
    reformed = reforms.apply(spec, baseline)
    assert grants(reformed, year) == grants(deep_copied(Identity(baseline), spec), year)
    assert grants(baseline, year) != grants(reformed, year)


def test_a_reform_s_parameters_at_an_instant_share_the_baseline_s_untouched_nodes():
    """What formulas read is the baseline's own nodes but on the way to a changed leaf; core's
    fresh build from the reformed tree gives the same values; a clone (as a sweep makes, to write
    values into) gets nodes of its own."""
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    from openfisca_grants.parameter_overlay import reformed_system

    baseline = tax_benefit_system()
    rate, money = _a_rate_and_a_money_parameter()
    year = rate.determination.financial_year
    reformed = reformed_system(
        baseline, "r", [(rate.path, year.period, 0.5), (money.path, year.period, None)]
    )
    shared = reformed.get_parameters_at_instant(year.period)
    assert reformed.get_parameters_at_instant(year.start.isoformat()) is shared  # kept, by instant
    core_s_own = TaxBenefitSystem.get_parameters_at_instant(reformed.clone(), year.period)
    assert at_instant(reformed, year) == {
        path: value for path, value in at_instant(baseline, year).items() if path != f".{money.path}"
    } | {f".{rate.path}": 0.5}
    # a value set to None is left out, as core does
    assert at_instant(reformed, year) == flattened(core_s_own)
    before = baseline.get_parameters_at_instant(year.period)
    on_the_way = {
        ".".join(p.split(".")[:n]) for p in (rate.path, money.path) for n in range(1, p.count(".") + 1)
    }
    *parents, _ = rate.path.split(".")
    node, original, path = shared, before, ""
    for key in parents:
        for sibling in original:
            if f"{path}{sibling}" not in on_the_way and hasattr(original[sibling], "_children"):
                assert node[sibling] is original[sibling]
        node, original, path = node[key], original[key], f"{path}{key}."
        assert node is not original
    clone = reformed.clone()
    assert clone.get_parameters_at_instant(year.period) is not shared
    assert all(clone.get_parameters_at_instant(year.period)[key] is not before[key] for key in before)
