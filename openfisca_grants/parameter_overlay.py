"""Reformed parameters without copying the tree: the changed leaves laid over the baseline's.

openfisca-core's ``Reform.modify_parameters`` deep-copies the whole parameter tree for every
reform, and that copy was most of what a new what-if cost. A parameter reform changes a few
leaves, so ``overlay`` copies only those leaves and the nodes on the way down to them (each a
shallow copy: a new ``children`` mapping, the untouched children shared), and the reformed
system reads the baseline's own objects everywhere else. Nothing the baseline holds is changed:
a shared leaf or node is never written to, so a reform's value cannot leak into the baseline or
into another reform. ``tests/test_parameter_overlay.py`` holds the result equal to the deep copy
for every changeable parameter.

THIS MODULE BELONGS IN THE openfisca-core ADAPTER (``openfisca_grants/openfisca_adapter/``): it is
the one place that builds openfisca-core parameter nodes and reform systems by hand. Its touch
points on core: ``ParameterNode.children`` and the attribute per child that ``add_child`` sets,
``Parameter.values_list`` and ``values_history`` (replaced, never mutated, by
``Parameter.update``), ``Reform.__init__`` (which calls ``apply``) and the reformed system's
``parameters`` and ``_parameters_at_instant_cache``. openfisca-core 46 also caches
``TaxBenefitSystem.get_parameters_at_instant`` per system (an ``lru_cache`` on the method): a
reformed system is a new object, built with its parameters in place before anything computes
with it, so that cache never holds a stale node for it.
"""

from __future__ import annotations

from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform


def overlay(baseline: ParameterNode, changes) -> ParameterNode:
    """``baseline`` with each change's leaf updated, sharing every untouched node and leaf.

    ``changes`` is an iterable of ``(path, period, value)``: ``path`` from the root of the tree
    (``"determinations.x.y"``), ``period`` as ``Parameter.update`` takes it.
    """
    root = _copied_node(baseline)
    copied = {id(root)}  # nodes and leaves this overlay owns, and so may write to
    for path, period, value in changes:
        node = root
        *parents, leaf = path.split(".")
        for key in parents:
            child = node.children[key]
            if not isinstance(child, ParameterNode):
                raise KeyError(f"{path}: {child.name} is not a node of parameters")
            if id(child) not in copied:
                child = _copied_node(child)
                copied.add(id(child))
                _replace_child(node, key, child)
            node = child
        parameter = node.children[leaf]
        if not isinstance(parameter, Parameter):
            raise KeyError(f"{path} is not one parameter")
        if id(parameter) not in copied:
            parameter = _copied_parameter(parameter)
            copied.add(id(parameter))
            _replace_child(node, leaf, parameter)
        parameter.update(period=period, value=value)
    return root


def _shallow_copy(thing):
    """A new object of the same class with a copy of ``thing``'s attributes (as core's own
    ``clone`` methods begin: ``commons.empty_clone`` then ``__dict__.copy()``)."""
    clone = object.__new__(type(thing))
    clone.__dict__ = thing.__dict__.copy()
    return clone


def _copied_node(node: ParameterNode) -> ParameterNode:
    """A node of its own whose children are, for now, the same objects as ``node``'s."""
    clone = _shallow_copy(node)  # the attributes, one per child, come along as they are
    clone.children = dict(node.children)
    return clone


def _copied_parameter(parameter: Parameter) -> Parameter:
    """A leaf of its own: ``update`` replaces its ``values_list``; the values are never mutated."""
    clone = _shallow_copy(parameter)
    clone.values_list = list(parameter.values_list)
    clone.values_history = clone  # core keeps this self-reference for backward compatibility
    return clone


def _replace_child(node: ParameterNode, key: str, child) -> None:
    node.children[key] = child
    setattr(node, key, child)  # as ParameterNode.add_child does, so node.key finds it too


class OverlaidParameterReform(Reform):
    """A reform of parameter values only: the baseline's tree with the changed leaves overlaid."""

    def __init__(self, baseline, name: str, changes) -> None:
        self.name = name
        self._overlaid_changes = list(changes)
        super().__init__(baseline)  # calls apply()

    def apply(self) -> None:
        # In place of ``modify_parameters`` (a deep copy of the tree): the same effect, and a
        # fresh cache of parameters at an instant, as modify_parameters gives.
        self.parameters = overlay(self.baseline.parameters, self._overlaid_changes)
        self._parameters_at_instant_cache = {}


def reformed_system(baseline, name: str, changes):
    """``baseline`` with parameter ``changes`` ``(path, period, value)``, as an OpenFisca reform."""
    return OverlaidParameterReform(baseline, name, changes)
