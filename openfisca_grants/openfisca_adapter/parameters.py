"""Parameter values as formulas read them, and one value per copy injected there for a sweep.

Formulas read a year's parameters from a node OpenFisca caches per system and instant
(``get_parameters_at_instant``). A sweep gives a numeric leaf of that node one value per entity
of its copies of the country (an array where OpenFisca holds a number), so that one simulation
computes every swept value at once. The node's internals are reached here only.
"""

from __future__ import annotations


class SweptLeaf:
    """A numeric leaf of the parameters formulas read in one period, to give an array."""

    def __init__(self, node, leaf: str) -> None:
        self._node, self._leaf = node, leaf

    def give(self, values) -> None:
        """Formulas read ``values`` (one per entity reading it) for this leaf from now on."""
        self._node.add_child(self._leaf, values)


def numeric_leaf_as_read(system, period, path: str) -> SweptLeaf | None:
    """The leaf at ``path`` of the node formulas read for ``period``; None unless it is a number.

    OpenFisca caches the node per system and argument, and formulas ask for it with the
    period, so it is asked for the same way.
    """
    node = system.get_parameters_at_instant(period)
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[key]
    value = node._children.get(leaf)
    if not isinstance(value, (int, float)):
        return None
    return SweptLeaf(node, leaf)
