"""OpenFisca's YAML test runner (``openfisca test``, and pytest here) as these rules need it.

Four of the runner's functions are wrapped when its module is imported (``install``):

* ``YamlItem.check_variable`` compares a money variable (a ``money.Money``, or any variable in
  ``currency-GBP``) in whole pence (``money.assert_money_equal``) instead of float32, so that a
  case 1p out fails. What is money is decided by the variable, never by its dtype: every other
  value, float64 or not, keeps OpenFisca's own comparison.
* ``YamlItem.runtest`` runs a case that places a region with the rest of England filled in from
  the register (``yaml_tests.whole_country``), knowing the case's file for its reform files.
* ``_get_tax_benefit_system`` takes reform files (``.yaml``, ``.py``) in a case's ``reforms:``
  as well as OpenFisca's dotted names (``yaml_tests.system_for``).
* ``YamlItem.from_parent`` gives each collected case its own name (its ``name:``),
  where OpenFisca's collector leaves it empty.

``yaml_cases_plugin`` is the runner's collector, for a pytest run that ``openfisca test`` did not
start (the suite's conftest): registered only where no collector of OpenFisca's is, so that
each case is collected once. tests/test_openfisca_adapter_contract.py holds each of these to
what it does: a 1p difference fails, a reform file resolves, a case is collected once.
"""

from __future__ import annotations

import pathlib
import sys

from openfisca_grants.openfisca_adapter.wrapping import wrap_on_import

TEST_RUNNER = "openfisca_core.tools.test_runner"
PLUGIN_NAME = "openfisca-grants-yaml-cases"


def install() -> None:
    """Wrap the runner's functions (once), now or when the runner is imported."""
    wrap_on_import(
        TEST_RUNNER,
        [
            ("YamlItem.check_variable", _exact_money_check_variable),
            ("YamlItem.runtest", _whole_country_runtest),
            ("_get_tax_benefit_system", _system_with_reform_files),
            ("YamlItem.from_parent", _named_after_the_case),
        ],
    )


def is_money(variable) -> bool:
    """A variable that holds money: a ``Money``, or any variable in pounds."""
    from openfisca_grants.money import MONEY_UNIT, Money

    return isinstance(variable, Money) or getattr(variable, "unit", None) == MONEY_UNIT


def assert_output(
    variable, value, expected, absolute_error_margin=None, message="", relative_error_margin=None
):
    """One output of a YAML case checked: money in whole pence, anything else as OpenFisca does."""
    if is_money(variable):
        from openfisca_grants.money import assert_money_equal

        return assert_money_equal(value, expected, absolute_error_margin, message, relative_error_margin)
    from openfisca_core.tools import assert_near

    return assert_near(value, expected, absolute_error_margin, message, relative_error_margin)


def yaml_cases_plugin(config, system) -> None:
    """Collect YAML cases with OpenFisca's runner in this pytest run, unless a collector of
    OpenFisca's is already registered (``openfisca test`` registers its own)."""
    from openfisca_core.tools import test_runner

    registered = config.pluginmanager.get_plugins()
    if any(isinstance(plugin, test_runner.OpenFiscaPlugin) for plugin in registered):
        return
    if config.pluginmanager.has_plugin("openfisca_core.tools.parallel_plugin"):
        return  # `openfisca test --in-parallel`'s workers: it registers its collector itself
    config.pluginmanager.register(test_runner.OpenFiscaPlugin(system, options={}), PLUGIN_NAME)


class _RunnerSystems:
    """The runner's own cache of systems by reforms (``clear`` empties it if the runner is loaded)."""

    def clear(self) -> None:
        runner = sys.modules.get(TEST_RUNNER)
        if runner is not None:
            runner._tax_benefit_system_cache.clear()


runner_systems = _RunnerSystems()


def _exact_money_check_variable(original):
    def check_variable(self, variable_name, expected_value, period, entity_index=None):
        variable = self.simulation.tax_benefit_system.get_variable(variable_name)
        if (
            not is_money(variable)
            or isinstance(expected_value, dict)
            or self.should_ignore_variable(variable_name)
        ):
            # Periods given as a dict come back here one by one; everything else is OpenFisca's.
            return original(self, variable_name, expected_value, period, entity_index)
        actual = self.simulation.calculate(variable_name, period)
        if entity_index is not None:
            actual = actual[entity_index]
        return assert_output(
            variable,
            actual,
            expected_value,
            self.test.absolute_error_margin[variable_name],
            f"{variable_name}@{period}: ",
            self.test.relative_error_margin[variable_name],
        )

    return check_variable


def _whole_country_runtest(original):
    def runtest(item) -> None:
        from openfisca_grants import yaml_tests

        with yaml_tests.reading_case_file(pathlib.Path(str(item.path))):
            system = sys.modules[TEST_RUNNER]._get_tax_benefit_system(
                item.baseline_tax_benefit_system, item.test.reforms, item.test.extensions
            )
            item.test.input, item.test.output = yaml_tests.whole_country(
                item.test.input, item.test.output, item.test.period, system
            )
            original(item)

    return runtest


def _system_with_reform_files(original):
    def get_tax_benefit_system(baseline, reforms, extensions):
        from openfisca_grants import yaml_tests

        return yaml_tests.system_for(original, baseline, reforms, extensions)

    return get_tax_benefit_system


def _named_after_the_case(original):
    def from_parent(cls, parent, **kwargs):
        test = kwargs.get("test")
        if not kwargs.get("name") and isinstance(test, dict) and isinstance(test.get("name"), str):
            kwargs["name"] = test["name"]
        return original.__func__(cls, parent, **kwargs)

    return from_parent
