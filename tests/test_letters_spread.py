"""Adding letters leaves the suite green: letters generated for a spread of years (2009-10
onwards, 2016-17 and 2024-25 among them, beside the encoded determinations of those years; in
2024-25 and in 2016-17 also one paying combined authorities and the GLA directly) are
imported into a scratch tree, and there the published-figure meta-tests (every figure asserted, a
1p change failing) and a sample of the suite run against the tree's own package."""

from __future__ import annotations

import json
import random
import shutil

import letter_factory as factory
from scratch_tree import ROOT, grants, run_in, tree

from openfisca_grants.cli import main

SPREAD = {
    "2009-10": "older",
    "2012-13": "csv",
    "2016-17": "browser_text",
    "2019-20": "html",
    "2021-22": "xlsx",
    "2024-25": "pdf_text",
}
SAMPLE = [
    "test_exact_money.py",
    "test_reconcile.py",
    "test_statement.py",
    "test_no_silent_zeros.py",
    "test_register.py",
    "test_compare_sweep_explain.py",
]


def test_a_spread_of_letters_leaves_the_meta_tests_and_a_sample_of_the_suite_green(tmp_path, capsys):
    root = tree(tmp_path)
    rng = random.Random("spread")
    numbers = []
    for index, (year, layout) in enumerate(SPREAD.items()):
        spec = factory.spec(rng, layout, year=year, rows=rng.randrange(5, 25), number=f"31/{8600 + index}")
        _, _, argv = factory.write(spec, tmp_path / "letters" / year)
        assert main(["new-determination", *argv, "--root", str(root)]) == 0, capsys.readouterr().err
        numbers.append(spec.number)
    # A third determination of 2024-25, paying combined authorities and the GLA beside councils,
    # named by ONS code (one of them established in May 2024); and one of 2016-17, beside a
    # determination paying authorities only (31/3010): every body of the year but the councils,
    # the West Midlands Combined Authority (June 2016) among them.
    for year, layout, number, councils, naming, must_pay in (
        ("2024-25", "html", "31/8699", 6, "ons", "E47000014"),
        ("2016-17", "csv", "31/8698", 0, "name", "E47000007"),
    ):
        payee = factory.with_combined_authorities(rng, councils=councils)
        spec = factory.spec(rng, layout, year=year, rows=40, number=number, payee=payee, naming=naming)
        assert must_pay in {row.code for row in spec.rows}
        _, _, argv = factory.write(spec, tmp_path / "letters" / f"bodies_{year}")
        assert main(["new-determination", *argv, "--root", str(root)]) == 0, capsys.readouterr().err
        assert "paid per body" in capsys.readouterr().out
        numbers.append(spec.number)
    capsys.readouterr()
    reconciled = grants(root, "reconcile", "--format", "json")
    assert reconciled.returncode == 0, reconciled.stderr[-2000:]
    found = {d["determination"] for d in json.loads(reconciled.stdout)["determinations"]}
    assert set(numbers) | {"31/3010", "31/7421"} <= found
    # The suite's files beside the tree's own cases (which now include the imported letters').
    shutil.copytree(
        ROOT / "tests", root / "tests", dirs_exist_ok=True, ignore=shutil.ignore_patterns("determinations")
    )
    shutil.copytree(ROOT / "examples", root / "examples")
    sample = [str(root / "tests" / name) for name in SAMPLE]
    result = run_in(root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *sample)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " failed" not in result.stdout and " passed" in result.stdout
