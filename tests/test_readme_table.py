"""The README's table of determinations is the catalogue's, and the commands that change the
catalogue change it in the same whole-or-nothing change.

The repository's README is held to ``readme_table.table(catalogue())``. In a scratch tree with a
README, ``new-determination`` adds its row, ``roll-forward`` its draft's, ``remove-determination``
takes it out again (the README byte for byte as before), and an import or a removal interrupted
at any write leaves the README as it was.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re

import pytest
from test_new_determination import COUNCILS_LETTER, NUMBER, tree
from test_remove_determination import files
from test_whole_or_nothing import Interrupted, counted, failing_at

from openfisca_grants import determinations, readme_table
from openfisca_grants.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent


def block(text: str) -> str:
    """What stands between the README's two markers."""
    start, end = text.index(readme_table.BEGIN), text.index(readme_table.END)
    return text[start + len(readme_table.BEGIN) : end].strip("\n") + "\n"


def rows(text: str) -> list[str]:
    return [line for line in block(text).splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_the_readmes_table_is_the_catalogues():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(readme_table.BEGIN) == 1 and text.count(readme_table.END) == 1
    assert block(text) == readme_table.table(determinations.catalogue()), (
        f"README.md's table of determinations is not the catalogue's: write it again with "
        f"`{readme_table.REWRITE}`"
    )
    assert len(rows(text)) == len(determinations.catalogue())


def test_each_row_says_what_the_catalogue_knows_of_its_determination():
    shown = readme_table.table(determinations.catalogue())
    for determination in determinations.catalogue():
        (row,) = [line for line in shown.splitlines() if line.startswith(f"| {determination.number}: ")]
        assert f"| {determination.financial_year.label} | {determination.status_text} |" in row
        assert determination.payee.paid_to in row
        if determination.letter.file:
            assert f"(openfisca_grants/sources/{determination.letter.file})" in row
            assert (ROOT / "openfisca_grants" / "sources" / determination.letter.file).is_file()
        for check in determination.costing_checks:
            if check.recorded_difference_pence:
                assert readme_table.format_pounds(check.recorded_difference_pence) in row


@pytest.mark.parametrize(
    "title",
    [
        "A | B Grant",
        "Grant\nwith a line break",
        f"Grant {readme_table.END} after",
        "<script>alert(1)</script>",
        "[a link](https://example.org) Grant",
    ],
)
def test_a_title_cannot_break_the_table_or_its_markers(title):
    found = [dataclasses.replace(determinations.catalogue()[0], title=title)]
    text = f"before\n{readme_table.BEGIN}\nold\n{readme_table.END}\nafter\n"
    written = readme_table.with_table(text, found)
    assert written.count(readme_table.END) == 1 and written.count(readme_table.BEGIN) == 1
    assert written.startswith("before\n") and written.endswith(f"{readme_table.END}\nafter\n")
    (row,) = rows(written)
    assert len(re.findall(r"(?<!\\)\|", row)) == len(readme_table.HEADERS) + 1
    assert "<" not in row and "](https" not in row
    assert "](openfisca_grants/sources/" in row  # the letter's own link stays one
    assert readme_table.with_table(written, found) == written


def test_text_without_the_markers_is_left_as_it_is():
    for text in ("no table here\n", f"{readme_table.END}\n{readme_table.BEGIN}\n"):
        assert readme_table.with_table(text, determinations.catalogue()) == text


def with_readme(root: pathlib.Path) -> str:
    """Give the scratch tree the repository's README, its table the tree's own; return its text."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme_table.with_table(text, readme_table.described_after(root, {}))
    (root / "README.md").write_text(text, encoding="utf-8")
    return text


def test_an_import_appears_in_the_table_and_its_removal_leaves_the_readme_as_it_was(tmp_path, capsys):
    root = tree(tmp_path)
    before_text = with_readme(root)
    before = files(root)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert "README.md: its table of determinations written again." in capsys.readouterr().out
    text = (root / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in rows(text) if line.startswith(f"| {NUMBER}: ")]
    assert "Example Practice Grant Determination [2019-20]" in row and "| 2019-20 | published |" in row
    assert "[3 March 2020](openfisca_grants/sources/" in row and "Annex A's amounts" in row
    assert len(rows(text)) == len(rows(before_text)) + 1
    assert readme_table.readme_change(root) == {}  # the table is the tree's, as it now is
    # Outside the table, the README is as it was.
    assert text.replace(block(text), "") == before_text.replace(block(before_text), "")
    assert main(["remove-determination", NUMBER, "--root", str(root)]) == 0
    assert (root / "README.md").read_text(encoding="utf-8") == before_text
    assert files(root) == before


def test_a_draft_appears_labelled_and_goes_with_its_removal(tmp_path, capsys):
    root = tree(tmp_path)
    before_text = with_readme(root)
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 0
    text = (root / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in rows(text) if line.startswith("| 31/7421-draft-2025-26: ")]
    assert f"| 2025-26 | {determinations.DRAFT_LABEL} | none: rolled forward from 31/7421 |" in row
    assert "2 published determinations and 1 draft, for 3 financial years." in block(text)
    assert main(["remove-determination", "31/7421-draft-2025-26", "--root", str(root)]) == 0
    assert (root / "README.md").read_text(encoding="utf-8") == before_text


@pytest.mark.parametrize("kind", ["import", "removal"])
def test_interrupted_at_any_write_the_readme_is_as_it_was(kind, tmp_path, monkeypatch, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    argv = ["new-determination", str(letter)] if kind == "import" else ["remove-determination", NUMBER]
    trees = []
    for name in ("interrupted", "complete"):
        root = tree(tmp_path / name)
        with_readme(root)
        if kind == "removal":
            assert main(["new-determination", str(letter), "--root", str(root)]) == 0
        trees.append(root)
    root, complete = trees
    with monkeypatch.context() as patch:
        moves, staged = counted(patch, "_replace"), counted(patch, "_write_staged")
        assert main([*argv, "--root", str(complete)]) == 0
    readme_before = (root / "README.md").read_bytes()
    assert (complete / "README.md").read_bytes() != readme_before  # the command changes the README
    before = files(root)
    for name, k in [("_replace", k) for k in range(moves[0])] + [
        ("_write_staged", k) for k in range(staged[0])
    ]:
        with monkeypatch.context() as patch:
            failing_at(patch, name, k, Interrupted("disk full"))
            assert main([*argv, "--root", str(root)]) == 2, (name, k)
        assert "nothing was" in capsys.readouterr().err
        assert (root / "README.md").read_bytes() == readme_before, f"interrupted at {name} call {k + 1}"
        assert files(root) == before
    assert main([*argv, "--root", str(root)]) == 0
    assert (root / "README.md").read_bytes() == (complete / "README.md").read_bytes()


def test_a_readme_without_the_table_is_left_alone(tmp_path, capsys):
    root = tree(tmp_path)
    (root / "README.md").write_text("# A fork's own README, with no table\n", encoding="utf-8")
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert "its table of determinations" not in capsys.readouterr().out
    assert (root / "README.md").read_text(encoding="utf-8") == "# A fork's own README, with no table\n"


def test_the_rewrite_command_writes_the_table_and_refuses_clearly(tmp_path, capsys):
    root = tree(tmp_path)
    text = with_readme(root)
    stale = text.replace(block(text), "| a stale table |\n")
    (root / "README.md").write_text(stale, encoding="utf-8")
    assert readme_table.main([str(root)]) == 0
    assert "its table of determinations written again" in capsys.readouterr().out
    assert (root / "README.md").read_text(encoding="utf-8") == text
    assert readme_table.main([str(root)]) == 0 and "up to date" in capsys.readouterr().out
    for given, message in (
        (str(tmp_path / "nowhere"), "is not a folder"),
        (str(tmp_path), "is not a clone of openfisca-grants"),
        ("", "no folder given"),
    ):
        assert readme_table.main([given]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    (root / "README.md").write_text("no markers\n", encoding="utf-8")
    assert readme_table.main([str(root)]) == 2
    assert "has no table of determinations" in capsys.readouterr().err
    (root / "README.md").unlink()
    assert readme_table.main([str(root)]) == 2
