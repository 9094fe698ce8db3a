"""The shared caches (openfisca_grants.caches): each named one exists, and reset empties them all."""

from __future__ import annotations

import importlib

import pytest

from openfisca_grants import caches, determinations, reforms
from openfisca_grants.register import register
from openfisca_grants.simulation import tax_benefit_system


@pytest.mark.parametrize(("module", "attribute"), caches.SHARED_CACHES)
def test_each_shared_cache_named_is_a_cache(module, attribute):
    cache = getattr(importlib.import_module(module), attribute)
    assert hasattr(cache, "cache_clear") or hasattr(cache, "clear")


@pytest.mark.mutates_shared_state
def test_reset_builds_the_rules_catalogue_and_register_anew():
    before = (tax_benefit_system(), determinations.catalogue(), register())
    assert (tax_benefit_system(), determinations.catalogue(), register()) == before  # kept
    caches.reset()
    after = (tax_benefit_system(), determinations.catalogue(), register())
    assert all(new is not old for new, old in zip(after, before, strict=True))


@pytest.mark.mutates_shared_state
def test_reset_forgets_the_systems_openfiscas_yaml_runner_built():
    from openfisca_core.tools import test_runner

    baseline = tax_benefit_system()
    built = test_runner._get_tax_benefit_system(baseline, [], [])
    assert test_runner._get_tax_benefit_system(baseline, [], []) is built  # kept
    caches.reset()
    assert test_runner._get_tax_benefit_system(baseline, [], []) is not built


@pytest.mark.mutates_shared_state
def test_reset_forgets_reformed_systems():
    (first, *_) = reforms.changeable_parameters(tax_benefit_system())
    change = reforms.parse_set(f"{first['parameter']}={first['value']}", first["year"])
    spec = reforms.from_changes("same", [change])
    system = tax_benefit_system()
    reformed = reforms.apply(spec, system)
    assert reforms.apply(spec, system) is reformed  # kept
    caches.reset()
    assert reforms.apply(spec, system) is not reformed


@pytest.mark.mutates_shared_state
def test_a_change_to_the_shared_rules_does_not_outlive_a_reset():
    """A test that edits the shared rules in place leaves the next one the rules as built."""
    (first, *_) = reforms.changeable_parameters(tax_benefit_system())
    path, year = first["parameter"], determinations.by_number(first["determination"]).financial_year

    def value_now():
        return reforms.leaves(tax_benefit_system())[path](year.start.isoformat())

    original = value_now()
    reforms.leaves(tax_benefit_system())[path].update(period=str(year.period), value=original * 2 + 1)
    assert value_now() != original  # the shared rules changed in place
    caches.reset()
    assert value_now() == original
