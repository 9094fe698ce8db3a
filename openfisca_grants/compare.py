"""Baseline against reform: each region's (or authority's) grant for a year, both ways, in pence.

``compare(spec, "2024-25")`` builds a simulation of every authority of the year under the
baseline rules and under the reformed rules, and lines up the grant of each body the
determination pays: baseline, reform, difference in pounds and per cent, and totals. With
``budget_neutral=True`` the reformed amounts are scaled so that they add up to the baseline
total exactly (to the penny: the pennies left by rounding go to the largest remainders), and
the factor is reported. A reform that changes no figure is flagged (``changes_nothing``).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from fractions import Fraction

import numpy

from openfisca_grants import determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.grant_rules import refuse_negative_grants, scale_to_total
from openfisca_grants.money import decimal_pounds
from openfisca_grants.openfisca_adapter import tracing
from openfisca_grants.reforms import ReformSpec, apply
from openfisca_grants.simulation import amounts_in_pence, build_simulation, tax_benefit_system


@dataclass
class Row:
    code: str
    name: str
    baseline_pence: int
    reform_pence: int

    @property
    def difference_pence(self) -> int:
        return self.reform_pence - self.baseline_pence

    @property
    def difference_percent(self) -> float | None:
        if self.baseline_pence == 0:
            return None
        return 100 * self.difference_pence / self.baseline_pence


@dataclass
class Comparison:
    reform: ReformSpec
    determination: determinations.Determination
    paid_per: str
    rows: list[Row] = field(default_factory=list)
    budget_neutral_factor: float | None = None
    unread_changes: list[str] = field(default_factory=list)  # changed, but read by no formula
    other_years_changes: list[str] = field(default_factory=list)  # rules of another year

    @property
    def baseline_total_pence(self) -> int:
        return sum(row.baseline_pence for row in self.rows)

    @property
    def reform_total_pence(self) -> int:
        return sum(row.reform_pence for row in self.rows)

    @property
    def total(self) -> Row:
        return Row("", "Total", self.baseline_total_pence, self.reform_total_pence)

    @property
    def changes_nothing(self) -> bool:
        return all(row.difference_pence == 0 for row in self.rows)

    def as_dict(self) -> dict:
        def row_dict(row: Row) -> dict:
            percent = row.difference_percent
            return {
                "code": row.code,
                "name": row.name,
                "baseline": decimal_pounds(row.baseline_pence),
                "reform": decimal_pounds(row.reform_pence),
                "difference": decimal_pounds(row.difference_pence),
                "difference_percent": None if percent is None else round(percent, 4),
            }

        return {
            "reform": self.reform.name,
            "description": self.reform.description,
            "determination": self.determination.number,
            "financial_year": self.determination.financial_year.label,
            "status": self.determination.status_text,
            "paid_per": self.paid_per,
            "changes_nothing": self.changes_nothing,
            "unread_changes": self.unread_changes,
            "other_years_changes": self.other_years_changes,
            "budget_neutral_factor": self.budget_neutral_factor,
            "rows": [row_dict(row) for row in self.rows],
            "total": row_dict(self.total),
        }


def compare(spec: ReformSpec, year, budget_neutral: bool = False, baseline=None) -> list[Comparison]:
    """One ``Comparison`` for each determination governing ``year``."""
    baseline = baseline or tax_benefit_system()
    reformed = apply(spec, baseline)
    reform_simulation = build_simulation(year, reformed)
    tracing.start_recording_parameters(reform_simulation)  # to tell which changes a formula reads
    results = []
    for determination in determinations.for_year(year):
        variable = determination.grant_variable
        before = _baseline_amounts(baseline, year, variable)
        after = amounts_in_pence(reform_simulation, variable, year)
        paid_per = determination.paid_per
        comparison = Comparison(spec, determination, paid_per)
        for code in before:
            if not determination.payee.shows(before[code], after[code]):
                continue  # a body the determination pays nothing either way
            comparison.rows.append(Row(code, determination.payee.name(code), before[code], after[code]))
        read = tracing.parameters_read(reform_simulation)
        comparison.other_years_changes = [
            f"{change.path} ({change.year.label})"
            for change in spec.changes
            if change.path.split(".")[1] != determination.key
        ]
        comparison.unread_changes = [
            change.path
            for change in spec.changes
            if change.path.split(".")[1] == determination.key and change.path not in read
        ]
        refuse_negative_grants(
            [row.reform_pence for row in comparison.rows],
            [row.name for row in comparison.rows],
            determination,
        )
        if budget_neutral:
            _rescale(comparison)
        results.append(comparison)
    return results


# Each baseline system's grants by year and variable (weakly held: the rules never change once
# built, so the baseline of a year is worked out once per process).
_BASELINE_AMOUNTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _baseline_amounts(baseline, year, variable: str) -> dict[str, int]:
    key = (FinancialYear.parse(year), variable)
    cached = _BASELINE_AMOUNTS.setdefault(baseline, {})
    if key not in cached:
        cached[key] = amounts_in_pence(build_simulation(year, baseline), variable, year)
    return dict(cached[key])


def _rescale(comparison: Comparison) -> None:
    """Scale the reformed amounts to the baseline total, to the penny (largest remainders)."""
    target, current = comparison.baseline_total_pence, comparison.reform_total_pence
    if current <= 0:
        raise RulesCannotAnswer(
            f"Cannot make {comparison.determination.label} budget neutral: under the reform "
            "the grants add up to nothing, so no factor scales them to the baseline total.",
            hint="Compare without --budget-neutral to see the figures.",
        )
    scaled, _ = scale_to_total(
        numpy.array([row.reform_pence for row in comparison.rows], dtype=numpy.int64),
        target,
        what=comparison.determination.label,
    )
    for row, pence in zip(comparison.rows, scaled.tolist(), strict=True):
        row.reform_pence = pence
    comparison.budget_neutral_factor = float(Fraction(target, current))
