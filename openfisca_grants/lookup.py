"""Vectorised lookups: a value for each entity, from a mapping keyed by its code.

Formulas run over every entity of a simulation at once, and a sweep replicates the nine regions
thousands of times, so a Python loop per entity would dominate. ``by_code`` compares the array
of codes with each key of the mapping instead: as many numpy comparisons as there are keys (and,
for a few codes, where those comparisons' fixed cost would dominate, looks each one up).
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
    if len(codes) <= FEW_CODES:
        table = dict(values.items())
        if all(isinstance(value, _ONE_VALUE) for value in table.values()):
            return _by_code_few(codes, table, default, dtype, unknown)
    result = numpy.empty(len(codes), dtype=dtype or object)
    found = numpy.zeros(len(codes), dtype=bool)
    for key, value in values.items():
        matches = codes == key
        per_code = isinstance(value, numpy.ndarray) and value.shape == codes.shape
        result[matches] = value[matches] if per_code else value
        found |= matches
    if not found.all():
        if default is None:
            raise _refusal(sorted({str(code) for code in codes[~found]}), unknown)
        result[~found] = default
    return result


# For a few codes (a year's nine regions, say) a dictionary lookup for each is several times
# quicker than a numpy comparison for each key, whose fixed cost is most of it at that size.
FEW_CODES = 64
_ONE_VALUE = (str, int, float, numpy.generic, type(None))  # not an array, nor anything numpy would spread


def _by_code_few(codes: numpy.ndarray, table: dict, default, dtype, unknown) -> numpy.ndarray:
    """``by_code`` for a few codes, with no value per code: the same answer, looked up one by one."""
    result = numpy.empty(len(codes), dtype=dtype or object)
    # Each value is put into the result's type, used or not, as the comparisons put each: a value
    # that type cannot take is refused however many codes there are, before any unknown code.
    for value in table.values():
        result[:0] = value
    listed = codes.tolist()
    if default is None:
        missing = sorted({str(code) for code in listed if code not in table})
        if missing:
            raise _refusal(missing, unknown)
    for index, code in enumerate(listed):
        result[index] = table.get(code, default)
    return result


def _refusal(missing: list[str], unknown) -> RulesCannotAnswer:
    return unknown(missing) if unknown else RulesCannotAnswer(f"Unknown code(s): {', '.join(missing)}.")
