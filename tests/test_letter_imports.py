"""Generated letters in every layout, each imported with one command beside the encoded
determinations, then reconciled to the penny and their YAML cases run, in a scratch tree.

One letter shares 2024-25 with 31/7421 and one 2016-17 with 31/3010; the years spread from
2010-11. The originals (PDF, HTML, spreadsheets) are kept byte for byte beside the text read from
them, and ``reconcile`` reads each Annex A again from what was kept.
"""

from __future__ import annotations

import json
import random

import letter_factory as factory
from test_new_determination import grants, run_in, tree

from openfisca_grants.cli import main

YEARS = {
    "sources": "2024-25",
    "browser_text": "2016-17",
    "html": "2019-20",
    "pdf_text": "2024-25",
    "pdf": "2022-23",
    "older": "2013-14",
    "xlsx": "2010-11",
    "ods": "2020-21",
    "csv": "2018-19",
}


def test_every_layout_imports_with_one_command_and_reconciles_to_the_penny(tmp_path, capsys):
    root = tree(tmp_path)
    rng = random.Random("imports")
    specs = []
    for index, layout in enumerate(factory.LAYOUTS):
        spec = factory.spec(
            rng, layout, year=YEARS[layout], rows=rng.randrange(12, 40), number=f"31/{8100 + index}"
        )
        letter, annex, argv = factory.write(spec, tmp_path / "letters" / layout)
        assert main(["new-determination", *argv, "--root", str(root)]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert f"Determination {spec.number} ({spec.year}): {len(spec.rows)} Annex A rows" in out
        specs.append((spec, letter, annex))
    result = grants(root, "reconcile", "--format", "json")
    assert result.returncode == 0, result.stderr[-3000:]
    reconciled = {d["determination"]: d for d in json.loads(result.stdout)["determinations"]}
    assert {"31/3010", "31/7421"} <= set(reconciled)
    assert all(d["reconciled"] for d in reconciled.values())
    sources = root / "openfisca_grants" / "sources"
    for spec, letter, annex in specs:
        found = reconciled[spec.number]
        rows = [line for line in found["lines"] if line["kind"] == "annex_a_row"]
        assert [(line["gss_code"], _pence(line["published"]), _pence(line["computed"])) for line in rows] == [
            (row.code, row.pence, row.pence) for row in spec.rows
        ], spec.layout
        total = found["lines"][-1]
        assert _pence(total["published"]) == _pence(total["computed"]) == spec.total_pence
        # The original, byte for byte, and the text read from it, under sources/.
        stem = spec.number.replace("/", "_")
        kept = {path.name: path for path in sources.glob(f"{stem}_*")}
        if letter.suffix != ".txt":
            (original,) = [path for name, path in kept.items() if name.endswith(f"_letter{letter.suffix}")]
            assert original.read_bytes() == letter.read_bytes()
        else:
            (text,) = [path for name, path in kept.items() if name.endswith("_letter.txt")]
            assert text.read_bytes() == letter.read_bytes()
        if annex is not None:
            (original,) = [path for name, path in kept.items() if name.endswith(f"_annex_a{annex.suffix}")]
            assert original.read_bytes() == annex.read_bytes()
            assert any(name.endswith("_annex_a.txt") for name in kept)
    # Their YAML cases pass with OpenFisca's own runner: one per row and one per total.
    folders = [str(root / "tests/determinations" / spec.number.replace("/", "_")) for spec, _, _ in specs]
    cases = run_in(
        root, "-m", "openfisca_core.scripts.openfisca_command", "test", *folders, "-c", "openfisca_grants"
    )
    expected = sum(len(spec.rows) + 1 for spec, _, _ in specs)
    assert cases.returncode == 0 and f"{expected} passed" in cases.stdout, cases.stdout[-3000:]
    # Each year's determinations, the encoded one and those generated beside it, all reconcile.
    for year in ("2016-17", "2024-25"):
        shared = grants(root, "reconcile", "--year", year)
        generated = sum(spec.year == year for spec, _, _ in specs)
        assert shared.returncode == 0 and shared.stdout.count(": reconciled.") == 1 + generated, shared.stdout


def _pence(amount: str) -> int:
    pounds, _, pence = amount.partition(".")
    return int(pounds) * 100 + int(pence.ljust(2, "0"))


def test_letters_paying_combined_authorities_import_in_every_layout_and_reconcile(tmp_path, capsys):
    """In every layout, a letter paying councils, combined authorities and the GLA (by name, by
    ONS code, with a blank DfE number where the body has none) imports as paid per body."""
    root = tree(tmp_path)
    rng = random.Random("combined authorities")
    specs = []
    for index, layout in enumerate(factory.LAYOUTS):
        year = "2024-25" if index % 2 else YEARS[layout]
        payee = factory.with_combined_authorities(rng, councils=rng.randrange(1, 8))
        spec = factory.spec(rng, layout, year=year, rows=60, number=f"31/{8200 + index}", payee=payee)
        _, _, argv = factory.write(spec, tmp_path / "letters" / layout)
        assert main(["new-determination", *argv, "--root", str(root)]) == 0, (layout, capsys.readouterr().err)
        assert f"{len(spec.rows)} Annex A rows, paid per body" in capsys.readouterr().out
        specs.append(spec)
    result = grants(root, "reconcile", "--format", "json")
    assert result.returncode == 0, result.stderr[-3000:]
    reconciled = {d["determination"]: d for d in json.loads(result.stdout)["determinations"]}
    for spec in specs:
        rows = [line for line in reconciled[spec.number]["lines"] if line["kind"] == "annex_a_row"]
        assert [(line["gss_code"], _pence(line["computed"])) for line in rows] == [
            (row.code, row.pence) for row in spec.rows
        ], spec.layout
    assert all(d["reconciled"] for d in reconciled.values())
