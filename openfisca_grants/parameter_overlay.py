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
``Parameter.update``), ``Reform.__init__`` (which calls ``apply``), the reformed system's
``parameters`` and ``_parameters_at_instant_cache``, and ``ParameterNodeAtInstant._children`` (the
parameters at an instant, laid over the baseline's in the same way). openfisca-core 46 caches
``TaxBenefitSystem.get_parameters_at_instant`` per system (an ``lru_cache`` on the method): a
reformed system is a new object, built with its parameters in place before anything computes
with it, so that cache never holds a stale node for it; the reform keeps its own overlaid nodes
by instant, and answers with core's own (fresh nodes) once its tree is not the one it laid, as
in a clone, which a sweep writes values into.
"""

from __future__ import annotations

from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.reforms import Reform


def overlay(baseline: ParameterNode, changes) -> ParameterNode:
    """``baseline`` with each change's leaf updated, sharing every untouched node and leaf.

    ``changes`` is an iterable of ``(path, period, value)``: ``path`` from the root of the tree
    (``"determinations.x.y"``), ``period`` as ``Parameter.update`` takes it.
    """
    root = _copied_node(baseline)
    copied = {id(root)}  # nodes and leaves this overlay owns, and so may write to

    def owned(path: str, node: ParameterNode, key: str, kind: type, copy, what: str):
        """``node``'s child ``key``, of ``kind``, copied into the overlay the first time."""
        child = node.children[key]
        if not isinstance(child, kind):
            raise KeyError(f"{path}: {child.name} is not {what}")
        if id(child) not in copied:
            child = copy(child)
            copied.add(id(child))
            _replace_child(node, key, child)
        return child

    for path, period, value in changes:
        node = root
        *parents, leaf = path.split(".")
        for key in parents:
            node = owned(path, node, key, ParameterNode, _copied_node, "a node of parameters")
        parameter = owned(path, node, leaf, Parameter, _copied_parameter, "one parameter")
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
    """A reform of parameter values only: the baseline's tree with the changed leaves overlaid.

    Its parameters at an instant (what formulas read) are the baseline's, with the same leaves
    overlaid: openfisca-core would build the whole node tree again for each new reform.
    """

    def __init__(self, baseline, name: str, changes) -> None:
        self.name = name
        self._overlaid_changes = list(changes)
        self._overlaid_at_instant: dict = {}
        super().__init__(baseline)  # calls apply()

    def apply(self) -> None:
        # In place of ``modify_parameters`` (a deep copy of the tree): the same effect, and a
        # fresh cache of parameters at an instant, as modify_parameters gives.
        self._overlaid_parameters = overlay(self.baseline.parameters, self._overlaid_changes)
        self.parameters = self._overlaid_parameters
        self._parameters_at_instant_cache = {}

    def get_parameters_at_instant(self, instant):
        if self.parameters is not self._overlaid_parameters:
            # Not the tree this reform laid (a clone, which a sweep writes into, say): core's own.
            return super().get_parameters_at_instant(instant)
        key = _instant_of(instant)
        found = self._overlaid_at_instant.get(key)
        if found is None:
            found = self._overlaid_at_instant[key] = _overlay_at_instant(
                self.baseline.get_parameters_at_instant(instant),  # as asked: core caches by argument
                self.parameters,
                [path for path, _, _ in self._overlaid_changes],
                str(key),
            )
        return found


def _instant_of(instant) -> periods.Instant:
    """The instant core's ``get_parameters_at_instant`` reads from what it is given."""
    if isinstance(instant, periods.Instant):
        return instant
    if isinstance(instant, periods.Period):
        return instant.start
    return periods.instant(instant)


def _overlay_at_instant(baseline_node, reformed: ParameterNode, paths, instant_str: str):
    """The baseline's parameters at an instant with the changed leaves' values from ``reformed``.

    As ``overlay``: the nodes on the way to a changed leaf are copied (their ``_children`` and
    the attribute per child), every other node is the baseline's own and is never written to.
    """
    root = _copied_at_instant(baseline_node)
    copied = {id(root)}
    for path in paths:
        node, source = root, reformed
        *parents, leaf = path.split(".")
        for key in parents:
            source = source.children[key]
            child = node._children[key]
            if id(child) not in copied:
                child = _copied_at_instant(child)
                copied.add(id(child))
                node._children[key] = child
                setattr(node, key, child)
            node = child
        value = source.children[leaf]._get_at_instant(instant_str)
        if value is None:  # as core leaves out a parameter with no value at the instant
            node._children.pop(leaf, None)
            node.__dict__.pop(leaf, None)
        else:
            node._children[leaf] = value
            setattr(node, leaf, value)
    return root


def _copied_at_instant(node):
    clone = _shallow_copy(node)
    clone._children = dict(node._children)
    return clone


def reformed_system(baseline, name: str, changes):
    """``baseline`` with parameter ``changes`` ``(path, period, value)``, as an OpenFisca reform."""
    return OverlaidParameterReform(baseline, name, changes)


def deep_copied_system(baseline, name: str, changes):
    """The same reform as openfisca-core makes it (``Reform.modify_parameters``: the whole tree
    deep-copied): the reference ``reformed_system`` is held equal to by the tests and measured
    against by ``benchmarks/run.py whatif``."""

    class DeepCopiedReform(Reform):
        def apply(self):
            def modify(parameters):
                for path, period, value in changes:
                    node = parameters
                    for key in path.split("."):
                        node = node.children[key]
                    node.update(period=period, value=value)
                return parameters

            self.modify_parameters(modifier_function=modify)

    DeepCopiedReform.name = name
    return DeepCopiedReform(baseline)
