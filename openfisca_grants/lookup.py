"""Vectorised lookups: a value for each entity, from a mapping keyed by its code.

Formulas run over every entity of a simulation at once, and a sweep replicates the nine regions
thousands of times, so a Python loop per entity would dominate. ``by_code`` compares the array
of codes with each key of the mapping instead: as many numpy comparisons as there are keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy

from openfisca_grants.errors import RulesCannotAnswer


def by_code(
    codes: numpy.ndarray,
    values: Mapping[str, object],
    default=None,
    dtype=None,
    unknown: Callable[[list[str]], RulesCannotAnswer] | None = None,
) -> numpy.ndarray:
    """``values[code]`` for each code; ``default`` where a code has no value.

    With no default, codes without a value raise the error ``unknown(codes)`` builds. A value
    may itself be an array with one element per code (a swept parameter): each code then takes
    its own element.
    """
    codes = numpy.asarray(codes)
    result = numpy.empty(len(codes), dtype=dtype or object)
    found = numpy.zeros(len(codes), dtype=bool)
    for key, value in values.items():
        matches = codes == key
        per_code = isinstance(value, numpy.ndarray) and value.shape == codes.shape
        result[matches] = value[matches] if per_code else value
        found |= matches
    if not found.all():
        if default is None:
            missing = sorted({str(code) for code in codes[~found]})
            if unknown:
                raise unknown(missing)
            raise RulesCannotAnswer(f"Unknown code(s): {', '.join(missing)}.")
        result[~found] = default
    return result
