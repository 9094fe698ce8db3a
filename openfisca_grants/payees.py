"""Who a determination pays, one kind of payee a class: what every generic module asks of a kind.

A determination's description says how it pays (``paid_per``): each local authority its Annex A
lists, or each region through the lead body Annex A names for it. Reconcile, compare, sweep,
explain, the charts, the docs, the command line and the Web API ask the same few questions of
that: which OpenFisca entity the grant is on, what a row of Annex A names, what a body paid is
called, which bodies a year could pay, whether a body paid nothing is shown. Each kind answers
them here, so that no generic module branches on ``paid_per``; a new kind is one class added to
``KINDS``.

Which bodies exist to be paid on a date (children's services authorities, combined and combined
county authorities, the Greater London Authority), and which cannot be paid at all (a
children's services trust or company: its owning council is the payee), is the register's
(``openfisca_grants.register``); a kind reads it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.register import register

# The dash a letter writes between a region and its lead body ("South West – Wiltshire Council").
LEAD_BODY_DASH = "–"


@dataclass(frozen=True)
class RowBody:
    """What one Annex A row pays: the simulation's id of what is paid, its key, and the body paid."""

    code: str  # the id of the grant's entity: the authority's GSS code, or the region's ONS code
    key: str  # the authority's code, or the region's key (a named adjustment's key)
    body_code: str  # the GSS code of the body the money goes to
    body_name: str  # that body as the row names it


class PayeeKind:
    """One kind of payee. Subclasses set the attributes and answer the methods."""

    key: str  # the value of ``paid_per`` in a description
    entity: str  # the OpenFisca entity the grant variable is on
    entity_class: str  # its class in openfisca_grants.entities (for written variables modules)
    words: str  # "local authority": "per local authority", "each local authority"
    one_paid: str  # for a kind paid on the authorities' entity: what written variables call one
    paid_plural: str  # ... and several
    row_label: str  # what an Annex A row names
    paid_to: str  # for the docs: who the money goes to
    asked_with: str  # the keyword (and option, --authority) a question about one body uses
    shows_unpaid: bool  # a body this kind could pay but the determination pays nothing is shown
    fixed_amounts: bool  # a letter of this kind with no formula is complete as Annex A's amounts
    names_lead_bodies: bool  # each row names the body paid on another's behalf (lead_bodies.yaml)

    def shows(self, *pence: int) -> bool:
        """Whether a body with these amounts (a baseline and a reform, say) is listed: any paid,
        or every body for a kind that lists bodies paid nothing."""
        return self.shows_unpaid or any(pence)

    def paid(self, amounts: dict[str, int]) -> list[tuple[str, str, int]]:
        """(id, name, pence) of each body of a grant's amounts ({id: pence}) that is listed."""
        return [(code, self.name(code), pence) for code, pence in amounts.items() if self.shows(pence)]

    def check(self, metadata: dict) -> None:
        """Raise ValueError if a description paying this kind lacks what the kind needs."""

    def can_pay(self, body) -> bool:
        """Whether a determination of this kind could pay the register's ``body`` directly."""
        return False

    def name(self, code: str) -> str:
        """The name shown for the body (or region) with the id ``code``."""
        raise NotImplementedError

    def bodies(self, on: datetime.date) -> list[tuple[str, str]]:
        """Every (id, name) this kind could pay on ``on``, in the simulation's order."""
        raise NotImplementedError

    def annex_row(self, text: str, on: datetime.date, ons_code: str = "", dfe_number: str = "") -> RowBody:
        """What the Annex A row ``text`` pays on ``on`` (with the ONS code or DfE LA number the
        row gives, if any); raises RulesCannotAnswer naming why not."""
        raise NotImplementedError

    def is_row(self, text: str) -> bool:
        """Whether ``text`` is written as a row of this kind."""
        raise NotImplementedError

    def case_input(self, paid: list[tuple[str, str]], on: datetime.date) -> tuple[list[str], list[str]]:
        """For a YAML case paying ``paid`` ((id, key) pairs): its ``input:`` lines (indented under
        it), and the authorities the case places in England."""
        raise NotImplementedError

    def country_total(self, grant: str) -> str:
        """The body of a ``formula(country, period)`` adding ``grant`` up over England."""
        return f'        return country.sum(country.members("{grant}", period))\n'

    def __repr__(self) -> str:
        return f"<payee kind {self.key}>"


class LocalAuthorities(PayeeKind):
    key = "local_authority"
    entity = "local_authority"
    entity_class = "LocalAuthority"
    words = "local authority"
    one_paid, paid_plural = "authority", "authorities"  # what written variables call the bodies paid
    row_label = "authority"
    paid_to = "each authority Annex A lists"
    asked_with = "authority"
    shows_unpaid = False  # an authority Annex A does not list is paid nothing, not a row
    fixed_amounts = True

    def name(self, code: str) -> str:
        return register().authority(code).name

    def can_pay(self, body) -> bool:
        return body.has_childrens_services

    def bodies(self, on):
        from openfisca_grants.simulation import bodies_of_year

        # Every body of the year's simulation, in its order: a combined authority among them
        # (in a year a letter pays one) is paid nothing by a determination paying authorities.
        return [(body.code, body.name) for body in bodies_of_year(on)]

    names_lead_bodies = False

    def is_row(self, text: str) -> bool:
        return True

    def case_input(self, paid, on):
        codes = [code for code, _ in paid]
        return ["    local_authorities:", *(f"      {code}: {{gss_code: {code}}}" for code in codes)], codes

    def annex_row(self, text: str, on, ons_code: str = "", dfe_number: str = "") -> RowBody:
        body = register().resolve_row(text, on, ons_code, dfe_number)
        register().require_authorities([body.code], on)
        return RowBody(body.code, body.code, body.code, text)


class Bodies(LocalAuthorities):
    """Each body Annex A lists, whatever it is: an authority, a combined or combined county
    authority, the Greater London Authority. A letter's rows are read as this kind when any of
    them names a body that is not an authority; the grant is on the same entity as an
    authority's, which every year's simulation holds all these bodies in."""

    key = "body"
    words = "body"
    one_paid, paid_plural = "body", "bodies"
    row_label = "body"
    paid_to = "each body Annex A lists (an authority, a combined authority, the Greater London Authority)"

    def can_pay(self, body) -> bool:
        return True

    def annex_row(self, text: str, on, ons_code: str = "", dfe_number: str = "") -> RowBody:
        try:
            body = register().resolve_row(text, on, ons_code, dfe_number)
        except RulesCannotAnswer as error:
            # A body established during the year (a combined authority in May 2024) is paid by a
            # letter of that year: by its name, or its ONS code, and both must say the same body.
            try:
                body = register().resolve_in_year(ons_code or text, on)
            except RulesCannotAnswer:
                raise error from None
            written = " ".join(text.split()).casefold()
            names = {body.code.casefold(), body.name.casefold(), *(n.casefold() for n in body.letter_names)}
            if dfe_number or (written not in names and not (ons_code and not written)):
                if ons_code and not dfe_number:  # the code of one body, the name of another
                    _refuse_code_and_name(body, text, on)
                raise error from None
        register().require_payees([body.code], on)
        return RowBody(body.code, body.code, body.code, text)


def _refuse_code_and_name(by_code, text: str, on: datetime.date) -> None:
    """Raise, naming both, where a row's ONS code and its name are of two bodies of the year, one
    of them established during it (the rest are said by ``Register.resolve_row``)."""
    try:
        named = register().resolve_in_year(text, on)
    except RulesCannotAnswer:
        named = None
    if named is not None and named.code == by_code.code:
        return

    def dated(body) -> str:
        began = body.valid_from is not None and body.valid_from > on
        return f"{body.name} ({body.code}" + (f", from {body.valid_from.isoformat()})" if began else ")")

    if named is None and not (by_code.valid_from and by_code.valid_from > on):
        return
    raise RulesCannotAnswer(
        f"its ONS code {by_code.code} is {dated(by_code)}, but its name "
        + (f"is {dated(named)}" if named is not None else f"'{text}' is not a name of that body")
    )


class RegionLeadBodies(PayeeKind):
    key = "region"
    entity = "region"
    entity_class = "Region"
    words = "region"
    one_paid, paid_plural = "region", "regions"
    row_label = f"region {LEAD_BODY_DASH} lead body"
    paid_to = "each region, through its lead body"
    asked_with = "region"
    shows_unpaid = True  # every region is shown, as every region has a lead body
    fixed_amounts = False

    def check(self, metadata: dict) -> None:
        if not metadata.get("lead_bodies"):
            raise ValueError("a determination paid per region names its lead_bodies parameter")

    def name(self, code: str) -> str:
        return register().region(code).name

    def bodies(self, on):
        return [(region.code, region.name) for region in register().regions]

    names_lead_bodies = True

    def is_row(self, text: str) -> bool:
        return split_lead_body(text) is not None

    def case_input(self, paid, on):
        # A region needs one member to be in England: the first of its authorities on the date.
        authorities = register().authorities_on(on)
        first = {code: next(a.code for a in authorities if a.region_code == code) for code, _ in paid}
        lines = ["    local_authorities:", *(f"      {c}: {{gss_code: {c}}}" for c in first.values())]
        lines.append("    regions:")
        for code, key in paid:
            lines += [f"      {key}:", f"        members: [{first[code]}]", f"        region_code: {code}"]
        return lines, list(first.values())

    def country_total(self, grant: str) -> str:
        # Each region's grant once (within_country.once_per_region), as a region's grant is
        # every member's.
        return (
            f'        grants = country.members.region("{grant}", period)\n'
            "        return country.sum(once_per_region(country, grants))\n"
        )

    def annex_row(self, text: str, on, ons_code: str = "", dfe_number: str = "") -> RowBody:
        parts = split_lead_body(text)
        if parts is None:
            raise RulesCannotAnswer(
                f"'{text}' is not written 'Region {LEAD_BODY_DASH} lead body'.",
                available="The regions are: " + ", ".join(r.name for r in register().regions) + ".",
            )
        region = register().region(parts[0])
        body = register().resolve_in_year(parts[1], on)
        return RowBody(region.code, region.key, body.code, parts[1])


def split_lead_body(text: str) -> tuple[str, str] | None:
    """("South West", "Wiltshire Council") for "South West – Wiltshire Council"; None otherwise."""
    left, dash, right = text.partition(LEAD_BODY_DASH)
    if not dash or not right.strip():
        return None
    try:
        register().region(left.strip())
    except RulesCannotAnswer:
        return None
    return left.strip(), right.strip()


KINDS: dict[str, PayeeKind] = {kind.key: kind for kind in (LocalAuthorities(), Bodies(), RegionLeadBodies())}


def kind(paid_per: str) -> PayeeKind:
    """The kind of payee ``paid_per`` names; raises ValueError naming those there are."""
    try:
        return KINDS[paid_per]
    except (KeyError, TypeError):
        raise ValueError(f"paid_per {paid_per!r} is not one of {', '.join(KINDS)}") from None


def asked_with(keyword: str) -> PayeeKind:
    """The first kind a question about one body asks with ``keyword`` ("region", "authority");
    several kinds may share one (a combined authority is asked about as an authority is)."""
    for payee in KINDS.values():
        if payee.asked_with == keyword:
            return payee
    raise ValueError(f"{keyword!r} is not one of {', '.join(p.asked_with for p in KINDS.values())}")


def kind_of_rows(texts) -> PayeeKind:
    """The kind an Annex A's rows are written as: the first kind whose rows are written in a
    form of their own ("Region – lead body") that every row fits; else each row names a body.

    For a letter reader: call this on the rows' texts, then ``kind.annex_row(text, on)`` on each,
    then ``settled(kind, codes)`` on the codes of the bodies paid.
    """
    texts = list(texts)
    written_apart = [payee for payee in KINDS.values() if not isinstance(payee, LocalAuthorities)]
    for payee in written_apart:
        if texts and all(payee.is_row(text) for text in texts):
            return payee
    return KINDS[Bodies.key]


def settled(payee: PayeeKind, body_codes) -> PayeeKind:
    """The kind a determination paying these bodies is: per local authority when every body it
    pays is one (as the letters of children's services grants mostly are), per body when any is
    a combined authority or the Greater London Authority."""
    if payee.key != Bodies.key:
        return payee
    every_authority = all(register().authority(code).has_childrens_services for code in body_codes)
    return KINDS[LocalAuthorities.key if every_authority else Bodies.key]
