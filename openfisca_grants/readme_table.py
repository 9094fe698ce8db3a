"""The README's table of encoded determinations, written from their descriptions, never by hand.

README.md holds the table between two marker comments. ``table(found)`` writes it from the
determinations' typed descriptions alone (``determinations.Determination``: number, title,
year, status, letter, who is paid, how its amounts are set, the letter's figures it checks), so
it says only what the catalogue knows. ``readme_change(root, writes, deletes)`` is a tree's
README as it will be once a command's writes and deletions are made: new-determination,
roll-forward and remove-determination put it in their one whole-or-nothing change, so that an
import appears in the table and a removal leaves it. A test holds the repository's README to
``table(catalogue())``; ``python -m openfisca_grants.readme_table`` writes it again.
"""

from __future__ import annotations

import datetime
import pathlib
import sys
from urllib.parse import quote

import yaml

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import format_pounds, to_pence

README = pathlib.Path("README.md")
DESCRIPTIONS = pathlib.Path("parameters", "determinations")  # each determination's index.yaml
REWRITE = ".venv/bin/python -m openfisca_grants.readme_table"
BEGIN = f"<!-- The table of determinations is written from the catalogue ({REWRITE}); not by hand. -->"
END = "<!-- End of the table of determinations. -->"
HEADERS = (
    "determination",
    "year",
    "status",
    "letter",
    "paid to",
    "amounts",
    "the letter's own figures checked",
)


def table(found) -> str:
    """The Markdown table of ``found`` (determinations, in catalogue order), and a line counting them."""
    found = list(found)
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    lines += ["| " + " | ".join(_row(d)) + " |" for d in found]
    drafts = sum(d.is_draft for d in found)
    years = len({d.financial_year for d in found})
    lines += [
        "",
        f"{_count(len(found) - drafts, 'published determination')} and {_count(drafts, 'draft')}, "
        f"for {_count(years, 'financial year')}.",
    ]
    return "\n".join(lines) + "\n"


def with_table(text: str, found) -> str:
    """``text`` (a README) with the table of ``found`` between its markers; as it is without them."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return text
    return text[: start + len(BEGIN)] + "\n" + table(found) + text[end:]


def readme_change(root, writes=None, deletes=()) -> dict[pathlib.Path, str]:
    """``{README.md: its new text}`` for the tree under ``root`` once ``writes`` ({relative path:
    text}) are written and ``deletes`` (relative paths) removed; empty when the tree has no README
    with the table's markers, or its table is already right."""
    path = pathlib.Path(root) / README
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesCannotAnswer(f"Cannot read {path}: {error}; nothing was written.") from None
    if BEGIN not in text:
        return {}
    changed = with_table(text, described_after(root, writes or {}, deletes))
    return {} if changed == text else {README: changed}


def described_after(root, writes: dict, deletes=()) -> list[determinations.Determination]:
    """Each determination the tree under ``root`` will describe once ``writes`` and ``deletes``
    are made, in catalogue order."""
    root = pathlib.Path(root)
    writes = {pathlib.Path(relative): text for relative, text in writes.items()}
    deleted = {pathlib.Path(relative) for relative in deletes}
    indexes = {index.relative_to(root) for index in (root / DESCRIPTIONS).glob("*/index.yaml")}
    indexes |= {relative for relative in writes if relative.name == "index.yaml"}
    found = []
    for relative in sorted(indexes - deleted):
        if relative.parent.parent != DESCRIPTIONS:
            continue
        text = writes[relative] if relative in writes else (root / relative).read_text(encoding="utf-8")
        try:
            document = yaml.safe_load(text)
            metadata = document["metadata"]
            if "determination" not in metadata:
                continue
            found.append(determinations.described(relative.parent.name, document["description"], metadata))
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
            raise RulesCannotAnswer(
                f"{relative} does not describe a determination ({error}); nothing was written."
            ) from None
    return determinations.in_catalogue_order(found)


def _row(d: determinations.Determination) -> list[str]:
    """The row's cells, as Markdown: each text escaped, the letter a link to its kept text."""
    if d.letter.file:
        letter = f"[{_cell(_date(d.letter.date))}](openfisca_grants/sources/{quote(d.letter.file)})"
    else:
        letter = _cell(f"none: rolled forward from {d.draft_of}" if d.draft_of else "none")
    texts = [f"{d.number}: {d.title.removesuffix(f' No {d.number}')}", d.financial_year.label, d.status_text]
    return [*map(_cell, texts), letter, *map(_cell, (d.payee.paid_to, _amounts(d), _checked(d)))]


def _amounts(d: determinations.Determination) -> str:
    mapping = d.annex_a
    if mapping.amounts:
        said = "Annex A's amounts, as the letter sets them"
    elif mapping.components:
        said = f"the letter's formula, {_count(len(mapping.components), 'component')}"
    else:
        said = "not yet encoded (Annex A's amounts are its cases)"
    if mapping.adjustments:
        said += f"; named adjustments (`{mapping.adjustments}`)"
    for adjustment in d.metadata.get("total_adjustments") or ():
        said += f"; the named adjustment {adjustment.get('name')} of {_pounds(adjustment.get('amount'))}"
    return said


def _checked(d: determinations.Determination) -> str:
    checks = d.costing_checks
    if not checks:
        return "none"
    recorded = [format_pounds(c.recorded_difference_pence) for c in checks if c.recorded_difference_pence]
    said = f"{_count(len(checks), 'costing')} checked against the amounts stated"
    if recorded:
        said += f"; {len(recorded)} differ by a recorded {' and '.join(recorded)}"
    return said


def _pounds(amount) -> str:
    try:
        return format_pounds(to_pence(amount))
    except (RulesCannotAnswer, TypeError, ValueError):
        return boundary.shown(amount)


def _date(text: str) -> str:
    """A letter's date as a reader writes it: "22 March 2017", or "August 2024" for a month."""
    for form, shown in (("%Y-%m-%d", "{d.day} {d:%B %Y}"), ("%Y-%m", "{d:%B %Y}")):
        try:
            return shown.format(d=datetime.datetime.strptime(text, form))
        except ValueError:
            continue
    return text or "no date"


def _count(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else determinations.unit_plural(word)}"


def _cell(text: str) -> str:
    """Text as one cell: on one line, its bars escaped, no comment or tag opened (a letter's title
    must not end the table's markers) and no link made of it."""
    text = " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")
    return text.replace("](", "]\\(")  # a title is never read as a link


def main(argv=None) -> int:
    """Write README.md's table again from the tree's descriptions (the repository's root by default)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        root = boundary.repository_root(argv[0] if argv else ".", "the repository")
        changed = readme_change(root)
        if not (root / README).is_file() or BEGIN not in (root / README).read_text(encoding="utf-8"):
            raise RulesCannotAnswer(f"{root / README} has no table of determinations: add its two markers.")
    except RulesCannotAnswer as error:
        print(error, file=sys.stderr)
        return 2
    for relative, text in changed.items():
        boundary.write_file(root / relative, lambda path, text=text: path.write_text(text, encoding="utf-8"))
    print(f"{root / README}: " + ("its table of determinations written again." if changed else "up to date."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
