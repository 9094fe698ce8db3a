"""A letter paying combined authorities and the Greater London Authority directly, beside
councils, in a year another determination governs: imported with one command, reconciled to the
penny, its YAML case failing on a 1p change, and each body's statement, explanation and
comparison answering for it."""

from __future__ import annotations

import json

import pytest
import yaml
from scratch_tree import grants, run_in, tree
from test_payees import NUMBER, _letter

from openfisca_grants import determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.paid_bodies import paid_body

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


def test_its_description_says_it_pays_bodies_not_only_authorities(root):
    (folder,) = (root / "parameters" / "determinations").glob(f"*{NUMBER.replace('/', '_')}")
    index = yaml.safe_load((folder / "index.yaml").read_text(encoding="utf-8"))["metadata"]
    annex = yaml.safe_load((folder / "annex_a.yaml").read_text(encoding="utf-8"))
    assert (index["paid_per"], index["formula"]) == ("body", "None: Annex A sets each body's amount.")
    assert "the amount of grant to be paid to each body, keyed by GSS code" in annex["description"]


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
    result = _explain(root, "Greater London Authority")
    assert result.returncode == 0, result.stderr
    assert "1,000,000.00" in result.stdout


def _explain(root, body: str, *more: str):
    return grants(root, "explain", "--year", YEAR, "--authority", body, "--determination", NUMBER, *more)


def test_a_determination_of_authorities_asked_about_a_combined_authority_says_how_it_is_paid(root):
    result = _explain(root, "West Midlands Combined Authority")
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


def test_explain_says_the_body_is_asked_of_a_determination_paying_bodies(root):
    """The explanation's body carries the paying determination's kind, as compare's paid_per does."""
    for body in ("Greater London Authority", "Camden"):
        result = _explain(root, body, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["body"]["kind"] == "body", body


def test_a_roll_forward_carries_every_body_paid_into_the_draft(root):
    """A draft of a letter paying combined authorities pays them too: they exist in its year."""
    draft = f"{NUMBER}-draft-2025-26"
    rolled = grants(root, "roll-forward", NUMBER, "--to", "2025-26", "--root", str(root))
    try:
        assert rolled.returncode == 0, rolled.stderr
        assert "Not carried: nothing." in rolled.stdout, rolled.stdout
        result = grants(root, "reconcile", "--determination", draft, "--format", "json")
        assert result.returncode == 0, result.stderr
        (answer,) = json.loads(result.stdout)["determinations"]
        computed = {
            line["gss_code"]: _pence(line["computed"]) for line in answer["lines"] if line["gss_code"]
        }
        assert computed == {code: _pence(amount) for _, code, amount in ROWS}
    finally:
        removed = grants(root, "remove-determination", draft, "--root", str(root))
        assert removed.returncode == 0, removed.stderr


# Two combined authorities were called the North East Combined Authority in 2018-19: E47000005
# until 1 November 2018, E47000010 from 2 November (S.I. 2018/1133). Only the ONS code says which.
NORTH_EAST_ROWS = [
    ("E47000005", "North East Combined Authority", "£1,000.01"),
    ("E47000010", "North East Combined Authority", "£2,000.02"),
    ("E08000035", "Leeds City Council", "£3,000.03"),
]


@pytest.fixture(scope="module")
def north_east(tmp_path_factory):
    base = tmp_path_factory.mktemp("north_east")
    root = tree(base)
    letter = base / "letter.txt"
    rows = "".join(f"{code}\t{name}\t{amount}\n" for code, name, amount in NORTH_EAST_ROWS)
    text = _letter(rows, "2018-19").replace(
        "Local Authority\tFunding Amount\n", "ONS code\tLocal Authority\tFunding Amount\n"
    )
    letter.write_text(text, encoding="utf-8")
    imported = grants(root, "new-determination", str(letter), "--root", str(root))
    assert imported.returncode == 0, imported.stderr
    assert "3 Annex A rows, paid per body" in imported.stdout
    return root


def test_two_bodies_of_one_name_reconcile_by_the_ons_code_each_row_gives(north_east):
    result = grants(north_east, "reconcile", "--determination", NUMBER, "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    (answer,) = json.loads(result.stdout)["determinations"]
    rows = [line for line in answer["lines"] if line["kind"] == "annex_a_row"]
    assert [(line["row"], line["gss_code"], line["computed"]) for line in rows] == [
        (1, "E47000005", "1000.01"),
        (2, "E47000010", "2000.02"),
        (3, "E08000035", "3000.03"),
    ]
    assert answer["reconciled"] and not [line for line in answer["lines"] if line["kind"] == "unlisted"]
    statement = grants(
        north_east, "statement", "--year", "2018-19", "--body", "E47000010", "--format", "json"
    )
    assert statement.returncode == 0, statement.stderr
    (line,) = json.loads(statement.stdout)["lines"]
    assert (line["annex_a_row"], line["amount"]) == (2, "2000.02")


def test_a_roll_forward_leaves_out_a_body_abolished_before_its_year_saying_so(north_east):
    rolled = grants(north_east, "roll-forward", NUMBER, "--to", "2019-20", "--root", str(north_east))
    assert rolled.returncode == 0, rolled.stderr
    assert (
        "Not carried: North East Combined Authority (E47000005)'s amount of £1,000.01: the body did not "
        f"exist on 2019-04-01 ({NUMBER})." in rolled.stdout
    ), rolled.stdout
    result = grants(north_east, "reconcile", "--determination", f"{NUMBER}-draft-2019-20", "--format", "json")
    assert result.returncode == 0, result.stderr
    (answer,) = json.loads(result.stdout)["determinations"]
    assert {line["gss_code"]: line["computed"] for line in answer["lines"] if line["gss_code"]} == {
        "E47000010": "2000.02",
        "E08000035": "3000.03",
    }


def test_a_combined_authority_asked_of_a_determination_paying_authorities_is_told_which_pays_only_them():
    (paying,) = [d for d in determinations.catalogue() if d.number == "31/3010"]
    with pytest.raises(RulesCannotAnswer) as raised:
        paid_body(paying.financial_year, authority="West Yorkshire Combined Authority", number="31/3010")
    message = str(raised.value)
    assert "West Yorkshire Combined Authority (E47000003) is not a local authority with children's" in message
    assert (
        "it is a combined authority, and determination 31/3010 (2016-17) pays only such authorities"
        in message
    )


@pytest.mark.parametrize("command", ["statement", "explain"])
def test_a_question_naming_two_bodies_of_the_year_is_refused_naming_both(north_east, command):
    """Asked by name, the North East Combined Authority of 2018-19 is either body: never the first
    alone, which would show the one the letter may not pay and leave out the other."""
    option = "--body" if command == "statement" else "--authority"
    result = grants(north_east, command, "--year", "2018-19", option, "North East Combined Authority")
    assert result.returncode == 2, result.stdout
    assert (
        "'North East Combined Authority' is the name of 2 bodies in the financial year from 2018-04-01"
        in (result.stderr)
    )
    assert "(E47000005, 2014-04-15 to 2018-11-01)" in result.stderr
    assert "(E47000010, 2018-11-02 to 2024-05-06)" in result.stderr
    assert "Give the GSS code instead." in result.stderr and "Traceback" not in result.stderr


WEB_PROBE = """
import json
from openfisca_grants.web.app import create

client = create().test_client()
answers = {}
for code, variable, period in [
    ("E47000003", "GRANT", "year:2024-04"),
    ("E47000014", "GRANT", "year:2024-04"),
    ("E47000001", "GRANT", "year:2024-04"),
    ("E47000003", "innovation_programme_grant", "year:2016-04"),
]:
    situation = {"local_authorities": {"x": {"gss_code": {"ETERNITY": code}, variable: {period: None}}}}
    response = client.post("/calculate", json=situation)
    answers[f"{code} {variable}"] = [response.status_code, response.get_data(as_text=True)]
response = client.post("/api/statement", json={"year": "2024-25", "body": "Mayor of London"})
answers["statement"] = [response.status_code, response.get_data(as_text=True)]
print(json.dumps(answers))
"""


def test_the_web_api_answers_a_combined_authority_paid_and_refuses_one_not_paid(root):
    """Over HTTP: the grant of a body Annex A lists, to the penny; a clear 400, never £0 or a 500,
    for one it does not list and for a combined authority asked of a determination of authorities."""
    (folder,) = (root / "parameters" / "determinations").glob(f"*{NUMBER.replace('/', '_')}")
    grant = f"{folder.name}_grant"
    probed = run_in(root, "-c", WEB_PROBE.replace('"GRANT"', repr(grant)))
    assert probed.returncode == 0, probed.stderr[-2000:]
    answers = json.loads(probed.stdout)
    status, body = answers[f"E47000003 {grant}"]
    assert status == 200 and json.loads(body)["local_authorities"]["x"][grant]["year:2024-04"] == 250000.01
    status, body = answers[f"E47000014 {grant}"]
    assert status == 200 and json.loads(body)["local_authorities"]["x"][grant]["year:2024-04"] == 99999.99
    status, body = answers[f"E47000001 {grant}"]
    assert (
        status == 400 and "Greater Manchester Combined Authority (E47000001) is not among the bodies" in body
    )
    status, body = answers["E47000003 innovation_programme_grant"]
    assert status == 400 and "is not a local authority with children's services duties" in body
    status, body = answers["statement"]
    assert status == 200 and json.loads(body)["total"] == "1000000.00"
