"""The what-if page's link keeps the determination asked (``determination=``), and two what-ifs
side by side download together.

* In a year with several determinations, ``determination=NUMBER`` narrows the page's figures, its
  link and its downloads to that one; a number that does not govern the year, an empty one, one
  given twice or one too long is refused naming the field, never a 5xx.
* Side by side, the downloads carry both what-ifs: A against B against the published figures as
  CSV and as an Excel workbook (exact pence), and A's own reform file, which reproduces A.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from urllib.parse import quote

import pytest
from letter_factory import spec, write
from scratch_tree import run_in, tree

from openfisca_grants import determinations
from openfisca_grants.cli import main
from openfisca_grants.web.app import create

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
YEAR = determinations.by_number("31/7421").financial_year.label
NUMBER = "31/7421"
WHATIF = f"year={YEAR}&{LONDON}=25%25"
KEPT = quote(f"year={YEAR}&{LONDON}=20%&budget_neutral=yes&name=Neutral", safe="")


@pytest.fixture(scope="module")
def client():
    return create().test_client()


def pence(amount: str) -> int:
    whole, _, part = amount.partition(".")
    return (-1 if whole.startswith("-") else 1) * (abs(int(whole)) * 100 + int(part))


# ---- determination= in the link ----------------------------------------------------------------


def test_the_link_keeps_the_determination_asked(client):
    page = client.get(f"/?{WHATIF}&determination={quote(NUMBER, safe='')}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'<input type="hidden" name="determination" value="{NUMBER}">' in text
    permalink = re.search(r'href="([^"]*)" id="permalink"', text).group(1)
    assert f"determination={quote(NUMBER, safe='')}" in permalink
    assert f"The figures are those of {NUMBER} only." in text
    results = client.get(f"/page/results?{WHATIF}&determination={quote(NUMBER, safe='')}")
    assert results.status_code == 200
    shown = set(re.findall(r'data-answer="([^"]+)"', results.get_data(as_text=True)))
    assert shown == {NUMBER}
    for link in re.findall(r'href="(/download/(?:comparison\.(?:csv|xlsx)|reform\.yaml)\?[^"]+)"', text):
        assert f"determination={quote(NUMBER, safe='')}" in link, link


def test_the_reform_file_of_one_determination_says_so_and_reproduces_its_figures(client, tmp_path, capsys):
    query = f"{WHATIF}&determination={quote(NUMBER, safe='')}"
    reform = client.get(f"/download/reform.yaml?{query}")
    assert reform.status_code == 200
    command = reform.get_data(as_text=True).splitlines()[0]
    assert command == f"# openfisca-grants compare reform.yaml --year {YEAR} --determination {NUMBER}"
    (tmp_path / "reform.yaml").write_bytes(reform.data)
    capsys.readouterr()
    argv = command.removeprefix("# openfisca-grants ").replace("reform.yaml", str(tmp_path / "reform.yaml"))
    assert main([*argv.split(), "--format", "csv"]) == 0
    # The same figures, row for row (the what-if's name aside: the file's is its own).
    by_command = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_page = list(csv.DictReader(io.StringIO(client.get(f"/download/comparison.csv?{query}").text)))
    assert [{**row, "what_if": ""} for row in by_command] == [{**row, "what_if": ""} for row in by_page]
    assert {row["determination"] for row in by_page} == {NUMBER}


@pytest.mark.parametrize(
    ("determination", "message"),
    [
        ("99/9999", "does not govern"),
        ("", "is not a determination's number"),
        ("   ", "is not a determination's number"),
        ("<script>", "does not govern"),
    ],
)
def test_a_determination_the_year_does_not_have_is_refused_naming_the_field(client, determination, message):
    query = f"{WHATIF}&determination={quote(determination, safe='')}"
    results = client.get(f"/page/results?{query}")
    assert results.status_code == 400
    assert message in results.get_json()["fields"]["determination"]
    page = client.get(f"/?{query}", headers={"Accept": "text/html"})
    assert page.status_code == 400 and message in page.get_data(as_text=True).replace("&#39;", "'")
    assert "<script>" not in page.get_data(as_text=True)
    for download in ("comparison.csv", "comparison.xlsx", "reform.yaml"):
        answer = client.get(f"/download/{download}?{query}")
        assert answer.status_code == 400 and message in answer.get_json()["error"], download


def test_a_determination_given_twice_or_too_long_is_refused(client):
    twice = client.get(f"/page/results?{WHATIF}&determination=31%2F7421&determination=31%2F7421")
    assert twice.status_code == 400
    assert "given 2 times" in twice.get_json()["fields"]["determination"]
    long = client.get(f"/page/results?{WHATIF}&determination=" + "9" * 300)
    assert long.status_code == 400 and "determination" in long.get_json()["fields"]


def test_in_a_year_of_two_determinations_the_link_narrows_to_the_one_asked(tmp_path):
    """A scratch tree with a second determination in 31/7421's year: the page offers each alone,
    and each link's figures, answer and downloads are that determination's only."""
    root = tree(tmp_path)
    other = spec(random.Random(14), "sources", year=YEAR, rows=5, number="31/9876")
    _letter, _annex, argv = write(other, tmp_path / "letter")
    assert main(["new-determination", *argv, "--root", str(root)]) == 0
    script = f"""
import json, re
from urllib.parse import quote
from openfisca_grants.web.app import create
client = create().test_client()
found = {{}}
page = client.get("/?year={YEAR}", headers={{"Accept": "text/html"}}).get_data(as_text=True)
found["offered"] = re.findall(r'determination=([^"&]+)">Show only', page)
for number in ("31/7421", "31/9876"):
    query = "{WHATIF}&determination=" + quote(number, safe="")
    results = client.get("/page/results?" + query).get_data(as_text=True)
    found[number] = {{
        "answers": sorted(set(re.findall(r'data-answer="([^"]+)"', results))),
        "csv": sorted({{line.split(",")[0] for line in
                        client.get("/download/comparison.csv?" + query).get_data(as_text=True).splitlines()[1:]}}),
    }}
whole = client.get("/page/results?{WHATIF}").get_data(as_text=True)
found["all"] = sorted(set(re.findall(r'data-answer="([^"]+)"', whole)))
print(json.dumps(found))
"""
    result = run_in(root, "-c", script)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    assert sorted(found["offered"]) == ["31%2F7421", "31%2F9876"]
    assert found["all"] == ["31/7421", "31/9876"]
    for number in ("31/7421", "31/9876"):
        assert found[number] == {"answers": [number], "csv": [number]}


# ---- two what-ifs side by side, downloaded together --------------------------------------------


def test_side_by_side_downloads_carry_both_what_ifs_to_the_penny(client, tmp_path, capsys):
    query = f"{WHATIF}&name=Quarter&kept={KEPT}"
    page = client.get(f"/page/results?{query}").get_data(as_text=True)
    side = page.split('data-part="side"')[1]
    assert "Download A against B" in side
    assert "Download B, the what-if on the page" in page.split('data-part="side"')[0]
    answer = client.get(f"/download/side_by_side.csv?{query}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    bodies = [row for row in rows if row["code"]]
    (total,) = [row for row in rows if not row["code"]]
    for column in ("published", "a", "b", "a_change", "b_change", "b_minus_a"):
        assert sum(pence(row[column]) for row in bodies) == pence(total[column]), column
    for row in rows:
        assert pence(row["a"]) - pence(row["published"]) == pence(row["a_change"])
        assert pence(row["b"]) - pence(row["a"]) == pence(row["b_minus_a"])
        assert row["a_what_if"] == f"Neutral: {LONDON}=20%, budget neutral"
        assert row["b_what_if"] == f"Quarter: {LONDON}=25%"
    # A budget neutral keeps the published total; B at 25% is £8,800 more.
    assert total["a"] == total["published"] == "2413000.00" and total["b"] == "2421800.00"
    # The figures are the page's: B is what /download/comparison.csv gives for B alone.
    alone = list(csv.DictReader(io.StringIO(client.get(f"/download/comparison.csv?{WHATIF}").text)))
    assert {r["code"]: r["reform"] for r in alone if r["code"]} == {r["code"]: r["b"] for r in bodies}
    # A's own reform file reproduces A through the command line.
    a_link = re.search(r'href="(/download/reform\.yaml\?[^"]+)" download>A as a reform file', side).group(1)
    reform = client.get(a_link.replace("&amp;", "&"))
    assert reform.status_code == 200 and "budget_neutral: true" in reform.get_data(as_text=True)
    (tmp_path / "a.yaml").write_bytes(reform.data)
    capsys.readouterr()
    assert main(["compare", str(tmp_path / "a.yaml"), "--year", YEAR, "--format", "json"]) == 0
    (compared,) = [c for c in json.loads(capsys.readouterr().out) if c["determination"] == NUMBER]
    assert {r["code"]: r["reform"] for r in compared["rows"]} == {
        r["code"]: r["a"] for r in bodies if r["determination"] == NUMBER
    }


def test_side_by_side_workbook_holds_both_in_exact_pounds(client):
    from decimal import Decimal

    import openpyxl

    query = f"{WHATIF}&name=Quarter&kept={KEPT}"
    answer = client.get(f"/download/side_by_side.xlsx?{query}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == "attachment; filename=side_by_side.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    rows = list(csv.DictReader(io.StringIO(client.get(f"/download/side_by_side.csv?{query}").text)))
    sheet = book[f"{NUMBER.replace('/', '-')} {YEAR}"]
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == [
        "code",
        "name",
        "published (£)",
        "a (£)",
        "a_change (£)",
        "b (£)",
        "b_change (£)",
        "b_minus_a (£)",
    ]
    for line, row in zip(sheet.iter_rows(min_row=2, values_only=True), rows, strict=True):
        assert line[0] == (row["code"] or None) and line[1] == row["name"]
        for value, column in zip(
            line[2:8], ("published", "a", "a_change", "b", "b_change", "b_minus_a"), strict=True
        ):
            assert Decimal(str(value)).quantize(Decimal("0.01")) == Decimal(row[column]), column
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["A (kept)"] == f"Neutral: {LONDON}=20%, budget neutral"
    assert about["B (on the page)"] == f"Quarter: {LONDON}=25%"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (WHATIF, "kept: nothing is side by side"),
        (f"{WHATIF}&kept=junk", "kept: the kept what-if cannot be used"),
        (f"{WHATIF}&kept=" + quote(f"year=2016-17&{LONDON}=20%", safe=""), "kept: the kept what-if"),
        (f"{WHATIF}&kept={KEPT}&kept={KEPT}", "'kept' is given 2 times"),
        (f"year={YEAR}&{LONDON}=abc&kept={KEPT}", "is not a number"),
        (f"{WHATIF}&kept={KEPT}&name=" + "x" * 101, "name"),
        (f"{WHATIF}&kept=" + "x" * 9000, "kept"),
        (f"{WHATIF}&kept={KEPT}&determination=9%2F9", "does not govern"),
    ],
)
def test_side_by_side_downloads_refuse_clearly(client, query, message):
    for suffix in ("csv", "xlsx"):
        answer = client.get(f"/download/side_by_side.{suffix}?{query}")
        assert answer.status_code == 400, (suffix, answer.status_code)
        assert message in json.dumps(answer.get_json()), answer.get_json()
