"""Exact money: pounds held as float64 on whole pence, compared and printed in integer pence.

Why not stock OpenFisca floats: a ``float`` variable is stored as float32, which has 24 bits
of mantissa, so above £167,772.16 it cannot hold every penny (£1,637,997.91 reads back as
£1,637,997.88), and ``openfisca test`` casts both sides to float32 before comparing, so a test
asserting £32,350,065.00 passes against £32,350,063.17.

What this module does instead:

* **Storage.** Money variables subclass ``Money``: still ``value_type = float`` (so the Web
  API, the tracer and reforms treat them as numbers) but stored as float64. float64 carries 53
  bits: every whole-penny amount below £90 billion is held to within a millionth of a penny,
  and a sum of a few hundred such amounts stays far inside half a penny, so rounding to the
  penny recovers the exact figure.
* **Arithmetic.** Formulas that multiply (a weighting, a rate) round their result to the penny
  with ``round_to_pence``, half away from zero, so every stored amount is a whole number of
  pence and the next sum is exact.
* **Comparison.** Tests and reconciliation compare integer pence (``to_pence``), never floats.
  Importing ``openfisca_grants`` makes ``openfisca test`` do the same for money variables
  (``assert_money_equal``, installed by ``openfisca_adapter.yaml_runner``): the YAML suite
  fails on a 1p difference.
* **Output.** Reports print ``format_pounds(pence)``: "£32,350,063.17".
"""

from __future__ import annotations

import decimal

import numpy
from openfisca_core.variables import Variable

from openfisca_grants.openfisca_adapter import variables

MONEY_DTYPE = numpy.float64
MONEY_UNIT = "currency-GBP"
PENCE_PER_POUND = 100

# A product of amounts written in decimal that is exactly half a penny can land a hair below it
# in binary (£80,000 x 1.1400000625 is £91,200.005, but 9,120,000.4999999 pence in float64):
# within a millionth of a penny of a half is a half, so it rounds away from zero as it should.
HALF_PENNY_TOLERANCE = 1e-6

_PENNY = decimal.Decimal("0.01")


class Money(Variable):
    """Base class of every variable that holds an amount of money in pounds sterling.

    Subclasses get ``value_type = float`` and ``unit = "currency-GBP"`` unless they say
    otherwise, and float64 storage.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # OpenFisca reads a variable's attributes from its own class __dict__ only, so the
        # defaults are written there rather than inherited.
        if "value_type" not in cls.__dict__:
            cls.value_type = float
        if "unit" not in cls.__dict__:
            cls.unit = MONEY_UNIT

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        variables.store_as(self, MONEY_DTYPE)


def round_to_pence(amounts):
    """Round pounds to the nearest penny, halves away from zero, as float64.

    The magnitude is rounded and the sign put back; computed in place in one array, since a
    sweep rounds millions of amounts at once.
    """
    amounts = numpy.asarray(amounts, dtype=MONEY_DTYPE)
    rounded = numpy.abs(amounts, out=numpy.empty_like(amounts))
    rounded *= PENCE_PER_POUND
    rounded += 0.5 + HALF_PENNY_TOLERANCE
    numpy.floor(rounded, out=rounded)
    rounded /= PENCE_PER_POUND
    return numpy.copysign(rounded, amounts, out=rounded)[()]


def to_pence(amount) -> int:
    """An amount in pounds as an exact whole number of pence.

    Accepts a number (a float64 on whole pence, an int, a Decimal) or the way the letters print
    money: "£1,637,997.91", "£233,200". Refuses amounts that are not whole pence, since a
    fraction of a penny here means a transcription or rounding error.
    """
    if isinstance(amount, str):
        # The boundary's one strict reading of money ("1,2,3" is not £123).
        from openfisca_grants import boundary
        from openfisca_grants.errors import RulesCannotAnswer

        try:
            return boundary.money_pence(amount, allow_negative=True)
        except RulesCannotAnswer as error:
            raise ValueError(str(error)) from None
    if isinstance(amount, decimal.Decimal):
        exact = amount
    else:
        scaled = float(amount) * PENCE_PER_POUND
        pence = round(scaled)
        # A float64 written as 1637997.91 is 163799790.99999999 pence: within a thousandth of a
        # penny of a whole number. Anything further off was never a whole-penny amount.
        if abs(scaled - pence) > 1e-3:
            raise ValueError(f"{amount} is not a whole number of pence")
        return int(pence)
    quantized = exact.quantize(_PENNY, rounding=decimal.ROUND_HALF_UP)
    if quantized != exact:
        raise ValueError(f"{amount} is not a whole number of pence")
    return int(quantized * PENCE_PER_POUND)


# The largest amount, either way, that is computed and reported: £1,000,000,000,000.00. Every
# whole-penny amount up to it, and sums of thousands of them, are exact in float64 and int64.
MAX_PENCE = 10**14


def pence_array(amounts, what: str = "", ids=None) -> numpy.ndarray:
    """Whole pence, as int64, for an array of pounds held on whole pence.

    Refuses an amount that is not finite or is beyond ``MAX_PENCE`` (a formula reform that
    divides by zero, say), naming ``what`` and the entity's id, rather than print nonsense.
    """
    amounts = numpy.asarray(amounts, dtype=MONEY_DTYPE)
    bad = ~numpy.isfinite(amounts) | (numpy.abs(amounts) * PENCE_PER_POUND > MAX_PENCE)
    if bad.any():
        from openfisca_grants.errors import RulesCannotAnswer

        index = int(numpy.argmax(bad))
        who = f" for {ids[index]}" if ids is not None else ""
        raise RulesCannotAnswer(
            f"{what or 'an amount'}{who} comes out as {float(amounts.flat[index])!r}: "
            "not an amount this tool reports (it must be finite and within £1,000,000,000,000.00 "
            "either way).",
            hint="A formula, or a reform's formula, gave a value that is not an amount of money.",
        )
    return numpy.rint(amounts * PENCE_PER_POUND).astype(numpy.int64)


def format_pounds(pence: int) -> str:
    """ "£32,350,063.17" (and "-£400.00"), from exact pence."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), PENCE_PER_POUND)
    return f"{sign}£{whole:,}.{part:02d}"


def decimal_pounds(pence: int | None) -> str | None:
    """ "32350063.17" (and "-400.00"), from exact pence, in integers: the one way money becomes a
    decimal string for JSON, CSV and DataFrames (a float would print 0.1 + 0.2 pence wrongly)."""
    if pence is None:
        return None
    pence = int(pence)
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), PENCE_PER_POUND)
    return f"{sign}{whole}.{part:02d}"


# ---------------------------------------------------------------------------------------------
# Exact comparison in OpenFisca's YAML test runner
# ---------------------------------------------------------------------------------------------


def _expected_pence(target) -> list[int]:
    if isinstance(target, list):
        return [pence for item in target for pence in _expected_pence(item)]
    if isinstance(target, str):
        try:
            return [to_pence(target)]
        except ValueError:
            # OpenFisca lets a test write an arithmetic expression ("233200 + 11400").
            target = variables.evaluate_expression(target)
    return [to_pence(item) for item in numpy.atleast_1d(numpy.asarray(target, dtype=MONEY_DTYPE))]


def assert_money_equal(
    value, target_value, absolute_error_margin=None, message="", relative_error_margin=None
) -> None:
    """OpenFisca's ``assert_near`` for money: compares whole pence, exactly by default.

    An ``absolute_error_margin`` in a YAML test is read in pounds (0.01 allows one penny); a
    ``relative_error_margin`` as a fraction of the expected amount.
    """
    actual = pence_array(numpy.atleast_1d(value))
    expected = numpy.asarray(_expected_pence(target_value), dtype=numpy.int64)
    if expected.size == 1 and actual.size > 1:
        expected = numpy.repeat(expected, actual.size)
    difference = numpy.abs(actual - expected)
    allowed = numpy.zeros_like(difference)
    if absolute_error_margin is not None:
        allowed = numpy.maximum(allowed, round(float(absolute_error_margin) * PENCE_PER_POUND))
    if relative_error_margin is not None:
        allowed = numpy.maximum(
            allowed, numpy.floor(numpy.abs(expected) * float(relative_error_margin)).astype(numpy.int64)
        )
    if (difference > allowed).any():
        shown_actual = ", ".join(format_pounds(p) for p in actual)
        shown_expected = ", ".join(format_pounds(p) for p in expected)
        shown_difference = ", ".join(format_pounds(int(p)) for p in actual - expected)
        raise AssertionError(
            f"{message}{shown_actual} differs from {shown_expected} by {shown_difference} "
            "(money is compared in whole pence)"
        )
