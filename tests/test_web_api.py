"""openfisca serve: the Web API answers over HTTP on loopback, with exact money and clear errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from catalogue_helpers import ungoverned_year

from openfisca_grants.financial_year import FinancialYear


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def api():
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openfisca_core.scripts.openfisca_command",
            "serve",
            "--country-package",
            "openfisca_grants",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=os.environ,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/spec", timeout=2).read()
                break
            except (
                urllib.error.URLError,
                ConnectionError,
                TimeoutError,
            ):  # still starting (a loaded machine)
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"openfisca serve did not start:\n{output[-3000:]}")
                time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def post(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_regions_2024_25_entitlement(api):
    status, body = post(
        f"{api}/calculate",
        {
            "local_authorities": {"wiltshire": {"gss_code": {"ETERNITY": "E06000054"}}},
            "regions": {
                "south_west": {
                    "members": ["wiltshire"],
                    "region_code": {"ETERNITY": "E12000009"},
                    "riia_grant": {"year:2024-04": None},
                    "riia_formula_amount": {"year:2024-04": None},
                    "riia_annex_a_adjustment": {"year:2024-04": None},
                }
            },
        },
    )
    assert status == 200
    south_west = body["regions"]["south_west"]
    assert south_west["riia_grant"]["year:2024-04"] == 260600.00
    assert south_west["riia_formula_amount"]["year:2024-04"] == 249200.00
    assert south_west["riia_annex_a_adjustment"]["year:2024-04"] == 11400.00


def test_an_authoritys_2016_17_grant_keeps_its_pence(api):
    status, body = post(
        f"{api}/calculate",
        {
            "local_authorities": {
                "southwark": {
                    "gss_code": {"ETERNITY": "E09000028"},
                    "innovation_programme_grant": {"year:2016-04": None},
                }
            }
        },
    )
    assert status == 200
    # Stock OpenFisca would answer 1637997.875 (float32).
    assert body["local_authorities"]["southwark"]["innovation_programme_grant"]["year:2016-04"] == 1637997.91


def test_a_year_no_determination_covers_is_a_400_with_the_reason(api):
    status, body = post(
        f"{api}/calculate",
        {
            "local_authorities": {
                "camden": {
                    "gss_code": {"ETERNITY": "E09000007"},
                    "innovation_programme_grant": {f"year:{UNGOVERNED.start_year}-04": None},
                }
            }
        },
    )
    assert status == 400
    assert f"No encoded determination governs {UNGOVERNED.label}" in body["error"]


def test_spec_and_variable_pages(api):
    with urllib.request.urlopen(f"{api}/variable/riia_grant", timeout=10) as response:
        variable = json.loads(response.read())
    assert variable["entity"] == "region"
    assert "31/7421" in variable["description"]
    with urllib.request.urlopen(
        f"{api}/parameter/determinations/riia_31_7421/regional_data_coordinator/london_weighting", timeout=10
    ) as response:
        parameter = json.loads(response.read())
    assert parameter["values"]["2024-04-01"] == 0.14


def post_raw(url: str, data: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


CAMDEN = {"gss_code": {"ETERNITY": "E09000007"}}
UNGOVERNED = FinancialYear.parse(ungoverned_year())


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {
                "local_authorities": {
                    "camden": {**CAMDEN, "innovation_programme_grant": {"month:2016-04": None}}
                }
            },
            400,
            "local_authorities/camden/innovation_programme_grant/month:2016-04: The period 2016-04 is not a financial year.",
        ),
        (
            {"local_authorities": {"camden": {**CAMDEN, "innovation_programme_grant": {"eternity": None}}}},
            400,
            "The period ETERNITY is not a financial year.",
        ),
        (
            {
                "local_authorities": {
                    "wiltshire": {
                        "gss_code": {"ETERNITY": "E06000054"},
                        "innovation_programme_grant": {"year:2016-04": None},
                    }
                }
            },
            400,
            "Wiltshire (E06000054) is not among the authorities determination 31/3010 (2016-17) pays",
        ),
        ({"local_authorities": {"a/b": CAMDEN}}, 400, "'a/b' is not an id"),
        ({"local_authorities": {"": CAMDEN}}, 400, "'' is not an id"),
    ],
)
def test_bad_situations_are_4xx_with_the_reason(api, body, status, message):
    answer_status, answer = post(f"{api}/calculate", body)
    assert answer_status == status
    assert message in answer["error"]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "message"),
    [
        (b'{"local_authorities": {}}', "text/plain", 415, "Send the situation as JSON"),
        (b"a=1", "application/x-www-form-urlencoded", 415, "Send the situation as JSON"),
        (
            b'{"local_authorities": {"c": {"gss_code": {"ETERNITY": NaN}}}}',
            "application/json",
            400,
            "NaN is not a number JSON allows",
        ),
        (b'{"local_authorities": {}, "local_authorities": {}}', "application/json", 400, "appears twice"),
        (b"[" * 10000 + b"]" * 10000, "application/json", 400, "nested more than 32 deep"),
    ],
)
def test_bad_bodies_are_4xx_with_the_reason(api, data, content_type, status, message):
    answer_status, answer = post_raw(f"{api}/calculate", data, content_type)
    assert answer_status == status
    assert message in answer["error"]


def test_a_body_over_the_limit_is_a_413_before_it_is_read(api):
    import http.client
    import urllib.parse

    address = urllib.parse.urlsplit(api)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.putrequest("POST", "/calculate")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(1024 * 1024 + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert "too large: this API reads at most 1,048,576 bytes" in json.loads(response.read())["error"]
    connection.close()


@pytest.mark.parametrize("tail", [b" " * (1024 * 1024 + 10), b" " * (1024 * 1024 + 10) + b"GARBAGE not json"])
def test_a_chunked_body_over_the_limit_is_a_413(api, tail):
    import http.client
    import urllib.parse

    address = urllib.parse.urlsplit(api)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    body = b'{"local_authorities": {"c": {"gss_code": {"ETERNITY": "E09000007"}}}}' + tail
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    connection.request(
        "POST", "/calculate", body=chunks, headers={"Content-Type": "application/json"}, encode_chunked=True
    )
    response = connection.getresponse()
    assert response.status == 413, response.read()[:300]
    connection.close()


def test_an_unknown_route_is_a_json_404(api):
    try:
        urllib.request.urlopen(f"{api}/nowhere", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert "error" in json.loads(error.read())
    else:
        pytest.fail("no 404")


def test_a_period_openfisca_cannot_read_under_an_unknown_variable_is_a_4xx():
    """Found by the fuzz corpus: the draft label's look at the periods asked must not fail on it."""
    from openfisca_grants.simulation import tax_benefit_system
    from openfisca_grants.web.openfisca_api import create_app

    client = create_app(tax_benefit_system()).test_client()
    body = {"local_authorities": {"c": {"no_such_variable": {"year:2016-04": None, "year:0000-04": None}}}}
    answer = client.post("/calculate", json=body)
    assert 400 <= answer.status_code < 500
    assert "X-Grants-Status" not in answer.headers
