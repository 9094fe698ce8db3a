"""Load on the Web API: many concurrent loopback clients, good requests and bad, for a fixed time.

    .venv/bin/python benchmarks/load.py                      # 200 clients, 30 s, 0% then 20% bad
    .venv/bin/python benchmarks/load.py --clients 50 --seconds 5 --bad 0.2 --workers 2

Starts ``openfisca serve -c openfisca_grants`` (gunicorn) on a free loopback port, then runs
``--clients`` asyncio clients, each sending one request after another for ``--seconds``: a good
request asks for one paid body's grant (a region's for 2024-25, an Annex A authority's for
2016-17) and its answer must be the figure Annex A publishes, to the penny; a bad request is
one of the mistakes issue 7 lists (a month period, an authority Annex A does not list, NaN, a
duplicate key, a body that is not JSON, JSON nested deep...) and must get a 4xx. Reports
requests, requests per second, latency percentiles, and every error: a 5xx, a wrong figure, a
bad request answered 2xx, or a connection that failed. A measurement, not a test: it runs
only on loopback and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from openfisca_grants import api, determinations
from openfisca_grants.register import register


def published_questions() -> list[tuple[bytes, int, tuple[str, str, str, str]]]:
    """(request body, published pence, where the answer is) for every Annex A row."""
    questions = []
    for result in api.reconcile():
        determination = determinations.by_number(result["determination"])
        year = determination.financial_year
        variable = determination.grant_variable
        period = f"year:{year.start_year}-04"
        for line in result["lines"]:
            if line["kind"] != "annex_a_row":
                continue
            pence = round(float(line["published"]) * 100)
            if determination.paid_per == "region":
                region = register().region(line["body"].split(" – ")[0])
                member = next(
                    a for a in register().authorities_on(year.start) if a.region_code == region.code
                )
                body = {
                    "local_authorities": {"a": {"gss_code": {"ETERNITY": member.code}}},
                    "regions": {
                        "r": {
                            "members": ["a"],
                            "region_code": {"ETERNITY": region.code},
                            variable: {period: None},
                        }
                    },
                }
                where = ("regions", "r", variable, period)
            else:
                body = {
                    "local_authorities": {
                        "a": {"gss_code": {"ETERNITY": line["gss_code"]}, variable: {period: None}}
                    }
                }
                where = ("local_authorities", "a", variable, period)
            questions.append((json.dumps(body).encode(), pence, where))
    return questions


CAMDEN = {"gss_code": {"ETERNITY": "E09000007"}}
WILTSHIRE = {"gss_code": {"ETERNITY": "E06000054"}}


def _asking(authority: dict, period: str) -> bytes:
    asked = {**authority, "innovation_programme_grant": {period: None}}
    return json.dumps({"local_authorities": {"c": asked}}).encode()


BAD_REQUESTS: list[tuple[bytes, str]] = [
    (_asking(CAMDEN, "month:2016-04"), "application/json"),  # not a financial year
    (_asking(WILTSHIRE, "year:2016-04"), "application/json"),  # Annex A does not list it
    (_asking(CAMDEN, "year:2023-04"), "application/json"),  # no determination governs 2023-24
    (b'{"local_authorities": {"c": {"gss_code": {"ETERNITY": NaN}}}}', "application/json"),
    (b'{"local_authorities": {}, "local_authorities": {}}', "application/json"),
    (b'{"local_authorities": {"": {}}}', "application/json"),
    (b"[" * 5000 + b"]" * 5000, "application/json"),
    (b"not json", "application/json"),
    (b'{"local_authorities": {}}', "text/plain"),
    (b"a=1", "application/x-www-form-urlencoded"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "openfisca_core.scripts.openfisca_command", "serve",
        "--country-package", "openfisca_grants", "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/spec", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SystemExit("the server did not start")


async def one_request(port: int, body: bytes, content_type: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /calculate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    response = await reader.read()
    writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), payload


async def client(port: int, until: float, bad_share: float, questions, seed: int, tally: dict) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < until:
        bad = chooser.random() < bad_share
        start = time.perf_counter()
        try:
            if bad:
                body, content_type = chooser.choice(BAD_REQUESTS)
                status, _ = await one_request(port, body, content_type)
                ok = 400 <= status < 500
                kind = "bad"
            else:
                body, pence, (plural, entity, variable, period) = chooser.choice(questions)
                status, payload = await one_request(port, body, "application/json")
                answer = json.loads(payload)[plural][entity][variable][period] if status == 200 else None
                ok = status == 200 and round(answer * 100) == pence
                kind = "good"
        except (OSError, ValueError, KeyError, IndexError) as error:
            tally["errors"].append(f"{type(error).__name__}: {error}")
            continue
        tally["latency"].append(time.perf_counter() - start)
        tally[kind] += 1
        if status >= 500:
            tally["5xx"] += 1
        if not ok:
            tally["errors"].append(f"{kind} request answered {status}")


async def run_load(port: int, clients: int, seconds: float, bad_share: float, questions) -> dict:
    tally = {"latency": [], "good": 0, "bad": 0, "5xx": 0, "errors": []}
    until = time.monotonic() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(port, until, bad_share, questions, seed, tally) for seed in range(clients)))
    tally["elapsed"] = time.perf_counter() - started
    return tally


def report(name: str, tally: dict) -> None:
    latencies = sorted(tally["latency"])
    count = len(latencies)
    if not count:
        print(f"{name}: no request completed; errors: {tally['errors'][:5]}")
        return

    def percentile(share: float) -> float:
        return latencies[min(count - 1, int(share * count))] * 1000

    mean = statistics.mean(latencies) * 1000
    print(
        f"{name}: {count:,} requests ({tally['good']:,} good, {tally['bad']:,} bad) in "
        f"{tally['elapsed']:.1f} s, {count / tally['elapsed']:,.0f} requests/s; latency p50 "
        f"{percentile(0.5):.1f} ms, p95 {percentile(0.95):.1f} ms, p99 {percentile(0.99):.1f} ms, "
        f"mean {mean:.1f} ms; 5xx: {tally['5xx']}; errors: {len(tally['errors'])}"
    )
    for error in sorted(set(tally["errors"]))[:10]:
        print(f"    {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--bad", type=float, action="append", help="share of bad requests (repeatable)")
    args = parser.parse_args()
    shares = args.bad or [0.0, 0.2]
    questions = published_questions()
    port = free_port()
    server = start_server(port, args.workers)
    print(
        f"openfisca serve -c openfisca_grants, {args.workers} workers, on 127.0.0.1:{port}; "
        f"{args.clients} clients for {args.seconds:g} s; {os.cpu_count()} cores"
    )
    failed = False
    try:
        for share in shares:
            tally = asyncio.run(run_load(port, args.clients, args.seconds, share, questions))
            report(f"{share:.0%} bad", tally)
            failed = failed or bool(tally["errors"]) or tally["5xx"] > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
