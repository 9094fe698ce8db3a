"""One body's statement: every payment of a year, directly or as a region's lead body, with its
source; the same on the command line, in Python, over HTTP and in a workbook."""

from __future__ import annotations

import json

import openpyxl
import pytest
from catalogue_helpers import of_determination

from openfisca_grants import api
from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import to_pence


def test_a_lead_body_is_paid_its_regions_annex_a_figure_with_its_row():
    reconciled = {r["determination"]: r for r in api.reconcile("2024-25")}["31/7421"]
    camden = next(line for line in reconciled["lines"] if line["gss_code"] == "E09000007")
    statement = api.statement("2024-25", "Camden")
    (line,) = [line for line in statement["lines"] if line["determination"] == "31/7421"]
    assert line["paid_as"] == "lead body for London"
    assert line["amount"] == camden["published"] == "318000.00"
    assert line["annex_a_row"] == camden["row"] == 3
    assert line["source"] == "Determination 31/7421 (2024-25), Annex A row 3"
    assert to_pence(statement["total"]) == sum(to_pence(x["amount"]) for x in statement["lines"])


def test_a_combined_authority_is_paid_as_a_lead_body():
    # Asked of 31/7421 alone: another letter of the year may pay the authority directly.
    statement = api.statement("2024-25", "West Midlands Combined Authority", determination="31/7421")
    (line,) = statement["lines"]
    assert (line["paid_as"], line["amount"], line["annex_a_row"]) == (
        "lead body for West Midlands",
        "246000.00",
        8,
    )


def test_an_authority_paid_directly_by_its_annex_a_row():
    statement = api.statement("2016-17", "London Borough of Southwark")
    assert statement["body"]["code"] == "E09000028"
    (line,) = statement["lines"]
    assert (line["paid_as"], line["amount"], line["annex_a_row"]) == ("authority", "1637997.91", 12)
    assert statement["total"] == "1637997.91"


def test_a_what_if_statement_and_a_body_paid_nothing():
    changed = api.statement(
        "2024-25", "Camden", reform={"riia_31_7421.regional_data_coordinator.london_weighting": "20%"}
    )
    assert changed["total"] == "322800.00" and changed["reform"]
    assert api.statement("2024-25", "Leeds", determination="31/7421")["lines"] == []


def test_the_command_line_in_every_format(tmp_path, capsys):
    assert main(["statement", "--year", "2016-17", "--body", "Southwark"]) == 0
    out = capsys.readouterr().out
    assert "Southwark (E09000028), 2016-17" in out and "£1,637,997.91" in out and "Annex A row 12" in out
    assert main(["statement", "--year", "2016-17", "--body", "Southwark", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "financial_year,code,name,determination,paid_as,amount,annex_a_row,source,status"
    assert lines[-1] == "2016-17,E09000028,Southwark,Total,,1637997.91,,,"
    book = tmp_path / "statement.xlsx"
    argv = [
        "statement",
        "--year",
        "2016-17",
        "--body",
        "Southwark",
        "--format",
        "json",
        "--output",
        str(book),
    ]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["total"] == "1637997.91"
    sheet = openpyxl.load_workbook(book)["Statement"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[-1][0] == "Total" and to_pence(str(values[-1][3])) == 163799791


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--body", ""], "body: '' is not the name or code of a body."),
        (["--body", "Nowhere Council"], "No authority is called 'Nowhere Council'"),
        (["--body", "Camden", "--determination", "31/9999"], "determination '31/9999' does not govern"),
        (["--body", "Camden", "--set", "nope=1"], "no parameter is called"),
    ],
)
def test_bad_questions_are_refused_in_one_line(argv, message, capsys):
    assert main(["statement", "--year", "2024-25", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_over_http_with_bad_bodies():
    from openfisca_grants.web.app import create

    client = create().test_client()
    good = client.post("/api/statement", json={"year": "2024-25", "body": "Camden"})
    assert good.status_code == 200 and good.get_json()["total"] == "318000.00"
    assert good.get_json() == api.statement("2024-25", "Camden")
    for body in (
        {"year": "2024-25"},
        {"year": "2024-25", "body": 7},
        {"year": "2024-25", "body": []},
        {"year": "2024-25", "body": "x" * 5000},
        {"year": "nope", "body": "Camden"},
        {"year": "2024-25", "body": "Camden", "extra": 1},
    ):
        answer = client.post("/api/statement", json=body)
        assert answer.status_code == 400, body
        assert answer.get_json()["error"], body


def test_python_api_refusals():
    with pytest.raises(RulesCannotAnswer, match="body: nothing is not the name or code"):
        api.statement("2024-25", None)
    with pytest.raises(RulesCannotAnswer, match="financial year"):
        api.statement("yesterday", "Camden")


def test_one_determination_by_its_number_on_reconcile_and_compare(capsys):
    """--determination narrows a year (or the catalogue) to one determination; one that does not
    govern the year is refused naming those that do."""
    from openfisca_grants import determinations

    for determination in determinations.catalogue():
        assert main(["reconcile", "--determination", determination.number, "--format", "json"]) in (0, 1)
        (only,) = json.loads(capsys.readouterr().out)["determinations"]
        assert only["determination"] == determination.number
        (again,) = api.reconcile(determination.financial_year.label, determination=determination.number)
        assert again == only
    changed = api.compare(
        {"riia_31_7421.regional_data_coordinator.london_weighting": "20%"}, "2024-25", determination="31/7421"
    )
    assert [c["determination"] for c in changed] == ["31/7421"]
    other = next((d for d in determinations.catalogue() if d.financial_year.label != "2024-25"), None)
    if other is not None:
        argv = ["compare", "--set", "riia_31_7421.regional_data_coordinator.london_weighting=20%"]
        assert main([*argv, "--year", "2024-25", "--determination", other.number]) == 2
        err = capsys.readouterr().err
        assert f"determination '{other.number}' does not govern 2024-25" in err
    assert main(["reconcile", "--determination", "31/0000"]) == 2
    assert "No encoded determination is numbered '31/0000'" in capsys.readouterr().err


def test_a_body_paid_by_two_determinations_and_as_a_lead_body_adds_up_to_the_penny(tmp_path):
    """Camden in 2024-25: 31/7421 pays it as London's lead body; a draft rolled forward from
    31/3010 into the same year pays it as an authority. The statement lists both, each with its
    source, and the total is their sum to the penny (in a scratch tree: no real year assumed)."""
    from scratch_tree import grants, tree

    root = tree(tmp_path)
    assert main(["roll-forward", "31/3010", "--to", "2024-25", "--root", str(root)]) == 0
    result = grants(root, "statement", "--year", "2024-25", "--body", "Camden", "--format", "json")
    assert result.returncode == 0, result.stderr
    statement = json.loads(result.stdout)
    by_number = {line["determination"]: line for line in statement["lines"]}
    assert set(by_number) == {"31/7421", next(n for n in by_number if n != "31/7421")}
    lead = by_number.pop("31/7421")
    (draft,) = by_number.values()
    assert lead["paid_as"] == "lead body for London" and lead["amount"] == "318000.00"
    assert lead["source"] == "Determination 31/7421 (2024-25), Annex A row 3"
    assert draft["paid_as"] == "authority" and draft["amount"] == "58368.00"  # 31/3010's fixed amount
    assert draft["status"] != "published" and "draft" in draft["source"]
    assert statement["total"] == "376368.00" == f"{(31800000 + 5836800) // 100}.00"
    table = grants(root, "statement", "--year", "2024-25", "--body", "Camden")
    assert "£376,368.00" in table.stdout and "draft, not a published determination" in table.stdout


def test_the_json_api_takes_one_determination_by_number():
    from openfisca_grants.web.app import create

    client = create().test_client()
    change = {"riia_31_7421.regional_data_coordinator.london_weighting": "20%"}
    narrowed = client.post(
        "/api/compare", json={"year": "2024-25", "set": change, "determination": "31/7421"}
    )
    assert narrowed.status_code == 200
    assert [c["determination"] for c in narrowed.get_json()] == ["31/7421"]
    (python,) = api.compare(change, "2024-25", determination="31/7421")
    assert [(c["rows"], c["total"]) for c in narrowed.get_json()] == [(python["rows"], python["total"])]
    for number in ("31/0000", 7421, "", ["31/7421"]):
        refused = client.post(
            "/api/compare", json={"year": "2024-25", "set": change, "determination": number}
        )
        assert refused.status_code == 400 and "determination" in refused.get_json()["error"], number


LONDON_WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"


def test_a_what_if_statement_holds_the_rules_every_use_holds():
    """A negative grant is refused, a change of lead body moves the payment, budget neutral pays
    the comparison's scaled amount, and each reformed line says it is the reform's."""
    with pytest.raises(RulesCannotAnswer, match="South West -£50,800.00: a grant cannot be negative"):
        api.statement(
            "2024-25", "Wiltshire", reform={"riia_31_7421.annex_a_adjustment.south_west": "-£300000"}
        )
    moved = {"riia_31_7421.lead_bodies.london": "Islington"}
    assert api.statement("2024-25", "Camden", reform=moved)["lines"] == []
    (islington,) = api.statement("2024-25", "Islington", reform=moved)["lines"]
    assert (islington["paid_as"], islington["amount"]) == ("lead body for London", "318000.00")
    scaled = api.statement("2024-25", "Camden", reform={LONDON_WEIGHTING: "20%"}, budget_neutral=True)
    compared = of_determination(
        api.compare({LONDON_WEIGHTING: "20%"}, "2024-25", budget_neutral=True), "31/7421"
    )
    (london,) = [row for row in compared["rows"] if row["code"] == "E12000007"]
    assert scaled["total"] == london["reform"] == "322159.15"
    (line,) = scaled["lines"]
    assert line["source"].startswith("worked out under the reform") and "budget neutral" in line["source"]
    assert "(the letter: Determination 31/7421 (2024-25), Annex A row 3)" in line["source"]


@pytest.mark.parametrize(
    "body, message",
    [
        ("London", "body: 'London' is a region (London, E12000007)"),
        ("E12000009", "is a region (South West, E12000009)"),
        ("x" * 100_000, "is longer than any body's name (200 characters)"),
    ],
)
def test_a_region_or_an_endless_name_is_refused_plainly(body, message, capsys):
    assert main(["statement", "--year", "2024-25", "--body", body]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err) < 600


def test_reconcile_over_http_takes_a_determination_as_the_command_line_does():
    from openfisca_grants.web.app import create

    client = create().test_client()
    for query in (
        "determination=31/7421",
        "determination=%2031/7421%20",
        "year=2024-25&determination=31/7421",
    ):
        answer = client.get(f"/api/reconcile?{query}")
        assert answer.status_code == 200, query
        assert [d["determination"] for d in answer.get_json()["determinations"]] == ["31/7421"]
    assert api.reconcile(determination=" 31/7421 ") == api.reconcile(determination="31/7421")
    for query in (
        "determination=",
        "year=2024-25&determination=31/0000",
        "determination=31/7421&determination=31/3010",
    ):
        answer = client.get(f"/api/reconcile?{query}")
        assert answer.status_code == 400 and answer.get_json()["error"], query


def test_a_sweeps_range_is_written_as_the_rules_fields_take_it(capsys):
    weighting = ["sweep", "riia_31_7421.regional_data_coordinator.london_weighting", "--year", "2024-25"]
    assert main([*weighting, "--from", "10%", "--to", "20%", "--steps", "3", "--format", "csv"]) == 0
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["0.1", "0.15", "0.2"]
    amount = ["sweep", "riia_31_7421.regional_data_coordinator.amount_per_region", "--year", "2024-25"]
    assert main([*amount, "--from", "£50,000", "--to", "£80,000.50", "--steps", "2", "--format", "csv"]) == 0
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["50000", "80000.5"]
    for bad, message in (("10%%", "is not a percentage"), ("£1.001", "is not a whole number of pence")):
        assert main([*weighting, "--from", bad, "--to", "20%", "--steps", "3"]) == 2
        assert message in capsys.readouterr().err


def test_a_body_by_dfes_la_number_and_one_established_during_the_year():
    assert api.statement("2024-25", "202")["body"]["code"] == "E09000007"  # Camden's LA number
    with pytest.raises(RulesCannotAnswer, match="no authority has DfE's LA number 999"):
        api.statement("2024-25", "999")
    # The North East Mayoral Combined Authority began on 7 May 2024: a 2024-25 letter may pay it.
    began = api.statement("2024-25", "North East Mayoral Combined Authority", determination="31/7421")
    assert began["body"]["kind"] == "combined authority" and began["lines"] == []


def test_a_comparisons_csv_carries_the_what_ifs_name_and_scaling(capsys):
    argv = ["compare", "--set", f"{LONDON_WEIGHTING}=20%", "--year", "2024-25", "--format", "csv"]
    assert main([*argv, "--budget-neutral"]) == 0
    import csv as csv_module
    import io

    out = capsys.readouterr().out
    rows = [r for r in csv_module.DictReader(io.StringIO(out)) if r["determination"] == "31/7421"]
    assert {row["what_if"] for row in rows} == {f"{LONDON_WEIGHTING}=20%"}
    (factor,) = {row["budget_neutral_factor"] for row in rows}
    assert float(factor) == pytest.approx(241300000 / 241780000)
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = [r for r in csv_module.DictReader(io.StringIO(out)) if r["determination"] == "31/7421"]
    assert {row["budget_neutral_factor"] for row in rows} == {""}
