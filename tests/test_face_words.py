"""Each face's refusals name what its user typed: the command line its options (``--set``,
``--region``, ``--determination``), HTTP the fields of the request (``set``, ``region``,
``determination``), the Python API its keywords (``region=``).

A refusal made deep in the rules names the command line's option; the face that built the
what-if says which words are its own (``use_cases.Words``, on the ``WhatIf``), and the use case
says the refusal in them.
"""

from __future__ import annotations

import re

import pytest
from catalogue_helpers import year_paying_only

from openfisca_grants import api, use_cases
from openfisca_grants.cli import main
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.web.app import create

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
# A command-line option in a message: "--set", "--region" (not "x--y", nor a CSS class).
OPTION = re.compile(r"(?<![\w-])--[a-z]")
REGIONS_ONLY = year_paying_only("region")
AUTHORITIES_ONLY = year_paying_only("local_authority")


@pytest.fixture(scope="module")
def client():
    return create().test_client()


def refused(client, url: str, body: dict) -> str:
    response = client.post(url, json=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    message = response.get_json()["error"]
    assert "Traceback" not in message
    return message


def cli_refusal(argv: list[str], capsys) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_bad_value_names_the_field_over_http_and_the_option_on_the_command_line(client, capsys):
    message = refused(client, "/api/compare", {"year": "2024-25", "set": {LONDON: "abc"}})
    assert message.startswith(f"set '{LONDON}': ") and "'abc' is not a number" in message
    assert not OPTION.search(message), message
    err = cli_refusal(["compare", "--set", f"{LONDON}=abc", "--year", "2024-25"], capsys)
    assert f"--set {LONDON}=abc: " in err and "'abc' is not a number" in err


def test_a_parameter_no_one_has_points_each_face_to_its_own_list(client, capsys):
    message = refused(client, "/api/compare", {"year": "2024-25", "set": {"no.such.rule": "1"}})
    assert "no parameter is called 'determinations.no.such.rule'" in message
    assert "GET /api/parameters lists them all" in message and "openfisca-grants" not in message
    swept = refused(
        client, "/api/sweep", {"year": "2024-25", "parameter": "no.such.rule", "from": 0, "to": 1, "steps": 2}
    )
    assert "GET /api/parameters" in swept and "openfisca-grants" not in swept
    err = cli_refusal(["compare", "--set", "no.such.rule=1", "--year", "2024-25"], capsys)
    assert "--set no.such.rule=1: " in err and "'openfisca-grants parameters' lists them all" in err


def test_a_change_given_twice_names_both_as_http_gives_them(client):
    body = {"year": "2024-25", "set": {LONDON: "20%", f"determinations.{LONDON}": "30%"}}
    message = refused(client, "/api/compare", body)
    assert "is changed twice" in message and "(also at set '" in message
    assert not OPTION.search(message), message


@pytest.mark.skipif(REGIONS_ONLY is None, reason="no year whose determinations all pay per region")
def test_asking_about_an_authority_where_regions_are_paid(client, capsys):
    message = refused(client, "/api/explain", {"year": REGIONS_ONLY, "authority": "Camden"})
    assert message.endswith('Ask with "region".'), message
    page = client.get(f"/page/explain?year={REGIONS_ONLY}&body=Camden&paid_per=local_authority")
    assert page.status_code == 400 and page.get_json()["error"].endswith('Ask with "region".')
    err = cli_refusal(["explain", "--year", REGIONS_ONLY, "--authority", "Camden"], capsys)
    assert "Ask with --region." in err
    with pytest.raises(RulesCannotAnswer, match=r"Ask with region=\.$"):
        api.explain(REGIONS_ONLY, authority="Camden")


@pytest.mark.skipif(AUTHORITIES_ONLY is None, reason="no year whose determinations all pay per authority")
def test_asking_about_a_region_where_authorities_are_paid(client, capsys):
    message = refused(client, "/api/explain", {"year": AUTHORITIES_ONLY, "region": "London"})
    assert message.endswith('Ask with "authority".'), message
    err = cli_refusal(["explain", "--year", AUTHORITIES_ONLY, "--region", "London"], capsys)
    assert "Ask with --authority." in err


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/compare", {"year": "2024-25", "set": {LONDON: "-5"}}),
        ("/api/compare", {"year": "2024-25", "set": {LONDON: "20%"}, "determination": "99/9999"}),
        ("/api/compare", {"year": "2024-25", "set": {LONDON: "20%", "x": "1"}}),
        ("/api/explain", {"year": "2024-25", "region": "Atlantis"}),
        ("/api/explain", {"year": "2024-25", "region": "London", "determination": "99/1"}),
        ("/api/explain", {"year": "2024-25", "region": "London", "authority": "Camden"}),
        ("/api/statement", {"year": "2024-25", "body": "Atlantis"}),
        ("/api/statement", {"year": "2024-25", "body": "Camden", "determination": "9/9"}),
        ("/api/statement", {"year": "2024-25", "body": "London"}),
        ("/api/sweep", {"year": "2024-25", "parameter": LONDON, "from": "a", "to": 1, "steps": 3}),
    ],
)
def test_no_http_refusal_names_a_command_line_option(client, url, body):
    message = refused(client, url, body)
    assert not OPTION.search(message), message


def test_the_words_are_said_for_each_face():
    error = RulesCannotAnswer(
        "Camden is paid by 2 determinations in 2025-26: A, B.",
        available="Closest: --settle (a name, not an option).",
        hint="Say which with its number (--determination); or compare without --budget-neutral; "
        "'openfisca-grants parameters' lists them; --format stays.",
    )
    assert use_cases.COMMAND_LINE.say(error) is error
    said = str(use_cases.HTTP.say(error))
    assert '(with its number ("determination")' not in said
    assert 'its number ("determination")' in said and 'without "budget_neutral"' in said
    assert "GET /api/parameters lists them" in said and "--settle" in said and "--format stays" in said
    python = str(use_cases.PYTHON.say(error))
    assert "its number (determination=)" in python and "openfisca_grants.api.parameters()" in python


def test_the_statement_page_keeps_the_determination_a_link_asks_for(client):
    good = client.get("/statement?year=2024-25&body=Camden&determination=31/7421")
    assert good.status_code == 200
    bad = client.get("/statement?year=2024-25&body=Camden&determination=99/9999")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "determination &#39;99/9999&#39; does not govern 2024-25" in page
    assert not OPTION.search(re.sub(r'class="[^"]*"', "", page).split("<main", 1)[-1].split("<footer")[0])
    long = client.get("/statement?year=2024-25&body=Camden&determination=" + "9" * 5000)
    assert long.status_code == 400 and "A value is too long: determination." in long.get_data(as_text=True)
