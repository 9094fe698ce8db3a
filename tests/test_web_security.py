"""The headers a government service sends, on every route of the app, and cross-origin access on
the Web API's routes only; and oversized requests answered with the app's own clear refusal,
under gunicorn as ``openfisca-grants web`` serves it.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time

import pytest

from openfisca_grants.web import security
from openfisca_grants.web.app import create

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
WHATIF = f"year=2024-25&{LONDON}=20%25"
SITUATION = {
    "local_authorities": {"w": {"gss_code": {"ETERNITY": "E06000054"}}},
    "regions": {
        "sw": {"members": ["w"], "region_code": {"ETERNITY": "E12000009"}, "riia_grant": {"2024": None}}
    },
}
HTML = {"Accept": "text/html"}
# (method, path, JSON body, headers, whether the Web API's: other sites' scripts may read it)
ROUTES = [
    ("GET", "/?year=2024-25", None, HTML, False),
    ("GET", f"/?{WHATIF}", None, HTML, False),
    ("GET", f"/?year=2024-25&{LONDON}=abc", None, HTML, False),
    ("GET", "/", None, {"Accept": "application/json"}, True),
    ("GET", f"/page/results?{WHATIF}", None, {}, False),
    ("GET", f"/page/results?year=2024-25&{LONDON}=abc", None, {}, False),
    ("GET", f"/page/explain?{WHATIF}&body=E12000009&paid_per=region&determination=31/7421", None, {}, False),
    (
        "GET",
        f"/page/sweep?{WHATIF}&sweep_parameter={LONDON}&sweep_from=0&sweep_to=0.3&sweep_steps=4",
        None,
        {},
        False,
    ),
    ("GET", f"/download/comparison.csv?{WHATIF}", None, {}, False),
    ("GET", f"/download/reform.yaml?{WHATIF}", None, {}, False),
    ("GET", f"/download/comparison.xlsx?{WHATIF}", None, {}, False),
    ("GET", f"/download/comparison.svg?{WHATIF}", None, {}, False),
    ("GET", "/letters/riia_31_7421.txt", None, {}, False),
    ("GET", "/letters/nothing.txt", None, {}, False),
    ("GET", "/docs/", None, {}, False),
    ("GET", "/docs/index.html", None, {}, False),
    ("GET", "/page/static/page.js", None, {}, False),
    ("GET", "/page/static/govuk/govuk-frontend.min.css", None, {}, False),
    ("POST", "/api/compare", {"year": "2024-25", "set": {LONDON: "20%"}}, {}, True),
    ("POST", "/api/compare", {"year": "2024-25", "set": {LONDON: "abc"}}, {}, True),
    ("POST", "/api/explain", {"year": "2024-25", "region": "South West"}, {}, True),
    (
        "POST",
        "/api/sweep",
        {"year": "2024-25", "parameter": LONDON, "from": 0, "to": 0.3, "steps": 3},
        {},
        True,
    ),
    ("GET", "/api/parameters?year=2024-25", None, {}, True),
    ("GET", "/api/reconcile?year=2024-25", None, {}, True),
    ("POST", "/calculate", SITUATION, {}, True),
    ("GET", "/spec", None, {}, True),
    ("GET", "/parameters", None, {}, True),
    ("GET", "/variables", None, {}, True),
    ("GET", "/entities", None, {}, True),
    ("GET", "/no/such/route", None, {}, True),
]


@pytest.fixture(scope="module")
def app():
    return create()


def _ask(client, method, path, body, headers):
    if method == "POST":
        return client.post(path, json=body, headers=headers)
    return client.get(path, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "headers", "web_api"), ROUTES)
def test_every_route_sends_the_security_headers_and_cors_only_for_the_web_api(
    app, method, path, body, headers, web_api
):
    answer = _ask(app.test_client(), method, path, body, headers)
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
    policy = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers.get("Access-Control-Allow-Origin") == ("*" if web_api else None)


def test_the_page_has_no_inline_script_or_style(app):
    for path in ("/?year=2024-25", f"/?{WHATIF}", f"/?year=2024-25&{LONDON}=abc"):
        page = app.test_client().get(path, headers=HTML).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "an inline script"
        assert "<style" not in page and not re.search(r"\sstyle=", page), "an inline style"
        assert not re.search(r"\son[a-z]+=", page), "an inline event handler"


def test_cross_origin_access_is_configurable(app, monkeypatch):
    app.config["CORS_ALLOW_ORIGIN"] = "https://analysis.example"
    try:
        answer = app.test_client().get("/api/parameters?year=2024-25")
        assert answer.headers["Access-Control-Allow-Origin"] == "https://analysis.example"
        assert (
            app.test_client().get("/?year=2024-25", headers=HTML).headers.get("Access-Control-Allow-Origin")
            is None
        )
        app.config["CORS_ALLOW_ORIGIN"] = ""
        assert "Access-Control-Allow-Origin" not in app.test_client().get("/api/parameters").headers
    finally:
        app.config["CORS_ALLOW_ORIGIN"] = "*"
    monkeypatch.setenv(security.CORS_ENVIRONMENT, "")
    assert "Access-Control-Allow-Origin" not in create().test_client().get("/spec").headers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raw(port: int, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_oversized_requests_get_the_apps_own_refusal_under_gunicorn():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "openfisca_grants.cli", "web", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _, _ = _raw(
                    port, b"GET /api/parameters?year=2024-25 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        long_value = "1" * 9000
        cases = [
            (
                f"GET /?year=2024-25&{LONDON}={long_value} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                414,
                "The address is",
            ),
            (
                f"GET /?year=2024-25 HTTP/1.1\r\nHost: x\r\nX-Long: {long_value}\r\nConnection: close\r\n\r\n",
                431,
                "A request header is too large",
            ),
            (
                "GET /?year=2024-25 HTTP/1.1\r\nHost: x\r\n"
                + "".join(f"X-{i}: 1\r\n" for i in range(150))
                + "Connection: close\r\n\r\n",
                431,
                "A request header is too large",
            ),
        ]
        for request, status, message in cases:
            got, headers, body = _raw(port, request.encode())
            assert got == status and headers["Content-Type"] == "application/json", (got, body[:200])
            assert message in json.loads(body)["error"]
            assert headers["X-Content-Type-Options"] == "nosniff"
        # A body over the limit: the app's 413, naming the body.
        # (Only its start is sent: the app answers from the declared length, without reading on.)
        got, headers, body = _raw(
            port,
            b"POST /api/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {2 * 1024 * 1024}\r\nConnection: close\r\n\r\n".encode()
            + b'{"year": "2024-25", "set": {"x": "111',
        )
        assert got == 413 and "request body is too large" in json.loads(body)["error"]
        # A long value the server can read: refused naming its field, before any work.
        for path in ("/", "/page/results", "/download/reform.yaml", "/page/sweep"):
            got, headers, body = _raw(
                port,
                f"GET {path}?year=2024-25&{LONDON}={'1' * 5000} HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n"
                "Connection: close\r\n\r\n".encode(),
            )
            answer = json.loads(body)
            assert got == 400 and "5,000 characters" in answer["fields"][LONDON], (path, body[:300])
            assert LONDON in answer["error"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_another_sites_script_may_post_to_the_web_api_but_not_read_the_page(app):
    preflight = app.test_client().options(
        "/api/compare",
        headers={
            "Origin": "https://analysis.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    page = app.test_client().options("/page/results", headers={"Origin": "https://analysis.example"})
    assert "Access-Control-Allow-Origin" not in page.headers
