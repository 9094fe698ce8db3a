"""The what-if app (``openfisca_grants.web.app``): the JSON API answers as the command line does,
OpenFisca's routes are kept, drafts are labelled, and the page renders a what-if from its URL.

Driven in-process (Flask's test client); tests/test_web_page.py drives the page in a browser.
"""

from __future__ import annotations

import json

import pytest
from catalogue_helpers import of_determination, ungoverned_year

from openfisca_grants import determinations
from openfisca_grants.cli import main
from openfisca_grants.web.app import create

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
UNGOVERNED = ungoverned_year()


@pytest.fixture(scope="module")
def client():
    return create().test_client()


def cli_output(argv, capsys) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


def test_api_compare_prints_what_the_command_line_prints(client, capsys):
    for budget_neutral in (False, True):
        body = {"year": "2024-25", "set": {LONDON: "20%"}, "budget_neutral": budget_neutral}
        response = client.post("/api/compare", json=body)
        argv = ["compare", "--set", f"{LONDON}=20%", "--year", "2024-25", "--format", "json"]
        assert response.status_code == 200
        assert response.get_data(as_text=True) == cli_output(
            argv + ["--budget-neutral"] * budget_neutral, capsys
        )
    comparison = of_determination(response.get_json(), "31/7421")
    assert comparison["total"]["reform"] == "2413000.00"


def test_api_sweep_explain_parameters_reconcile_as_the_command_line(client, capsys):
    sweep = client.post(
        "/api/sweep", json={"year": "2024-25", "parameter": LONDON, "from": 0, "to": 0.3, "steps": 4}
    )
    assert sweep.get_data(as_text=True) == cli_output(
        [
            "sweep",
            LONDON,
            "--from",
            "0",
            "--to",
            "0.3",
            "--steps",
            "4",
            "--year",
            "2024-25",
            "--format",
            "json",
        ],
        capsys,
    )
    explain = client.post(
        "/api/explain", json={"year": "2024-25", "region": "South West", "set": {LONDON: "20%"}}
    )
    assert explain.get_data(as_text=True) == cli_output(
        [
            "explain",
            "--year",
            "2024-25",
            "--region",
            "South West",
            "--set",
            f"{LONDON}=20%",
            "--format",
            "json",
        ],
        capsys,
    )
    assert client.get("/api/parameters?year=2024-25").get_data(as_text=True) == cli_output(
        ["parameters", "--year", "2024-25", "--format", "json"], capsys
    )
    assert client.get("/api/reconcile").get_data(as_text=True) == cli_output(
        ["reconcile", "--format", "json"], capsys
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"year": "2024-25", "set": {LONDON: "abc"}},
            f"set '{LONDON}': determinations.{LONDON}: 'abc' is not a number",
        ),
        ({"year": "2024-25", "set": {LONDON: "2000%"}}, "a rate of 2000% is more than 100%"),
        (
            {"year": "2024-25", "set": {"riia_31_7421.regional_data_coordinator.amount_per_region": -5}},
            "amount_per_region: '-5' is negative",
        ),
        ({"year": UNGOVERNED, "set": {LONDON: "20%"}}, f"No encoded determination governs {UNGOVERNED}"),
        ({"year": "2024-25", "set": {}}, "compare needs a reform"),
        ({"year": "2024-25", "set": {LONDON: True}}, f"set: {LONDON}: true is not a value"),
        ({"set": {LONDON: "20%"}}, "year: missing"),
        (
            {"year": "2024-25", "set": {LONDON: "20%"}, "reform": "x.py"},
            "'reform' is not a field of this request",
        ),
        (
            {"year": "2024-25", "set": {LONDON: "20%"}, "budget_neutral": "yes"},
            "budget_neutral: 'yes' is not true or false",
        ),
    ],
)
def test_api_compare_refusals_name_the_parameter(client, body, message):
    response = client.post("/api/compare", json=body)
    assert response.status_code == 400 and message in response.get_json()["error"], response.get_json()


def test_a_body_that_is_not_json_is_a_415(client):
    response = client.post(
        "/api/compare", data="year=2024-25", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415 and "application/json" in response.get_json()["error"]


def test_openfisca_routes_are_kept(client):
    root = client.get("/", headers={"Accept": "application/json"})
    assert root.status_code == 300 and "welcome" in root.get_json()
    assert client.get("/spec").status_code == 200
    situation = {
        "local_authorities": {"w": {"gss_code": {"ETERNITY": "E06000054"}}},
        "regions": {
            "sw": {
                "members": ["w"],
                "region_code": {"ETERNITY": "E12000009"},
                "riia_grant": {"year:2024-04": None},
            }
        },
    }
    answer = client.post("/calculate", json=situation)
    assert (
        answer.status_code == 200
        and answer.get_json()["regions"]["sw"]["riia_grant"]["year:2024-04"] == 260600.0
    )


def test_the_page_renders_a_what_if_from_its_url(client):
    page = client.get(f"/?year=2024-25&{LONDON}=20%25&budget_neutral=yes", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="20%"' in text and 'data-total="31/7421">£2,413,000.00' in text
    assert "regional data coordinator" in text.lower() and "London weighting of 14% will be included" in text
    bad = client.get(f"/?year=2024-25&{LONDON}=abc", headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "&#39;abc&#39; is not a number" in bad.get_data(as_text=True)


def test_the_downloaded_reform_file_gives_the_same_figures(client, tmp_path, capsys):
    reform = client.get(f"/download/reform.yaml?year=2024-25&{LONDON}=20%25")
    path = tmp_path / "reform.yaml"
    path.write_bytes(reform.data)
    printed = json.loads(cli_output(["compare", str(path), "--year", "2024-25", "--format", "json"], capsys))
    api = client.post("/api/compare", json={"year": "2024-25", "set": {LONDON: "20%"}}).get_json()
    assert [c["rows"] for c in printed] == [c["rows"] for c in api]
    assert of_determination(printed, "31/7421")["total"]["reform"] == "2417800.00"
    table = client.get(f"/download/comparison.csv?year=2024-25&{LONDON}=20%25").get_data(as_text=True)
    assert table == cli_output(
        ["compare", "--set", f"{LONDON}=20%", "--year", "2024-25", "--format", "csv"], capsys
    )


def test_a_draft_is_labelled_on_the_page(client, monkeypatch):
    monkeypatch.setattr(determinations.Determination, "is_draft", property(lambda self: True))
    text = client.get("/?year=2024-25", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Draft, not a published determination." in text
    results = client.get(f"/page/results?year=2024-25&{LONDON}=20%25").get_data(as_text=True)
    assert "Draft, not a published determination." in results


def test_the_web_command_refuses_a_bad_port_before_starting(capsys):
    for port in ("abc", "0", "70000"):
        assert main(["web", "--port", port]) == 2
        assert "--port" in capsys.readouterr().err


NEGATIVE_SOUTH_WEST = "year=2024-25&riia_31_7421.annex_a_adjustment.south_west=-%C2%A3300000"


@pytest.mark.parametrize("route", ["/", "/page/results", "/download/comparison.csv"])
@pytest.mark.parametrize("extra", ["", "&budget_neutral=yes"])
def test_a_what_if_the_rules_refuse_is_a_400_saying_why_never_a_500(route, extra):
    """A negative grant (the South West's adjustment beyond its formula): the page, its results and
    its CSV say why, as the JSON API does, never the server's 500."""
    from openfisca_grants.web.app import create

    answer = (
        create().test_client().get(f"{route}?{NEGATIVE_SOUTH_WEST}{extra}", headers={"Accept": "text/html"})
    )
    assert answer.status_code == 400
    assert "a grant cannot be negative" in answer.get_data(as_text=True)


def test_explaining_a_budget_neutral_what_if_says_what_the_body_is_paid():
    from openfisca_grants.web.app import create

    query = "year=2024-25&riia_31_7421.regional_data_coordinator.london_weighting=20%25&budget_neutral=yes"
    page = create().test_client().get(f"/page/explain?{query}&body=E12000007&paid_per=region")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Budget neutral" in text and "£322,159.15" in text  # what compare --budget-neutral pays


def test_a_letter_whose_formula_is_not_yet_encoded_does_not_take_its_year_down(tmp_path):
    """Importing a formula letter for a year (its variables say "not yet encoded" until someone
    writes the formula) leaves the page for that year answering, with the refusal said."""
    import re

    from scratch_tree import LETTER_7421, run_in, tree

    from openfisca_grants.cli import main

    root = tree(tmp_path)
    letter = tmp_path / "letter.txt"
    text = LETTER_7421.read_text(encoding="utf-8").replace("31/7421", "31/9300")
    letter.write_text(re.sub(r"Regional Improvement", "Regional Example", text, count=0), encoding="utf-8")
    assert main(["new-determination", str(letter), "--root", str(root)]) == 0
    script = (
        "from openfisca_grants.web.app import create\n"
        "c = create().test_client()\n"
        "for route in ('/?year=2024-25', '/page/results?year=2024-25'):\n"
        "    answer = c.get(route, headers={'Accept': 'text/html'})\n"
        "    print(answer.status_code, 'not yet encoded' in answer.get_data(as_text=True))\n"
    )
    result = run_in(root, "-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    for line in result.stdout.split():
        assert line not in ("500",), result.stdout
    assert result.stdout.split()[::2] == ["400", "400"] and "False" not in result.stdout, result.stdout
