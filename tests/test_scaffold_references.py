"""What new-determination and roll-forward write is as traceable as what was encoded by hand: a
short label on every parameter and dated references to the line of the kept letter (or of the
kept text of a spreadsheet's Annex A) that holds the row.

Letters generated in several layouts, one with a named adjustment, and drafts are added to a
scratch tree, and the parameter index's own tests run there against the tree's package."""

from __future__ import annotations

import random
import re
import shutil

import letter_factory as factory
import yaml
from scratch_tree import LETTER_7421, ROOT, grants, run_in, tree

from openfisca_grants.cli import main

LAYOUTS = {
    "sources": "2016-17",
    "pdf_text": "2024-25",
    "html": "2019-20",
    "csv": "2012-13",
    "older": "2013-14",
}


def _normalised(text: str) -> str:
    for curly, straight in (("’", "'"), ("“", '"'), ("”", '"'), ("–", "-")):
        text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


def _line(root, href: str) -> str:
    """The line an href points at, the file's lines counted as the letter's reader counts them."""
    name, line = re.fullmatch(r"openfisca_grants/sources/([\w.-]+\.txt)#L(\d+)", href).groups()
    lines = (root / "openfisca_grants" / "sources" / name).read_text(encoding="utf-8").split("\n")
    assert 1 <= int(line) <= len(lines), href
    return _normalised(lines[int(line) - 1])


def _leaves(root, number: str):
    """Each parameter leaf new-determination wrote for ``number``: (file, key, its data)."""
    for index in (root / "parameters" / "determinations").glob("*/index.yaml"):
        if str(yaml.safe_load(index.read_text(encoding="utf-8"))["metadata"]["determination"]) == number:
            break
    else:
        raise AssertionError(f"{number} was not written")
    for path in sorted(index.parent.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in data.items():
            if isinstance(value, dict) and "values" in value:
                yield path, key, value


def _import(root, spec, folder, *extra) -> None:
    _, _, argv = factory.write(spec, folder)
    assert main(["new-determination", *argv, *extra, "--root", str(root)]) == 0


def test_each_row_s_reference_is_the_line_of_the_kept_text_that_holds_it(tmp_path, capsys):
    root = tree(tmp_path, without="31/7421")
    rng = random.Random("references")
    specs = []
    for index, layout in enumerate(("sources", "pdf_text", "html", "csv", "xlsx", "older", "pdf")):
        spec = factory.spec(rng, layout, rows=rng.randrange(3, 12), number=f"31/{8700 + index}")
        _import(root, spec, tmp_path / "letters" / layout)
        specs.append(spec)
    assert main(["new-determination", str(LETTER_7421), "--root", str(root)]) == 0, capsys.readouterr().err
    for number, layout in [(spec.number, spec.layout) for spec in specs] + [("31/7421", "lead bodies")]:
        labels = set()
        rows = 0
        for path, key, leaf in _leaves(root, number):
            metadata = leaf["metadata"]
            label = metadata["label"]
            assert label and len(label) <= 45 and label not in labels, (layout, label)
            labels.add(label)
            ((since, references),) = metadata["references"].items()
            assert since == next(iter(leaf["values"]))  # from the year's 1 April
            ((reference),) = references
            line = _line(root, reference["href"])
            named = metadata.get("name_in_letter") or leaf["values"][since]
            for part in str(named).split(" – "):
                assert _normalised(part) in line, (layout, path.name, key, reference["href"])
            for quoted in re.findall(r'"([^"]+)"', reference["title"]):
                assert _normalised(quoted) in line, (layout, reference)
            kept = reference["href"].split("#")[0]
            spreadsheet = layout in ("csv", "xlsx")
            assert kept.endswith("_annex_a.txt" if spreadsheet else "_letter.txt"), (layout, kept)
            rows += 1
        assert rows


def test_imported_letters_and_drafts_pass_the_parameter_index_s_tests_in_their_tree(tmp_path, capsys):
    root = tree(tmp_path)
    rng = random.Random("index")
    numbers = {}
    for index, (layout, year) in enumerate(LAYOUTS.items()):
        spec = factory.spec(rng, layout, year=year, rows=rng.randrange(4, 14), number=f"31/{8800 + index}")
        _import(root, spec, tmp_path / "letters" / layout)
        numbers[layout] = spec.number
    # A total that does not add up, the difference recorded as a named adjustment.
    spec = factory.spec(rng, "pdf_text", year="2021-22", rows=6, number="31/8899", damage="bad_total")
    _import(root, spec, tmp_path / "letters" / "adjusted", "--adjustment", "rounding=£0.01:the letter's own")
    capsys.readouterr()
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 0
    drafted = grants(root, "roll-forward", numbers["sources"], "--to", "2017-18", "--root", str(root))
    assert drafted.returncode == 0, drafted.stderr[-2000:]
    draft = [leaf for _, _, leaf in _leaves(root, f"{numbers['sources']}-draft-2017-18")]
    assert draft and all(leaf["metadata"]["label"] for leaf in draft)
    for leaf in draft:
        own = leaf["metadata"]["references"]["2017-04-01"]
        assert own and all(r["title"].startswith(f"Draft rolled forward from {numbers['sources']} (2016-17): ")
                           for r in own)  # fmt: skip
        assert [r["href"] for r in own] == [r["href"] for r in leaf["metadata"]["references"]["2016-04-01"]]
    shutil.copytree(
        ROOT / "tests", root / "tests", dirs_exist_ok=True, ignore=shutil.ignore_patterns("determinations")
    )
    result = run_in(
        root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
        str(root / "tests" / "test_parameter_index.py"),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " failed" not in result.stdout and " passed" in result.stdout


def test_a_long_row_is_shortened_and_two_alike_once_shortened_are_told_apart():
    from openfisca_grants.scaffold import PaidRow, _labels

    long = "The Council of the Royal Borough of Somewhere Very Long Indeed"
    rows = [
        PaidRow(n, f"{long} {suffix}", 100, "E1", "E1", "", "") for n, suffix in ((1, "North"), (2, "South"))
    ]
    rows.append(PaidRow(3, "Camden", 100, "E2", "E2", "", ""))
    labels = _labels(rows, taken={"Camden"})
    assert all(len(label) <= 45 for label in labels.values())
    assert len(set(labels.values()) | {"Camden"}) == 4
    assert labels[1].startswith("The Council of the Royal") and labels[2].endswith("(row 2)")
    assert labels[3] == "Camden (row 3)"
