"""One what-if, every surface: the command line's table, CSV, JSON and workbook, the Python API,
the JSON API, the page and its downloads give the same figures, the same draft label, the rate as
the letter writes it and the same budget-neutral state.

The what-if is hard on purpose: a draft (rolled forward in a scratch tree, so no real year is
assumed), made budget neutral, changing a rate. Everything runs in a fresh interpreter of the
scratch tree's own package (``tests/test_new_determination.run_in``).
"""

from __future__ import annotations

import json
import textwrap

from scratch_tree import run_in, tree

from openfisca_grants.cli import main

SCRIPT = textwrap.dedent(
    r"""
    import contextlib, io, json, sys
    import yaml
    from openfisca_grants import api, determinations
    from openfisca_grants.cli import main
    from openfisca_grants.money import to_pence
    from openfisca_grants.web.app import create

    YEAR, OUT = sys.argv[1], sys.argv[2]
    draft = next(d for d in determinations.for_year(YEAR) if d.is_draft)
    rate = f"{draft.key}.regional_data_coordinator.london_weighting"
    found = {"number": draft.number}

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        assert code == 0, err.getvalue()
        return out.getvalue()

    common = ["compare", "--set", f"{rate}=20%", "--year", YEAR, "--budget-neutral"]
    found["text"] = run(*common)
    found["csv"] = run(*common, "--format", "csv")
    found["json"] = json.loads(run(*common, "--format", "json"))
    run(*common, "--output", OUT + "/whatif.xlsx")
    found["api"] = api.compare({rate: "20%"}, YEAR, budget_neutral=True)
    client = create().test_client()
    answer = client.post("/api/compare", json={"year": YEAR, "set": {rate: "20%"}, "budget_neutral": True})
    found["http_json"] = answer.get_json()
    query = {"year": YEAR, rate.removeprefix("determinations."): "20%", "budget_neutral": "yes"}
    found["page"] = client.get("/", query_string=query, headers={"Accept": "text/html"}).get_data(as_text=True)
    found["page_csv"] = client.get("/download/comparison.csv", query_string=query).get_data(as_text=True)
    reform_file = client.get("/download/reform.yaml", query_string=query).get_data(as_text=True)
    with open(OUT + "/reform.yaml", "w", encoding="utf-8") as handle:
        handle.write(reform_file)
    found["reform_file"] = reform_file
    # The downloaded file alone, budget neutral included, with no flag: the page's figures.
    found["from_file"] = json.loads(run("compare", OUT + "/reform.yaml", "--year", YEAR, "--format", "json"))
    print(json.dumps(found))
    """
)


def test_one_budget_neutral_draft_what_if_is_the_same_on_every_surface(tmp_path):
    import csv
    import io

    import openpyxl

    from openfisca_grants.determinations import DRAFT_LABEL
    from openfisca_grants.money import format_pounds, to_pence

    root = tree(tmp_path)
    year = "2025-26"
    assert main(["roll-forward", "31/7421", "--to", year, "--root", str(root)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "surfaces.py"
    script.write_text(SCRIPT, encoding="utf-8")
    result = run_in(root, str(script), year, str(out))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)

    (reference,) = [c for c in found["json"] if c["determination"] == found["number"]]
    assert reference["status"] == DRAFT_LABEL
    assert reference["budget_neutral_factor"] is not None
    expected = {row["code"]: to_pence(row["reform"]) for row in reference["rows"]}
    total = to_pence(reference["total"]["reform"])
    assert sum(expected.values()) == total == to_pence(reference["total"]["baseline"])  # budget neutral

    def by_code(rows):
        return {row["code"]: to_pence(row["reform"]) for row in rows}

    # JSON: the Python API, the JSON API and the downloaded reform file, figure for figure.
    for surface in ("api", "http_json", "from_file"):
        (comparison,) = [c for c in found[surface] if c["determination"] == found["number"]]
        assert by_code(comparison["rows"]) == expected, surface
        assert comparison["status"] == DRAFT_LABEL, surface
        assert comparison["budget_neutral_factor"] == reference["budget_neutral_factor"], surface
    assert "budget_neutral: true" in found["reform_file"]

    # CSV, from the command line and from the page: the same text, each row labelled a draft.
    assert found["csv"] == found["page_csv"]
    rows = [r for r in csv.DictReader(io.StringIO(found["csv"])) if r["determination"] == found["number"]]
    assert {r["code"]: to_pence(r["reform"]) for r in rows if r["code"]} == expected
    assert all(r["status"] == DRAFT_LABEL for r in rows)

    # The table: every figure as £, the draft label, budget neutral and the rate as the letter writes it.
    text = found["text"]
    assert DRAFT_LABEL in text and "Budget neutral" in text and "budget neutral" in text
    for pence in [*expected.values(), total]:
        assert format_pounds(pence) in text

    # The workbook: the same pence in its sheet, the draft label in its about sheet.
    book = openpyxl.load_workbook(out / "whatif.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert any(DRAFT_LABEL in cell for cell in cells)
    amounts = {to_pence(c) for c in cells if _money_like(c)}
    assert set(expected.values()) <= amounts

    # The page: each body's row and the total carry the same figures, and the draft label.
    page = found["page"]
    assert DRAFT_LABEL.capitalize() in page or DRAFT_LABEL in page
    for code, pence in expected.items():
        start = page.index(f'data-code="{code}"')
        row = page[start : page.index("</tr>", start)]
        assert format_pounds(pence) in row, code
    assert format_pounds(total) in page
    assert "20%" in page


def _money_like(value: str) -> bool:
    from openfisca_grants.money import to_pence

    try:
        to_pence(value)
    except ValueError:
        return False
    return "." in value
