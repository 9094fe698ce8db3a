"""Annex A against the rules: every published figure beside the amount the encoded rules compute.

For each determination, ``reconcile`` reads Annex A from the letter (``published``), resolves
each row's body with the register on the first day of the financial year, calculates the grant
for a simulation of every authority then in existence (``simulation``), and lines the two up
in exact pence. For 31/7421 each row also shows the letter's formula and the named adjustment
that takes it to the Annex figure; the costing-prose checks compare each component's stated
amount with the days x day rates the letter gives for it.

A determination reconciles when every difference between published and computed is zero.
Differences the rules explain (a named adjustment, a costing prose recorded as differing) are
shown but do not count against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from openfisca_grants import determinations
from openfisca_grants.determinations import Determination
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import format_pounds, to_pence
from openfisca_grants.published import annex_a
from openfisca_grants.register import register
from openfisca_grants.simulation import ENGLAND, amounts_in_pence, build_simulation


@dataclass
class Line:
    """One published figure (an Annex A row or a total) beside what the rules compute."""

    kind: str  # "annex_a_row", "total", or "unlisted" (paid by the rules, absent from Annex A)
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
    def difference_pence(self) -> int:
        return self.computed_pence - (self.published_pence or 0)

    @property
    def matches(self) -> bool:
        return self.difference_pence == 0


@dataclass
class Check:
    """A figure the letter states, against the same figure worked out from the letter's words."""

    name: str
    working: str
    stated_pence: int
    worked_out_pence: int
    recorded: bool  # the parameters record that the two differ, with the letter's words
    explanation: str = ""

    @property
    def difference_pence(self) -> int:
        return self.stated_pence - self.worked_out_pence

    @property
    def status(self) -> str:
        if self.difference_pence == 0:
            return "agrees"
        return "differs (recorded)" if self.recorded else "DIFFERS (not recorded)"


@dataclass
class Reconciliation:
    determination: Determination
    lines: list[Line] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        return all(line.matches for line in self.lines) and all(
            check.difference_pence == 0 or check.recorded for check in self.checks
        )

    def as_dict(self) -> dict:
        d = self.determination

        def money(pence):
            return None if pence is None else f"{pence / 100:.2f}"

        return {
            "determination": d.number,
            "title": d.title,
            "financial_year": d.financial_year.label,
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
    return [_RECONCILERS[d.number](d, system) for d in chosen]


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


def _innovation_programme(determination: Determination, system) -> Reconciliation:
    year = determination.financial_year
    published = annex_a(determination)
    simulation = build_simulation(year, system)
    grants = amounts_in_pence(simulation, "innovation_programme_grant", year)
    result = Reconciliation(determination)
    listed = set()
    for row in published.rows:
        body = register().resolve(row.text, year.start)
        listed.add(body.code)
        result.lines.append(
            Line("annex_a_row", row.row, row.text, body.code, row.pence, grants.get(body.code, 0))
        )
    for code, pence in grants.items():
        if pence and code not in listed:
            name = register().authority(code).name
            result.lines.append(Line("unlisted", None, name, code, None, pence, note="not in Annex A"))
    rows_total = sum(row.pence for row in published.rows)
    computed_total = amounts_in_pence(simulation, "innovation_programme_total", year)[ENGLAND]
    result.lines.append(_total_line(rows_total, computed_total, published.stated_total_pence))
    result.checks.append(
        Check(
            "Annex A rows add up to the stated total",
            f"sum of the {len(published.rows)} rows",
            published.stated_total_pence,
            rows_total,
            recorded=False,
        )
    )
    return result


def _riia(determination: Determination, system) -> Reconciliation:
    year = determination.financial_year
    published = annex_a(determination)
    simulation = build_simulation(year, system)
    grant = amounts_in_pence(simulation, "riia_grant", year)
    formula = amounts_in_pence(simulation, "riia_formula_amount", year)
    adjustment = amounts_in_pence(simulation, "riia_annex_a_adjustment", year)
    system = simulation.tax_benefit_system
    rules = system.parameters.determinations.riia_31_7421
    result = Reconciliation(determination)
    listed = set()
    for row in published.rows:
        region_name, _, body_name = (part.strip() for part in row.text.partition("–"))
        region = register().region(region_name)
        body = register().resolve(body_name, year.start)
        listed.add(region.code)
        named = rules.annex_a_adjustment.children.get(region.key)
        result.lines.append(
            Line(
                "annex_a_row",
                row.row,
                row.text,
                body.code,
                row.pence,
                grant[region.code],
                formula_pence=formula[region.code],
                adjustment_pence=adjustment[region.code],
                adjustment_name=named.metadata["name"] if named is not None else None,
                note=named.description if named is not None else "",
            )
        )
    for code, pence in grant.items():
        if pence and code not in listed:
            name = register().region(code).name
            result.lines.append(Line("unlisted", None, name, code, None, pence, note="not in Annex A"))
    computed_total = amounts_in_pence(simulation, "riia_total", year)[ENGLAND]
    rows_total = sum(row.pence for row in published.rows)
    result.lines.append(_total_line(rows_total, computed_total, published.stated_total_pence))
    result.checks.extend(_riia_costing_checks(rules, year))
    return result


def _riia_costing_checks(rules, year: FinancialYear) -> list[Check]:
    at = rules(year.start)
    regions = len(register().regions)

    def recorded(node) -> tuple[bool, str]:
        words = node.metadata.get("prose_and_amount_differ", "")
        return bool(words), words

    def costed(component) -> tuple[int, str]:
        """The component's amount as its costing prose works it out, and the working."""
        costing = at[component].costing
        rate = to_pence(costing.day_rate)
        days = int(costing.days_per_authority)
        if "authorities_supported" in costing:
            authorities = int(costing.authorities_supported)
            working = f"{authorities} authorities x {days} days x {format_pounds(rate)} a day"
            return authorities * days * rate, working
        return days * rate, f"{days} days x {format_pounds(rate)} a day"

    checks = []
    for component, label in (
        ("sector_led_improvement", "Sector-led improvement: stated amount against its costing"),
        (
            "self_assessment_and_peer_challenge",
            "Self-assessment and peer challenge: stated amount per authority against its costing",
        ),
        (
            "national_framework_implementation",
            "National Framework implementation: stated amount against its costing",
        ),
    ):
        stated_node = at[component]
        stated = to_pence(
            stated_node.amount_per_authority
            if component == "self_assessment_and_peer_challenge"
            else stated_node.amount_per_region
        )
        worked_out, working = costed(component)
        is_recorded, words = recorded(rules.children[component])
        checks.append(Check(label, working, stated, worked_out, is_recorded, words))
    data_to_insight = at.data_to_insight
    checks.append(
        Check(
            "Data to Insight: stated pooled amount against the amount per region x regions",
            f"{format_pounds(to_pence(data_to_insight.amount_per_region))} x {regions} regions",
            to_pence(data_to_insight.pooled_amount),
            to_pence(data_to_insight.amount_per_region) * regions,
            *recorded(rules.data_to_insight),
        )
    )
    return checks


_RECONCILERS = {"31/3010": _innovation_programme, "31/7421": _riia}
