"""Determination homes written by command: a new letter's (``new-determination``), next year's draft.

``new_determination(letter, root, annex, sheet, adjustments)`` reads a letter in any layout
DfE publishes (``letters.read_letter_file``: text, gov.uk HTML, PDF, Annex A in a spreadsheet),
every line of Annex A classified and its rows adding up to any stated total (or the named
adjustments carrying the difference); ``dry_run`` shows that reading and writes nothing. It
resolves every Annex A row with the register on 1 April of its year (by name, and by DfE's LA
number or ONS code where the letter gives one), and writes the determination's home
under the repository ``root``: the letter in ``openfisca_grants/sources/`` (the original file
byte for byte and the text read from it), its description and
parameters under ``parameters/determinations/<key>/`` (Annex A amounts keyed by GSS code, each
with its row, the letter's words, a short label and a dated reference to its line in the kept
text), a variables module, its YAML cases under
``tests/determinations/``, and the names it uses in the register's list of letter names. A
letter of fixed amounts is then complete; a letter with a formula gets a variables module
whose formulas raise "not yet encoded" until someone encodes it.

``roll_forward(number, to, root)`` writes a draft for a later year from an encoded
determination: its parameters dated from 1 April of the new year, its variables for that year,
a draft number, and no named adjustment (an adjustment reconciles one year's Annex only); each
parameter keeps its label and gains a reference of its own, dated from the new year.

Nothing is written until everything has been checked; an existing determination, file or
folder is never overwritten.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import re
import textwrap
from dataclasses import dataclass, field

import yaml

from openfisca_grants import boundary, determinations, payees, readme_table, transaction
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.letters import KeptFile, Letter
from openfisca_grants.letters.annex import AnnexTable, check_total
from openfisca_grants.letters.text import read_letter_file
from openfisca_grants.money import format_pounds
from openfisca_grants.parameter_index import dated_references, letter_href
from openfisca_grants.register import register

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

SOURCES = pathlib.Path("openfisca_grants", "sources")
PARAMETERS = pathlib.Path("parameters", "determinations")
VARIABLES = pathlib.Path("variables")
CASES = pathlib.Path("tests", "determinations")
LETTER_NAMES = pathlib.Path("openfisca_grants", "register", "data", "letter_names.yaml")


@dataclass
class Home:
    """The files of one determination's home, relative to the repository root, and their text."""

    number: str
    key: str
    files: dict[pathlib.Path, str | bytes] = field(default_factory=dict)  # bytes: an original kept as is
    appended: dict[pathlib.Path, str] = field(default_factory=dict)  # added to existing files
    table_rows: dict[pathlib.Path, str] = field(default_factory=dict)  # a row added to a file's table
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PaidRow:
    row: int
    text: str  # as the letter writes it
    pence: int
    code: str  # GSS code of what is paid: the authority, or the region
    key: str  # the authority's code, or the region's key
    body_name: str  # the body named (the authority, or the region's lead body)
    body_code: str
    line: int = 0  # its line in the kept text of Annex A (the letter's, or a spreadsheet's)


# ---- new-determination ------------------------------------------------------------------------


def new_determination(letter_path, root=".", annex=None, sheet=None, adjustments=()) -> Home:
    """Write the home of the determination in ``letter_path`` under ``root``; return what was written.

    ``annex``/``sheet``: Annex A in a spreadsheet beside the letter; ``adjustments``: the named
    differences between Annex A's rows and its stated total (``boundary.adjustment``).
    """
    root = boundary.repository_root(root, "--root")
    transaction.recover(root)  # a change a killed command left half-made is undone first
    read = read_letter_file(letter_path, annex, sheet, tuple(adjustments))
    letter = read.letter
    _refuse_encoded(root, letter.number)
    paid_per, rows = _resolved_rows(letter)
    home = _letter_home(letter, paid_per, rows, read.kept, read.layout)
    # A draft sits beside published letters: say so, as the letter may be the one it models.
    for draft in _descriptions(root):
        if draft.get("status") == "draft" and str(draft.get("financial_year")) == letter.financial_year.label:
            home.notes.append(
                f"The draft {draft['determination']} also models {letter.financial_year.label}; if this "
                f"letter replaces it: openfisca-grants remove-determination {draft['determination']}."
            )
    _write(root, home)
    return home


def _is_a_tree(root) -> bool:
    """Whether ``root`` is a clone of the rules (a dry run reads a letter anywhere; only in a
    clone can it say whether the letter is encoded already)."""
    try:
        boundary.repository_root(root, "--root")
    except RulesCannotAnswer:
        return False
    return True


def dry_run(letter_path, annex=None, sheet=None, adjustments=(), root=None) -> str:
    """What ``new-determination`` would read, writing nothing: every line of Annex A with what it
    was read as, each row's body, and whether the rows add up to the stated total.

    Raises (after the classification is printed by the caller) as the import would; a line that
    cannot be classified is refused before there is a classification to show.
    """
    try:
        read = read_letter_file(letter_path, annex, sheet, tuple(adjustments), check=False)
    except RulesCannotAnswer as error:
        if not hasattr(error, "classified"):
            raise
        number, text = error.refused_line
        shown = AnnexTable("", (), None, error.classified).classification().split("\n")
        shown = [line for line in shown if line.startswith("line ")]
        raise DryRunRefused(
            "\n".join(
                [
                    "Dry run: nothing is written. Annex A, line by line, up to the line refused:",
                    *shown,
                    f"line {number}  NOT CLASSIFIED: {text.rstrip()}",
                    "The import would be refused (the reason follows, on standard error).",
                ]
            ),
            error,
        ) from None
    letter = read.letter
    out = [
        f"Dry run: nothing is written. {read.layout}: determination {letter.number}, {letter.title}, "
        f"{letter.financial_year.label}, letter of {letter.date or 'no date'}; payment: paragraph "
        f"{letter.payment_paragraph}.",
        "Annex A, line by line:",
        letter.annex_a.classification(),
    ]
    try:
        if root is not None and _is_a_tree(root):  # an encoded determination is never written over
            _refuse_encoded(boundary.repository_root(root, "--root"), letter.number)
        _paid_per, rows = _resolved_rows(letter)
        out.append("Each row's body, on 1 April of the year:")
        out += [f"  row {row.row}: {row.text} -> {row.body_code}" for row in rows]
        check_total(letter.annex_a, str(annex or letter_path))
    except RulesCannotAnswer as error:
        out.append("The import would be refused (the reason follows, on standard error).")
        raise DryRunRefused("\n".join(out), error) from None
    out.append("The import would be accepted.")
    return "\n".join(out)


class DryRunRefused(Exception):
    """A dry run's classification (``shown``), and why the import would be refused (``reason``)."""

    def __init__(self, shown: str, reason: RulesCannotAnswer) -> None:
        super().__init__(shown)
        self.shown = shown
        self.reason = reason


def _descriptions(root: pathlib.Path) -> list[dict]:
    """The description (index.yaml metadata) of each determination under ``root``, with its folder."""
    found = []
    for index in sorted((root / PARAMETERS).glob("*/index.yaml")):
        text = boundary.read_text(index, "determination's description")
        try:
            document = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as error:
            raise RulesCannotAnswer(
                f"{index}: not valid YAML: {getattr(error, 'problem', '') or error}."
            ) from None
        metadata = document.get("metadata") if isinstance(document, dict) else None
        if not isinstance(metadata, dict):
            raise RulesCannotAnswer(f"{index}: a determination's description is a mapping with 'metadata'.")
        if "determination" in metadata:
            found.append({**metadata, "folder": index.parent.relative_to(root)})
    return found


def _refuse_encoded(root: pathlib.Path, number: str) -> None:
    for metadata in _descriptions(root):
        if str(metadata["determination"]) == number:
            raise RulesCannotAnswer(
                f"Determination {number} is encoded already, in {metadata['folder']}/: "
                "it is not overwritten.",
                hint=f"To encode it again: openfisca-grants remove-determination {number}, "
                "then new-determination.",
            )


def _resolved_rows(letter: Letter) -> tuple[str, list[PaidRow]]:
    """Each Annex A row resolved on 1 April of the year; refuses naming every row that fails."""
    on = letter.financial_year.start
    register().require_covered(on, "the letter's financial year")
    payee = payees.kind_of_rows(row.text for row in letter.annex_a.rows)
    rows, problems, seen = [], [], {}
    for row in letter.annex_a.rows:
        try:
            found = payee.annex_row(row.text, on, row.ons_code, row.dfe_number)
            paid = PaidRow(
                row.row,
                row.text,
                row.pence,
                found.code,
                found.key,
                found.body_name,
                found.body_code,
                row.line,
            )
        except RulesCannotAnswer as error:
            problems.append(f"Annex A row {row.row} '{row.text}': {error}")
            continue
        if paid.code in seen:
            # The name of two bodies of the year (the North East Combined Authority of 2018-19)
            # is read as the one of 1 April: only an ONS code says a row pays the other.
            also = [b for b in register().named_and_started_during(row.text, on) if b.code != paid.code]
            problems.append(
                f"Annex A row {row.row} '{row.text}' pays {paid.code} again (row {seen[paid.code]} pays it)."
                + "".join(
                    f" '{row.text}' is also {b.name} ({b.code}) from {b.valid_from.isoformat()}: a letter "
                    "paying both gives each row its ONS code."
                    for b in also
                )
            )
            continue
        seen[paid.code] = row.row
        rows.append(paid)
    if problems:
        raise RulesCannotAnswer(
            f"{letter.number}: {len(problems)} of {len(letter.annex_a.rows)} Annex A rows do not name "
            f"one body that existed on {on.isoformat()}; nothing was written. "
            + " ".join(problems[:20])
            + (f" ... and {len(problems) - 20} more." if len(problems) > 20 else "")
        )
    return payees.settled(payee, [row.body_code for row in rows]).key, rows


def _resolved(name: str, on: datetime.date):
    """The body ``name`` means on ``on``, refusing a name that is exactly an ended body's."""
    return register().resolve_as_written(name, on)


def _region_part(text: str) -> tuple[str, str] | None:
    """("South West", "Wiltshire County Council") for "South West – Wiltshire County Council"."""
    return payees.split_lead_body(text)


_SMALL_WORDS = {"and", "of", "the", "for", "in", "to", "a", "an", "s"}


def _slug(title: str) -> str:
    """A short name from the title ("regional_improvement_innovation"), so that the names built on
    it stay readable and within the line length."""
    words = re.split(r"\b(?:grant\s+)?determination\b", title, maxsplit=1, flags=re.I)[0]
    kept = [w for w in re.sub(r"[^a-z0-9]+", " ", words.lower()).split() if w not in _SMALL_WORDS]
    kept = kept[:3]
    while len(kept) > 1 and len("_".join(kept)) > 32:
        kept.pop()
    slug = "_".join(kept)[:32].strip("_")
    return slug if slug[:1].isalpha() else f"grant_{slug}".strip("_")


def _docstring(*paragraphs: str) -> str:
    """A module docstring of the paragraphs, wrapped to the line length."""
    text = "\n\n".join(textwrap.fill(" ".join(p.split()), 96, break_on_hyphens=False) for p in paragraphs)
    text = text.replace("\\", "\\\\").replace('"""', "'''")
    return f'"""{text}\n"""'


def _kept_names(letter: Letter, kept: tuple[KeptFile, ...]) -> dict[str, str]:
    """The file name under ``sources/`` of each kept file, by its role."""
    stem = f"{letter.number.replace('/', '_')}_{_slug(letter.title)}"
    names = {"letter text": f"{stem}_letter.txt", "annex text": f"{stem}_annex_a.txt"}
    for file in kept:
        if file.role in ("letter", "annex"):
            names[file.role] = f"{stem}_{'letter' if file.role == 'letter' else 'annex_a'}{file.suffix}"
    return names


def _letter_home(
    letter: Letter, paid_per: str, rows: list[PaidRow], kept: tuple[KeptFile, ...] = (), layout: str = "text"
) -> Home:
    number_part = letter.number.replace("/", "_")
    key = f"{_slug(letter.title)}_{number_part}"
    home = Home(letter.number, key)
    names = _kept_names(letter, kept)
    letter_file = names["letter text"]
    year = letter.financial_year
    payee = payees.kind(paid_per)
    fixed = not letter.has_formula and payee.fixed_amounts
    home.files[SOURCES / letter_file] = letter.text
    for file in kept:  # the originals, byte for byte, and the text read from a spreadsheet
        if file.role != "letter text":
            home.files[SOURCES / names[file.role]] = file.content
    extra = {}
    sources = _Sources(letter, letter_file)
    if any(file.role == "annex text" for file in kept):
        extra["annex_a_file"] = names["annex text"]
        sources = _Sources(letter, letter_file, names["annex text"])
    originals = [names[file.role] for file in kept if file.role in ("letter", "annex")]
    if originals:
        extra["original_files"] = originals
    if letter.annex_a.adjustments:
        extra["total_adjustments"] = [
            {"name": a.name, "amount": _pounds_text(a.pence), "reason": a.reason}
            for a in letter.annex_a.adjustments
        ]
    home.files[PARAMETERS / key / "index.yaml"] = _index_yaml(
        letter, key, letter_file, paid_per, fixed, extra
    )
    lead_labels = {}
    if payee.names_lead_bodies:  # "<Region> lead body", as the hand-encoded determinations label them
        lead_labels = {row.key: f"{register().region(row.code).name} lead body" for row in rows}
    home.files[PARAMETERS / key / "annex_a.yaml"] = _annex_yaml(
        letter, rows, fixed, sources, taken=set(lead_labels.values()), one=payee.one_paid
    )
    if payee.names_lead_bodies:
        home.files[PARAMETERS / key / "lead_bodies.yaml"] = _lead_bodies_yaml(
            letter, rows, sources, lead_labels
        )
    module = _fixed_amounts_module if fixed else _not_yet_encoded_module
    home.files[VARIABLES / f"{key}.py"] = module(letter, key, letter_file, paid_per)
    if letter.annex_a.adjustments and fixed:
        home.files[PARAMETERS / key / "total_adjustments.yaml"] = _total_adjustments_yaml(letter, sources)
    home.files[CASES / number_part / "annex_a.yaml"] = _cases_yaml(letter, key, rows, paid_per)
    home.appended[LETTER_NAMES] = _letter_names(letter, rows)
    home.table_rows[SOURCES / "README.md"] = (
        f"| `{letter_file}` | {letter.title} No {letter.number}, letter of {letter.date}"
        + "".join(f"; read from `{name}`" for name in originals)
        + f" | {year.label} |"
    )
    total = letter.annex_a.stated_total_pence
    home.notes.append(
        f"Determination {letter.number} ({year.label}): {len(rows)} Annex A rows, paid per "
        f"{payee.words}"
        + (f", stated total {format_pounds(total)}" if total is not None else ", no stated total")
        + "."
    )
    home.notes += [
        f"Named adjustment {a.name}: {format_pounds(a.pence)}, the stated total less the rows' sum "
        f"({a.reason}); recorded in index.yaml (total_adjustments), and {key}_total includes it."
        for a in letter.annex_a.adjustments
    ]
    if len(home.files) > 6 or any(path.suffix != ".txt" for path in home.files if path.parent == SOURCES):
        home.notes.append(
            f"Read as: {layout}; the original and the text read from it are kept in {SOURCES}/."
        )
    if not fixed:
        home.notes.append(
            (
                "The letter sets a formula"
                if letter.has_formula
                else "The letter pays regions through lead bodies"
            )
            + f": variables/{key}.py raises 'not yet encoded' for {key}_grant until its rule is "
            "written; its YAML cases fail until then."
        )
    return home


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10**6).strip().removesuffix("...").strip()


def _pounds_text(pence: int) -> str:
    """Pence as a decimal string in pounds ("-0.03"), through integers, never a float."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"


def _index_yaml(
    letter: Letter, key: str, letter_file: str, paid_per: str, fixed: bool, extra: dict | None = None
) -> str:
    year = letter.financial_year
    metadata = {
        "determination": letter.number,
        "title": letter.title,
        "financial_year": year.label,
        "letter_date": letter.date,
        "letter_file": letter_file,
        "signed_by": letter.signed_by,
        "legal_basis": letter.legal_basis,
        "made_by": letter.made_by,
        "payment": f'Paragraph {letter.payment_paragraph}: "{letter.payment}"',
        "formula": f"None: Annex A sets each {payees.kind(paid_per).one_paid}'s amount."
        if fixed
        else "The covering letter's formula: not yet encoded (see the variables module).",
        "grant_variable": f"{key}_grant",
        "total_variable": f"{key}_total",
        "variables_module": f"{key}.py",
        "paid_per": paid_per,
        "reference": f"Determination {letter.number}, paragraphs and Annex A",
        **(extra or {}),
    }
    if fixed:
        metadata["listed_variable"] = f"{key}_listed_in_annex_a"
        metadata["annex_a"] = {"amounts": "annex_a"}
    if payees.kind(paid_per).names_lead_bodies:
        metadata["lead_bodies"] = "lead_bodies"
    header = (
        f"# Written by openfisca-grants new-determination from {SOURCES / letter_file}.\n"
        "# The description every use reads: number, year, letter, who is paid, variables, Annex A.\n"
    )
    body = {"description": f"{letter.title} No {letter.number}", "metadata": metadata}
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


LABEL_LENGTH = 45  # a label fits a chart's axis, a sheet's column, a field on a phone


class _Sources:
    """Where a new determination's parameters come from: dated references to lines of the kept
    letter (``letter_file``) and of the kept text of Annex A (the letter's own, or ``annex_file``,
    the text read from a spreadsheet beside it), as ``parameter_index`` reads them."""

    def __init__(self, letter: Letter, letter_file: str, annex_file: str | None = None) -> None:
        self.letter, self.letter_file = letter, letter_file
        self.annex_file = annex_file or letter_file
        self.since = letter.financial_year.start

    def annex_line(self, title: str, line: int) -> dict:
        return dated_references(self.since, title, letter_href(self.annex_file, line))

    def payment(self) -> dict:
        """The payment paragraph, quoting the words of its first line."""
        letter = self.letter
        first = letter.text.split("\n")[letter.payment_line - 1] if letter.payment_line else ""
        words = _quotable(re.sub(r"^\s*\d{1,2}[.)]\s+", "", first.replace("\f", "")))
        title = f"Determination {letter.number}, paragraph {letter.payment_paragraph}" + (
            f': "{words}"' if words else ""
        )
        return dated_references(self.since, title, letter_href(self.letter_file, letter.payment_line or 1))


def _quotable(text: str, limit: int = 100) -> str:
    """Words of a line to quote in a reference's title: up to any double quote (a title's quotes
    delimit what it quotes), whole words, at most ``limit`` characters."""
    words = " ".join(text.split('"')[0].split())
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0]
    return words.strip()


def _short_label(text: str, limit: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" –-,&") + "…"


def _labels(rows: list[PaidRow], taken: set[str]) -> dict[int, str]:
    """Each row's label: the row as the letter writes it, shortened to stay short, and told apart
    by its row number where shortening makes two alike."""
    labels, seen = {}, set(taken)
    for row in rows:
        label = _short_label(row.text)
        if label in seen:
            suffix = f" (row {row.row})"
            label = _short_label(row.text, LABEL_LENGTH - len(suffix)) + suffix
        seen.add(label)
        labels[row.row] = label
    return labels


def _row_title(letter: Letter, row: PaidRow) -> str:
    """A row's reference: the body quoted as its line writes it (each cell of a name written in
    several cells quoted apart), and the amount."""
    parts = [_quotable(part, 10**6) for part in row.text.split(" – ")]
    quoted = " – ".join(f'"{part}"' for part in parts if part)
    return f"Determination {letter.number}, Annex A row {row.row}: {quoted} {format_pounds(row.pence)}"


def _annex_yaml(
    letter: Letter,
    rows: list[PaidRow],
    fixed: bool,
    sources: _Sources,
    taken: set[str] = frozenset(),
    one: str = "authority",
) -> str:
    year = letter.financial_year
    what = (
        f"the amount of grant to be paid to each {one}"
        if fixed
        else "the amounts published, which the formula, once encoded, must reproduce"
    )
    data = {
        "description": f"Annex A of determination {letter.number}, {what}, keyed by GSS code",
        "metadata": {
            "determination": letter.number,
            "reference": f"Determination {letter.number}, Annex A",
            "letter_wording": f'Paragraph {letter.payment_paragraph}: "{letter.payment}"',
            "references": sources.payment(),
        },
    }
    labels = _labels(rows, set(taken))
    for row in rows:
        amount = f"{row.pence // 100}.{row.pence % 100:02d}"
        data[row.code] = {
            "description": row.text,
            "metadata": {
                "label": labels[row.row],
                "references": sources.annex_line(_row_title(letter, row), row.line),
                "unit": "currency-GBP",
                "annex_a_row": row.row,
                "name_in_letter": row.text,
                "reference": f'Determination {letter.number}, Annex A row {row.row}: "{row.text}  '
                f'{format_pounds(row.pence)}"',
            },
            "values": {
                year.start.isoformat(): float(amount),
                FinancialYear(year.start_year + 1).start.isoformat(): None,
            },
        }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _lead_bodies_yaml(letter: Letter, rows: list[PaidRow], sources: _Sources, labels: dict[str, str]) -> str:
    year = letter.financial_year
    data = {
        "description": "The body each region's grant is paid to, as Annex A names it, keyed by region",
        "metadata": {"reference": f"Determination {letter.number}, Annex A", "references": sources.payment()},
    }
    for row in rows:
        data[row.key] = {
            "description": f"{register().region(row.code).name} lead body",
            "metadata": {
                "label": labels[row.key],
                "references": sources.annex_line(_row_title(letter, row), row.line),
                "kind": "lead_body",
                "annex_a_row": row.row,
                "reference": f"Determination {letter.number}, Annex A row {row.row}",
            },
            "values": {
                year.start.isoformat(): row.body_name,
                FinancialYear(year.start_year + 1).start.isoformat(): None,
            },
        }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _total_adjustments_yaml(letter: Letter, sources: _Sources) -> str:
    """The maintainer's named adjustments: Annex A's stated total less the sum of its rows, each
    referring to the line of the stated total."""
    year = letter.financial_year
    total_line = next((line.line for line in letter.annex_a.lines if line.kind == "total"), 0)
    rows_total = sum(row.pence for row in letter.annex_a.rows)
    stated = letter.annex_a.stated_total_pence
    data = {
        "description": f"Named adjustments to Annex A of determination {letter.number}: its stated total "
        "less the sum of its rows, recorded by the maintainer with their reasons",
        "metadata": {"reference": f"Determination {letter.number}, Annex A total"},
    }
    for adjustment in letter.annex_a.adjustments:
        data[adjustment.name] = {
            "description": adjustment.reason,
            "metadata": {
                "label": _short_label(f"{adjustment.name} (named adjustment)"),
                "references": sources.annex_line(
                    f'Determination {letter.number}, Annex A "total": stated {format_pounds(stated)}, rows '
                    f"{format_pounds(rows_total)}; the maintainer's adjustment {adjustment.name}",
                    total_line,
                ),
                "unit": "currency-GBP",
                "name": adjustment.name,
                "reference": f"Determination {letter.number}, Annex A: stated total {format_pounds(stated)}, "
                f"rows {format_pounds(rows_total)}",
                "recorded_by": "openfisca-grants new-determination --adjustment",
            },
            "values": {
                year.start.isoformat(): float(_pounds_text(adjustment.pence)),
                FinancialYear(year.start_year + 1).start.isoformat(): None,
            },
        }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _fixed_amounts_module(letter: Letter, key: str, letter_file: str, paid_per: str) -> str:
    year = letter.financial_year
    start = year.start_year
    # "authority", or "body" where Annex A pays combined authorities too
    one, one_plural = payees.kind(paid_per).one_paid, payees.kind(paid_per).paid_plural
    total_body = (
        f"    def formula_{start}_04(country, period):\n"
        f'        return country.sum(country.members("{key}_grant", period))\n'
    )
    if letter.annex_a.adjustments:  # Annex A's stated total less its rows, named by the maintainer
        total_body = (
            f"    def formula_{start}_04(country, period, parameters):\n"
            "        adjustments = DETERMINATION.rules(parameters, period).total_adjustments\n"
            "        named = sum(adjustments[name] for name in adjustments)  # total_adjustments.yaml\n"
            f'        return country.sum(country.members("{key}_grant", period)) + named\n'
        )
    docstring = _docstring(
        f"Determination {letter.number} ({year.label}): {letter.title}.",
        f"Written by ``openfisca-grants new-determination`` from ``openfisca_grants/sources/{letter_file}``. "
        f"The letter sets no formula: Annex A sets the {one_plural} paid and the amount each, the "
        f"parameters ``determinations.{key}.annex_a.<GSS code>``.",
    )
    return f'''{docstring}

from openfisca_core.periods import YEAR
from openfisca_core.variables import Variable

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Country, LocalAuthority
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.lookup import by_code
from openfisca_grants.money import MONEY_DTYPE, Money
from openfisca_grants.simulation import require_bodies_of_year

DETERMINATION = by_number("{letter.number}")


def annex_a_amounts(parameters, period) -> dict[str, float]:
    """Annex A of {letter.number} as {{GSS code: amount in pounds}}."""
    annex_a = DETERMINATION.rules(parameters, period).annex_a
    return {{code: annex_a[code] for code in annex_a}}


@DETERMINATION.governs
class {key}_listed_in_annex_a(Variable):
    value_type = bool
    entity = LocalAuthority
    definition_period = YEAR
    label = "The {one} is listed in Annex A of determination {letter.number}"
    reference = "Determination {letter.number}, Annex A"

    def formula_{start}_04(local_authority, period, parameters):
        codes = local_authority("gss_code", period)
        require_bodies_of_year(codes, FinancialYear.of_period(period).start)
        listed = dict.fromkeys(annex_a_amounts(parameters, period), True)
        return by_code(codes, listed, default=False, dtype=bool)


@DETERMINATION.governs
class {key}_grant(Money):
    entity = LocalAuthority
    definition_period = YEAR
    label = "Grant to the {one} for {year.label} (determination {letter.number})"
    reference = "Determination {letter.number}, Annex A"
    documentation = """
    The amount Annex A sets out for the {one}; £0 for a body Annex A does not list
    (see {key}_listed_in_annex_a).
    """

    def formula_{start}_04(local_authority, period, parameters):
        codes = local_authority("gss_code", period)
        require_bodies_of_year(codes, FinancialYear.of_period(period).start)
        return by_code(codes, annex_a_amounts(parameters, period), default=0.0, dtype=MONEY_DTYPE)


@DETERMINATION.governs
class {key}_total(Money):
    entity = Country
    definition_period = YEAR
    label = "Grant to all the country's {one_plural} for {year.label} (determination {letter.number})"
    reference = "Determination {letter.number}, Annex A"

{total_body}'''


# A regional determination's total counts each region once (openfisca_grants.within_country).
_SHARING_IMPORT = "\nfrom openfisca_grants.within_country import once_per_region"


def _not_yet_encoded_module(letter: Letter, key: str, letter_file: str, paid_per: str) -> str:
    year = letter.financial_year
    start = year.start_year
    payee = payees.kind(paid_per)
    entity, member = payee.entity_class, payee.entity
    total = payee.country_total(f"{key}_grant")
    cases = letter.number.replace("/", "_")
    docstring = _docstring(
        f"Determination {letter.number} ({year.label}): {letter.title}. NOT YET ENCODED.",
        f"Written by ``openfisca-grants new-determination`` from ``openfisca_grants/sources/{letter_file}``. "
        "The letter builds its amounts by a formula (see its covering text), which is not yet encoded: "
        f'``{key}_grant`` raises "not yet encoded" (never 0) until its formula is written here. The '
        f"amounts Annex A publishes are the parameters ``determinations.{key}.annex_a``; the YAML "
        f"cases in ``tests/determinations/{cases}/`` assert them and fail until then.",
    )
    return f'''{docstring}

from openfisca_core.periods import YEAR

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Country, {entity}
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import Money{_SHARING_IMPORT if "once_per_region" in total else ""}

DETERMINATION = by_number("{letter.number}")


@DETERMINATION.governs
class {key}_grant(Money):
    entity = {entity}
    definition_period = YEAR
    label = "Grant for {year.label} (determination {letter.number}): formula not yet encoded"
    reference = "Determination {letter.number}, covering letter and Annex A"

    def formula_{start}_04({member}, period, parameters):
        raise RulesCannotAnswer(
            "Determination {letter.number}'s formula is not yet encoded.",
            hint="Encode it in variables/{key}.py; "
            "Annex A's amounts are determinations.{key}.annex_a.",
        )


@DETERMINATION.governs
class {key}_total(Money):
    entity = Country
    definition_period = YEAR
    label = "Grant to all for {year.label} (determination {letter.number})"
    reference = "Determination {letter.number}, Annex A"

    def formula_{start}_04(country, period):
{total}'''


def _cases_yaml(letter: Letter, key: str, rows: list[PaidRow], paid_per: str) -> str:
    year = letter.financial_year
    payee = payees.kind(paid_per)
    period = f"year:{year.start_year}-04"
    label = f"{letter.number} ({year.label})"
    out = [
        f"# Determination {letter.number} ({year.label}), Annex A: one case per row and one for the total,",
        "# each figure copied from the letter by openfisca-grants new-determination. Money is compared",
        "# in whole pence: a figure 1p off fails.",
        "# Run: openfisca test tests/determinations -c openfisca_grants",
        "",
    ]
    for row in rows:
        out.append(
            f"- name: {_quoted(f'{label} Annex A row {row.row}: {row.text}, {format_pounds(row.pence)}')}"
        )
        out.append(f"  period: {period}")
        lines, _ = payee.case_input([(row.code, row.key)], year.start)
        out += ["  input:", *lines]
        out += ["  output:", f"    {key}_grant: {row.pence // 100}.{row.pence % 100:02d}", ""]
    total = letter.annex_a.stated_total_pence
    rows_total = sum(row.pence for row in rows)
    shown = total if total is not None else rows_total
    stated = (
        "as Annex A states it" if total is not None else "the sum of the rows; the letter states no total"
    )
    out.append(f"- name: {_quoted(f'{label} Annex A total ({stated}), {format_pounds(shown)}')}")
    out.append(f"  period: {period}")
    lines, codes = payee.case_input([(row.code, row.key) for row in rows], year.start)
    out += ["  input:", *lines]
    out += ["    countries:", "      england:", f"        authorities: [{', '.join(codes)}]"]
    out += ["  output:", f"    {key}_total: {shown // 100}.{shown % 100:02d}", ""]
    return "\n".join(out)


def _letter_names(letter: Letter, rows: list[PaidRow]) -> str:
    year = letter.financial_year
    lines = [
        "",
        f"# Determination {letter.number}, letter of {letter.date}, Annex A ({year.label}),"
        " added by openfisca-grants new-determination.",
    ]
    for row in rows:
        lines.append(
            f"- {{letter: {letter.number}, name: {json.dumps(row.body_name)}, code: {row.body_code}}}"
        )
    return "\n".join(lines) + "\n"


# ---- roll-forward ------------------------------------------------------------------------------


def roll_forward(number: str, to, root=".") -> Home:
    """Write a draft of determination ``number``'s rules for the later year ``to`` under ``root``."""
    root = boundary.repository_root(root, "--root")
    transaction.recover(root)  # a change a killed command left half-made is undone first
    if not isinstance(number, str) or not number.strip():
        raise boundary.refuse("the determination", number, "is not a determination's number.")
    source = determinations.by_number(number)
    year = boundary.financial_year(to, "--to")
    if source.is_draft:
        raise RulesCannotAnswer(
            f"{source.label} is a draft already: roll forward the published determination "
            f"{source.draft_of} instead."
        )
    if year.start_year <= source.financial_year.start_year:
        raise RulesCannotAnswer(
            f"--to {year.label}: a roll-forward goes to a later year than {source.label}'s "
            f"{source.financial_year.label}."
        )
    register().require_covered(year.start, "--to")
    # Other determinations of the year are left as they are: a draft sits beside them.
    draft_number = f"{source.number}-draft-{year.label}"
    _refuse_encoded(root, draft_number)
    key = f"{source.key}_draft_{year.label.replace('-', '_')}"
    home = Home(draft_number, key)
    folder = root / PARAMETERS / source.key
    if not folder.is_dir():
        raise RulesCannotAnswer(f"--root: {folder} is missing: {source.label} is not encoded under {root}.")
    not_carried = []
    adjustments = source.annex_a.adjustments
    for path in sorted(folder.rglob("*.yaml")):
        relative = path.relative_to(folder)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        if relative.name == "index.yaml" and relative.parent == pathlib.Path("."):
            continue
        if adjustments and relative.parts[0] in (adjustments, f"{adjustments}.yaml"):
            if relative.name != "index.yaml":
                not_carried.append(_not_carried(source, data))
                continue
        if source.annex_a.amounts and relative == pathlib.Path(f"{source.annex_a.amounts}.yaml"):
            data, ended = _without_ended_authorities(data, source, year)
            not_carried += ended
        home.files[PARAMETERS / key / relative] = _redated(data, source.financial_year, year, source.number)
    home.files[PARAMETERS / key / "index.yaml"] = _draft_index(source, draft_number, year, not_carried)
    counts = register().count_by_region(year.start)
    home.notes.append(
        f"Draft {draft_number} ({year.label}, {determinations.DRAFT_LABEL}): the rules of "
        f"{source.label} dated from {year.start.isoformat()}; authorities counted from the register on "
        f"{year.start.isoformat()} ({sum(counts.values())} in England)."
    )
    home.notes += [f"Not carried: {what}" for what in not_carried] or ["Not carried: nothing."]
    _write(root, home)
    return home


def _without_ended_authorities(data: dict, source, year: FinancialYear) -> tuple[dict, list[str]]:
    """Annex A amounts keyed by GSS code, less those of authorities that no longer exist in ``year``:
    an amount for an authority that is gone would otherwise vanish from the draft unseen. A body
    the source pays that is not an authority (a combined authority, paid per body) is carried
    while it exists in ``year``, as the year's simulation then holds it."""
    existing = {body.code for body in register().payees_in_year(year.start) if source.payee.can_pay(body)}
    kept, ended = {}, []
    for code, entry in data.items():
        if re.fullmatch(r"E\d{8}", str(code)) and code not in existing:
            amount = next(iter((entry.get("values") or {}).values()), None)
            shown = (
                f"'s amount of {format_pounds(round(amount * 100))}"
                if isinstance(amount, (int, float))
                else ""
            )
            ended.append(
                f"{entry.get('description', code)} ({code}){shown}: the {source.payee.one_paid} did not "
                f"exist on {year.start.isoformat()} ({source.number})."
            )
            continue
        kept[code] = entry
    return kept, ended


def _not_carried(source, data: dict) -> str:
    metadata = data.get("metadata") or {}
    amount = next(iter((data.get("values") or {}).values()), None)
    shown = f" of {format_pounds(round(amount * 100))}" if isinstance(amount, (int, float)) else ""
    row = f", Annex A row {metadata['annex_a_row']}" if "annex_a_row" in metadata else ""
    return (
        f"the named adjustment {metadata.get('name', '?')}{shown} ({source.number}{row}): it reconciles "
        f"{source.financial_year.label}'s Annex A only."
    )


def _redated(data, source_year: FinancialYear, year: FinancialYear, number: str = "") -> str:
    """The YAML of a parameter file with each value read on the source year's 1 April, dated from
    the new year's 1 April (and ending a year later); each label kept, and each structured
    reference carried into the new year as the draft's own, saying it was rolled forward."""

    def walk(node):
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("metadata"), dict) and node["metadata"].get("references"):
            node = dict(node)
            node["metadata"] = {
                **node["metadata"],
                "references": _draft_references(node["metadata"]["references"], number, source_year, year),
            }
        if "values" in node:
            # Dates as YAML reads them: unquoted (by hand) or quoted strings (as new-determination writes).
            values = {datetime.date.fromisoformat(str(day)): v for day, v in (node["values"] or {}).items()}
            at = max((date for date in values if date <= source_year.start), default=None)
            node = dict(node)
            node["values"] = {year.start: values.get(at), FinancialYear(year.start_year + 1).start: None}
            return node
        return {
            k: (v if k in ("description", "metadata", "documentation") else walk(v)) for k, v in node.items()
        }

    header = f"# Rolled forward by openfisca-grants roll-forward: {determinations.DRAFT_LABEL}.\n"
    return header + yaml.safe_dump(walk(data), allow_unicode=True, sort_keys=False, width=100)


def _draft_references(dated: dict, number: str, source_year: FinancialYear, year: FinancialYear) -> dict:
    """The source's dated references, and the draft's own from the new year's 1 April: those that
    applied in the source's year, each titled "Draft rolled forward from ..." at the same line."""
    on = source_year.start.isoformat()
    by_day = {str(day): list(entries or ()) for day, entries in dated.items()}
    applying = max((day for day in by_day if day <= on), default=None)
    drafted = [
        {**entry, "title": f"Draft rolled forward from {number} ({source_year.label}): {entry['title']}"}
        for entry in (by_day[applying] if applying else ())
    ]
    if drafted:
        by_day[year.start.isoformat()] = drafted
    return by_day


def _draft_index(source, draft_number: str, year: FinancialYear, not_carried: list[str]) -> str:
    metadata = {
        key: value
        for key, value in source.metadata.items()
        if key
        not in (
            "letter_date",
            "annex_date",
            "letter_file",
            "signed_by",
            "payment_due_by",
            "payment_month",
            "encoded_by_hand",
        )  # fmt: skip
    }
    metadata.update(
        {
            "determination": draft_number,
            "status": "draft",
            "draft_of": source.number,
            "financial_year": year.label,
            "payment": f"None determined: {determinations.DRAFT_LABEL}. {source.label} paid: "
            + source.payment.text,
            "payment_instalments": None,
            "not_carried": not_carried,
            "reference": f"Draft rolled forward from determination {source.number}; no letter determines "
            f"{year.label}",
        }
    )
    metadata["annex_a"] = {k: v for k, v in (source.metadata.get("annex_a") or {}).items()}
    body = {
        "description": f"DRAFT, not a published determination: {source.title} rolled forward to {year.label}",
        "metadata": metadata,
    }
    header = (
        f"# {determinations.DRAFT_LABEL.capitalize()}: written by openfisca-grants roll-forward from "
        f"{source.number}.\n# Replace it with the real determination (new-determination) when the letter "
        "arrives.\n"
    )
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


def _year_after(year: FinancialYear) -> datetime.date:
    return FinancialYear(year.start_year + 1).start


# ---- remove-determination ------------------------------------------------------------------------


@dataclass
class Removal:
    """What removing one determination takes out of the tree, relative to its root."""

    number: str
    files: list[pathlib.Path] = field(default_factory=list)  # removed whole
    changed: dict[pathlib.Path, str] = field(default_factory=dict)  # lines taken out: the new text
    taken_out: dict[pathlib.Path, int] = field(default_factory=dict)  # how many lines, for the note
    folders: list[pathlib.Path] = field(default_factory=list)  # removed once empty
    notes: list[str] = field(default_factory=list)


def remove_determination(number, root=".", force: bool = False) -> Removal:
    """Take determination ``number`` (an import or a draft) out of the tree under ``root``: every
    file and line new-determination or roll-forward wrote for it, whole or nothing. A
    determination whose description says it was ``encoded_by_hand`` is refused unless ``force``."""
    root = boundary.repository_root(root, "--root")
    if not isinstance(number, str) or not number.strip():
        raise boundary.refuse("the determination", number, "is not a determination's number.")
    number = number.strip()
    transaction.recover(root)  # a change a killed command left half-made is undone first
    found = _descriptions(root)
    matching = [m for m in found if str(m["determination"]) == number]
    if not matching:
        raise RulesCannotAnswer(
            f"No determination numbered {boundary.shown(number)} is encoded under {root}.",
            available="Encoded: " + ", ".join(str(m["determination"]) for m in found) + ".",
        )
    metadata = matching[0]
    if metadata.get("encoded_by_hand") and not force:
        raise RulesCannotAnswer(
            f"Determination {number} was encoded by hand ({metadata['folder']}/ says encoded_by_hand): "
            "it is not removed; nothing was changed.",
            hint="To remove it all the same, add --force.",
        )
    drafts = [str(m["determination"]) for m in found if str(m.get("draft_of", "")) == number]
    if drafts:
        raise RulesCannotAnswer(
            f"Determination {number} has the draft(s) {', '.join(drafts)}, which read its variables: "
            "remove them first; nothing was changed.",
        )
    removal = Removal(number)
    folder = root / metadata["folder"]
    removal.files += [path.relative_to(root) for path in sorted(folder.rglob("*")) if path.is_file()]
    removal.folders += [path.relative_to(root) for path in sorted(folder.rglob("*")) if path.is_dir()]
    removal.folders.append(folder.relative_to(root))
    if metadata.get("status") != "draft":  # a draft's variables and cases are its source's
        module = root / VARIABLES / str(metadata.get("variables_module", ""))
        if module.is_file() and module.parent == root / VARIABLES:
            removal.files.append(module.relative_to(root))
        cases = root / CASES / number.replace("/", "_")
        if cases.is_dir():
            removal.files += [path.relative_to(root) for path in sorted(cases.rglob("*")) if path.is_file()]
            removal.folders += [path.relative_to(root) for path in sorted(cases.rglob("*")) if path.is_dir()]
            removal.folders.append(cases.relative_to(root))
        for name in _source_files(metadata):
            letter = root / SOURCES / name
            if letter.is_file() and letter.parent == root / SOURCES:
                removal.files.append(letter.relative_to(root))
            _take_out(root, removal, SOURCES / "README.md", _table_row_of(f"`{name}`"))
    _take_out(root, removal, LETTER_NAMES, _letter_names_of(number))
    # The README's table of determinations, without this one, in the same change.
    readme = readme_table.readme_change(root, removal.changed, removal.files)
    removal.changed.update(readme)
    removal.notes += [f"{path}: its table of determinations written again." for path in readme]
    try:
        transaction.apply(root, removal.changed, deletes=removal.files, remove_dirs=removal.folders)
    except OSError as error:
        raise RulesCannotAnswer(
            f"Determination {number} could not be removed from {root} ({error}); nothing was changed."
        ) from None
    removal.notes.append(
        f"Determination {number} ({metadata.get('financial_year')}"
        + (f", {determinations.DRAFT_LABEL}" if metadata.get("status") == "draft" else "")
        + ") removed."
    )
    return removal


def _source_files(metadata: dict) -> list[str]:
    """The files under sources/ a description names: its letter, the originals it was read from
    (a PDF, a page, a spreadsheet) and the text read from a spreadsheet's Annex A."""
    names = [
        metadata.get("letter_file"),
        metadata.get("annex_a_file"),
        *(metadata.get("original_files") or ()),
        *(metadata.get("source_files") or ()),
    ]
    return [str(name) for name in dict.fromkeys(names) if name and "/" not in str(name)]


def _take_out(root: pathlib.Path, removal: Removal, relative: pathlib.Path, lines_to_drop) -> None:
    path = root / relative
    if not path.is_file():
        return
    text = removal.changed.get(relative, None) or _read(path)
    kept, dropped = lines_to_drop(text.splitlines(keepends=True))
    if dropped:
        removal.changed[relative] = "".join(kept)
        removal.taken_out[relative] = dropped


def _table_row_of(cell: str):
    def drop(lines: list[str]):
        kept = [line for line in lines if not (line.startswith("| ") and f"| {cell} |" in line)]
        return kept, len(lines) - len(kept)

    return drop


def _letter_names_of(number: str):
    """Take out of letter_names.yaml every entry of the letter ``number``, the heading comment
    new-determination wrote before them, and the blank line before that heading."""

    def entry_letter(block: list[str]) -> str | None:
        try:
            data = yaml.load("".join(block), Loader=_Loader)
        except yaml.YAMLError:
            return None
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            return str(data[0].get("letter"))
        return None

    def drop(lines: list[str]):
        kept: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("- "):
                end = index + 1
                while end < len(lines) and lines[end].startswith("  "):
                    end += 1
                block = lines[index:end]
                if entry_letter(block) != number:
                    kept += block
                index = end
                continue
            if line.startswith(f"# Determination {number}, "):
                if kept and not kept[-1].strip():
                    kept.pop()
                index += 1
                continue
            kept.append(line)
            index += 1
        return kept, len(lines) - len(kept)

    return drop


def describe_removal(removal: Removal) -> str:
    """What remove-determination took out, for the person who ran it."""
    lines = [*removal.notes, "Removed:"]
    lines += [f"  {path}" for path in removal.files]
    lines += [
        f"  {path} ({count} line{'s' if count != 1 else ''} taken out)"
        for path, count in removal.taken_out.items()
    ]
    return "\n".join(lines)


# ---- writing ------------------------------------------------------------------------------------


def _write(root: pathlib.Path, home: Home) -> None:
    """Refuse if any file of the home exists; then write every file (and the names appended, the
    table rows added) as one change, whole or nothing (``transaction.apply``)."""
    transaction.recover(root)
    for relative in home.files:
        if (root / relative).exists():
            raise RulesCannotAnswer(
                f"{relative} exists already: determination {home.number}'s home is not written over it.",
            )
    folder = root / PARAMETERS / home.key
    if folder.exists():
        raise RulesCannotAnswer(f"{folder.relative_to(root)}/ exists already: it is not overwritten.")
    for relative in home.appended:
        if not (root / relative).is_file():
            raise RulesCannotAnswer(f"{relative} is missing under {root}: is it a clone of openfisca-grants?")
    writes = dict(home.files)
    for relative, text in home.appended.items():
        writes[relative] = _read(root / relative) + text
    for relative, row in home.table_rows.items():
        if (root / relative).is_file():
            writes[relative] = _with_table_row(_read(root / relative), row)
    # The README's table of determinations, with this one, in the same change.
    readme = readme_table.readme_change(root, writes)
    writes.update(readme)
    home.notes += [f"{path}: its table of determinations written again." for path in readme]
    try:
        transaction.apply(root, writes, check=_descriptions_read)
    except OSError as error:
        raise RulesCannotAnswer(
            f"Determination {home.number}'s home could not be written under {root} ({error}); "
            "nothing was written."
        ) from None


def _descriptions_read(staged: pathlib.Path) -> None:
    """Each description about to be written reads as one (as the catalogue will read it)."""
    for index in sorted((staged / PARAMETERS).glob("*/index.yaml")):
        document = yaml.load(index.read_text(encoding="utf-8"), Loader=_Loader)
        try:
            determinations.described(index.parent.name, document["description"], document["metadata"])
        except (KeyError, TypeError, ValueError) as error:
            raise RulesCannotAnswer(
                f"{index.relative_to(staged)} as it would be written does not describe a determination "
                f"({error}); nothing was written."
            ) from None


def _read(path: pathlib.Path) -> str:
    """A file of the tree as it is, byte for byte (line endings kept), to be written back changed."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesCannotAnswer(f"Cannot read {path}: {error}; nothing was written.") from None


def _with_table_row(text: str, row: str) -> str:
    """``row`` after the last row of the first Markdown table in ``text`` (if it has one)."""
    lines = text.splitlines(keepends=True)
    table = [index for index, line in enumerate(lines) if line.startswith("| ")]
    if table:
        lines.insert(table[-1] + 1, row + "\n")
    return "".join(lines)


def describe(home: Home) -> str:
    """What a command wrote, for the person who ran it."""
    lines = [*home.notes, "Written:"]
    lines += [f"  {path}" for path in home.files]
    lines += [f"  {path} (names appended)" for path in home.appended]
    lines += [f"  {path} (a row added to its table)" for path in home.table_rows]
    return "\n".join(lines)
