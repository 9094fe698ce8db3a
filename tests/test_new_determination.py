"""new-determination and roll-forward, run into temporary copies of the repository.

Each test copies the package, its parameters, variables and YAML cases into a temporary tree,
runs the command there, then runs the tree's own rules in a fresh interpreter (the tree's
package first on the path), as a maintainer's clone would after the command.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest
from catalogue_helpers import of_determination
from scratch_tree import LETTER_3010, LETTER_7421, ROOT, grants, run_in, snapshot, tree

from openfisca_grants import determinations
from openfisca_grants.cli import main
from openfisca_grants.reconcile import reconcile


def test_31_3010_generated_from_its_letter_reproduces_the_same_24_figures(tmp_path, capsys):
    root = tree(tmp_path, without="31/3010")
    assert main(["new-determination", str(LETTER_3010), "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "23 Annex A rows, paid per local authority, stated total £32,350,063.17" in out
    result = grants(root, "reconcile", "--year", "2016-17", "--format", "json")
    assert result.returncode == 0, result.stderr
    (generated,) = json.loads(result.stdout)["determinations"]
    encoded = of_determination(reconcile("2016-17"), "31/3010")
    figures = [(line.row, line.gss_code, line.published_pence, line.computed_pence) for line in encoded.lines]
    assert len(figures) == 24

    def pence(amount):
        return None if amount is None else round(float(amount) * 100)

    assert [
        (line["row"], line["gss_code"], pence(line["published"]), pence(line["computed"]))
        for line in generated["lines"]
    ] == figures
    assert generated["reconciled"] is True
    # Its YAML cases pass with OpenFisca's own runner: 23 rows and the total.
    cases = run_in(
        root, "-m", "openfisca_core.scripts.openfisca_command", "test", str(root / "tests/determinations/31_3010"),
        "-c", "openfisca_grants",
    )  # fmt: skip
    assert cases.returncode == 0, cases.stdout[-2000:]
    assert "24 passed" in cases.stdout
    # And explain answers for an authority it lists, from the generated rules.
    explained = grants(root, "explain", "--year", "2016-17", "--authority", "London Borough of Southwark")
    assert explained.returncode == 0, explained.stderr
    assert "£1,637,997.91" in explained.stdout


def test_the_same_letter_again_is_refused_and_nothing_is_written(tmp_path, capsys):
    root = tree(tmp_path)
    before = snapshot(root)
    assert main(["new-determination", str(LETTER_3010), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert (
        "Determination 31/3010 is encoded already, in parameters/determinations/innovation_programme_31_3010/"
        in err
    )
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert snapshot(root) == before


# A number no encoded determination has (in a clone where a maintainer has added some).
NUMBER = next(
    f"31/{n}" for n in range(9999, 9000, -1) if all(d.number != f"31/{n}" for d in determinations.catalogue())
)
COUNCILS_LETTER = """\
To all local authorities in England

3 March 2020

Re: S31 Grant Determination Letter for the Example Practice Grant.

Example Practice GRANT DETERMINATION [2019-20]: No NUMBER.

The Secretary of State for Education (“the Secretary of State”), in exercise of the powers conferred by section 31 of the Local Government Act 2003, makes the following determination:

Citation

1) This determination may be cited as the Example Practice Grant Determination [2019-20] [No. NUMBER].

Determination

3) The Secretary of State determines the authorities to which grant is to be paid and the amount of grant to be paid; these are set out in Annex A.

Payment arrangements

5) The grant will be paid in one instalment in March 2020.

Signed by authority of the Secretary of State

A. Person
Director
Department for Education

Annex A

Local Authority\tFunding Amount
Telford & Wrekin Council\t£100,000.00
Kingston upon Hull City Council\t£200,000.01
City of London Corporation\t£50,000.50
Council of the Isles of Scilly\t£10,000.00
Bournemouth, Christchurch and Poole Council\t£300,000.00
Royal Borough of Windsor and Maidenhead\t£75,000.49
\tTotal: £735,001.00
""".replace("NUMBER", NUMBER)


def test_names_as_councils_write_them_give_a_reconciled_tested_determination(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    assert "6 Annex A rows, paid per local authority, stated total £735,001.00" in capsys.readouterr().out
    listed = (root / "openfisca_grants" / "sources" / "README.md").read_text(encoding="utf-8")
    assert (
        f"| Example Practice Grant Determination [2019-20] No {NUMBER}, letter of 2020-03-03 | 2019-20 |"
        in listed
    )
    ruff_clean(root / "variables" / f"example_practice_{NUMBER.replace('/', '_')}.py")
    result = grants(root, "reconcile", "--year", "2019-20", "--format", "json")
    assert result.returncode == 0, result.stderr
    (generated,) = [d for d in json.loads(result.stdout)["determinations"] if d["determination"] == NUMBER]
    codes = [line["gss_code"] for line in generated["lines"] if line["kind"] == "annex_a_row"]
    assert codes == ["E06000020", "E06000010", "E09000001", "E06000053", "E06000058", "E06000040"]
    assert generated["lines"][-1]["computed"] == "735001.00"
    cases = run_in(
        root, "-m", "openfisca_core.scripts.openfisca_command", "test", str(root / "tests/determinations" / NUMBER.replace("/", "_")),
        "-c", "openfisca_grants",
    )  # fmt: skip
    assert cases.returncode == 0 and "7 passed" in cases.stdout, cases.stdout[-2000:]


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "Telford & Wrekin Council",
            "Cumberland Council",
            "Annex A row 1 'Cumberland Council': 'Cumberland Council' (Cumberland, E06000063) did not "
            "exist on 2019-04-01: it existed from 2023-04-01 to now. On that date its area was under: "
            "Cumbria (E10000006).",
        ),
        (
            "Council of the Isles of Scilly",
            "Council of the Isles of Scily",
            "Annex A row 4 'Council of the Isles of Scily': No authority is called 'Council of the Isles of "
            "Scily' on 2019-04-01. Closest: ",
        ),
        (
            "City of London Corporation",
            "Dorset County Council",  # the county council, which ended on 31 March 2019
            "Annex A row 3 'Dorset County Council': 'Dorset County Council' is the name of Dorset "
            "(E10000009), which existed from 2009-01-01 to 2019-03-31, not on 2019-04-01; on that date "
            "the place is Dorset (E06000059).",
        ),
        (
            "City of London Corporation",
            "Kingston upon Hull City Council",
            "pays E06000010 again (row 2 pays it)",
        ),
        (  # a combined authority of another year (a letter may pay one of its own year)
            "City of London Corporation",
            "North East Mayoral Combined Authority",
            "did not exist on 2019-04-01: it existed from 2024-05-07",
        ),
    ],
)
def test_a_row_that_names_no_authority_of_the_year_is_refused_and_nothing_is_written(
    tmp_path, capsys, replace, by, message
):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER.replace(replace, by), encoding="utf-8")
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err, err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(root) == before


def ruff_clean(*paths: pathlib.Path) -> None:
    """What new-determination writes passes the repository's own ruff check and format."""
    config = str(ROOT / "pyproject.toml")
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--config", config, *map(str, paths)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_letter_with_a_formula_gets_variables_that_say_not_yet_encoded(tmp_path, capsys):
    root = tree(tmp_path, without="31/7421")
    assert main(["new-determination", str(LETTER_7421), "--root", str(root)]) == 0
    (module,) = (root / "variables").glob("*_31_7421.py")
    assert module.name == "regional_improvement_innovation_31_7421.py"
    ruff_clean(module)
    out = capsys.readouterr().out
    assert "9 Annex A rows, paid per region, no stated total" in out
    assert "raises 'not yet encoded'" in out
    result = grants(root, "reconcile", "--year", "2024-25")
    assert result.returncode == 2
    assert "formula is not yet encoded" in result.stderr and "Traceback" not in result.stderr


def test_roll_forward_writes_a_draft_labelled_everywhere_without_the_named_adjustment(tmp_path, capsys):
    root = tree(tmp_path)
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Draft 31/7421-draft-2025-26 (2025-26, draft, not a published determination)" in out
    assert "153 in England" in out
    assert "Not carried: the named adjustment south_west_unexplained_annex_a_difference of £11,400.00" in out
    result = grants(root, "reconcile", "--year", "2025-26", "--format", "json")
    assert result.returncode == 0, result.stderr
    (draft,) = json.loads(result.stdout)["determinations"]
    assert draft["status"] == "draft, not a published determination"
    # Worked out by hand: 2024-25's formula on the register of 1 April 2025 (the same counts), no
    # adjustment for the South West.
    by_hand = {
        "North East": "239600.00",
        "North West": "278000.00",
        "Yorkshire and The Humber": "249200.00",
        "East Midlands": "233200.00",
        "West Midlands": "246000.00",
        "East of England": "236400.00",
        "London": "318000.00",
        "South East": "352000.00",
        "South West": "249200.00",
        "Total (draft, not a published determination)": "2401600.00",
    }
    assert {line["body"]: line["computed"] for line in draft["lines"]} == by_hand
    assert all(line["published"] is None and line["difference"] is None for line in draft["lines"])
    swept = grants(
        root, "sweep", "riia_31_7421_draft_2025_26.regional_data_coordinator.london_weighting",
        "--from", "0.14", "--to", "0.14", "--steps", "1", "--year", "2025-26",
    )  # fmt: skip
    assert "2025-26: draft, not a published determination (31/7421-draft-2025-26)." in swept.stdout
    assert "318000.00" in swept.stdout
    table = grants(root, "reconcile", "--year", "2025-26")
    assert (
        "Determination 31/7421-draft-2025-26 (2025-26, draft, not a published determination)" in table.stdout
    )
    explained = grants(root, "explain", "--year", "2025-26", "--region", "South West", "--format", "json")
    data = json.loads(explained.stdout)
    assert data["status"] == "draft, not a published determination"
    assert data["computation"]["value"] == "£249,200.00"
    compared = grants(
        root, "compare", "--set", "riia_31_7421_draft_2025_26.regional_data_coordinator.london_weighting=20%",
        "--year", "2025-26", "--format", "json",
    )  # fmt: skip
    (comparison,) = json.loads(compared.stdout)
    assert comparison["status"] == "draft, not a published determination"
    assert comparison["total"]["reform"] == "2406400.00"
    # The Web API labels an answer about the draft's year; the docs label its pages.
    served = run_in(
        root,
        "-c",
        "from openfisca_grants.simulation import tax_benefit_system\n"
        "from openfisca_grants.web.openfisca_api import create_app\n"
        "client = create_app(tax_benefit_system()).test_client()\n"
        "situation = {'local_authorities': {'E06000054': {'gss_code': {'ETERNITY': 'E06000054'}}},"
        " 'regions': {'sw': {'members': ['E06000054'], 'region_code': {'ETERNITY': 'E12000009'},"
        " 'riia_grant': {'year:2025-04': None}}}}\n"
        "answer = client.post('/calculate', json=situation)\n"
        "print(answer.status_code, answer.headers.get('X-Grants-Status'),"
        " (answer.get_json().get('regions') or answer.get_json())['sw']['riia_grant'])\n",
    )
    assert served.stdout.strip() == (
        "200 draft, not a published determination: 31/7421-draft-2025-26 {'year:2025-04': 249200.0}"
    ), served.stderr[-2000:]
    pages = run_in(
        root,
        "-c",
        f"import sys; sys.path.insert(0, {str(ROOT / 'docs' / '_ext')!r})\n"
        "from grants_pages import catalogue_page, determination_page, parameters_page\n"
        "from openfisca_grants.reconcile import reconcile\n"
        "(result,) = reconcile('2025-26')\n"
        "print(catalogue_page()); print(determination_page(result.determination, result, {}))\n"
        "print(parameters_page(result.determination, {}))\n",
    )
    assert pages.returncode == 0, pages.stderr[-2000:]
    assert pages.stdout.count("draft, not a published determination") >= 4
    assert (
        "Determination 31/7421-draft-2025-26 (2025-26, draft, not a published determination)" in pages.stdout
    )
    # The published year is untouched.
    published = grants(root, "reconcile", "--year", "2024-25")
    assert published.returncode == 0 and "10 of 10 published figures matched" in published.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["roll-forward", "31/7421", "--to", "2024-25"], "a roll-forward goes to a later year than 31/7421"),
        (["roll-forward", "31/7421", "--to", "2016-17"], "a roll-forward goes to a later year"),
        (["roll-forward", "31/7421", "--to", "2025-27"], "--to"),
        (["roll-forward", NUMBER, "--to", "2025-26"], f"No encoded determination is numbered '{NUMBER}'"),
        (["roll-forward", "31/7421", "--to", "2025-26", "--root", "/nonexistent"], "is not a folder"),
        (
            ["new-determination", "/nonexistent/letter.txt"],
            "No determination letter at '/nonexistent/letter.txt'",
        ),
        (["new-determination", str(LETTER_3010), "--root", "/"], "is not a clone of openfisca-grants"),
    ],
)
def test_bad_input_to_the_new_commands_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_letter_that_is_not_a_determination_is_refused(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    for text, message in [
        ("Dear all,\n\nNothing here.\n", "no determination heading found"),
        (COUNCILS_LETTER.replace("[2019-20]", "[2019-21]"), "is not a financial year"),
        (COUNCILS_LETTER.split("Annex A")[0], "no 'Annex A' heading found"),
        (
            COUNCILS_LETTER.replace("£100,000.00", "one hundred pounds"),
            "Annex A row 1 ('Telford & Wrekin Council'): 'one hundred pounds' is not an amount",
        ),
    ]:
        letter.write_text(text, encoding="utf-8")
        assert main(["new-determination", str(letter), "--root", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert message in err or "is not a clone" in err, err
    letter.write_bytes(b"\xff\xfe not utf-8")
    assert main(["new-determination", str(letter), "--root", str(ROOT)]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_a_total_in_the_first_column_and_a_spaced_pound_sign_are_read():
    from openfisca_grants.letters import read_letter

    letter = read_letter(
        COUNCILS_LETTER.replace("\tTotal: £735,001.00", "Total\t£ 735,001.00").replace(
            "£100,000.00", "£ 100,000"
        )
    )
    assert letter.annex_a.stated_total_pence == 73500100
    assert [row.pence for row in letter.annex_a.rows][0] == 10000000
    assert len(letter.annex_a.rows) == 6


def test_a_date_that_is_not_a_date_is_skipped():
    """Found by the fuzz corpus: a line "0" above "August 2024" once read as the 0th of August."""
    from openfisca_grants.letters import read_letter

    letter = read_letter(COUNCILS_LETTER.replace("3 March 2020", "0\n\nAugust 2024"))
    assert letter.date == "2024-08"
    assert read_letter(COUNCILS_LETTER.replace("3 March 2020", "31 February 2020")).date == ""


def test_a_fixed_amount_for_an_authority_gone_by_the_new_year_is_not_carried_and_said(tmp_path, capsys):
    root = tree(tmp_path)
    assert main(["roll-forward", "31/3010", "--to", "2019-20", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "Not carried: Dorset County Council (E10000009)'s amount of £935,754.00: the authority did not "
        "exist on 2019-04-01 (31/3010)." in out
    )
    draft = (
        root / "parameters" / "determinations" / "innovation_programme_31_3010_draft_2019_20" / "annex_a.yaml"
    )
    text = draft.read_text(encoding="utf-8")
    assert "E10000009" not in text and "E09000028" in text and "2019-04-01" in text


def test_a_letter_for_a_year_a_draft_models_is_written_beside_the_draft(tmp_path, capsys):
    """A draft sits beside published letters: the letter is imported, the draft stays, both reconcile."""
    root = tree(tmp_path)
    assert main(["roll-forward", "31/3010", "--to", "2019-20", "--root", str(root)]) == 0
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    capsys.readouterr()
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "The draft 31/3010-draft-2019-20 also models 2019-20" in out
    assert "openfisca-grants remove-determination 31/3010-draft-2019-20" in out
    draft = root / "parameters" / "determinations" / "innovation_programme_31_3010_draft_2019_20"
    assert (draft / "index.yaml").is_file()
    result = grants(root, "reconcile", "--year", "2019-20", "--format", "json")
    assert result.returncode == 0, result.stderr
    numbers = [d["determination"] for d in json.loads(result.stdout)["determinations"]]
    assert sorted(numbers) == sorted([NUMBER, "31/3010-draft-2019-20"])


def test_a_roll_forward_into_a_year_another_determination_governs_sits_beside_it(tmp_path, capsys):
    root = tree(tmp_path)
    year = determinations.by_number("31/7421").financial_year.label  # the tree holds 31/7421
    assert main(["roll-forward", "31/3010", "--to", year, "--root", str(root)]) == 0
    result = grants(root, "reconcile", "--year", year, "--format", "json")
    assert result.returncode == 0, result.stderr
    found = {d["determination"]: d for d in json.loads(result.stdout)["determinations"]}
    assert sorted(found) == sorted(["31/7421", f"31/3010-draft-{year}"])
    assert found["31/7421"]["reconciled"] is True


def test_two_determinations_in_one_year_each_answer_for_the_bodies_they_pay(tmp_path, capsys):
    """DfE makes several determinations a year: explain finds the one that pays the body asked."""
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(
        COUNCILS_LETTER.replace("[2019-20]", "[2024-25]").replace("2020", "2025"), encoding="utf-8"
    )
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    telford = grants(root, "explain", "--year", "2024-25", "--authority", "Telford & Wrekin Council")
    assert telford.returncode == 0 and "£100,000.00" in telford.stdout, telford.stderr
    london = grants(root, "explain", "--year", "2024-25", "--region", "London")
    assert london.returncode == 0 and "£318,000.00" in london.stdout, london.stderr
    chosen = grants(
        root, "explain", "--year", "2024-25", "--authority", "Camden", "--determination", "31/7421"
    )
    assert chosen.returncode == 2 and "pays each region, not each local authority" in chosen.stderr
    result = grants(root, "reconcile", "--year", "2024-25")
    assert (
        result.returncode == 0
        and result.stdout.count("published figures matched to the penny: reconciled.") == 2
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("£1e9", "'£1e9' is not an amount as the letters write one"),
        ("-£5", "'-£5' is not an amount"),
        ("(£5.00)", "'(£5.00)' is not an amount"),
        ("£0.001", "'£0.001' is not an amount"),
        ("£1,000.5", "'£1,000.5' is not an amount"),
        ("£1.5m", "'£1.5m' is not an amount"),
        ("£5,000 £6,000", "'£5,000 £6,000' is not an amount"),
        ("£,", "'£,' is not an amount"),
        ("£0", "pays £0.00: a row of Annex A pays an amount"),
        ("£999,999,999,999,999,999,999.00", "is beyond the £1,000,000,000,000.00"),
    ],
)
def test_an_annex_a_amount_is_read_whole_or_refused_by_row(amount, message):
    from openfisca_grants.errors import RulesCannotAnswer
    from openfisca_grants.letters import read_letter

    with pytest.raises(RulesCannotAnswer) as refused:
        read_letter(COUNCILS_LETTER.replace("£100,000.00", amount))
    assert "Annex A row 1 ('Telford & Wrekin Council')" in str(refused.value)
    assert message in str(refused.value)


def test_annex_a_totals_come_last_once_and_rows_stay_within_the_limit():
    from openfisca_grants.errors import RulesCannotAnswer
    from openfisca_grants.letters import read_letter

    twice = COUNCILS_LETTER.replace("\tTotal: £735,001.00", "\tTotal: £735,001.00\n\tTotal: £999.00")
    with pytest.raises(RulesCannotAnswer, match="a line after its stated total"):
        read_letter(twice)
    huge = COUNCILS_LETTER.replace("£100,000.00", "£900,000,000,000.00").replace(
        "£200,000.01", "£900,000,000,000.00"
    )
    with pytest.raises(RulesCannotAnswer, match="rows add up to more than the £1,000,000,000,000.00"):
        read_letter(huge)


def test_a_stated_total_that_is_not_the_rows_sum_is_refused_unless_the_difference_is_named(tmp_path, capsys):
    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER.replace("£735,001.00", "£735,001.03"), encoding="utf-8")
    before = snapshot(root)
    assert main(["new-determination", str(letter), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert (
        "Annex A's rows add up to £735,001.00, but it states a total of £735,001.03 (a difference of +£0.03); "
        "nothing was written." in err
    ), err
    assert snapshot(root) == before
    # A named adjustment of the wrong amount is refused too, naming both figures.
    wrong = ["--adjustment", "rounding=£0.02:the letter rounds each row down"]
    assert main(["new-determination", str(letter), "--root", str(root), *wrong]) == 2
    assert "add up to +£0.02, but Annex A's stated total" in capsys.readouterr().err
    assert snapshot(root) == before
    named = ["--adjustment", "rounding=£0.03:the letter rounds each row down"]
    assert main(["new-determination", str(letter), "--root", str(root), *named]) == 0
    out = capsys.readouterr().out
    assert "Named adjustment rounding: £0.03, the stated total less the rows' sum (the letter rounds" in out
    result = grants(root, "reconcile", "--year", "2019-20", "--format", "json")
    assert result.returncode == 0, result.stderr
    (generated,) = [d for d in json.loads(result.stdout)["determinations"] if d["determination"] == NUMBER]
    assert generated["reconciled"] is True
    assert generated["lines"][-1]["published"] == generated["lines"][-1]["computed"] == "735001.03"
    cases = run_in(
        root, "-m", "openfisca_core.scripts.openfisca_command", "test", str(root / "tests/determinations" / NUMBER.replace("/", "_")),
        "-c", "openfisca_grants",
    )  # fmt: skip
    assert cases.returncode == 0 and "7 passed" in cases.stdout, cases.stdout[-2000:]


def test_a_letter_with_windows_line_endings_reads_as_the_same_letter():
    from openfisca_grants.letters import read_letter

    assert read_letter(COUNCILS_LETTER.replace("\n", "\r\n")) == read_letter(COUNCILS_LETTER)
    assert read_letter(COUNCILS_LETTER.replace("\n", "\r")).date == read_letter(COUNCILS_LETTER).date != ""


def test_a_damaged_description_in_the_tree_is_a_clear_error(tmp_path, capsys):
    root = tree(tmp_path)
    junk = root / "parameters" / "determinations" / "junk"
    junk.mkdir()
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    for content, message in [
        (b"metadata: [1,", "not valid YAML"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b"- 1", "is a mapping with 'metadata'"),
    ]:
        (junk / "index.yaml").write_bytes(content)
        assert main(["new-determination", str(letter), "--root", str(root)]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err


def test_a_dry_run_of_an_encoded_letter_says_it_would_be_refused(tmp_path, capsys):
    root = tree(tmp_path)
    assert main(["new-determination", str(LETTER_7421), "--root", str(root), "--dry-run"]) == 2
    captured = capsys.readouterr()
    assert "The import would be refused" in captured.out
    assert "Determination 31/7421 is encoded already" in captured.err


def test_a_named_adjustment_given_twice_is_refused_before_anything_is_read(tmp_path, capsys):
    root = tree(tmp_path)
    twice = ["--adjustment", "rounding=£1:the letter rounds", "--adjustment", "rounding=£2:again"]
    assert main(["new-determination", str(LETTER_7421), "--root", str(root), *twice]) == 2
    assert "--adjustment rounding is given twice" in capsys.readouterr().err
