"""Every body a Section 31 determination pays, dated; the bodies it cannot pay; one class per kind.

The register knows the children's services authorities (DfE's list), the combined and combined
county authorities and the Greater London Authority (each dated by the instrument that made
it), and refuses a children's services trust or company, naming the council that owns it. Each
kind of payee answers what the generic modules ask (``openfisca_grants.payees``), so that none
of them branches on ``paid_per``.
"""

from __future__ import annotations

import datetime
import pathlib
import re

import numpy
import pytest
import yaml
from test_new_determination import COUNCILS_LETTER, NUMBER, snapshot, tree

from openfisca_grants import determinations, payees
from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.register import register

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "openfisca_grants" / "register" / "data"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# ---- the register: combined authorities, combined county authorities, the GLA, dated ------------


@pytest.mark.parametrize(
    ("name", "on", "code"),
    [
        ("West Yorkshire Combined Authority", "2014-04-01", "E47000003"),
        ("Greater Manchester Combined Authority", "2011-04-01", "E47000001"),
        ("Sheffield City Region Combined Authority", "2016-04-01", "E47000002"),
        ("South Yorkshire Mayoral Combined Authority", "2024-04-01", "E47000002"),
        ("North East Combined Authority", "2016-04-01", "E47000005"),
        ("North East Combined Authority", "2019-04-01", "E47000010"),
        ("North of Tyne Combined Authority", "2019-04-01", "E47000011"),
        ("North East Mayoral Combined Authority", "2025-04-01", "E47000014"),
        ("East Midlands Combined County Authority", "2024-04-01", "E47000013"),
        ("Greater London Authority", "2009-04-01", "E61000001"),
        ("West Midlands Combined Authority", "2024-04-01", "E47000007"),
    ],
)
def test_combined_authorities_and_the_gla_resolve_on_dates_they_existed(name, on, code):
    assert register().resolve(name, day(on)).code == code


@pytest.mark.parametrize(
    ("name", "on", "message"),
    [
        ("West Yorkshire Combined Authority", "2013-04-01", "existed from 2014-04-01 to now"),
        ("North East Mayoral Combined Authority", "2024-04-01", "existed from 2024-05-07 to now"),
        ("North of Tyne Combined Authority", "2024-06-01", "existed from 2018-11-02 to 2024-05-06"),
        ("West Midlands Combined Authority", "2016-04-01", "existed from 2016-06-17 to now"),
    ],
)
def test_a_combined_authority_asked_for_outside_its_life_is_refused_with_its_dates(name, on, message):
    with pytest.raises(RulesCannotAnswer, match=re.escape(message)):
        register().resolve(name, day(on))


def test_a_body_established_during_the_year_is_paid_by_a_letter_of_that_year():
    """The North East Mayoral Combined Authority began on 7 May 2024: a 2024-25 letter pays it."""
    start = day("2024-04-01")
    assert register().resolve_in_year("North East Mayoral Combined Authority", start).code == "E47000014"
    with pytest.raises(RulesCannotAnswer, match="existed from 2024-05-07"):
        register().resolve_in_year("North East Mayoral Combined Authority", day("2023-04-01"))


def test_every_body_outside_dfes_list_is_dated_and_sourced():
    data = yaml.safe_load((DATA / "other_bodies.yaml").read_text(encoding="utf-8"))
    regions = {region.code for region in register().regions}
    for entry in data:
        assert re.fullmatch(r"E(47|61)\d{6}", entry["code"]), entry
        assert isinstance(entry["valid_from"], datetime.date), entry
        assert entry["region"] in regions, entry
        assert "S.I." in entry["source"] or "Act" in entry["source"], entry
        if "valid_to" in entry:
            assert entry["valid_to"] > entry["valid_from"], entry
    codes = [entry["code"] for entry in data]
    assert len(codes) == len(set(codes))
    # Two bodies of one name never exist on the same day (a name means one body on a date).
    for a in data:
        for b in data:
            if a is not b and a["name"] == b["name"]:
                assert (
                    a.get("valid_to")
                    and a["valid_to"] < b["valid_from"]
                    or (b.get("valid_to") and b["valid_to"] < a["valid_from"])
                )


def test_payees_on_a_date_are_the_authorities_then_the_other_bodies_existing_then():
    on = day("2024-04-01")
    payable = register().payees_on(on)
    authorities = register().authorities_on(on)
    assert payable[: len(authorities)] == authorities
    others = {body.code for body in payable[len(authorities) :]}
    assert {"E61000001", "E47000003", "E47000010", "E47000011"} <= others
    assert "E47000014" not in others and "E47000005" not in others


# ---- bodies Section 31 cannot pay: refused, naming the owning council -----------------------------


@pytest.mark.parametrize(
    ("name", "owners"),
    [
        ("Birmingham Children's Trust", ["Birmingham (E08000025)"]),
        (
            "Achieving for Children",
            [
                "Kingston upon Thames (E09000021)",
                "Richmond upon Thames (E09000027)",
                "Windsor and Maidenhead",
            ],
        ),
        ("Slough Children First", ["Slough (E06000039)"]),
        ("Sunderland's Together for Children", ["Sunderland (E08000024)"]),
        ("Doncaster Children's Services Trust", ["Doncaster (E08000017)"]),
        ("Birmingham Children's Trust (Birmingham City Council)", ["Birmingham (E08000025)"]),
        ("Birmingham Children\u2019s Trust", ["Birmingham (E08000025)"]),
        ("DONCASTER CHILDREN\u2019S SERVICES TRUST", ["Doncaster (E08000017)"]),
    ],
)
def test_a_childrens_services_trust_or_company_is_refused_naming_its_owner(name, owners):
    with pytest.raises(RulesCannotAnswer) as raised:
        register().resolve(name, day("2024-04-01"))
    message = str(raised.value)
    assert "section 31 of the Local Government Act 2003 is paid to a local authority" in message
    assert "The likely payee:" in message
    for owner in owners:
        assert owner in message


def test_a_council_whose_name_is_near_a_trusts_is_still_itself():
    assert register().resolve("Birmingham City Council", day("2024-04-01")).code == "E08000025"
    assert register().resolve("Sunderland City Council", day("2024-04-01")).code == "E08000024"


def _letter(rows: str, year: str = "2019-20") -> str:
    """COUNCILS_LETTER for ``year`` with Annex A's rows replaced by ``rows`` (no stated total)."""
    start = int(year[:4])
    text = COUNCILS_LETTER.replace("[2019-20]", f"[{year}]").replace("2020", str(start + 1))
    head, _, _ = text.partition("Local Authority\tFunding Amount\n")
    return head + "Local Authority\tFunding Amount\n" + rows


def test_a_letter_row_naming_a_trust_is_refused_by_row_and_nothing_is_written(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(
        _letter("Camden London Borough Council\t£1,000.00\nBirmingham Children's Trust\t£2,000.00\n"),
        encoding="utf-8",
    )
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Annex A row 2 'Birmingham Children's Trust'" in err
    assert "The likely payee: Birmingham (E08000025)" in err
    assert snapshot(root) == before


def test_an_annex_naming_a_combined_authority_among_authorities_is_paid_per_body(tmp_path, capsys):
    """A letter may pay a combined authority directly, beside councils: the rows are read as
    bodies, each row's code is the body's own, and the YAML case asserts each to the penny."""
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(
        _letter("Leeds City Council\t£1,000.00\nWest Yorkshire Combined Authority\t£2,000.01\n"),
        encoding="utf-8",
    )
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert "2 Annex A rows, paid per body" in capsys.readouterr().out
    (case,) = (root / "tests" / "determinations" / NUMBER.replace("/", "_")).glob("*.yaml")
    assert "E47000003" in case.read_text(encoding="utf-8") and "2000.01" in case.read_text(encoding="utf-8")


def test_an_annex_of_authorities_only_is_still_paid_per_local_authority(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(_letter("Leeds City Council\t£1,000.00\nCamden\t£2,000.00\n"), encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert "2 Annex A rows, paid per local authority" in capsys.readouterr().out


def test_a_combined_authority_before_it_existed_is_refused_by_row(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(
        _letter("Leeds City Council\t£1,000.00\nWest Yorkshire Combined Authority\t£2,000.00\n", "2013-14"),
        encoding="utf-8",
    )
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Annex A row 2 'West Yorkshire Combined Authority'" in err and "existed from 2014-04-01" in err
    assert snapshot(root) == before


def test_a_letter_paying_combined_authorities_and_the_gla_as_lead_bodies_is_imported(tmp_path, capsys):
    """Bodies added to other_bodies.yaml are paid by a new letter: each row's code is the body's."""
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    rows = [
        ("North East", "North East Mayoral Combined Authority", "E47000014"),  # from May 2024
        ("Yorkshire and The Humber", "West Yorkshire Combined Authority", "E47000003"),
        ("London", "Greater London Authority", "E61000001"),
        ("East Midlands", "East Midlands Combined County Authority", "E47000013"),
        ("South West", "Wiltshire Council", "E06000054"),
    ]
    letter.write_text(
        _letter(
            "".join(f"{region} – {body}\t£{n},000.00\n" for n, (region, body, _) in enumerate(rows, 1)),
            "2024-25",
        ),
        encoding="utf-8",
    )
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "5 Annex A rows, paid per region" in out
    names = (root / "openfisca_grants" / "register" / "data" / "letter_names.yaml").read_text(
        encoding="utf-8"
    )
    for _, body, code in rows:
        assert f'{{letter: {NUMBER}, name: "{body}", code: {code}}}' in names
    (folder,) = [
        p
        for p in (root / "parameters" / "determinations").iterdir()
        if p.name.endswith(NUMBER.replace("/", "_"))
    ]
    lead_bodies = yaml.safe_load((folder / "lead_bodies.yaml").read_text(encoding="utf-8"))
    assert "North East Mayoral Combined Authority" in lead_bodies["north_east"]["values"].values()


def test_a_lead_body_before_it_existed_is_refused_by_row(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(
        _letter("Yorkshire and The Humber – West Yorkshire Combined Authority\t£1,000.00\n", "2013-14"),
        encoding="utf-8",
    )
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Annex A row 1" in err and "existed from 2014-04-01" in err
    assert snapshot(root) == before


# ---- one class per kind ------------------------------------------------------------------------------


def test_every_encoded_determination_has_a_kind_that_answers_for_its_year():
    for determination in determinations.catalogue():
        payee = determination.payee
        assert payee is payees.kind(determination.paid_per)
        bodies = payee.bodies(determination.financial_year.start)
        assert bodies and all(payee.name(code) == name for code, name in bodies)
        assert determination.annex_a.rows == payee.row_label


def test_an_unknown_kind_is_refused_naming_the_kinds():
    with pytest.raises(
        ValueError, match="paid_per 'combined_authority' is not one of local_authority, body, region"
    ):
        payees.kind("combined_authority")
    with pytest.raises(ValueError):
        payees.asked_with("body")


def test_the_kind_of_an_annex_is_read_from_its_rows():
    assert payees.kind_of_rows(["South West – Wiltshire Council", "London – Camden"]).key == "region"
    assert payees.kind_of_rows(["Camden", "South West – Wiltshire Council"]).key == "body"
    assert payees.kind_of_rows([]).key == "body"
    assert payees.kind_of_rows(["Nowhere – Somebody"]).key == "body"


def test_bodies_paid_settle_the_kind_authorities_only_per_local_authority():
    bodies = payees.kind("body")
    assert payees.settled(bodies, ["E08000035", "E09000007"]).key == "local_authority"
    assert payees.settled(bodies, ["E08000035", "E47000003"]).key == "body"
    assert payees.settled(bodies, ["E61000001"]).key == "body"
    region = payees.kind("region")
    assert payees.settled(region, ["E47000003"]) is region


# Generic modules the lead is rewriting at the time of writing (cli, api, compare, the web
# modules): their paid_per branches are listed for the lead, each with the kind's attribute
# that replaces it. Every other module asks the kind.
PENDING: set[str] = set()


def test_generic_modules_ask_the_kind_instead_of_branching_on_paid_per():
    branch = re.compile(r"paid_per\s*(==|!=)|==\s*[\"'](region|local_authority)[\"']\s*$")
    found = []
    for path in [*(ROOT / "openfisca_grants").rglob("*.py"), *(ROOT / "docs" / "_ext").rglob("*.py")]:
        if path.name in PENDING or path.name == "payees.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if branch.search(line) or re.search(r"paid_per\s*[!=]=|[!=]=\s*paid_per", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_a_kind_lists_the_bodies_paid_and_for_regions_every_region():
    authorities, regions = payees.kind("local_authority"), payees.kind("region")
    amounts = {"E09000007": 100, "E06000054": 0}
    assert authorities.paid(amounts) == [("E09000007", "Camden", 100)]
    assert [code for code, _, _ in regions.paid({"E12000001": 0, "E12000007": 5})] == [
        "E12000001",
        "E12000007",
    ]
    assert authorities.shows(0, 1) and not authorities.shows(0, 0) and regions.shows(0, 0)


def test_a_row_of_bodies_reads_a_body_established_during_the_year_by_name_or_ons_code():
    bodies = payees.kind("body")
    april_2018, april_2024 = datetime.date(2018, 4, 1), datetime.date(2024, 4, 1)
    # Two combined authorities were called this in 2018-19 (before and after 2 November 2018):
    # the name alone is the one of 1 April; its ONS code says which.
    assert bodies.annex_row("North East Combined Authority", april_2018).code == "E47000005"
    later = bodies.annex_row("North East Combined Authority", april_2018, ons_code="E47000010")
    assert later.code == "E47000010"
    assert bodies.annex_row("North East Mayoral Combined Authority", april_2024).code == "E47000014"
    with pytest.raises(RulesCannotAnswer, match="E47000014"):  # a code and a name of different bodies
        bodies.annex_row("West Yorkshire Combined Authority", april_2024, ons_code="E47000014")


def test_a_years_simulation_holds_other_bodies_only_where_a_letter_of_the_year_pays_one():
    from openfisca_grants.simulation import bodies_of_year

    for determination in determinations.catalogue():
        held = bodies_of_year(determination.financial_year)
        others = [body for body in held if not body.has_childrens_services]
        paying = [d for d in determinations.for_year(determination.financial_year) if d.payee.key == "body"]
        assert bool(others) == bool(paying), determination.label


def test_per_authority_data_is_given_to_each_authority_and_none_to_other_bodies():
    from openfisca_grants.authority_data import authority_values

    codes = numpy.array(["E09000007", "E47000003", "E61000001", "E08000035"], dtype=object)
    values = authority_values(codes, {"E09000007": 1.5, "E08000035": 2.0})
    assert values.tolist() == [1.5, 0.0, 0.0, 2.0]
    with pytest.raises(RulesCannotAnswer, match="The data has no value for E08000035"):
        authority_values(codes, {"E09000007": 1.5})


@pytest.mark.parametrize(
    ("name", "ons_code", "message"),
    [
        (
            "Greater London Authority",
            "E47000014",
            "its ONS code E47000014 is North East Mayoral Combined Authority (E47000014, from "
            "2024-05-07), but its name is Greater London Authority (E61000001)",
        ),
        (
            "North East Mayoral Combined Authority",
            "E47000010",
            "its ONS code E47000010 is North East Combined Authority (E47000010), but its name is North "
            "East Mayoral Combined Authority (E47000014, from 2024-05-07)",
        ),
        (
            "Nowhere Combined Authority",
            "E47000014",
            "but its name 'Nowhere Combined Authority' is not a name of that body",
        ),
    ],
)
def test_a_row_whose_code_and_name_are_two_bodies_of_the_year_names_both(name, ons_code, message):
    """One of them established during the year: the refusal says so, not that a body did not exist."""
    with pytest.raises(RulesCannotAnswer, match=re.escape(message)):
        payees.kind("body").annex_row(name, datetime.date(2024, 4, 1), ons_code=ons_code)


def test_a_row_giving_only_the_ons_code_of_a_body_established_during_the_year_is_that_body():
    """As a row giving only the code of a body existing on 1 April is (Register.resolve_row)."""
    assert (
        payees.kind("body").annex_row("", datetime.date(2024, 4, 1), ons_code="E47000014").code == "E47000014"
    )


def test_a_name_two_bodies_of_the_year_bear_is_the_first_in_a_row_and_refused_in_a_question():
    """A letter's row is read as the body of 1 April unless its ONS code says otherwise; a question
    (a statement, an explanation) cannot tell which is meant, so it asks for the code."""
    april_2018 = datetime.date(2018, 4, 1)
    name = "North East Combined Authority"
    assert register().resolve_in_year(name, april_2018).code == "E47000005"
    with pytest.raises(
        RulesCannotAnswer, match="is the name of 2 bodies in the financial year from 2018-04-01"
    ):
        register().resolve_in_year(name, april_2018, as_written=False)
    assert register().resolve_in_year("E47000010", april_2018, as_written=False).code == "E47000010"
    assert register().resolve_in_year(name, datetime.date(2019, 4, 1), as_written=False).code == "E47000010"


def test_a_letter_naming_both_bodies_of_one_name_without_codes_is_told_to_give_their_ons_codes(
    tmp_path, capsys
):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    rows = "North East Combined Authority\t£1,000.00\nNorth East Combined Authority\t£2,000.00\n"
    letter.write_text(_letter(rows, "2018-19"), encoding="utf-8")
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Annex A row 2 'North East Combined Authority' pays E47000005 again (row 1 pays it)." in err
    assert (
        "'North East Combined Authority' is also North East Combined Authority (E47000010) from 2018-11-02: "
        "a letter paying both gives each row its ONS code." in err
    )
    assert snapshot(root) == before
