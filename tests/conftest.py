"""Pytest set-up: collect the YAML cases under tests/ with OpenFisca's own YAML test runner.

So ``pytest`` runs the same cases as ``openfisca test tests/determinations -c openfisca_grants``,
through the same runner (OpenFisca's ``YamlItem``), with money compared in whole pence
(installed by importing openfisca_grants). Each case is reported under its own name
("31/7421 Annex A row 7: ..."), where OpenFisca's collector leaves the name empty.
"""

import collections

import pytest
from openfisca_core.tools import test_runner

from openfisca_grants.simulation import tax_benefit_system


class NamedYamlFile(test_runner.YamlFile):
    def collect(self):
        with open(self.path, encoding="utf-8") as file:
            cases = test_runner.yaml.load(file, Loader=test_runner.Loader)
        for case in cases if isinstance(cases, list) else [cases]:
            yield test_runner.YamlItem.from_parent(
                self,
                name=case.get("name", ""),
                baseline_tax_benefit_system=self.tax_benefit_system,
                test=case,
                options=self.options,
            )


class NamedOpenFiscaPlugin(test_runner.OpenFiscaPlugin):
    def pytest_collect_file(self, parent, file_path):
        if file_path.suffix in (".yaml", ".yml"):
            return NamedYamlFile.from_parent(
                parent, path=file_path, tax_benefit_system=self.tax_benefit_system, options=self.options
            )
        return None


def pytest_configure(config):
    config.pluginmanager.register(
        NamedOpenFiscaPlugin(tax_benefit_system(), options={}), "openfisca-yaml-cases"
    )


@pytest.fixture(scope="session")
def system():
    return tax_benefit_system()


# The fuzz cases each test ran, by surface, carried on its report so that they add up across
# pytest-xdist's workers (each counts its own in fuzz.CASES).
FUZZ_CASES_RUN: collections.Counter = collections.Counter()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    from fuzz import CASES

    before = collections.Counter(CASES)
    yield
    ran = CASES - before
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
