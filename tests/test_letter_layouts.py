"""Letters in every layout DfE publishes read to the same Letter, and damaged Annexes refused by line.

The letters are generated (tests/letter_factory.py): many and varied, with page breaks inside
Annex A, headings repeated, names with "&", "City of", "Council of the Isles of Scilly", DfE
numbers, ONS codes, amounts with and without pence, with and without a stated total.
"""

from __future__ import annotations

import pathlib
import random
import shutil
import subprocess
import tempfile

import letter_factory as factory
import pytest
from fuzz import CASES, assert_clear_cli_outcome, cases, run_cli
from hypothesis import given
from hypothesis import strategies as st
from test_new_determination import COUNCILS_LETTER, NUMBER, snapshot, tree

from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.letters import read_letter, read_letter_file


def expected(spec: factory.Spec):
    return [(row.pence, row.dfe_number, row.ons_code) for row in spec.rows]


def read(spec: factory.Spec, folder: pathlib.Path, **options):
    letter, annex, argv = factory.write(spec, folder)
    sheet = "Annex A" if annex is not None and annex.suffix == ".xlsx" else None
    return read_letter_file(letter, annex, sheet, **options)


@pytest.mark.parametrize("layout", factory.LAYOUTS)
def test_every_layout_reads_every_row_to_the_penny(layout, tmp_path):
    rng = random.Random(f"layouts {layout}")
    for index in range(6):
        spec = factory.spec(rng, layout, rows=[1, 3, 40, 17, 29, 8][index])
        letter = read(spec, tmp_path / str(index)).letter
        assert [(r.pence, r.dfe_number, r.ons_code) for r in letter.annex_a.rows] == expected(spec), spec
        assert letter.annex_a.stated_total_pence == (spec.total_pence if spec.stated_total else None)
        assert (letter.number, letter.financial_year.label) == (spec.number, spec.year)
        assert letter.legal_basis == "section 31 of the Local Government Act 2003"
        assert letter.payment_paragraph == 4 and letter.payment.startswith("The grant will be paid")
        names = [row.written for row in spec.rows]
        assert [row.text for row in letter.annex_a.rows] == names


@cases(60)
@given(
    layout=st.sampled_from(factory.LAYOUTS),
    seed=st.integers(0, 10**6),
    rows=st.integers(1, 45),
    damage=st.sampled_from([None, *factory.DAMAGES]),
)
def test_a_letter_of_n_rows_reads_as_exactly_those_rows_or_is_refused_naming_the_line(
    tmp_path_factory, layout, seed, rows, damage
):
    """Property: any generated letter of N rows in any layout yields exactly its N rows; a damaged
    Annex A (a row merged into the heading, a missing amount, a row split over two lines, a total
    that does not add up) is refused, naming the line (or both totals)."""
    CASES["generated letters, N rows or refused by line"] += 1
    if damage == "merged_heading" and rows < 2:
        rows = 2
    spec = factory.spec(random.Random(seed), layout, rows=rows, damage=damage)
    folder = tmp_path_factory.mktemp("letter")
    if damage is None:
        letter = read(spec, folder).letter
        assert [(r.pence, r.dfe_number, r.ons_code) for r in letter.annex_a.rows] == expected(spec)
        return
    with pytest.raises(RulesCannotAnswer) as refused:
        read(spec, folder)
    message = str(refused.value)
    if damage == "bad_total":
        assert f"but it states a total of {_pounds(spec.total_pence + 1)}" in message, message
        assert f"rows add up to {_pounds(spec.total_pence)}" in message, message
    else:
        assert ", line " in message and factory.damaged_fragment(spec) in message, message


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


@pytest.fixture(scope="module")
def shared_tree(tmp_path_factory):
    return tree(tmp_path_factory.mktemp("shared"))


@pytest.mark.parametrize("damage", factory.DAMAGES)
@pytest.mark.parametrize("layout", factory.LAYOUTS)
def test_a_damaged_annex_is_refused_by_line_and_nothing_is_written(
    layout, damage, shared_tree, tmp_path, capsys
):
    spec = factory.spec(random.Random(f"{layout} {damage}"), layout, rows=12, damage=damage)
    letter, annex, argv = factory.write(spec, tmp_path / "letter")
    before = snapshot(shared_tree)
    assert main(["new-determination", *argv, "--root", str(shared_tree)]) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err and len(err.strip().splitlines()) == 1, err
    if damage != "bad_total":
        assert factory.damaged_fragment(spec) in err and ", line " in err
    assert snapshot(shared_tree) == before
    # The dry run says the same, after the classification of every line it could read.
    assert main(["new-determination", *argv, "--dry-run"]) == 2
    captured = capsys.readouterr()
    assert captured.err == err
    if damage != "bad_total":  # every line up to the one refused, then that line
        shown = captured.out.splitlines()
        assert shown[0] == "Dry run: nothing is written. Annex A, line by line, up to the line refused:"
        assert "NOT CLASSIFIED: " in shown[-2] and factory.damaged_fragment(spec) in shown[-2]
        assert shown[-2].split()[1] in err  # the same line number
    assert snapshot(shared_tree) == before


PDF_TEXT_BUG = COUNCILS_LETTER.replace(
    "Local Authority\tFunding Amount\nTelford & Wrekin Council\t£100,000.00",
    "Local Authority                              Funding Amount\nTelford & Wrekin Council\t£1,250,000.00",
).replace("\tTotal: £735,001.00", "\tTotal: £1,885,001.00")


def test_the_reported_drop_a_heading_not_separated_by_a_tab_no_longer_takes_the_first_row():
    """Reproduced from issue 14: the column heading aligned by spaces, the rows by tabs. The reader
    took the first row (£1,250,000) for the heading and dropped it; now it is row 1."""
    letter = read_letter(PDF_TEXT_BUG)
    first = letter.annex_a.rows[0]
    assert (first.row, first.text, first.pence) == (1, "Telford & Wrekin Council", 125_000_000)
    assert len(letter.annex_a.rows) == 6
    assert sum(row.pence for row in letter.annex_a.rows) == letter.annex_a.stated_total_pence
    kinds = {line.text.split("  ")[0].split("\t")[0]: line.kind for line in letter.annex_a.lines}
    assert kinds["Local Authority"] == "column heading"
    assert kinds["Telford & Wrekin Council"] == "row"


def test_the_dry_run_prints_every_line_of_annex_a_and_writes_nothing(shared_tree, tmp_path, capsys):
    spec = factory.spec(random.Random("dry run"), "pdf_text", rows=30, rows_per_page=9, stated_total=True)
    letter, _, argv = factory.write(spec, tmp_path)
    before = snapshot(shared_tree)
    assert main(["new-determination", *argv, "--dry-run", "--root", str(shared_tree)]) == 0
    out = capsys.readouterr().out
    assert snapshot(shared_tree) == before
    assert out.startswith("Dry run: nothing is written.")
    text = letter.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    annex_start = next(i for i, line in enumerate(text) if line.strip().startswith("Annex A"))
    shown = [line for line in out.splitlines() if line.startswith("line ")]
    assert len(shown) == len(text) - annex_start  # every line from the heading to the end
    for kind in ("annex heading", "column heading", "page header/footer", "blank", "row 30", "total"):
        assert any(f"  {kind}" in line for line in shown), kind
    assert sum("column heading" in line for line in shown) == 4  # once on each of the table's pages
    assert "The 30 rows add up to" in out and "The import would be accepted." in out
    assert f"row 1: {spec.rows[0].written} -> {spec.rows[0].code}" in out


def test_subtotals_must_add_up_and_are_not_rows():
    letter = read_letter(
        COUNCILS_LETTER.replace(
            "City of London Corporation\t£50,000.50",
            "Subtotal\t£300,000.01\nCity of London Corporation\t£50,000.50",
        )
    )
    assert len(letter.annex_a.rows) == 6
    assert [line.kind for line in letter.annex_a.lines].count("subtotal") == 1
    with pytest.raises(RulesCannotAnswer, match=r"line \d+: the subtotal £300,000.00 is not the sum"):
        read_letter(
            COUNCILS_LETTER.replace(
                "City of London Corporation\t£50,000.50",
                "Subtotal\t£300,000.00\nCity of London Corporation\t£50,000.50",
            )
        )


@pytest.mark.parametrize(
    ("year", "written", "code"),
    [
        ("2018-19", "837 Bournemouth", "E06000028"),
        ("2018-19", "Poole Borough Council", "E06000029"),
        ("2020-21", "928 Northamptonshire", "E10000021"),
        ("2013-14", "E09000007\tCamden", "E09000007"),
        ("2013-14", "202\tLondon Borough of Camden", "E09000007"),
    ],
)
def test_older_letters_name_authorities_by_dfe_number_ons_code_and_the_names_of_their_year(
    year, written, code, tmp_path, capsys
):
    start = int(year[:4])
    letter = tmp_path / "letter.txt"
    text = (
        COUNCILS_LETTER.replace("[2019-20]", f"({start} - {start + 1})")
        .replace("Example Practice GRANT", "LOCAL AUTHORITY EXAMPLE PRACTICE GRANT")
        .replace("1) ", "1. ")
        .replace("5) ", "5. ")
        .replace("Telford & Wrekin Council\t£100,000.00", f"{written}\t£100,000.00")
        .replace("Bournemouth, Christchurch and Poole Council\t£300,000.00\n", "")
        .replace("£735,001.00", "£435,001.00")
    )
    letter.write_text(text, encoding="utf-8")
    assert main(["new-determination", str(letter), "--dry-run"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert f" -> {code}" in out.split("row 1: ")[1].splitlines()[0], out


def test_a_dfe_number_that_names_another_authority_than_the_name_is_refused(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text(
        COUNCILS_LETTER.replace("Telford & Wrekin Council\t£", "202\tTelford & Wrekin Council\t£"),
        encoding="utf-8",
    )
    assert main(["new-determination", str(letter), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "its DfE's LA number 202 is Camden (E09000007), but its name is Telford and Wrekin" in err


def test_bournemouth_is_refused_after_2019(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text(
        COUNCILS_LETTER.replace("Telford & Wrekin Council", "837 Bournemouth"), encoding="utf-8"
    )
    assert main(["new-determination", str(letter), "--dry-run"]) == 2
    assert "no authority has DfE's LA number 837 on 2019-04-01" in capsys.readouterr().err


def test_a_gov_uk_page_is_read_without_its_scripts_navigation_and_footer(tmp_path):
    spec = factory.spec(random.Random("html"), "html", rows=5, paragraph=".", stated_total=False)
    read_in = read(spec, tmp_path)
    text = read_in.letter.text
    assert "not a paragraph" not in text and "Government activity" not in text and "Crown" not in text
    assert "\n4. The grant will be paid" in text
    roles = [(file.role, file.suffix) for file in read_in.kept]
    assert roles == [("letter", ".html"), ("letter text", ".txt")]
    assert read_in.kept[0].content == (tmp_path / "letter.html").read_bytes()


@pytest.mark.parametrize(
    ("make", "options", "message"),
    [
        (lambda d: _file(d, "letter.docx", b"x"), {}, "not '.docx'"),
        (lambda d: _file(d, "letter.pdf", b"not a pdf"), {}, "not a PDF"),
        (lambda d: _file(d, "letter.pdf", b"%PDF-1.4\n%%EOF"), {}, "the PDF cannot be read"),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"sheet": "Annex A"},
            "give --annex FILE",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.xlsx", "bytes": b"PK not a workbook"},
            "not a readable .xlsx spreadsheet",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.ods", "bytes": b"garbage"},
            "not a readable .ods spreadsheet",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.csv", "bytes": b"\xff\xfe"},
            "not UTF-8 text",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.csv", "bytes": b"a,b\n", "sheet": "x"},
            "is a CSV file, which has one sheet",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.numbers", "bytes": b"x"},
            "not '.numbers'",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.xlsx", "bytes": "workbook", "sheet": "Nope"},
            "has no sheet called 'Nope'",
        ),
        (
            lambda d: _file(d, "letter.txt", COUNCILS_LETTER.encode()),
            {"annex": "annex.xlsx", "bytes": "workbook"},
            "has 2 sheets: say which holds Annex A with --sheet NAME",
        ),
    ],
)
def test_bad_letter_and_annex_files_are_one_clear_line(make, options, message, tmp_path, capsys):
    letter = make(tmp_path)
    argv = ["new-determination", str(letter), "--dry-run"]
    if "annex" in options:
        content = options["bytes"]
        if content == "workbook":
            spec = factory.spec(random.Random("workbook"), "xlsx", rows=3)
            content = factory.render(spec)["annex.xlsx"]
        argv += ["--annex", str(_file(tmp_path, options["annex"], content))]
    if "sheet" in options:
        argv += ["--sheet", options["sheet"]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def _file(folder: pathlib.Path, name: str, content: bytes) -> pathlib.Path:
    path = folder / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("rounding", "is not a named adjustment"),
        ("Rounding=£1:why", "is not a named adjustment"),
        ("rounding=£1:", "gives no reason"),
        ("rounding=£1:   ", "gives no reason"),
        ("rounding=£0:why", "adjusts by £0.00"),
        ("rounding=£0.001:why", "is not a whole number of pence"),
        ("rounding=nan:why", "is not a finite amount"),
        ("rounding=£1e99:why", "is beyond the £1,000,000,000,000.00"),
        ("rounding=£one:why", "is not an amount of money"),
        ("rounding=£1:" + "x" * 501, "longer than 500 characters"),
    ],
)
def test_a_bad_adjustment_is_one_clear_line(given, message, capsys):
    letter = pathlib.Path(__file__).parent.parent / "openfisca_grants" / "sources"
    letter = next(letter.glob("31_3010_*.txt"))
    assert main(["new-determination", str(letter), "--dry-run", "--adjustment", given]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_an_adjustment_without_a_stated_total_is_refused(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER.replace("\tTotal: £735,001.00\n", ""), encoding="utf-8")
    assert main(["new-determination", str(letter), "--dry-run", "--adjustment", "x=£1:why"]) == 2
    assert "Annex A states no total: there is no difference to record" in capsys.readouterr().err


def test_the_encoded_letters_classify_every_annex_line():
    sources = pathlib.Path(__file__).parent.parent / "openfisca_grants" / "sources"
    for path in sorted(sources.glob("31_*_letter.txt")):
        annex = read_letter(path.read_text(encoding="utf-8")).annex_a
        kinds = [line.kind for line in annex.lines]
        assert kinds.count("row") == len(annex.rows) > 0
        assert set(kinds) <= {"annex heading", "column heading", "blank", "row", "total"}


def test_factory_files_can_be_copied_for_other_helpers(tmp_path):
    """The factory writes a letter's files and the arguments that import them, for other tests."""
    spec = factory.spec(random.Random("copy"), "xlsx", rows=2)
    letter, annex, argv = factory.write(spec, tmp_path / "a")
    assert argv == [str(letter), "--annex", str(annex), "--sheet", "Annex A"]
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    assert read(spec, tmp_path / "c").letter.annex_a.rows == read(spec, tmp_path / "b").letter.annex_a.rows


@cases(100)
@given(
    layout=st.sampled_from(factory.LAYOUTS),
    seed=st.integers(0, 10**6),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8)), max_size=4),
)
def test_fuzz_damaged_files_in_every_layout_are_read_or_refused_clearly(layout, seed, cuts):
    """Bytes of a letter or its spreadsheet overwritten or cut: read, or one line and exit 2."""
    CASES["letter files damaged in every layout"] += 1
    spec = factory.spec(random.Random(seed), layout, rows=5)
    folder = FUZZ_WORK / layout
    letter, annex, argv = factory.write(spec, folder)
    target = annex if annex is not None and seed % 2 else letter
    data = bytearray(target.read_bytes())
    for at, replacement in cuts:
        where = int(at * len(data))
        data[where : where + len(replacement) or where + 1] = replacement
    target.write_bytes(bytes(data))
    status, out, err = run_cli(["new-determination", *argv, "--dry-run"])
    assert_clear_cli_outcome(status, out, err, [layout, seed, cuts])
    if status == 2:
        assert len(err.strip().splitlines()) == 1, err


FUZZ_WORK = pathlib.Path(tempfile.mkdtemp(prefix="letters-fuzz-"))


def test_a_running_header_naming_the_determination_is_not_taken_for_its_heading():
    """A PDF's running header can repeat the heading above the covering letter, whose words show
    a formula: the heading is the one just before "in exercise of the powers conferred"."""
    header = "EXAMPLE PRACTICE GRANT DETERMINATION [2019-20]: No NUMBER".replace("NUMBER", NUMBER)
    text = f"{header}\n\n" + COUNCILS_LETTER.replace(
        "To all local authorities", "£3,200 allocated to each authority"
    ).replace("Annex A\n", f"{header}\n\nAnnex A\n").replace(
        "Local Authority\tFunding Amount", "Local Authority\t£"
    )
    letter = read_letter(text)
    assert letter.has_formula and letter.number == NUMBER
    assert len(letter.annex_a.rows) == 6
    assert [line.kind for line in letter.annex_a.lines][:3] == ["annex heading", "blank", "column heading"]


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed (.ci/run installs it)"
)
@pytest.mark.parametrize("seed", range(12))
def test_the_text_pdftotext_makes_of_a_generated_pdf_reads_or_is_refused_by_line(seed, tmp_path):
    """Real ``pdftotext -layout`` (poppler), not the factory's imitation of it."""
    rng = random.Random(f"pdftotext {seed}")
    damage = None if seed % 2 == 0 else factory.DAMAGES[(seed // 2) % 4]
    spec = factory.spec(rng, "pdf", rows=rng.randrange(2, 90), damage=damage)
    (tmp_path / "letter.pdf").write_bytes(factory.pdf_bytes(spec))
    subprocess.run(["pdftotext", "-layout", "letter.pdf", "letter.txt"], cwd=tmp_path, check=True)
    if damage is None:
        letter = read_letter_file(tmp_path / "letter.txt").letter
        assert [(r.text, r.pence) for r in letter.annex_a.rows] == [(r.written, r.pence) for r in spec.rows]
        return
    with pytest.raises(RulesCannotAnswer) as refused:
        read_letter_file(tmp_path / "letter.txt")
    if damage != "bad_total":
        assert ", line " in str(refused.value) and factory.damaged_fragment(spec) in str(refused.value)


@pytest.mark.parametrize(
    ("lines", "refused_at"),
    [
        # Found by the generator: "Norfolk" split as "No" / "rfolk" once read "No" as a title.
        (["Annex A", "Local authority\tAmount", "Camden\t£1", "No", "rfolk\t£2"], 4),
        (["Annex A", "Local authority\tAmount", "Camden\t£1", "Grant for Norfolk"], 4),
        (["Annex A", "Hartlepool", "Local authority\tAmount", "Camden\t£1"], 2),
        (["Annex A", "Local authority\tAmount", "Camden\t£1", "Total"], 4),
    ],
)
def test_a_stray_line_is_never_taken_for_a_title(lines, refused_at):
    from openfisca_grants.letters.annex import classify

    with pytest.raises(RulesCannotAnswer, match=f"line {refused_at}: "):
        classify(list(enumerate(lines, start=1)))


@pytest.mark.parametrize(
    "heading", [["Authority", "2024-25"], ["LA", "Amount"], ["Authority", "£"], ["Council", "(2013 to 2014)"]]
)
def test_spreadsheet_column_headings_of_few_words(heading):
    from openfisca_grants.letters.annex import classify, sheet_lines

    table = classify(sheet_lines([heading, ["Camden", "1000"]]), first_is_heading=False)
    assert [line.kind for line in table.lines] == ["column heading", "row"]
    assert table.rows[0].pence == 100000


def test_a_spreadsheet_must_agree_with_the_annex_a_the_letter_prints(tmp_path, capsys):
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")
    rows = [line.split("\t") for line in COUNCILS_LETTER.split("Annex A\n\n")[1].strip().split("\n")]
    annex = tmp_path / "annex.csv"
    annex.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="utf-8")
    assert main(["new-determination", str(letter), "--annex", str(annex), "--dry-run"]) == 0, (
        capsys.readouterr()
    )
    capsys.readouterr()
    annex.write_text(
        annex.read_text(encoding="utf-8").replace("£200,000.01", "£200,000.02"), encoding="utf-8"
    )
    assert main(["new-determination", str(letter), "--annex", str(annex), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert (
        "row 2: 'Kingston upon Hull City Council' £200,000.01 in the letter, 'Kingston upon Hull City "
        "Council' £200,000.02 in the spreadsheet" in err
    ), err


def test_html_cells_holding_paragraphs_and_line_breaks_stay_one_cell():
    from openfisca_grants.letters.html import html_text

    page = (
        "<h2>Annex A</h2><table><tr><th><p>Local</p><p>authority</p></th><th>Amount<br>(£)</th></tr>"
        "<tr><td><p>Telford &amp; Wrekin<br/>Council</p></td><td>1,250,000</td></tr>"
        "<tr><th scope='row'>Total</th><td><strong>1,250,000</strong></td></tr></table>"
    )
    assert html_text(page).splitlines() == [
        "Annex A",
        "",
        "Local authority\tAmount (£)",
        "Telford & Wrekin Council\t1,250,000",
        "Total\t1,250,000",
    ]
