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
            except (urllib.error.URLError, ConnectionError):
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
                    "innovation_programme_grant": {"year:2023-04": None},
                }
            }
        },
    )
    assert status == 400
    assert "No encoded determination governs 2023-24" in body["error"]


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
