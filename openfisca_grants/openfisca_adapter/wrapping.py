"""Wrapping a function of openfisca-core on import: now if its module is loaded, else when it is.

``openfisca-grants reconcile`` should not pay for importing pytest or Flask, so the test
runner's and ``openfisca serve``'s functions are wrapped by an import hook when (and only
if) their modules are imported. Each function is wrapped once, whatever the import order.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import sys
import types
from collections.abc import Callable

# module -> [(attribute, wrapper factory)]: a factory takes the original and returns its wrapper;
# an attribute may be a class's ("YamlItem.runtest").
_WRAPPERS: dict[str, list[tuple[str, Callable]]] = {}
WRAPPED_MARK = "wrapped_by_openfisca_grants"


def wrap_on_import(module_name: str, wrappers: list[tuple[str, Callable]]) -> None:
    """Wrap each ``(attribute, factory)`` of ``module_name`` (once), now or when it is imported."""
    _WRAPPERS[module_name] = wrappers
    if module_name in sys.modules:
        _wrap(sys.modules[module_name])
    if not any(isinstance(finder, _WrapOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WrapOnImport())


def owner_of(module, attribute: str):
    """The object holding ``attribute`` ("YamlItem.runtest": the class) and the last name."""
    *path, name = attribute.split(".")
    owner = module
    for part in path:
        owner = getattr(owner, part, None)
    return owner, name


def _wrap(module) -> None:
    for attribute, make_wrapper in _WRAPPERS[module.__name__]:
        owner, name = owner_of(module, attribute)
        original = getattr(owner, name, None)
        if original is None:
            # What is wrapped is gone: the contract tests (tests/test_openfisca_adapter_contract.py)
            # fail on the behaviour it gave, so nothing is silently lost.
            continue
        if getattr(original, WRAPPED_MARK, False):
            continue
        if isinstance(original, types.MethodType):  # a classmethod, read bound to its class
            function = functools.wraps(original.__func__)(make_wrapper(original))
            setattr(function, WRAPPED_MARK, True)
            setattr(owner, name, classmethod(function))
        else:
            function = functools.wraps(original)(make_wrapper(original))
            setattr(function, WRAPPED_MARK, True)
            setattr(owner, name, function)


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
