"""remove-determination: an import or a draft undone, every file and line, in a scratch tree.

After ``new-determination`` then ``remove-determination`` (or ``roll-forward`` then
``remove-determination``) the tree is byte for byte what it was. A determination encoded by
hand (its description says ``encoded_by_hand``) is refused unless ``--force``.
"""

from __future__ import annotations

import json
import pathlib

import pytest
import yaml
from test_new_determination import COUNCILS_LETTER, LETTER_3010, NUMBER, grants, tree

from openfisca_grants import determinations
from openfisca_grants.cli import main

LETTER_NAMES = pathlib.Path("openfisca_grants", "register", "data", "letter_names.yaml")
SOURCES_TABLE = pathlib.Path("openfisca_grants", "sources", "README.md")


def files(root: pathlib.Path) -> dict[str, bytes]:
    """Every file of the tree (bytecode left out: running the tree's rules writes it), and every folder."""
    found = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        found[str(path.relative_to(root))] = path.read_bytes() if path.is_file() else b"<folder>"
    return found


def by_hand() -> list[str]:
    return [d.number for d in determinations.catalogue() if d.encoded_by_hand]


def test_an_import_removed_leaves_the_tree_as_it_was(tmp_path, capsys):
    root = tree(tmp_path)
    before = files(root)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert files(root) != before
    capsys.readouterr()
    assert main(["remove-determination", NUMBER, "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"Determination {NUMBER} (2019-20) removed." in out
    for written in ("parameters/determinations/", "variables/", "tests/determinations/", "_letter.txt"):
        assert written in out
    # Six names, the heading new-determination wrote before them and the blank line before that.
    assert f"{LETTER_NAMES} (8 lines taken out)" in out and f"{SOURCES_TABLE} (1 line taken out)" in out
    assert files(root) == before


def test_a_draft_removed_leaves_the_tree_as_it_was_and_its_source_whole(tmp_path, capsys):
    root = tree(tmp_path)
    before = files(root)
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 0
    assert main(["remove-determination", "31/7421-draft-2025-26", "--root", str(root)]) == 0
    assert files(root) == before
    result = grants(root, "reconcile", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "31/7421-draft-2025-26" not in result.stdout


def test_a_determination_with_a_draft_is_kept_until_the_draft_goes(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert main(["roll-forward", NUMBER, "--to", "2020-21", "--root", str(root)]) == 2  # not in this package
    capsys.readouterr()
    assert main(["roll-forward", "31/3010", "--to", "2020-21", "--root", str(root)]) == 0
    before = files(root)
    capsys.readouterr()
    assert main(["remove-determination", "31/3010", "--root", str(root), "--force"]) == 2
    err = capsys.readouterr().err
    assert "has the draft(s) 31/3010-draft-2020-21, which read its variables: remove them first" in err
    assert files(root) == before


@pytest.mark.parametrize("number", by_hand())
def test_a_determination_encoded_by_hand_is_refused_without_force(tmp_path, capsys, number):
    root = tree(tmp_path)
    before = files(root)
    assert main(["remove-determination", number, "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert f"Determination {number} was encoded by hand" in err and "add --force" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert files(root) == before


def test_force_removes_a_hand_encoded_determination_everywhere_and_the_rest_still_reconciles(
    tmp_path, capsys
):
    root = tree(tmp_path)
    assert main(["remove-determination", "31/3010", "--root", str(root), "--force"]) == 0
    assert not (root / "parameters/determinations/innovation_programme_31_3010").exists()
    assert not (root / "variables/innovation_programme.py").exists()
    assert not (root / "tests/determinations/31_3010").exists()
    assert not (root / "openfisca_grants/sources" / LETTER_3010.name).exists()
    assert LETTER_3010.name not in (root / SOURCES_TABLE).read_text(encoding="utf-8")
    names = yaml.safe_load((root / LETTER_NAMES).read_text(encoding="utf-8"))
    assert names and all(str(entry["letter"]) != "31/3010" for entry in names)
    assert "# Determination 31/3010," not in (root / LETTER_NAMES).read_text(encoding="utf-8")
    result = grants(root, "reconcile", "--format", "json")
    assert result.returncode == 0, result.stderr
    (left,) = json.loads(result.stdout)["determinations"]
    assert left["determination"] == "31/7421" and left["reconciled"] is True
    # And the letter imports again into the tree it left, reproducing its figures.
    assert main(["new-determination", str(LETTER_3010), "--root", str(root)]) == 0
    again = grants(root, "reconcile", "--year", "2016-17")
    assert again.returncode == 0 and "24 of 24 published figures matched" in again.stdout, again.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["remove-determination", NUMBER], f"No determination numbered '{NUMBER}' is encoded under"),
        (["remove-determination", " "], "is not a determination's number"),
        (["remove-determination", "31/3010", "--root", "/nonexistent"], "is not a folder"),
        (["remove-determination", "31/3010", "--root", "/"], "clone of openfisca-grants"),
        (["remove-determination", "../../etc/passwd"], "No determination numbered"),
    ],
)
def test_bad_input_to_remove_determination_is_one_line_and_exit_2(argv, message, capsys, tmp_path):
    if "--root" not in argv:
        argv = [*argv, "--root", str(tree(tmp_path))]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
