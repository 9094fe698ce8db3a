"""Values as the letters write them: money in pounds, a rate as a percentage, a count as a number."""

from __future__ import annotations

from openfisca_grants.determinations import DRAFT_LABEL
from openfisca_grants.money import format_pounds

RATE_UNIT = "/1"
MONEY_UNIT = "currency-GBP"


def rate(value: float) -> str:
    """0.14 -> "14%": a rate as the letter writes it (every digit it has, no float noise)."""
    return f"{round(float(value) * 100, 10):g}%"


def in_units(value, unit: str) -> str:
    """A parameter's value as the letter writes it: 14%, £80,000, 4; a name or code as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if unit == RATE_UNIT:
        return rate(value)
    if unit == MONEY_UNIT:
        return format_pounds(round(value * 100)).removesuffix(".00")
    return f"{value:.15g}"


def by_kind(kind: str, value) -> str:
    """As ``in_units``, for a parameter's kind (money, rate, count, or a name)."""
    unit = {"money": MONEY_UNIT, "rate": RATE_UNIT}.get(kind, "")
    if kind == "count" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value))
    return in_units(value, unit)


def change(change) -> str:
    """A reform's change of a parameter as the letter writes its value (20%, £80,000)."""
    from openfisca_grants.parameter_index import index
    from openfisca_grants.simulation import tax_benefit_system

    unit = index(tax_benefit_system()).find(change.path).unit
    return in_units(change.value, unit)


def percent_change(value: float | None) -> str:
    """+1.23%: a difference as a percentage of the baseline ("" where the baseline is £0)."""
    return "" if value is None else f"{value:+.2f}%"


def swept(value: float) -> str:
    """A swept value as typed: every digit it has (1000000.01, not 1e+06), no trailing zeros."""
    return f"{value:.15g}"


def status_line(status: str, year_label: str) -> str:
    """The line a draft's figures carry: "2025-26: draft, not a published determination (...)"."""
    return "" if status == "published" else f"{year_label}: {status}."


__all__ = ["DRAFT_LABEL", "by_kind", "change", "in_units", "percent_change", "rate", "status_line", "swept"]
