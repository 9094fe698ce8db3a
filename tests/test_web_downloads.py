"""What the what-if page adds, in-process: every state in the link and the downloads (budget
neutral and the name in the reform file, which ``compare FILE`` honours; the Excel workbook; each
chart as PNG and SVG), the letters and the docs served by the app, the rules grouped with the
letter's costing folded apart, the error summary, the lead-body and retyped-value checks.
"""

from __future__ import annotations

import io
import json

import pytest

from openfisca_grants import reforms
from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.web import downloads
from openfisca_grants.web.app import create

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
LEAD = "riia_31_7421.lead_bodies"
WHATIF = f"year=2024-25&{LONDON}=20%25"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client():
    return create().test_client()


def _compare_file(path, capsys) -> dict:
    capsys.readouterr()
    assert main(["compare", str(path), "--year", "2024-25", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)[0]


@pytest.mark.parametrize("neutral", [False, True])
def test_the_reform_file_reproduces_the_page_budget_neutral_or_not(client, tmp_path, capsys, neutral):
    query = WHATIF + "&name=London+at+20%25" + ("&budget_neutral=yes" * neutral)
    text = client.get(f"/download/reform.yaml?{query}").get_data(as_text=True)
    assert "name: London at 20%" in text and ("budget_neutral: true" in text) == neutral
    path = tmp_path / "reform.yaml"
    path.write_text(text)
    printed = _compare_file(path, capsys)
    api = client.post(
        "/api/compare", json={"year": "2024-25", "set": {LONDON: "20%"}, "budget_neutral": neutral}
    ).get_json()[0]
    assert printed["rows"] == api["rows"] and printed["total"] == api["total"]
    assert printed["total"]["reform"] == ("2413000.00" if neutral else "2417800.00")
    page = client.get(f"/page/results?{query}").get_data(as_text=True)
    assert ("£2,413,000.00" if neutral else "£2,417,800.00") in page and "London at 20%" in page
    assert "name=London+at+20%25" in page


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("budget_neutral: maybe", "budget_neutral: 'maybe' is not true or false"),
        ("budget_neutral: [1]", "expected a single value"),
    ],
)
def test_a_reform_files_budget_neutral_is_true_or_false(tmp_path, line, message):
    path = tmp_path / "reform.yaml"
    path.write_text(
        f"name: x\n{line}\nchanges:\n  - parameter: {LONDON}\n    value: 20%\n    year: 2024-25\n"
    )
    with pytest.raises(RulesCannotAnswer, match=message):
        reforms.load(path)
    path.write_text(f"name: x\nbudget_neutral: true\nchanges:\n  - parameter: {LONDON}\n    value: 20%\n")
    assert reforms.load(path).budget_neutral is True


def test_the_excel_workbook_is_the_command_lines(client, tmp_path, capsys):
    from openpyxl import load_workbook

    answer = client.get(f"/download/comparison.xlsx?{WHATIF}&budget_neutral=yes&name=London")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment; filename=comparison.xlsx" == answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "London" in cells and 2413000 in cells
    written = tmp_path / "cli.xlsx"
    capsys.readouterr()
    main(
        [
            "compare",
            "--set",
            f"{LONDON}=20%",
            "--year",
            "2024-25",
            "--budget-neutral",
            "--output",
            str(written),
        ]
    )
    theirs = load_workbook(written)
    assert [s.title for s in book] == [s.title for s in theirs]
    first = book.worksheets[0]
    assert list(first.iter_rows(values_only=True)) == list(theirs.worksheets[0].iter_rows(values_only=True))


def test_each_chart_as_png_and_svg(client):
    png = client.get(f"/download/comparison.png?{WHATIF}&determination=31/7421")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get(f"/download/comparison.svg?{WHATIF}")
    assert svg.status_code == 200 and b"<svg" in svg.data[:2000] and svg.mimetype == "image/svg+xml"
    wrong = client.get(f"/download/comparison.png?{WHATIF}&determination=99/9999")
    assert wrong.status_code == 400 and "99/9999" in wrong.get_json()["error"]
    nothing = client.get("/download/comparison.svg?year=2024-25")
    assert nothing.status_code == 400 and "change a rule" in nothing.get_json()["error"]


def test_the_letter_and_the_docs_are_served(client, tmp_path, monkeypatch):
    letter = client.get("/letters/riia_31_7421.txt")
    assert (
        letter.status_code == 200
        and letter.mimetype == "text/plain"
        and "31/7421" in letter.get_data(as_text=True)
    )
    unknown = client.get("/letters/nothing.txt")
    assert unknown.status_code == 404 and "/letters/riia_31_7421.txt" in unknown.get_json()["error"]
    page = client.get("/?year=2024-25", headers=HTML).get_data(as_text=True)
    assert 'href="/letters/riia_31_7421.txt"' in page and 'href="/docs/"' in page
    monkeypatch.setenv(downloads.DOCS_ENVIRONMENT, str(tmp_path / "not-built"))
    missing = client.get("/docs/", follow_redirects=True)
    assert missing.status_code == 404 and "sphinx -b html docs" in missing.get_data(as_text=True)
    assert missing.mimetype == "text/html"
    (tmp_path / "index.html").write_text("<p>the site</p>")
    monkeypatch.setenv(downloads.DOCS_ENVIRONMENT, str(tmp_path))
    assert client.get("/docs/", follow_redirects=True).get_data(as_text=True) == "<p>the site</p>"
    assert client.get("/docs/..%2F..%2Fpyproject.toml").status_code == 404


def test_rules_are_grouped_with_the_letters_costing_folded(client):
    page = client.get("/?year=2024-25", headers=HTML).get_data(as_text=True)
    assert page.count("The letter&#39;s costing (changes no payment)") >= 3
    folded = page.split("The letter&#39;s costing (changes no payment)")[1].split("</details>")[0]
    assert "costing-day_rate" in folded and "london_weighting" not in folded
    # Plain labels, the component's number and title, in the letter's order.
    assert ">London weighting</label>" in page and ">Day rate</label>" in page
    order = [
        page.index(t)
        for t in ("Regional data coordinator", "Small packages of sector-led", "Data to Insight")
    ]
    assert order == sorted(order)


def test_errors_are_summarised_with_links_to_their_fields(client):
    page = client.get(f"/?year=2024-25&{LONDON}=abc&name=" + "x" * 101, headers=HTML)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "<title>Error: " in text
    summary = text.split('id="error-summary"')[1].split("</ul>")[0]
    assert f'href="#p-{LONDON.replace(".", "-")}"' in summary and "&#39;abc&#39; is not a number" in summary
    assert 'href="#whatif_name"' in summary and "give at most 100" in summary
    assert 'id="stale" hidden' not in text  # marked out of date


def test_the_letters_value_retyped_is_no_change(client):
    for value in ("0.14", "14.00%", "0.140"):
        page = client.get(f"/page/results?year=2024-25&{LONDON}={value.replace('%', '%25')}").get_data(
            as_text=True
        )
        assert "no change yet" in page
    money = "riia_31_7421.regional_data_coordinator.amount_per_region"
    for value in ("80000.00", "£80,000", "80000"):
        answer = client.get(f"/download/reform.yaml?year=2024-25&{money}={value}")
        assert answer.status_code == 400 and "change a parameter first" in answer.get_json()["error"]
    both = client.get(f"/page/results?year=2024-25&{money}=80000.00&{LONDON}=20%25").get_data(as_text=True)
    assert "London weighting 20%" in both and "Amount per region" not in both


def test_a_lead_body_is_one_of_its_regions_bodies(client):
    refused = client.get(f"/page/results?year=2024-25&{LEAD}.south_west=Leeds+City+Council").get_json()
    message = refused["fields"][f"{LEAD}.south_west"]
    assert message.startswith("'Leeds City Council' is Leeds, in Yorkshire and The Humber, not South West")
    assert "Bodies of South West:" in message and "Wiltshire County Council" in message
    kept = client.get(f"/page/results?year=2024-25&{LEAD}.west_midlands=West+Midlands+Combined+Authority")
    assert kept.status_code == 200
    another = client.get(f"/page/results?year=2024-25&{LEAD}.west_midlands=Coventry+City+Council")
    assert another.status_code == 200 and "Coventry City Council" in another.get_data(as_text=True)
    with pytest.raises(RulesCannotAnswer, match="not South West"):
        reforms.parse_set(f"{LEAD}.south_west=West Midlands Combined Authority")


@pytest.mark.parametrize(
    "name",
    ["x" * 101, "tab%09here", "two"],
)
def test_a_bad_name_is_refused_naming_the_field(client, name):
    query = f"{WHATIF}&name={name}" + ("&name=again" if name == "two" else "")
    for path in ("/page/results", "/download/reform.yaml", "/download/comparison.xlsx"):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 400
        assert "name" in json.dumps(answer.get_json()), answer.get_json()


def test_two_what_ifs_side_by_side_in_pence(client):
    from urllib.parse import quote

    kept = quote(f"year=2024-25&{LONDON}=20%&budget_neutral=yes&name=Neutral", safe="")
    page = client.get(f"/page/results?year=2024-25&{LONDON}=25%25&kept={kept}").get_data(as_text=True)
    side = page.split('data-part="side"')[1]
    total = side.split("app-total")[1].split("</tr>")[0]
    # A budget neutral keeps the published total; B is 25% without scaling: £8,800 more.
    assert "£2,413,000.00" in total and "£2,421,800.00" in total and "+£8,800.00" in total
    assert "A (Neutral), kept:" in side and f"kept={kept}" in page.split('id="permalink"')[0]
    for bad, message in (
        (quote(f"year=2016-17&{LONDON}=20%", safe=""), "kept: the kept what-if"),
        (quote(f"year=2024-25&{LONDON}=abc", safe=""), "kept: the kept what-if cannot be used"),
        ("x" * 9000, "at most 8,192"),
    ):
        text = client.get(f"/page/results?year=2024-25&{LONDON}=25%25&kept={bad}").get_data(as_text=True)
        assert message in text, (bad[:40], text[-600:])
