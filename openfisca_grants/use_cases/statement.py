"""What one body receives in a year, from every encoded determination: the finance officer's
first question. A body is paid directly (an authority a determination pays per authority) or as
a region's lead body (a determination paid per region, to the body its Annex A names)."""

from __future__ import annotations

from dataclasses import dataclass, field

from openfisca_grants import boundary
from openfisca_grants.determinations import DRAFT_LABEL, Determination
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import decimal_pounds
from openfisca_grants.use_cases.whatif import WhatIf


@dataclass(frozen=True)
class StatementLine:
    """One payment to the body: which determination, as what, how much, and where it is written."""

    determination: Determination
    paid_as: str  # "authority", "combined authority", or "lead body for London"
    pence: int
    annex_a_row: int | None
    source: str


@dataclass
class Statement:
    year_label: str
    code: str
    name: str
    kind: str
    lines: list[StatementLine] = field(default_factory=list)
    reform: str | None = None

    @property
    def total_pence(self) -> int:
        return sum(line.pence for line in self.lines)

    def as_dict(self) -> dict:
        return {
            "financial_year": self.year_label,
            "body": {"code": self.code, "name": self.name, "kind": self.kind},
            "reform": self.reform,
            "lines": [
                {
                    "determination": line.determination.number,
                    "title": line.determination.title,
                    "status": line.determination.status_text,
                    "paid_as": line.paid_as,
                    "amount": decimal_pounds(line.pence),
                    "annex_a_row": line.annex_a_row,
                    "source": line.source,
                }
                for line in self.lines
            ],
            "total": decimal_pounds(self.total_pence),
        }


def statement(whatif: WhatIf, body: str) -> Statement:
    """Every payment the what-if's determinations make to ``body`` (a name or code) in its year.

    A body that exists but is paid nothing is a statement of no lines, said plainly by each face;
    a name the register does not know is refused, naming the closest.
    """
    from openfisca_grants.reconcile import reconcile_one
    from openfisca_grants.use_cases import _system, allocations

    if not isinstance(body, str) or not body.strip():
        raise boundary.refuse("body", body, "is not the name or code of a body.")
    if len(body) > MAX_NAME:
        raise boundary.refuse(
            "body", body[:40] + "...", f"is longer than any body's name ({MAX_NAME} characters)."
        )
    _refuse_a_region(body)
    found = _resolved(body, whatif.year.start)
    paid = allocations(whatif)
    system = _system(whatif)  # a what-if may change who leads a region
    result = Statement(whatif.year.label, found.code, found.name, found.kind, reform=_reform_name(whatif))
    for determination in whatif.determinations():
        rows = {line.gss_code: line.row for line in reconcile_one(determination).lines if line.gss_code}
        for allocation in paid:
            if allocation.determination.number != determination.number:
                continue
            if determination.payee.names_lead_bodies:
                lead = _lead_body_code(determination, system, allocation.code, whatif.year.start)
                if lead != found.code:
                    continue
                paid_as = f"lead body for {allocation.name}"
            elif allocation.code == found.code:  # paid directly: as an authority, or as what it is
                paid_as = "authority" if found.has_childrens_services else found.kind
            else:
                continue
            # Annex A's rows are by the body paid: the authority, or the region's lead body.
            row = rows.get(found.code)
            source = _source(determination, row)
            if whatif.changed:  # the what-if's amount, not the letter's: say so, keeping the row
                scaled = ", budget neutral" if whatif.budget_neutral else ""
                source = f"worked out under the reform '{whatif.spec.name}'{scaled} (the letter: {source})"
            result.lines.append(StatementLine(determination, paid_as, allocation.pence, row, source))
    return result


MAX_NAME = 200  # no body's name is longer; a longer one is not echoed back whole


def _resolved(body: str, start):
    """The body asked about, as the letters and DfE name it; or one established during the year
    (a combined authority from May is paid that year)."""
    from openfisca_grants.register import register

    if body.strip().isdigit() and len(body.strip()) == 3:  # DfE's three-digit LA number: "202"
        return register().resolve_row("", start, dfe_number=body.strip())
    return register().resolve_in_year(body, start, as_written=False)


def _refuse_a_region(body: str) -> None:
    """A region is paid through its lead body: say so, rather than "no authority is called"."""
    from openfisca_grants.register import register

    try:
        region = register().region(body)
    except RulesCannotAnswer:
        return
    raise RulesCannotAnswer(
        f"body: {boundary.shown(body)} is a region ({region.name}, {region.code}); a statement is of one "
        "body paid: a council, a combined authority or another body.",
        hint="A region is paid through its lead body: ask about that body (the what-if page and "
        "'openfisca-grants compare' show each region's grant).",
    )


def _lead_body_code(determination: Determination, system, region_code: str, on) -> str:
    from openfisca_grants.register import register

    if not determination.lead_bodies:
        raise RulesCannotAnswer(f"Determination {determination.label} pays regions but names no lead bodies.")
    region = register().region(region_code)
    name = determination.parameter(system, f"{determination.lead_bodies}.{region.key}")(on.isoformat())
    return register().resolve(str(name), on).code


def _source(determination: Determination, row: int | None) -> str:
    if determination.is_draft:
        return f"{determination.label}: {DRAFT_LABEL}, the rules' own figure"
    if row is None:
        return f"Determination {determination.label}: paid by the rules, not listed in Annex A"
    return f"Determination {determination.label}, Annex A row {row}"


def _reform_name(whatif: WhatIf) -> str | None:
    return whatif.spec.name if whatif.changed else None
