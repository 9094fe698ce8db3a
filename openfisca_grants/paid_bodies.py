"""Which body a question is about: a region or an authority a year's determination pays.

``paid_body("2016-17", authority="Lancashire")`` resolves the name on 1 April of the year and
checks that the determination governing the year pays such bodies, and pays this one: asked
about an authority its Annex A does not list, it raises ``RulesCannotAnswer`` naming those it
does list, rather than answering £0 as if the authority had been given nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from openfisca_grants import boundary, determinations, payees
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.register import register


@dataclass(frozen=True)
class PaidBody:
    year: FinancialYear
    determination: determinations.Determination
    kind: str  # the paying determination's paid_per: "region", "local_authority" or "body"
    code: str
    key: str  # the region's key ("south_west"), or the authority's code
    name: str


def paid_body(
    year, region: str | None = None, authority: str | None = None, number: str | None = None
) -> PaidBody:
    """The body asked about, and the determination of ``year`` that pays it (the one numbered
    ``number``, where several govern the year)."""
    year = FinancialYear.parse(year)
    if (region is None) == (authority is None):
        raise RulesCannotAnswer("Ask about one body: a region or an authority.")
    governing = determinations.for_year(year)
    if number is not None:
        chosen = [d for d in governing if d.number == str(number).strip()]
        if not chosen:
            raise RulesCannotAnswer(
                f"No determination numbered {boundary.shown(number)} governs {year.label}.",
                available=f"{year.label} is governed by " + ", ".join(d.label for d in governing) + ".",
            )
        governing = chosen
    asked = payees.asked_with("region" if region is not None else "authority")
    paying = [d for d in governing if d.payee.asked_with == asked.asked_with]
    if not paying:
        determination = governing[0]
        raise RulesCannotAnswer(
            f"Determination {determination.label} pays each {determination.payee.words}, "
            f"not each {asked.words}.",
            hint=f"Ask with --{determination.payee.asked_with}.",
        )
    if region is not None:
        found = register().region(region)
        determination = _one(paying, year, found.name)
        return PaidBody(year, determination, asked.key, found.code, found.key, found.name)
    body = register().resolve_in_year(authority, year.start, as_written=False)
    able = [d for d in paying if d.payee.can_pay(body)]
    if not able:  # a combined authority asked of determinations that pay only authorities
        which = ", ".join(d.label for d in paying)
        began = (
            f", from {body.valid_from.isoformat()}"
            if body.valid_from and body.valid_from > year.start
            else ""
        )
        raise RulesCannotAnswer(
            f"{body.name} ({body.code}{began}) is not a local authority with children's services duties: "
            f"it is a {body.kind}, and "
            + (f"determination {which} pays" if len(paying) == 1 else f"determinations {which} pay")
            + " only such authorities.",
            hint=f"A {body.kind} is paid as a region's lead body, or directly by a letter whose Annex A "
            "names it: 'openfisca-grants statement' lists what it is paid.",
        )
    paying = able
    if len(paying) > 1:
        listing = [d for d in paying if not d.listed_variable or body.code in _listed(d.key)[0]]
        paying = listing or paying[:1]  # none lists it: the first says so, naming those it pays
    determination = _one(paying, year, body.name)
    _require_listed(determination, body)
    return PaidBody(year, determination, determination.paid_per, body.code, body.code, body.name)


def _one(paying: list, year: FinancialYear, name: str):
    if len(paying) > 1:
        raise RulesCannotAnswer(
            f"{name} is paid by {len(paying)} determinations in {year.label}: "
            + ", ".join(d.label for d in paying)
            + ".",
            hint="Say which with its number (--determination).",
        )
    return paying[0]


def _require_listed(determination, body) -> None:
    """Raise unless the determination's Annex A lists the authority."""
    if not determination.listed_variable:
        return
    listed, paid_names = _listed(determination.key)
    if body.code in listed:
        return
    raise RulesCannotAnswer(
        f"{body.name} ({body.code}) is not among the {determination.payee.paid_plural} determination "
        f"{determination.label} pays: its Annex A does not list it.",
        available=f"It pays {len(paid_names)}: " + ", ".join(paid_names) + ".",
    )


@functools.cache
def _listed(key: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The codes a determination's Annex A lists, and the names of those it pays (baseline rules)."""
    from openfisca_grants.openfisca_adapter import populations
    from openfisca_grants.simulation import amounts_in_pence, build_simulation

    (determination,) = [d for d in determinations.catalogue() if d.key == key]
    year = determination.financial_year
    simulation = build_simulation(year)
    codes = populations.ids(simulation, "local_authorities")
    is_listed = simulation.calculate(determination.listed_variable, year.period)
    paid = amounts_in_pence(simulation, determination.grant_variable, year)
    listed = frozenset(code for code, flag in zip(codes, is_listed, strict=True) if flag)
    names = tuple(register().authority(code).name for code in codes if code in listed and paid[code])
    return listed, names
