"""The one place this package changes openfisca-core's behaviour: two functions, each wrapped on import.

* ``openfisca_core.tools.test_runner.YamlItem.check_variable``, where the YAML runner checks
  one output of a case, compares a money variable (a ``money.Money``, or any variable whose
  unit is ``currency-GBP``) in whole pence (``money.assert_money_equal``) instead of float32, so
  that ``openfisca test`` fails on a 1p difference. What is money is decided by the variable,
  never by its dtype: every other value, float64 or not, keeps OpenFisca's own comparison.
* ``openfisca_core.tools.test_runner.YamlItem.runtest`` and ``_get_tax_benefit_system`` run a
  YAML case that places a region with the rest of England filled in from the register, and take
  reform files in a case's ``reforms:`` (``yaml_tests``).
* ``openfisca_web_api.scripts.serve.create_app`` builds the Web API that ``openfisca serve``
  runs; for these rules it becomes ``web.openfisca_api.create_app``, OpenFisca's app with every
  request checked at the boundary.

Each is wrapped at once if its module is loaded, or else when it is (an import hook), because
``openfisca-grants reconcile`` should not pay for importing pytest or Flask. ``check()`` says
whether what these rely on is still there; ``tests/test_openfisca_hooks.py`` fails loudly if
openfisca-core moves it.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import inspect
import sys
from collections.abc import Callable

TEST_RUNNER = "openfisca_core.tools.test_runner"
SERVE = "openfisca_web_api.scripts.serve"

# module -> [(attribute, wrapper factory)]: a factory takes the original and returns its wrapper;
# an attribute may be a class's ("YamlItem.runtest").
_WRAPPERS: dict[str, list[tuple[str, Callable]]] = {}


def install() -> None:
    """Wrap the functions (once), now or when their modules are imported."""
    _WRAPPERS[TEST_RUNNER] = [
        ("YamlItem.check_variable", _exact_money_check_variable),
        ("YamlItem.runtest", _whole_country_runtest),
        ("_get_tax_benefit_system", _system_with_reform_files),
    ]
    _WRAPPERS[SERVE] = [("create_app", _checked_create_app)]
    for module_name in _WRAPPERS:
        if module_name in sys.modules:
            _wrap(sys.modules[module_name])
    if not any(isinstance(finder, _WrapOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WrapOnImport())


# What the YAML runner's check_variable looks like in the openfisca-core this was written for
# (46): its arguments, and what it uses of the item. The money branch below does what it does.
CHECK_VARIABLE_ARGUMENTS = ["self", "variable_name", "expected_value", "period", "entity_index"]
CHECK_VARIABLE_USES = ("should_ignore_variable", "assert_near(", "absolute_error_margin[variable_name]")


def check() -> list[str]:
    """What the hooks rely on in openfisca-core that is missing or changed (empty when all is there)."""
    missing = []
    runner = importlib.import_module(TEST_RUNNER)
    item = getattr(runner, "YamlItem", None)
    check_variable = getattr(item, "check_variable", None)
    if not callable(check_variable):
        missing.append(f"{TEST_RUNNER}.YamlItem.check_variable")
    else:
        original = inspect.unwrap(check_variable)
        if list(inspect.signature(original).parameters) != CHECK_VARIABLE_ARGUMENTS:
            missing.append(f"{TEST_RUNNER}.YamlItem.check_variable{inspect.signature(original)}")
        source = inspect.getsource(original)
        missing += [
            f"check_variable no longer uses {used}" for used in CHECK_VARIABLE_USES if used not in source
        ]
    for attribute in ("YamlItem.runtest", "_get_tax_benefit_system"):
        owner, name = _owner(runner, attribute)
        if not callable(getattr(owner, name, None)):
            missing.append(f"{TEST_RUNNER}.{attribute}")
    serve = importlib.import_module(SERVE)
    if not callable(getattr(serve, "create_app", None)):
        missing.append(f"{SERVE}.create_app")
    return missing


def _owner(module, attribute: str):
    """The object holding ``attribute`` ("YamlItem.runtest": the class) and the last name."""
    *path, name = attribute.split(".")
    owner = module
    for part in path:
        owner = getattr(owner, part, None)
    return owner, name


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


def _wrap(module) -> None:
    for attribute, make_wrapper in _WRAPPERS[module.__name__]:
        owner, name = _owner(module, attribute)
        original = getattr(owner, name, None)
        if original is None or getattr(original, "wrapped_by_openfisca_grants", False):
            continue
        wrapper = functools.wraps(original)(make_wrapper(original))
        wrapper.wrapped_by_openfisca_grants = True
        setattr(owner, name, wrapper)


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

    check_variable.exact_money = True
    return check_variable


def _whole_country_runtest(original):
    from openfisca_grants.yaml_tests import whole_country_runtest  # only once the runner loads

    return whole_country_runtest(original)


def _system_with_reform_files(original):
    from openfisca_grants.yaml_tests import system_with_reform_files

    return system_with_reform_files(original)


def _checked_create_app(original):
    def create_app(tax_benefit_system, *args, **kwargs):
        if not _is_these_rules(tax_benefit_system):
            return original(tax_benefit_system, *args, **kwargs)  # another country package
        from openfisca_grants.web.openfisca_api import create_app as checked

        return checked(tax_benefit_system, *args, **kwargs)

    return create_app


def _is_these_rules(system) -> bool:
    from openfisca_grants import CountryTaxBenefitSystem

    while system is not None:
        if isinstance(system, CountryTaxBenefitSystem):
            return True
        system = getattr(system, "baseline", None)
    return False


class _WrapOnImport(importlib.abc.MetaPathFinder):
    """Finds a module as usual and, if it is one of those wrapped here, wraps it once loaded."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in _WRAPPERS or fullname in sys.modules:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _WrappingLoader(spec.loader)
        return spec


class _WrappingLoader(importlib.abc.Loader):
    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        _wrap(module)
