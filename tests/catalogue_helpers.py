"""The catalogue as tests see it: years no determination governs, and a year's results by number.

Tests never assume which years or determinations are encoded, since a maintainer adds letters
(several a year, for any year): a test that needs "a year no determination governs" finds one
here, from the catalogue, and a test about one determination picks its result out of a year's
results by number, where unpacking "the one result of the year" would break when a second
letter for that year is imported.
"""

from __future__ import annotations

from openfisca_grants import determinations
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.register import COVERS_FROM


def ungoverned_years(after: str | None = None) -> list[str]:
    """Every financial year the register covers that no encoded determination (or draft) governs.

    From the register's first year (so that a question about such a year fails for want of a
    determination, not for want of a register), up to 2099-00; with ``after``, only later years.
    """
    governed = {d.financial_year.start_year for d in determinations.catalogue()}
    first = COVERS_FROM.year if after is None else FinancialYear.parse(after).start_year + 1
    return [FinancialYear(start).label for start in range(first, 2100) if start not in governed]


def ungoverned_year(after: str | None = None) -> str:
    """The first financial year no encoded determination governs (after ``after``, if given)."""
    return ungoverned_years(after)[0]


def catalogue_labels() -> str:
    """The encoded determinations as the messages list them: "31/3010 (2016-17), 31/7421 (2024-25)"."""
    return ", ".join(d.label for d in determinations.catalogue())


def number_of(result) -> str:
    """The determination a result is about: a Reconciliation or Comparison, or either as JSON."""
    if isinstance(result, dict):
        return result["determination"]
    return result.determination.number


def of_determination(results, number: str):
    """The one result about determination ``number`` among a year's ``results`` (any number of them)."""
    found = [result for result in results if number_of(result) == number]
    assert len(found) == 1, f"expected one result for {number}, got {[number_of(r) for r in results]}"
    return found[0]


def determination_of(path: str) -> str:
    """The number of the determination a parameter path belongs to ("riia_31_7421.x" -> "31/7421")."""
    key = path.removeprefix("determinations.").split(".")[0]
    (number,) = [d.number for d in determinations.catalogue() if d.key == key]
    return number


def year_paying_only(paid_per: str) -> str | None:
    """The first year every determination of which pays per ``paid_per`` ("region", "local_authority");
    None where no year is paid so (a test needing one then has nothing to ask)."""
    kinds: dict[str, set[str]] = {}
    for determination in determinations.catalogue():
        kinds.setdefault(determination.financial_year.label, set()).add(determination.paid_per)
    return next((year for year, paid in kinds.items() if paid == {paid_per}), None)


def sheet_name(determination) -> str:
    """The sheet a workbook gives a determination's table: "31-7421 2024-25"."""
    return f"{determination.number.replace('/', '-')} {determination.financial_year.label}"
