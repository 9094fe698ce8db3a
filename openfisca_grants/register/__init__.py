"""The dated register of authorities: who existed on a date, in which region, under which names.

Built from DfE's list of local authorities with children's services duties (``data/dfe_las.csv``,
see ``data/SOURCE.md``), the nine regions, the bodies a letter pays that are not in that list,
and the names the letters use. It answers three questions, all for a given date:

* which authorities existed then, and in which region (``authorities_on``, ``count_by_region``);
* what a name in a letter means then (``resolve``): "North Yorkshire County Council" is the
  county council (E10000023) in 2016-17 and its unitary successor (E06000065) in 2024-25;
* what a code or a region name means (``authority``, ``region``).

A name or code it cannot resolve raises ``RulesCannotAnswer`` with the closest names.
"""

from __future__ import annotations

import csv
import datetime
import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import yaml

from openfisca_grants.errors import RulesCannotAnswer, closest

try:  # libyaml's C loader, much faster than the pure-Python one.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

DFE_SOURCE = "DfE, dfe-analytical-services/dfe-published-data-qa, data/las.csv (Open Government Licence v3.0)"


# DfE's list begins with the 2009 reorganisation: its first authorities start on 1 January 2009
# and the 2009 unitaries on 1 April 2009. Before then it does not say who existed.
COVERS_FROM = datetime.date(2009, 4, 1)


@dataclass(frozen=True)
class Region:
    code: str
    key: str
    name: str
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body:
    """An authority in DfE's list, or another body a letter pays (``has_childrens_services``)."""

    code: str
    name: str
    region_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    kind: str
    has_childrens_services: bool = True
    dfe_number: str = ""
    letter_names: tuple[str, ...] = field(default=(), compare=False)
    source: str = field(default="", compare=False)  # where a body not in DfE's list is dated from

    def exists_on(self, date: datetime.date) -> bool:
        started = self.valid_from is None or self.valid_from <= date
        not_ended = self.valid_to is None or date <= self.valid_to
        return started and not_ended

    @property
    def lifetime(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "?"
        end = self.valid_to.isoformat() if self.valid_to else "now"
        return f"{start} to {end}"


@dataclass(frozen=True)
class UnpayableBody:
    """A body that delivers a council's children's services but that Section 31 cannot pay: a
    children's services trust or company. Its ``owners`` (GSS codes) are the likely payees."""

    name: str
    other_names: tuple[str, ...]
    kind: str
    owners: tuple[str, ...]
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)


@dataclass(frozen=True)
class LetterName:
    letter: str
    name: str
    code: str
    note: str = ""


def _date(text: str) -> datetime.date | None:
    """DfE's DD/MM/YYYY, or None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("/"))
    return datetime.date(year, month, day)


def _load_yaml(name: str):
    with resources.files(__package__).joinpath("data", name).open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_Loader)


# Words that letters add to an authority's name and DfE's list leaves out.
_DECORATIONS = re.compile(
    r"\b(london borough of|royal borough of|council of the|city of|county of|metropolitan borough council|"
    r"metropolitan district council|london borough council|borough council|county council|"
    r"city council|district council|council|corporation|borough|metropolitan|county)\b"
)
# What a council adds after its name ("City of London Corporation").
_SUFFIXES = re.compile(r"\b(corporation|council)\b")


@functools.lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """A name reduced to what identifies the place: "Camden London Borough Council" -> "camden"."""
    text = name.lower().replace("&", "and").replace(".", "")
    text = re.sub(r"[,–—-]", " ", text)
    stripped = _DECORATIONS.sub(" ", text)
    stripped = " ".join(stripped.split())
    # "City of London" would reduce to "london"; keep such names whole.
    return stripped if stripped and stripped != "london" else " ".join(_SUFFIXES.sub(" ", text).split())


class Register:
    """The authorities and regions, dated. Use ``register()`` for the shared instance."""

    def __init__(self) -> None:
        self.regions: tuple[Region, ...] = tuple(
            Region(r["code"], r["key"], r["name"], tuple(r.get("other_names", ())))
            for r in _load_yaml("regions.yaml")
        )
        self.letter_names: tuple[LetterName, ...] = tuple(
            LetterName(str(n["letter"]), n["name"], n["code"], n.get("note", ""))
            for n in _load_yaml("letter_names.yaml")
        )
        names_by_code: dict[str, list[str]] = {}
        for letter_name in self.letter_names:
            names_by_code.setdefault(letter_name.code, []).append(letter_name.name)
        bodies = [
            Body(
                code=row["new_la_code"],
                name=row["la_name"],
                region_code=row["parent_geography_code"],
                valid_from=_date(row["date_of_operation"]),
                valid_to=_date(row["date_of_termination"]),
                kind=row["entity_description"],
                dfe_number=row["old_la_code"],
                letter_names=tuple(names_by_code.get(row["new_la_code"], ())),
            )
            for row in self._dfe_rows()
        ]
        bodies += [
            Body(
                code=b["code"],
                name=b["name"],
                region_code=b["region"],
                valid_from=b.get("valid_from"),
                valid_to=b.get("valid_to"),
                kind=b["kind"],
                has_childrens_services=False,
                letter_names=tuple(
                    dict.fromkeys([*names_by_code.get(b["code"], ()), *b.get("other_names", ())])
                ),
                source=" ".join(str(b.get("source", "")).split()),
            )
            for b in _load_yaml("other_bodies.yaml")
        ]
        self.bodies: tuple[Body, ...] = tuple(bodies)
        self.unpayable: tuple[UnpayableBody, ...] = tuple(
            UnpayableBody(
                name=c["name"],
                other_names=tuple(c.get("other_names", ())),
                kind=c["kind"],
                owners=tuple(c["owners"]),
                source=" ".join(str(c.get("source", "")).split()),
            )
            for c in _load_yaml("childrens_services_companies.yaml")
        )
        self._authorities_on: dict[datetime.date, tuple[Body, ...]] = {}
        self._payees_in_year: dict[datetime.date, tuple[Body, ...]] = {}
        self._regions_by_code = {region.code: region for region in self.regions}
        # Indexes for resolve: each lists every body, of any date, a form of name can mean.
        self._by_letter_name: dict[str, list[Body]] = {}
        self._by_dfe_name: dict[str, list[Body]] = {}
        self._by_place: dict[str, list[Body]] = {}
        # Every body a name is exactly (DfE's or a letter's), in the register's order: a letter's
        # row is held to it, for every row of every letter read.
        self._by_exact_name: dict[str, list[Body]] = {}
        self._by_code: dict[str, list[Body]] = {}  # asked for the name of every body of every answer
        for body in self.bodies:
            self._by_code.setdefault(body.code, []).append(body)
            self._by_dfe_name.setdefault(body.name.casefold(), []).append(body)
            for exact in {body.name.casefold(), *(n.casefold() for n in body.letter_names)}:
                self._by_exact_name.setdefault(exact, []).append(body)
            places = {normalise(body.name), *(normalise(n) for n in body.letter_names)}
            for place in places:
                self._by_place.setdefault(place, []).append(body)
            for letter_name in {n.casefold() for n in body.letter_names}:
                self._by_letter_name.setdefault(letter_name, []).append(body)

    @staticmethod
    def _dfe_rows():
        path = resources.files(__package__).joinpath("data", "dfe_las.csv")
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                code = row["new_la_code"]
                # Combined rows ("E06000061 / E06000062") and the forces' code "z" are DfE's
                # reporting conveniences, not authorities.
                if "/" in code or not code.startswith("E"):
                    continue
                yield row

    # ---- authorities ------------------------------------------------------------------------

    def authorities_on(self, date: datetime.date) -> list[Body]:
        """Authorities with children's services duties on ``date``, in code order."""
        self.require_covered(date)
        # Worked out once per date (the bodies never change once read): every simulation of a
        # year asks, and sorting the register was a tenth of what a what-if cost.
        found = self._authorities_on.get(date)
        if found is None:
            found = self._authorities_on[date] = tuple(
                sorted(
                    (b for b in self.bodies if b.has_childrens_services and b.exists_on(date)),
                    key=lambda b: b.code,
                )
            )
        return list(found)

    def require_covered(self, date: datetime.date, where: str = "") -> None:
        """Raise unless the register's data covers ``date`` (so 'no authorities' is never an answer)."""
        if date < COVERS_FROM:
            raise RulesCannotAnswer(
                f"{where + ': ' if where else ''}{date.isoformat()} is before the register's data, "
                f"which starts on {COVERS_FROM.isoformat()}: DfE's list of authorities begins with "
                "the 2009 reorganisation, so it cannot say who existed then."
            )

    def count_by_region(self, date: datetime.date) -> dict[str, int]:
        """Number of authorities in each region on ``date``, keyed by region code."""
        counts = {region.code: 0 for region in self.regions}
        for body in self.authorities_on(date):
            counts[body.region_code] += 1
        return counts

    def authority(self, code: str, on: datetime.date | None = None) -> Body:
        """The body with GSS ``code`` (existing on ``on``, if given)."""
        matches = self._by_code.get(code)
        if not matches:
            raise RulesCannotAnswer(
                f"No authority has the code '{code}' in the register.",
                available=_did_you_mean(closest(code, [b.code for b in self.bodies])),
            )
        body = matches[0]
        if on is not None and not body.exists_on(on):
            raise RulesCannotAnswer(
                f"{body.name} ({code}) did not exist on {on.isoformat()}: it existed from {body.lifetime}.",
                available=self._successors_hint(body, on),
            )
        return body

    def require_authorities(self, codes, on: datetime.date) -> None:
        """Raise unless every code is an authority with children's services duties on ``on``."""
        existing = {body.code for body in self.authorities_on(on)}
        for code in dict.fromkeys(str(code) for code in codes):
            if code in existing:
                continue
            body = self.authority(code, on)  # raises for an unknown code or a date outside its life
            raise RulesCannotAnswer(
                f"{body.name} ({code}) is not a local authority with children's services duties.",
                available=f"It is a {body.kind}"
                + (
                    ", which a determination pays as its region's lead body (a row written "
                    f"'Region – {body.name}') or, in a year a letter's Annex A names it, directly; "
                    "not as an authority."
                    if not body.has_childrens_services
                    else "."
                ),
            )

    def resolve(self, name: str, on: datetime.date) -> Body:
        """The body that ``name`` means on ``on``: a GSS code, a letter's name or DfE's name."""
        name = name.strip()
        self.refuse_unpayable(name, on)
        if re.fullmatch(r"E\d{8}", name, re.IGNORECASE):
            return self.authority(name.upper(), on)
        # Most exact first: a name a letter uses, DfE's own name, then the place the name means.
        for index, key in (
            (self._by_letter_name, name.casefold()),
            (self._by_dfe_name, name.casefold()),
            (self._by_place, normalise(name)),
        ):
            unique = [b for b in index.get(key, ()) if b.exists_on(on)]
            if len(unique) == 1:
                return unique[0]
            if len(unique) > 1:
                raise RulesCannotAnswer(
                    f"'{name}' is ambiguous on {on.isoformat()}.",
                    available="It could be: " + "; ".join(f"{b.name} ({b.code})" for b in unique) + ".",
                    hint="Give the GSS code instead.",
                )
        live = [b for b in self.bodies if b.exists_on(on)]

        elsewhere = self._by_place.get(normalise(name), [])
        if elsewhere:
            body = elsewhere[0]
            raise RulesCannotAnswer(
                f"'{name}' ({body.name}, {body.code}) did not exist on {on.isoformat()}: it "
                f"existed from {body.lifetime}.",
                available=self._successors_hint(body, on),
            )
        # Compare what identifies the place, so that "Birmingam City Council" finds Birmingham
        # rather than every other city council.
        candidates = {normalise(n): n for b in live for n in (b.name, *b.letter_names)}
        nearest = [candidates[n] for n in closest(normalise(name), candidates)]
        raise RulesCannotAnswer(
            f"No authority is called '{name}' on {on.isoformat()}.",
            available=_did_you_mean(nearest),
        )

    def resolve_row(self, text: str, on: datetime.date, ons_code: str = "", dfe_number: str = "") -> Body:
        """The body an Annex A row names on ``on``: by its name, and by its DfE LA number or ONS
        code where the letter gives one, which must name the same body."""
        by_code = None
        if ons_code:
            by_code = self.authority(ons_code, on)
        elif dfe_number:
            numbered = [b for b in self.bodies if b.dfe_number == dfe_number and b.exists_on(on)]
            if len(numbered) != 1:
                raise RulesCannotAnswer(
                    f"no authority has DfE's LA number {dfe_number} on {on.isoformat()}"
                    if not numbered
                    else f"DfE's LA number {dfe_number} is {len(numbered)} authorities' on {on.isoformat()}"
                )
            by_code = numbered[0]
        if by_code is not None and text in (ons_code, ""):
            return by_code
        body = self.resolve_as_written(text, on)
        if by_code is not None and by_code.code != body.code:
            given = f"ONS code {ons_code}" if ons_code else f"DfE's LA number {dfe_number}"
            raise RulesCannotAnswer(
                f"its {given} is {by_code.name} ({by_code.code}), but its name is {body.name} ({body.code})"
            )
        return body

    def resolve_as_written(self, name: str, on: datetime.date) -> Body:
        """The body ``name`` means on ``on``, refusing a name that is exactly an ended body's.

        ``resolve`` reads a name by its place when no body of that exact name existed on the date
        (so that "Dorset County Council" in 2019-20 would be Dorset Council, its successor). A
        letter's row is held to what it says: a name that is exactly that of a body which no
        longer (or not yet) existed is refused, naming the body that did.
        """
        body = self.resolve(name, on)
        wanted = " ".join(name.split()).casefold()
        named = self._by_exact_name.get(wanted, [])
        if named and body not in named:
            ended = named[0]
            raise RulesCannotAnswer(
                f"'{name}' is the name of {ended.name} ({ended.code}), which existed from {ended.lifetime}, "
                f"not on {on.isoformat()}; on that date the place is {body.name} ({body.code}).",
                hint=f"If {body.name} is meant, write its own name.",
            )
        return body

    def resolve_in_year(self, name: str, start: datetime.date, as_written: bool = True) -> Body:
        """The body ``name`` means in the financial year from ``start``: the one existing on
        ``start``, or else the one body of that name established during the year (a combined
        authority established in May, such as the North East Mayoral Combined Authority in
        2024, is paid by a letter of that year). A letter's row is held to its name as written
        (``resolve_as_written``): a name two bodies of the year bear is the one of ``start``, and
        the row's ONS code says otherwise. A question (``as_written=False``) is read as
        ``resolve`` reads it, and refused where the name is two bodies' of the year."""
        try:
            found = self.resolve_as_written(name, start) if as_written else self.resolve(name, start)
        except RulesCannotAnswer:
            started = self.named_and_started_during(name, start)
            if len(started) == 1:
                return started[0]
            raise
        others = [] if as_written else [b for b in self.named_and_started_during(name, start) if b != found]
        if others:
            # The North East Combined Authority of 2018-19: E47000005, then E47000010 from November.
            raise RulesCannotAnswer(
                f"'{name.strip()}' is the name of {len(others) + 1} bodies in the financial year from "
                f"{start.isoformat()}.",
                available="It could be: "
                + "; ".join(f"{b.name} ({b.code}, {b.lifetime})" for b in [found, *others])
                + ".",
                hint="Give the GSS code instead.",
            )
        return found

    def named_and_started_during(self, name: str, start: datetime.date) -> list[Body]:
        """The bodies established during the financial year from ``start`` that ``name`` (a code,
        or a name exactly as the register or a letter writes it) names."""
        end = _year_end(start)
        wanted = name.strip().casefold()
        return [
            b
            for b in self.bodies
            if b.valid_from
            and start < b.valid_from <= end
            and wanted in {b.code.casefold(), b.name.casefold(), *(n.casefold() for n in b.letter_names)}
        ]

    def refuse_unpayable(self, name: str, on: datetime.date) -> None:
        """Raise if ``name`` names a children's services trust or company, naming its owners.

        A name containing such a body's name ("Birmingham Children's Trust (Birmingham City
        Council)") is refused too: the row must name the council the grant is paid to.
        """

        def plain(text: str) -> str:  # letters write ’ as often as '
            return f" {normalise(text.replace(chr(0x2019), chr(39)))} "

        wanted = plain(name)
        for company in self.unpayable:
            if any(plain(n) in wanted for n in company.names):
                owners = [self.authority(code) for code in company.owners]
                live = [b for b in owners if b.exists_on(on)] or owners
                named = "; ".join(f"{b.name} ({b.code})" for b in live)
                raise RulesCannotAnswer(
                    f"'{name}' names {company.name}, a {company.kind}: a grant under section 31 of "
                    "the Local Government Act 2003 is paid to a local authority, not to a company "
                    f"or trust that delivers its services. The likely payee: {named}.",
                    hint="If the letter pays the council, the row names the council; "
                    "otherwise this is not a Section 31 determination's row.",
                )

    def payees_on(self, date: datetime.date) -> list[Body]:
        """Every body a Section 31 determination could pay on ``date``: the authorities with
        children's services duties, then the combined and combined county authorities and the
        Greater London Authority existing then, each in code order."""
        others = sorted(
            (b for b in self.bodies if not b.has_childrens_services and b.exists_on(date)),
            key=lambda b: b.code,
        )
        return [*self.authorities_on(date), *others]

    def payees_in_year(self, start: datetime.date) -> list[Body]:
        """Every body a determination of the financial year from ``start`` could pay: the
        authorities on ``start`` (authorities change on 1 April), then the other bodies existing
        on any day of the year (a combined authority established in May is paid that year), each
        in code order. A year's simulation holds these bodies, in this order."""
        found = self._payees_in_year.get(start)
        if found is None:
            end = _year_end(start)
            others = sorted(
                (
                    b
                    for b in self.bodies
                    if not b.has_childrens_services
                    and (b.valid_from is None or b.valid_from <= end)
                    and (b.valid_to is None or start <= b.valid_to)
                ),
                key=lambda b: b.code,
            )
            found = self._payees_in_year[start] = (*self.authorities_on(start), *others)
        return list(found)

    def require_payees(self, codes, start: datetime.date) -> None:
        """Raise unless every code is a body a determination of the year from ``start`` could pay
        (an authority, a combined authority, the Greater London Authority): an unknown code, or
        a body that did not exist that year, is an error, never a body paid nothing."""
        existing = {body.code for body in self.payees_in_year(start)}
        for code in dict.fromkeys(str(code) for code in codes):
            if code not in existing:
                self.authority(code, start)  # raises for an unknown code or a date outside its life
                raise RulesCannotAnswer(  # pragma: no cover - every body the register knows is a payee
                    f"{code} is not a body a determination of the year from {start.isoformat()} could pay."
                )

    def _successors_hint(self, body: Body, on: datetime.date) -> str:
        """Who stood in ``body``'s place on ``on``: its successors or predecessors in its region.

        Reorganisations take effect on 1 April: a successor starts the day after ``body`` ends.
        """
        day = datetime.timedelta(days=1)
        if body.valid_to and on > body.valid_to:
            related = [b for b in self.bodies if b.valid_from == body.valid_to + day]
        elif body.valid_from and on < body.valid_from:
            related = [b for b in self.bodies if b.valid_to == body.valid_from - day]
        else:
            related = []
        related = [b for b in related if b.region_code == body.region_code and b.exists_on(on)]
        if not related:
            return ""
        return "On that date its area was under: " + "; ".join(f"{b.name} ({b.code})" for b in related) + "."

    # ---- regions ----------------------------------------------------------------------------

    def region(self, name_or_code: str) -> Region:
        """A region by ONS code, key ("south_west") or any name the letters use."""
        wanted = name_or_code.strip().casefold()
        found = self._regions_by_name().get(wanted) or self._regions_by_name().get(wanted.replace(" ", "_"))
        if found is not None:
            return found
        raise RulesCannotAnswer(
            f"No English region is called '{name_or_code}'.",
            available="The regions are: " + ", ".join(r.name for r in self.regions) + ".",
        )

    @functools.cache  # noqa: B019 - one register a process, kept for its life
    def _regions_by_name(self) -> dict[str, Region]:
        """Every way a region is named (code, key, names the letters use), casefolded: a region
        is looked up for every body of every answer."""
        found: dict[str, Region] = {}
        for region in self.regions:
            for name in (region.code, region.key, region.name, *region.other_names):
                found.setdefault(name.casefold(), region)
        return found

    def region_of_code(self, code: str) -> Region:
        return self._regions_by_code[code]


def _year_end(start: datetime.date) -> datetime.date:
    """The last day of the financial year from ``start``."""
    return datetime.date(start.year + 1, start.month, start.day) - datetime.timedelta(days=1)


def _did_you_mean(names: list[str]) -> str:
    return f"Closest: {', '.join(names)}." if names else ""


@functools.cache
def register() -> Register:
    """The register, loaded once."""
    return Register()
