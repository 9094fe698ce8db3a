"""Annex A against the rules: every published figure beside the amount the encoded rules compute.

One reconciliation serves every determination, read from its description
(``determinations.Determination``): ``reconcile`` reads Annex A from the letter (``published``),
resolves each row's body with the register on the first day of the financial year (an
authority, or a region and its lead body), calculates the grant for a simulation of every
authority then in existence (``simulation``), and lines the two up in exact pence. Where the
description names a formula variable and named adjustments, each row shows them too. Its
costing checks compare each amount the letter states with the product of the factors of its
costing; a check passes when the two agree or differ by exactly the difference recorded for it.

A determination reconciles when every difference between published and computed is zero and
every costing check passes. A named adjustment is shown but does not count against it. A draft
(a year no letter has determined) has no published figures: its lines show the rules' amounts
only, labelled as a draft.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from openfisca_grants import boundary, determinations
from openfisca_grants.determinations import (
    DRAFT_LABEL,
    REGIONS_FACTOR,
    CostingCheck,
    Determination,
    unit_plural,
)
from openfisca_grants.money import MONEY_UNIT, decimal_pounds, format_pounds, to_pence
from openfisca_grants.published import annex_a
from openfisca_grants.register import register
from openfisca_grants.simulation import ENGLAND, amounts_in_pence, build_simulation


@dataclass
class Line:
    """One published figure (an Annex A row or a total) beside what the rules compute."""

    kind: str  # "annex_a_row", "total", "unlisted" (paid by the rules, absent from Annex A), "draft"
    row: int | None
    body: str  # as the letter writes it
    gss_code: str
    published_pence: int | None
    computed_pence: int
    formula_pence: int | None = None
    adjustment_pence: int | None = None
    adjustment_name: str | None = None
    note: str = ""

    @property
    def difference_pence(self) -> int | None:
        """Computed minus published; None for a draft's line (nothing published to differ from)."""
        if self.published_pence is None and not self.unlisted:
            return None
        return self.computed_pence - (self.published_pence or 0)

    @property
    def unlisted(self) -> bool:
        return self.kind == "unlisted"

    @property
    def matches(self) -> bool:
        return self.difference_pence in (0, None)  # None: a draft's line, nothing to match


@dataclass
class Check:
    """A figure the letter states, against the same figure worked out from the letter's words."""

    name: str
    working: str
    stated_pence: int
    worked_out_pence: int
    recorded_difference_pence: int | None  # the known difference, stated minus worked out
    explanation: str = ""

    @property
    def difference_pence(self) -> int:
        return self.stated_pence - self.worked_out_pence

    @property
    def recorded(self) -> bool:
        return self.recorded_difference_pence is not None

    @property
    def passes(self) -> bool:
        """Agrees, or differs by exactly the recorded difference: any other amount fails."""
        return self.difference_pence == (self.recorded_difference_pence or 0)

    @property
    def status(self) -> str:
        if self.difference_pence == 0 and not self.recorded:
            return "agrees"
        if self.passes:
            return "differs (recorded)"
        if self.recorded:
            return f"DIFFERS by other than the recorded {format_pounds(self.recorded_difference_pence)}"
        return "DIFFERS (not recorded)"


@dataclass
class Reconciliation:
    determination: Determination
    lines: list[Line] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        return all(line.matches for line in self.lines) and all(check.passes for check in self.checks)

    @property
    def is_draft(self) -> bool:
        return self.determination.is_draft

    def as_dict(self) -> dict:
        d = self.determination

        money = decimal_pounds

        return {
            "determination": d.number,
            "title": d.title,
            "financial_year": d.financial_year.label,
            "status": d.status_text,
            "reconciled": self.reconciled,
            "lines": [
                {
                    **{k: v for k, v in asdict(line).items() if not k.endswith("_pence")},
                    "published": money(line.published_pence),
                    "computed": money(line.computed_pence),
                    "difference": money(line.difference_pence),
                    "formula": money(line.formula_pence),
                    "adjustment": money(line.adjustment_pence),
                }
                for line in self.lines
            ],
            "checks": [
                {
                    "name": check.name,
                    "working": check.working,
                    "stated": money(check.stated_pence),
                    "worked_out": money(check.worked_out_pence),
                    "difference": money(check.difference_pence),
                    "recorded_difference": money(check.recorded_difference_pence),
                    "status": check.status,
                    "explanation": check.explanation,
                }
                for check in self.checks
            ],
        }


def reconcile(year=None, system=None) -> list[Reconciliation]:
    """Reconcile every encoded determination, or those governing ``year`` (e.g. "2024-25").

    ``system`` is the tax-benefit system to compute with: the baseline rules by default.
    """
    chosen = determinations.for_year(year) if year else determinations.catalogue()
    return [reconcile_one(d, system) for d in chosen]


def reconcile_one(determination: Determination, system=None) -> Reconciliation:
    """One determination's Annex A against its rules, as its description maps them."""
    year = determination.financial_year
    simulation = build_simulation(year, system)
    system = simulation.tax_benefit_system
    grant = amounts_in_pence(simulation, determination.grant_variable, year)
    formula = _amounts(simulation, determination.formula_variable, year)
    adjustment = _amounts(simulation, determination.adjustment_variable, year)
    computed_total = amounts_in_pence(simulation, determination.total_variable, year)[ENGLAND]
    result = Reconciliation(determination)
    if determination.is_draft:
        for code, pence in grant.items():
            if determination.payee.shows(pence):
                line = Line("draft", None, _name(determination, code), code, None, pence, note=DRAFT_LABEL)
                _with_formula(line, code, formula, adjustment)
                result.lines.append(line)
        result.lines.append(Line("total", None, f"Total ({DRAFT_LABEL})", "", None, computed_total))
        result.checks.extend(costing_checks(determination, system))
        return result
    published = annex_a(determination)
    listed = set()
    for row in published.rows:
        code, key, body_code = _row_body(determination, row)
        listed.add(code)
        line = Line("annex_a_row", row.row, row.text, body_code, row.pence, grant.get(code, 0))
        _with_formula(line, code, formula, adjustment)
        named = _named_adjustment(determination, system, key)
        if named is not None:
            line.adjustment_name = named.metadata["name"]
            line.note = " ".join(named.description.split())
        result.lines.append(line)
    for code, pence in grant.items():
        if pence and code not in listed:
            result.lines.append(
                Line("unlisted", None, _name(determination, code), code, None, pence, note="not in Annex A")
            )
    rows_total = sum(row.pence for row in published.rows)
    result.lines.append(_total_line(rows_total, computed_total, published.stated_total_pence))
    if published.stated_total_pence is not None:
        result.checks.append(
            Check(
                "Annex A rows add up to the stated total",
                f"sum of the {len(published.rows)} rows",
                published.stated_total_pence,
                rows_total,
                # The maintainer's named adjustments (new-determination --adjustment), if any.
                recorded_difference_pence=_recorded_total_difference(determination),
            )
        )
    result.checks.extend(costing_checks(determination, system))
    return result


def _recorded_total_difference(determination: Determination) -> int | None:
    """The stated total less the rows' sum that the description records by name, in pence."""
    recorded = determination.metadata.get("total_adjustments") or []
    if not recorded:
        return None
    return sum(boundary.money_pence(str(item["amount"]), "total_adjustments", True) for item in recorded)


def _amounts(simulation, variable: str | None, year) -> dict[str, int] | None:
    return amounts_in_pence(simulation, variable, year) if variable else None


def _with_formula(line: Line, code: str, formula, adjustment) -> None:
    if formula is not None:
        line.formula_pence = formula[code]
    if adjustment is not None:
        line.adjustment_pence = adjustment[code]


def _name(determination: Determination, code: str) -> str:
    return determination.payee.name(code)


def _row_body(determination: Determination, row) -> tuple[str, str, str]:
    """An Annex A row's paid code (authority or region), its key, and the body paid's GSS code.

    Read as the import read it, by the ONS code or DfE number the row gives beside its name: two
    bodies of a year may share a name (the North East Combined Authority before and after
    November 2018), and only the code says which the row pays."""
    paid = determination.payee.annex_row(
        row.text, determination.financial_year.start, row.ons_code, row.dfe_number
    )
    return paid.code, paid.key, paid.body_code


def _named_adjustment(determination: Determination, system, key: str):
    """The named adjustment parameter of the body keyed ``key``, if the description has any."""
    if not determination.annex_a.adjustments:
        return None
    return determination.parameter(system, determination.annex_a.adjustments).children.get(key)


def _total_line(rows_published: int, computed: int, stated_total: int | None) -> Line:
    """The total line: the letter's stated total, or the sum of its rows where it states none."""
    if stated_total is None:
        return Line(
            "total",
            None,
            "Total (sum of Annex A rows; the letter states no total)",
            "",
            rows_published,
            computed,
        )
    return Line("total", None, "Total, as Annex A states it", "", stated_total, computed)


def costing_checks(determination: Determination, system) -> list[Check]:
    """Each declared costing check: the stated amount against the product of its factors."""
    return [_costing_check(determination, system, check) for check in determination.costing_checks]


def _costing_check(determination: Determination, system, check: CostingCheck) -> Check:
    at = determination.financial_year.start.isoformat()
    stated = to_pence(determination.parameter(system, check.stated)(at))
    product, shown = 1, []
    money_factors = 0
    units = {
        determination.parameter(system, f).metadata.get("unit") for f in check.factors if f != REGIONS_FACTOR
    }
    for factor in check.factors:
        if factor == REGIONS_FACTOR:
            regions = len(register().regions)
            product *= regions
            shown.append(f"{regions} regions")
            continue
        parameter = determination.parameter(system, factor)
        value, unit = parameter(at), parameter.metadata.get("unit", "")
        if unit == MONEY_UNIT:
            money_factors += 1
            pence = to_pence(value)
            product *= pence
            shown.append(format_pounds(pence) + (" a day" if "day" in units else ""))
        else:
            product *= int(value)
            shown.append(f"{int(value)} {_units(unit, int(value))}")
    if money_factors != 1:
        raise ValueError(f"costing check {check.name!r}: exactly one factor must be an amount of money")
    return Check(
        check.name,
        " x ".join(shown),
        stated,
        product,
        check.recorded_difference_pence,
        check.explanation,
    )


def _units(unit: str, count: int) -> str:
    if unit in ("", "/1"):
        return ""
    return unit if count == 1 else unit_plural(unit)
