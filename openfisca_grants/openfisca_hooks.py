"""The one place this package changes openfisca-core's behaviour: a few functions, wrapped on import.

* ``openfisca_core.tools.test_runner.assert_near`` compares money variables in whole pence
  (``money.assert_money_equal``) instead of float32, so that ``openfisca test`` fails on a 1p
  difference; every other value keeps OpenFisca's own comparison.
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
        ("assert_near", _exact_money_assert_near),
        ("YamlItem.runtest", _whole_country_runtest),
        ("_get_tax_benefit_system", _system_with_reform_files),
    ]
    _WRAPPERS[SERVE] = [("create_app", _checked_create_app)]
    for module_name in _WRAPPERS:
        if module_name in sys.modules:
            _wrap(sys.modules[module_name])
    if not any(isinstance(finder, _WrapOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WrapOnImport())


def check() -> list[str]:
    """What the hooks rely on in openfisca-core that is missing (empty when all is there)."""
    missing = []
    wanted = {
        TEST_RUNNER: ["assert_near", "YamlItem.runtest", "_get_tax_benefit_system"],
        SERVE: ["create_app"],
    }
    for module_name, attributes in wanted.items():
        module = importlib.import_module(module_name)
        for attribute in attributes:
            owner, name = _owner(module, attribute)
            if not callable(getattr(owner, name, None)):
                missing.append(f"{module_name}.{attribute}")
    return missing


def _owner(module, attribute: str):
    """The object holding ``attribute`` ("YamlItem.runtest": the class) and the last name."""
    *path, name = attribute.split(".")
    owner = module
    for part in path:
        owner = getattr(owner, part, None)
    return owner, name


def _wrap(module) -> None:
    for attribute, make_wrapper in _WRAPPERS[module.__name__]:
        owner, name = _owner(module, attribute)
        original = getattr(owner, name, None)
        if original is None or getattr(original, "wrapped_by_openfisca_grants", False):
            continue
        wrapper = functools.wraps(original)(make_wrapper(original))
        wrapper.wrapped_by_openfisca_grants = True
        setattr(owner, name, wrapper)


def _exact_money_assert_near(original):
    from openfisca_grants.money import MONEY_DTYPE, assert_money_equal

    def assert_near(value, target_value, absolute_error_margin=None, message="", relative_error_margin=None):
        import numpy

        if numpy.asarray(value).dtype == MONEY_DTYPE:
            return assert_money_equal(
                value, target_value, absolute_error_margin, message, relative_error_margin
            )
        return original(value, target_value, absolute_error_margin, message, relative_error_margin)

    assert_near.exact_money = True
    return assert_near


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
