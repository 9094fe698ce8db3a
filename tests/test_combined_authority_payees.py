"""A letter paying combined authorities and the Greater London Authority directly, beside
councils, in a year another determination governs: imported with one command, reconciled to the
penny, its YAML case failing on a 1p change, and each body's statement, explanation and
comparison answering for it."""

from __future__ import annotations

import json

import pytest
from scratch_tree import grants, run_in, tree
from test_payees import NUMBER, _letter

YEAR = "2024-25"
ROWS = [
    ("Leeds City Council", "E08000035", "£12,345.67"),
    ("West Yorkshire Combined Authority", "E47000003", "£250,000.01"),
    ("Greater London Authority", "E61000001", "£1,000,000.00"),
    # Established on 7 May 2024: paid by a letter of 2024-25 though not there on 1 April.
    ("North East Mayoral Combined Authority", "E47000014", "£99,999.99"),
    ("London Borough of Camden", "E09000007", "£3,210.00"),
]
LETTER = _letter(
    "".join(f"{name}\t{amount}\n" for name, _, amount in ROWS) + "\tTotal: £1,365,555.67\n", YEAR
)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    base = tmp_path_factory.mktemp("bodies")
    root = tree(base)
    letter = base / "letter.txt"
    letter.write_text(LETTER, encoding="utf-8")
    imported = grants(root, "new-determination", str(letter), "--root", str(root))
    assert imported.returncode == 0, imported.stderr
    assert "5 Annex A rows, paid per body" in imported.stdout
    return root


def _pence(text: str) -> int:
    return int(text.replace("£", "").replace(",", "").replace(".", ""))


def test_it_reconciles_to_the_penny_beside_the_determination_sharing_its_year(root):
    result = grants(root, "reconcile", "--year", YEAR, "--format", "json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    by_number = {d["determination"]: d for d in answer["determinations"]}
    assert {NUMBER, "31/7421"} <= set(by_number)
    lines = {line["gss_code"]: line for line in by_number[NUMBER]["lines"] if line.get("gss_code")}
    for _, code, amount in ROWS:
        assert _pence(lines[code]["computed"]) == _pence(amount), lines[code]
        assert lines[code]["computed"] == lines[code]["published"]


def test_its_yaml_case_passes_and_fails_on_a_one_penny_change(root):
    folder = root / "tests" / "determinations" / NUMBER.replace("/", "_")
    command = (
        "-m",
        "openfisca_core.scripts.openfisca_command",
        "test",
        str(folder),
        "-c",
        "openfisca_grants",
    )
    passed = run_in(root, *command)
    assert passed.returncode == 0, passed.stdout[-2000:] + passed.stderr[-2000:]
    (case,) = folder.glob("*.yaml")
    text = case.read_text(encoding="utf-8")
    assert "250000.01" in text
    case.write_text(text.replace("250000.01", "250000.02"), encoding="utf-8")
    try:
        failed = run_in(root, *command)
    finally:
        case.write_text(text, encoding="utf-8")
    assert failed.returncode != 0, failed.stdout[-2000:]


def test_a_combined_authoritys_statement_lists_its_payment_with_its_row(root):
    result = grants(
        root, "statement", "--year", YEAR, "--body", "West Yorkshire Combined Authority", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["body"]["code"] == "E47000003"
    (line,) = answer["lines"]
    assert (line["determination"], line["paid_as"], line["amount"]) == (
        NUMBER,
        "combined authority",
        "250000.01",
    )
    assert line["annex_a_row"] == 2
    assert answer["total"] == "250000.01"


def test_a_body_established_during_the_year_has_its_statement(root):
    result = grants(root, "statement", "--year", YEAR, "--body", "E47000014", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "99999.99"


def test_camdens_statement_adds_this_letter_to_its_lead_body_payment(root):
    baseline = grants(
        root,
        "statement",
        "--year",
        YEAR,
        "--body",
        "Camden",
        "--determination",
        "31/7421",
        "--format",
        "json",
    )
    both = grants(root, "statement", "--year", YEAR, "--body", "Camden", "--format", "json")
    assert baseline.returncode == 0 and both.returncode == 0, baseline.stderr + both.stderr
    lead = _pence("£" + json.loads(baseline.stdout)["total"])
    answer = json.loads(both.stdout)
    assert {line["determination"] for line in answer["lines"]} == {"31/7421", NUMBER}
    assert _pence("£" + answer["total"]) == lead + 321000


def test_explain_answers_for_the_greater_london_authority(root):
    result = grants(
        root, "explain", "--year", YEAR, "--authority", "Greater London Authority", "--determination", NUMBER
    )
    assert result.returncode == 0, result.stderr
    assert "1,000,000.00" in result.stdout


def test_a_determination_of_authorities_asked_about_a_combined_authority_says_how_it_is_paid(root):
    result = grants(
        root,
        "explain",
        "--year",
        YEAR,
        "--authority",
        "West Midlands Combined Authority",
        "--determination",
        NUMBER,
    )
    assert result.returncode == 2
    assert "not among the bodies determination" in result.stderr and "Traceback" not in result.stderr


def test_compare_moves_one_bodys_amount_and_nothing_else(root):
    folder = next((root / "parameters" / "determinations").glob(f"*{NUMBER.replace('/', '_')}"))
    key = folder.name
    result = grants(
        root,
        "compare",
        "--year",
        YEAR,
        "--determination",
        NUMBER,
        "--set",
        f"determinations.{key}.annex_a.E47000003=£260,000.01",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    (answer,) = json.loads(result.stdout)
    assert answer["paid_per"] == "body"
    assert {row["code"] for row in answer["rows"]} == {code for _, code, _ in ROWS}
    changed = [row for row in answer["rows"] if row["baseline"] != row["reform"]]
    assert [(row["name"], row["difference"]) for row in changed] == [
        ("West Yorkshire Combined Authority", "10000.00")
    ]
