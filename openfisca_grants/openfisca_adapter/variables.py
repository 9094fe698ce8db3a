"""A variable's storage dtype and its dated formulas, as OpenFisca keeps them.

OpenFisca stores a ``float`` variable as float32 (``Variable.dtype``, set from ``value_type``);
money is stored as float64 instead (``money.Money``), by setting that attribute after
OpenFisca's own initialisation. Its formulas by start date are ``Variable.formulas``.
"""

from __future__ import annotations

import numpy


def store_as(variable, dtype) -> None:
    """Hold the variable's values in arrays of ``dtype`` (call after ``Variable.__init__``)."""
    variable.dtype = numpy.dtype(dtype).type


def storage_dtype(variable):
    """The numpy type the variable's values are held in."""
    return variable.dtype


def formulas(variable) -> dict:
    """The variable's formulas by the date each starts ("2024-04-01": function)."""
    return dict(variable.formulas)


def evaluate_expression(text: str):
    """An arithmetic expression as OpenFisca's YAML cases may write one ("233200 + 11400")."""
    from openfisca_core import commons

    return commons.eval_expression(text)
