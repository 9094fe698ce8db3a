"""The what-if page measured: first load and a what-if round trip in headless Chromium, and
``/api/compare`` under many concurrent loopback clients.

    .venv/bin/python benchmarks/web.py                       # 200 clients for 30 s, 4 workers
    .venv/bin/python benchmarks/web.py --clients 50 --seconds 5 --workers 2 --no-browser

Starts ``openfisca-grants web`` (gunicorn) on a free loopback port. In the browser (Debian's
chromium and chromium-driver; skipped with --no-browser): the page's first load, cache disabled,
from navigation start to the load event, and a what-if round trip, from typing a London weighting
to London's new figure on the page, each the median of --repeats. Then --clients asyncio
clients each POST one /api/compare after another for --seconds, a London weighting drawn from
0% to 30% in each (31 what-ifs, asked again and again), then what-ifs new to the server (a
weighting in ten-thousandths of a per cent: 300,001 of them); every answer must give London
the figure worked out here from the letter (£80,000 x (1 + weighting)) and the total to match,
to the penny. Reports requests, requests per second, latency percentiles and every error, and
the page's weight (requests and bytes of its first load). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import decimal
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from load import free_port, report  # noqa: E402

LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
LONDON_CODE = "E12000007"
LONDON_WITHOUT_COORDINATOR, OTHERS = 31800000 - 9120000, 241300000 - 31800000  # pence, from Annex A
NEW_STEPS = 300_000  # new what-ifs: 0% to 30% in ten-thousandths of a per cent (whole pence each)


def expected(percent) -> tuple[int, int]:
    """London's grant and the total, in pence, with the London weighting at ``percent``%."""
    coordinator = decimal.Decimal(8000000) * (100 + percent) / 100
    london = LONDON_WITHOUT_COORDINATOR + int(coordinator)
    return london, london + OTHERS


def start_server(port: int, workers: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "openfisca_grants.cli",
        "web",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/parameters?year=2024-25", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SystemExit("the server did not start")


def in_the_browser(url: str, repeats: int) -> None:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="chromium-bench-")
    for argument in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1280,1000",
    ):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options
    )
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    loads, trips = [], []
    try:
        for _ in range(repeats):
            driver.get(url + "/?year=2024-25")
            WebDriverWait(driver, 30).until(
                lambda d: (
                    d.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd") > 0
                )
            )
            loads.append(
                driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
            )
        field_id = "p-" + LONDON.replace(".", "-")
        for index in range(repeats):
            percent = 15 + index % 15
            london = expected(percent)[0]
            shown = f"£{london // 100:,}.{london % 100:02d}"
            field = driver.find_element(By.ID, field_id)
            field.send_keys(Keys.CONTROL, "a")
            started = time.perf_counter()
            field.send_keys(f"{percent}%", Keys.TAB)
            WebDriverWait(driver, 30, poll_frequency=0.005).until(
                lambda d, shown=shown: (
                    d.execute_script(
                        f"const c = document.querySelector('tr[data-code=\"{LONDON_CODE}\"] td.reform');"
                        "return c ? c.textContent : ''"
                    )
                    == shown
                )
            )
            trips.append((time.perf_counter() - started) * 1000)
        # The page's weight: the page and every file its first load asks for (the browser's own
        # list), each fetched again here and counted in bytes as the server sends them.
        driver.get(url + "/?year=2024-25")
        WebDriverWait(driver, 30).until(
            lambda d: (
                d.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd") > 0
            )
        )
        names = driver.execute_script(
            "return [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
        weight = [len(names), 0, sum(1 for name in names if not name.startswith(url))]
        for name in names:
            asked = urllib.request.Request(name, headers={"Accept": "text/html"})
            weight[1] += len(urllib.request.urlopen(asked, timeout=10).read())
    finally:
        driver.quit()
    print(
        f"browser: page weight {weight[0]} requests, {weight[1] / 1024:.0f} KiB (uncompressed), "
        f"{weight[2]} from another origin"
    )
    print(
        f"browser: first load (cache disabled, to the load event) median {statistics.median(loads):.0f} ms "
        f"(min {min(loads):.0f}, max {max(loads):.0f}); what-if round trip (typing to London's new figure) "
        f"median {statistics.median(trips):.0f} ms "
        f"(min {min(trips):.0f}, max {max(trips):.0f}); {repeats} of each"
    )


async def one_compare(port: int, body: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /api/compare HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    response = await reader.read()
    writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), payload


async def client(port: int, until: float, seed: int, tally: dict, new: bool) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < until:
        # Asked again: 31 what-ifs (whole percentages), again and again (the server keeps each
        # reformed system). New: ten-thousandths of a per cent, 300,001 what-ifs, so that nearly
        # every request is one its worker has not kept (counted: tally["asked"]).
        if new:
            percent = decimal.Decimal(chooser.randint(0, NEW_STEPS)) / (NEW_STEPS // 30)
        else:
            percent = chooser.randint(0, 30)
        tally["asked"].add(percent)
        changes = {LONDON: f"{percent}%"}
        body = json.dumps({"year": "2024-25", "set": changes}).encode()
        start = time.perf_counter()
        try:
            status, payload = await one_compare(port, body)
            ok = status == 200
            if ok:
                (comparison,) = json.loads(payload)
                rows = {row["code"]: row for row in comparison["rows"]}
                got = (
                    round(decimal.Decimal(rows[LONDON_CODE]["reform"]) * 100),
                    round(decimal.Decimal(comparison["total"]["reform"]) * 100),
                )
                ok = got == expected(percent)
        except (OSError, ValueError, KeyError, IndexError) as error:
            tally["errors"].append(f"{type(error).__name__}: {error}")
            continue
        tally["latency"].append(time.perf_counter() - start)
        tally["good"] += 1
        if status >= 500:
            tally["5xx"] += 1
        if not ok:
            tally["errors"].append(f"what-if {changes} answered {status} or a wrong figure")


async def run_load(port: int, clients: int, seconds: float, new: bool = False) -> dict:
    tally = {"latency": [], "good": 0, "bad": 0, "5xx": 0, "errors": [], "asked": set()}
    until = time.monotonic() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(port, until, seed, tally, new) for seed in range(clients)))
    tally["elapsed"] = time.perf_counter() - started
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    print(
        f"openfisca-grants web, {args.workers} workers, on 127.0.0.1:{port}; {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    try:
        if not args.no_browser:
            in_the_browser(f"http://127.0.0.1:{port}", args.repeats)
        tally = asyncio.run(run_load(port, args.clients, args.seconds))
        report(f"/api/compare, {args.clients} clients, {args.seconds:g} s, 31 what-ifs", tally)
        fresh = asyncio.run(run_load(port, args.clients, args.seconds, new=True))
        report(f"/api/compare, {args.clients} clients, {args.seconds:g} s, new what-ifs", fresh)
        print(f"    {len(fresh['asked']):,} different what-ifs in {len(fresh['latency']):,} answers")
        tally["errors"] += fresh["errors"]
        tally["5xx"] += fresh["5xx"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if tally["errors"] or tally["5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
