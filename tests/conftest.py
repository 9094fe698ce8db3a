"""Pytest set-up: collect the YAML cases under tests/ with OpenFisca's own YAML test runner.

So ``pytest`` runs the same cases as ``openfisca test tests/determinations -c openfisca_grants``,
through the same runner (OpenFisca's ``YamlItem``), with money compared in whole pence and each
case under its own name (both installed by importing openfisca_grants: openfisca_adapter).
Under ``openfisca test``, which registers its own collector, nothing more is registered, and
nothing here imports what only the dev extras install.
"""

import collections
import sys

import pytest

from openfisca_grants import caches
from openfisca_grants.openfisca_adapter.yaml_runner import yaml_cases_plugin
from openfisca_grants.simulation import tax_benefit_system


def pytest_configure(config):
    # Only where `openfisca test` has not registered OpenFisca's own collector: each case once.
    yaml_cases_plugin(config, tax_benefit_system())


@pytest.fixture(scope="session")
def system():
    return tax_benefit_system()


@pytest.fixture(autouse=True)
def fresh_shared_caches(request):
    """Around a test marked ``mutates_shared_state``: every shared cache emptied before and
    after, so that what it changes is neither seen from before nor left for the next test.
    (Only there: rebuilding the rules for every test would slow the suite for nothing.)"""
    if request.node.get_closest_marker("mutates_shared_state") is None:
        yield
        return
    caches.reset()
    yield
    caches.reset()


# The fuzz cases each test ran, by surface, carried on its report so that they add up across
# pytest-xdist's workers (each counts its own in fuzz.CASES).
FUZZ_CASES_RUN: collections.Counter = collections.Counter()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # Only once a fuzz test has imported it: `openfisca test` on tests/ needs no hypothesis.
    fuzz = sys.modules.get("fuzz")
    before = collections.Counter(fuzz.CASES) if fuzz else collections.Counter()
    yield
    fuzz = sys.modules.get("fuzz")
    ran = (fuzz.CASES - before) if fuzz else collections.Counter()
    if ran:
        item.user_properties.append(("fuzz_cases", dict(ran)))


def pytest_runtest_logreport(report):
    if report.when == "call":
        for key, value in report.user_properties:
            if key == "fuzz_cases":
                FUZZ_CASES_RUN.update(value)


def pytest_terminal_summary(terminalreporter):
    """How many fuzz cases ran, by surface (tests/fuzz.py)."""
    if FUZZ_CASES_RUN:
        total = sum(FUZZ_CASES_RUN.values())
        terminalreporter.write_sep("-", f"fuzz corpus: {total:,} generated cases")
        for surface, count in sorted(FUZZ_CASES_RUN.items()):
            terminalreporter.write_line(f"  {surface}: {count:,}")
