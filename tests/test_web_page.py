"""The what-if page in a real browser: headless Chromium driven by selenium, against the real server.

The server is the app ``openfisca-grants web`` serves (``openfisca_grants.web.app.create()``). Each test does what a policy
team does: change a rule, read the figures, share the link, download the reform file and run it
on the command line, make mistakes, ask why, and use the page from the keyboard alone, on a laptop
(1280 x 900) and a phone (390 x 844). In every state (the letter's rules, a what-if, an error, an
explanation, a sweep, a grid, two what-ifs side by side) axe-core (vendored in tests/axe/, from the npm registry) must find no
serious or critical accessibility violation, the page must not scroll sideways at 320 and 390 px,
and the browser must report no Content-Security-Policy violation. The screenshots the policy-team
guide shows are taken here (``docs/screenshots/``), so they follow the page. Without Debian's ``chromium`` and ``chromium-driver`` these tests skip, saying so;
``.ci/run`` installs both, so CI never skips them.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import socket
import tempfile
import threading

import pytest
from catalogue_helpers import ungoverned_year

from openfisca_grants import determinations
from openfisca_grants.cli import main

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        "the browser tests need Debian's chromium and chromium-driver packages "
        "(apt-get install -y chromium chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="the browser tests need selenium (pip install -e '.[dev]')"
)
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
LONDON = "riia_31_7421.regional_data_coordinator.london_weighting"
LONDON_ID = "p-" + LONDON.replace(".", "-")
UNGOVERNED = ungoverned_year()
# The guide's screenshots show the page of 2024-25 as this repository encodes it: 31/7421 alone.
# Their sizes are held to the page's only while that is so (not in a clone holding another letter
# of that year, whose page is rightly longer, and whose guide keeps its pictures as they are).
AS_IN_THE_GUIDE = [d.number for d in determinations.for_year("2024-25")] == ["31/7421"]
LONDON_CODE, SOUTH_WEST_CODE = "E12000007", "E12000009"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The app ``openfisca-grants web`` serves, on a loopback port, in this process (threaded):
    starting gunicorn in a fresh process would cost the suite seconds for nothing these tests
    look at; benchmarks/web.py drives the command itself."""
    from werkzeug.serving import make_server

    from openfisca_grants.web.app import create

    httpd = make_server("127.0.0.1", _free_port(), create(), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def downloads():
    with tempfile.TemporaryDirectory() as folder:
        yield pathlib.Path(folder)


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, condition, seconds: float = 15):
    return WebDriverWait(driver, seconds, ignored_exceptions=[StaleElementReferenceException]).until(
        condition
    )


AXE = (ROOT / "tests" / "axe" / "axe.min.js").read_text(encoding="utf-8")
LAPTOP, PHONE = (1280, 900), (390, 844)


def _viewport(driver, size: tuple[int, int]) -> None:
    """The page's viewport exactly ``size`` CSS pixels, as a laptop's or a phone's."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _axe(driver, state: str) -> None:
    """axe-core on the page as it is: no violation of any impact, in any state."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then("
        "  r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        "    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))),"
        "  e => done([{id: 'axe failed', impact: 'critical', help: String(e), nodes: []}]))"
    )
    assert not found, f"axe-core, {state}: {found}"


def _no_sideways_scroll(driver, state: str) -> None:
    scrolled = driver.execute_script(
        "window.scrollTo(10000, window.scrollY); const x = window.scrollX; window.scrollTo(0, window.scrollY);"
        "return [x, document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scrolled[0] == 0 and scrolled[1] <= scrolled[2], f"{state}: the page scrolls sideways {scrolled}"


def _csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def _in_view(driver, element) -> bool:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0"
        " && r.right <= window.innerWidth",
        element,
    )


def _answer_total(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, '[data-answer-total="31/7421"]').text


def _reform_cell(driver, code: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{code}"] td.reform').text


def _total(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, 'td[data-total="31/7421"]').text


def _set(driver, element_id: str, value: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value, Keys.TAB)


def _screenshot(element, name: str) -> None:
    """The guide's screenshot ``name``, taken now; it must be the size of the one in
    docs/screenshots/, or the page's layout has moved and the guide would show an old page.

    Chromium does not draw the same page to the same pixels twice (text is placed to a fraction of
    a pixel), so the files are rewritten only when asked (``GRANTS_UPDATE_SCREENSHOTS=1``) or
    missing: otherwise every run of the suite would change the repository.
    """
    # Chromium captures only what is in the window: the element's top at the window's top.
    if element.tag_name == "html":  # the viewport as the reader sees it
        taken = element.parent.get_screenshot_as_png()
    else:
        driver = element.parent
        width, height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        tall = driver.execute_script("return Math.ceil(arguments[0].getBoundingClientRect().height)", element)
        _viewport(driver, (width, min(max(tall + 40, height), 4000)))  # the whole element in the window
        driver.execute_script("document.activeElement.blur(); arguments[0].scrollIntoView(true)", element)
        taken = element.screenshot_as_png
        _viewport(driver, (width, height))
    target = SCREENSHOTS / name
    if target.is_file() and not os.environ.get("GRANTS_UPDATE_SCREENSHOTS"):
        if not AS_IN_THE_GUIDE:
            return  # a clone with another letter of 2024-25 draws a longer page, rightly
        assert _size(taken) == _size(target.read_bytes()), (
            f"docs/screenshots/{name} no longer shows the page as it is: run "
            "GRANTS_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/test_web_page.py, look at it, commit it"
        )
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    partial = SCREENSHOTS / f".{name}.{os.getpid()}.part"
    partial.write_bytes(taken)
    os.replace(partial, target)


def _size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _open(driver, url: str, size: tuple[int, int] = LAPTOP) -> None:
    _viewport(driver, size)
    driver.get(url)
    _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, 'td[data-total="31/7421"]')))


def _tab_to(driver, element_id: str, limit: int = 200):
    """Tab from the top of the page to ``element_id``, as a keyboard user does; the element."""
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(limit):
        active = driver.switch_to.active_element
        if active.get_attribute("id") == element_id:
            return active
        active.send_keys(Keys.TAB)
    raise AssertionError(f"{element_id} is not reached by Tab")


def _type(field, value: str) -> None:
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value, Keys.TAB)


def test_a_what_if_its_link_and_its_reform_file(server, browser, downloads, tmp_path, capsys):
    _open(browser, server + "/?year=2024-25")
    assert browser.title.startswith("What if?")
    assert _reform_cell(browser, LONDON_CODE) == "£318,000.00" and _total(browser) == "£2,413,000.00"
    assert _answer_total(browser) == "£2,413,000.00"
    assert "every published figure reproduced" in browser.find_element(By.ID, "annex-a").text
    _axe(browser, "the letter's rules, 1280 px")
    field = browser.find_element(By.ID, LONDON_ID)
    assert field.get_attribute("value") == "14%"
    _screenshot(browser.find_element(By.ID, "annex-a"), "annex_a.png")

    # From the keyboard alone: Tab to the London weighting, type, Tab away.
    field = _tab_to(browser, LONDON_ID)
    _type(field, "20%")
    _wait(browser, lambda d: _answer_total(d) == "£2,417,800.00")
    # The answer is in view beside the rule just changed, without scrolling.
    assert _in_view(browser, browser.find_element(By.CSS_SELECTOR, '[data-answer-total="31/7421"]'))
    assert _in_view(browser, browser.find_element(By.CSS_SELECTOR, f'[data-answer-code="{LONDON_CODE}"]'))
    answer = browser.find_element(By.ID, "answer").text
    assert "London\n£322,800.00\n+£4,800.00 (+1.51%)" in answer and "8 other regions: no change." in answer
    assert "Regional data coordinator: London weighting 20% (the letter: 14%)" in answer
    assert _reform_cell(browser, LONDON_CODE) == "£322,800.00" and _total(browser) == "£2,417,800.00"
    assert "app-field--changed" in browser.find_element(
        By.CSS_SELECTOR, f'[data-path="{LONDON}"]'
    ).get_attribute("class")
    assert f"{LONDON}=20%25" in browser.current_url
    _axe(browser, "a what-if, 1280 px")
    _screenshot(browser.find_element(By.TAG_NAME, "html"), "laptop.png")
    _screenshot(field.find_element(By.XPATH, "ancestor::fieldset"), "changed_parameter.png")
    _screenshot(browser.find_element(By.ID, "results"), "comparison.png")

    # Named and budget neutral: both in the link, the answer and the downloads.
    name = browser.find_element(By.ID, "whatif_name")
    name.send_keys("London at 20%", Keys.TAB)
    _wait(browser, lambda d: "name=London+at+20%25" in d.current_url)
    browser.find_element(By.ID, "budget_neutral").send_keys(Keys.SPACE)
    _wait(browser, lambda d: _total(d) == "£2,413,000.00" and _answer_total(d) == "£2,413,000.00")
    assert "budget_neutral=yes" in browser.current_url
    assert "London at 20%" in browser.find_element(By.ID, "answer").text
    factor = browser.find_element(By.ID, "factor").text
    assert factor == f"{2413000 / 2417800:.9f}"
    neutral = {code: _reform_cell(browser, code) for code in (LONDON_CODE, SOUTH_WEST_CODE)}

    # The page's own URL, opened afresh, is the same what-if, name included.
    shared = browser.current_url
    browser.switch_to.new_window("tab")
    _open(browser, shared)
    assert _total(browser) == "£2,413,000.00"
    assert {code: _reform_cell(browser, code) for code in neutral} == neutral
    assert browser.find_element(By.ID, LONDON_ID).get_attribute("value") == "20%"
    assert browser.find_element(By.ID, "budget_neutral").is_selected()
    assert browser.find_element(By.ID, "whatif_name").get_attribute("value") == "London at 20%"
    browser.close()
    browser.switch_to.window(browser.window_handles[0])

    # The reform file the page downloads gives the page's figures on the command line, budget
    # neutral included, without --budget-neutral.
    browser.find_element(By.PARTIAL_LINK_TEXT, "reform file (YAML)").click()
    reform = downloads / "reform.yaml"
    _wait(browser, lambda d: reform.is_file() and reform.stat().st_size > 0)
    copy = tmp_path / "reform.yaml"
    shutil.copy(reform, copy)
    assert "name: London at 20%" in copy.read_text() and "budget_neutral: true" in copy.read_text()
    capsys.readouterr()
    assert main(["compare", str(copy), "--year", "2024-25", "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert f"E12000007,London,318000.00,{neutral[LONDON_CODE][1:].replace(',', '')}" in printed
    assert "31/7421,2024-25,,Total,2413000.00,2413000.00,0.00" in printed
    browser.find_element(By.PARTIAL_LINK_TEXT, "Excel workbook").click()
    workbook = downloads / "comparison.xlsx"
    _wait(browser, lambda d: workbook.is_file() and workbook.stat().st_size > 0)
    assert workbook.read_bytes()[:2] == b"PK"
    assert not _csp_violations(browser)


def test_on_a_phone_the_answer_stays_in_view(server, browser):
    _open(browser, server + "/?year=2024-25", PHONE)
    _no_sideways_scroll(browser, "the letter's rules, 390 px")
    _axe(browser, "the letter's rules, 390 px")
    field = _tab_to(browser, LONDON_ID)
    _type(field, "20%")
    _wait(browser, lambda d: _answer_total(d) == "£2,417,800.00")
    total = browser.find_element(By.CSS_SELECTOR, '[data-answer-total="31/7421"]')
    assert _in_view(browser, total), "the total is out of view on a phone after a change"
    assert _in_view(browser, browser.find_element(By.ID, LONDON_ID)), "the field typed in is hidden"
    _no_sideways_scroll(browser, "a what-if, 390 px")
    _axe(browser, "a what-if, 390 px")
    _screenshot(browser.find_element(By.TAG_NAME, "html"), "phone.png")
    for width in (320, 390):
        _viewport(browser, (width, 844))
        _no_sideways_scroll(browser, f"a what-if, {width} px")
    # A wide table scrolls in its own region, which the keyboard reaches.
    region = browser.find_element(By.CSS_SELECTOR, "#results .app-table-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", region)
    assert not _csp_violations(browser)


def test_bad_values_are_refused_beside_the_field_and_summarised(server, browser):
    _open(browser, f"{server}/?year=2024-25&{LONDON}=20%25")
    assert _total(browser) == "£2,417,800.00"
    error = browser.find_element(By.ID, f"{LONDON_ID}-error")
    for bad, message in (("abc", "'abc' is not a number"), ("2000%", "a rate of 2000% is more than 100%")):
        _set(browser, LONDON_ID, bad)
        _wait(browser, lambda d, message=message: message in error.text)
        assert browser.find_element(By.ID, LONDON_ID).get_attribute("aria-invalid") == "true"
        assert _total(browser) == "£2,417,800.00" and _reform_cell(browser, LONDON_CODE) == "£322,800.00"
        # Said at the top too, with "Error:" in the title, and the figures marked out of date.
        summary = browser.find_element(By.ID, "error-summary")
        assert message in summary.text and browser.title.startswith("Error: ")
        assert browser.find_element(By.ID, "stale").is_displayed()
        assert _in_view(browser, browser.find_element(By.ID, "stale"))
    _axe(browser, "an error, 1280 px")
    _screenshot(error.find_element(By.XPATH, ".."), "bad_value.png")
    # The summary's link takes the reader to the field.
    summary.find_element(By.TAG_NAME, "a").send_keys(Keys.ENTER)
    _wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == LONDON_ID)
    money = "p-riia_31_7421-regional_data_coordinator-amount_per_region"
    _set(browser, money, "-5")
    _wait(browser, lambda d: "-5" in d.find_element(By.ID, f"{money}-error").text)
    assert _total(browser) == "£2,417,800.00"
    # Put right: the summary and the mark go, the figures update.
    _set(browser, money, "£80,000")
    _set(browser, LONDON_ID, "25%")
    _wait(browser, lambda d: _answer_total(d) == "£2,421,800.00")
    assert (
        not browser.find_elements(By.ID, "error-summary")
        and not browser.find_element(By.ID, "stale").is_displayed()
    )
    assert not browser.title.startswith("Error")
    # On a phone the error state is as accessible, and does not scroll sideways.
    _viewport(browser, PHONE)
    browser.get(f"{server}/?year=2024-25&{LONDON}=abc")
    assert browser.title.startswith("Error: ")
    assert "'abc' is not a number" in browser.find_element(By.ID, "error-summary").text
    _no_sideways_scroll(browser, "an error, 390 px")
    _axe(browser, "an error, 390 px")
    # Another year, from the keyboard: chosen, then shown on request.
    _open(browser, f"{server}/?year=2024-25")
    year = browser.find_element(By.ID, "year")
    year.send_keys("2016")
    browser.find_element(By.ID, "show-year").send_keys(Keys.ENTER)
    _wait(
        browser,
        lambda d: (
            "year=2016-17" in d.current_url and d.find_elements(By.CSS_SELECTOR, 'td[data-total="31/3010"]')
        ),
    )
    assert browser.find_element(By.CSS_SELECTOR, 'td[data-total="31/3010"]').text == "£32,350,063.17"
    # A year no determination governs, in a link: said beside the year, never a 5xx.
    browser.get(f"{server}/?year={UNGOVERNED}")
    assert f"No encoded determination governs {UNGOVERNED}" in browser.find_element(By.ID, "year-error").text
    assert not _csp_violations(browser)


def test_the_letters_value_retyped_is_no_change(server, browser):
    _open(browser, f"{server}/?year=2024-25")
    for value in ("0.14", "14.0%"):
        _set(browser, LONDON_ID, value)
        _wait(browser, lambda d: "?year=2024-25" in d.current_url)
        assert (
            LONDON not in browser.current_url
            and "no change yet" in browser.find_element(By.ID, "answer").text
        )
        assert "app-field--changed" not in browser.find_element(
            By.CSS_SELECTOR, f'[data-path="{LONDON}"]'
        ).get_attribute("class")
    # Over-long input is cut at the field's limit, before anything is sent.
    field = browser.find_element(By.ID, LONDON_ID)
    assert int(field.get_attribute("maxlength")) <= 200
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("1" * 300)
    assert len(field.get_attribute("value")) == int(field.get_attribute("maxlength"))


def test_explaining_the_south_west(server, browser):
    _open(browser, f"{server}/?year=2024-25&{LONDON}=20%25")
    browser.find_element(By.CSS_SELECTOR, f'button.explain[data-body="{SOUTH_WEST_CODE}"]').click()
    panel = browser.find_element(By.ID, "explanation-body")
    _wait(browser, lambda d: "South West" in panel.text)
    text = panel.text
    assert "determination 31/7421" in text and "£260,600.00" in text
    assert "annex_a_adjustment.south_west = £11,400.00" in text and "Annex A row 7" in text
    _axe(browser, "an explanation, 1280 px")
    _screenshot(browser.find_element(By.ID, "explanation"), "explanation.png")
    # London's reads the changed weighting, marked, with the letter's value beside it.
    browser.find_element(By.CSS_SELECTOR, f'button.explain[data-body="{LONDON_CODE}"]').click()
    _wait(browser, lambda d: "London (E12000007)" in panel.text)
    assert "london_weighting = 20% changed by the what-if; the letter's value: 14%" in panel.text
    _viewport(browser, PHONE)
    _no_sideways_scroll(browser, "an explanation, 390 px")
    _axe(browser, "an explanation, 390 px")


def test_a_sweep_with_the_current_value_marked(server, browser):
    _open(browser, f"{server}/?year=2024-25")
    assert browser.find_element(By.ID, "sweep_from").get_attribute("value") == "0%"
    browser.find_element(By.CSS_SELECTOR, "#sweep-form button").click()
    result = browser.find_element(By.ID, "sweep-result")
    _wait(browser, lambda d: "31 values" in result.text)
    assert "The current value, 14%, is marked." in result.text and "from 0% to 30%" in result.text
    current = result.find_element(By.CSS_SELECTOR, "tr.current")
    assert current.text.startswith("14%") and "£318,000.00" in current.text
    region = result.find_element(By.CSS_SELECTOR, ".app-table-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    axes = result.find_element(By.TAG_NAME, "svg").get_attribute("innerHTML")
    assert "London weighting (%)" in axes and "Grant (£)" in axes
    _axe(browser, "a sweep, 1280 px")
    _screenshot(browser.find_element(By.ID, "sweep"), "sweep.png")
    # The range follows the what-if's value of the rule: 40% swept up to 80%.
    _open(browser, f"{server}/?year=2024-25&{LONDON}=40%25")
    assert browser.find_element(By.ID, "sweep_to").get_attribute("value") == "80%"
    result = browser.find_element(By.ID, "sweep-result")
    # A money rule: the range follows it, and "£" is taken as the rule fields take it.
    rule = browser.find_element(By.ID, "sweep_parameter")
    rule.send_keys("Regional data coordinator: Amount")
    _wait(browser, lambda d: d.find_element(By.ID, "sweep_to").get_attribute("value") == "£160,000")
    _set(browser, "sweep_from", "£50,000")
    _set(browser, "sweep_to", "£110,000")
    _set(browser, "sweep_steps", "7")
    browser.find_element(By.CSS_SELECTOR, "#sweep-form button").click()
    _wait(browser, lambda d: "7 values from £50,000 to £110,000" in result.text)
    assert result.find_element(By.PARTIAL_LINK_TEXT, "SVG").get_attribute("href").endswith("sweep_steps=7")
    # A sweep's error stays until the sweep is asked again: a change elsewhere does not clear it.
    _set(browser, "sweep_steps", "100000")
    browser.find_element(By.CSS_SELECTOR, "#sweep-form button").click()
    steps_error = browser.find_element(By.ID, "sweep_steps-error")
    _wait(browser, lambda d: "1,000" in steps_error.text)
    _set(browser, LONDON_ID, "20%")
    _wait(browser, lambda d: _answer_total(d) == "£2,417,800.00")
    assert "1,000" in steps_error.text
    _axe(browser, "a sweep's error, 1280 px")
    _viewport(browser, PHONE)
    _no_sideways_scroll(browser, "a sweep, 390 px")
    _axe(browser, "a sweep, 390 px")


def test_every_control_is_reached_from_the_keyboard(server, browser):
    _open(browser, f"{server}/?year=2024-25&{LONDON}=20%25")
    controls = [
        c
        for c in browser.find_elements(By.CSS_SELECTOR, "main input, main select, main button, main a[href]")
        if c.is_displayed()
    ]
    wanted = {
        c.get_attribute("id") or c.get_attribute("href") or c.get_attribute("data-body") for c in controls
    }
    reached = set()
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(len(controls) * 2 + 20):
        active = browser.switch_to.active_element
        reached.add(
            active.get_attribute("id") or active.get_attribute("href") or active.get_attribute("data-body")
        )
        active.send_keys(Keys.TAB)
    assert not wanted - reached, sorted(wanted - reached)
    # And a change made from the keyboard alone recalculates.
    field = browser.find_element(By.ID, LONDON_ID)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("25%", Keys.ENTER)
    _wait(browser, lambda d: _reform_cell(d, LONDON_CODE) == "£326,800.00")


def test_printed_on_a4_the_answer_and_tables_come_first(server, browser):
    import base64

    _open(browser, f"{server}/?year=2024-25&{LONDON}=20%25")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.ID, "rules").is_displayed()
        answer = browser.find_element(By.ID, "answer")
        results = browser.find_element(By.ID, "results")
        assert answer.is_displayed() and answer.location["y"] < results.location["y"]
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = base64.b64decode(
        browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})[
            "data"
        ]
    )
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 3, f"a what-if prints on {pages} A4 pages"


def test_two_what_ifs_side_by_side(server, browser):
    _open(browser, f"{server}/?year=2024-25&{LONDON}=20%25&name=Twenty")
    browser.find_element(By.ID, "keep-as-a").send_keys(Keys.ENTER)
    _wait(browser, lambda d: d.find_elements(By.ID, "side-title"))
    assert "kept=" in browser.current_url
    _set(browser, LONDON_ID, "25%")
    _wait(browser, lambda d: _answer_total(d) == "£2,421,800.00")
    _wait(browser, lambda d: "£326,800.00" in d.find_element(By.ID, "side-by-side").text)
    london = browser.find_element(By.CSS_SELECTOR, f'[data-side-code="{LONDON_CODE}"]').text.replace(
        "\n", " "
    )
    assert london == (
        "London £318,000.00 £322,800.00 +£4,800.00 (+1.51%) £326,800.00 +£8,800.00 (+2.77%) +£4,000.00 (+1.24%)"
    )
    side = browser.find_element(By.ID, "side-by-side").text
    assert "Download A against B" in side and "A as a reform file (YAML)" in side
    assert "A (Twenty), kept: Regional data coordinator: London weighting 20%" in side
    assert "B (Twenty), on the page: Regional data coordinator: London weighting 25%" in side
    _axe(browser, "side by side, 1280 px")
    _screenshot(browser.find_element(By.ID, "side-by-side"), "side_by_side.png")
    # The link reproduces both.
    shared = browser.current_url
    browser.switch_to.new_window("tab")
    _open(browser, shared, PHONE)
    assert (
        browser.find_element(By.CSS_SELECTOR, f'[data-side-code="{LONDON_CODE}"]').text.replace("\n", " ")
        == london
    )
    _no_sideways_scroll(browser, "side by side, 390 px")
    _axe(browser, "side by side, 390 px")
    browser.close()
    browser.switch_to.window(browser.window_handles[0])
    browser.find_element(By.ID, "forget-a").send_keys(Keys.ENTER)
    _wait(browser, lambda d: not d.find_elements(By.ID, "side-title") and "kept=" not in d.current_url)


def test_the_link_keeps_the_determination_asked(server, browser):
    """A link to one of a year's determinations stays one as the page recalculates."""
    _open(browser, f"{server}/?year=2024-25&determination=31%2F7421")
    assert "The figures are those of 31/7421 only." in browser.find_element(By.ID, "determination-asked").text
    _set(browser, LONDON_ID, "20%")
    _wait(browser, lambda d: _answer_total(d) == "£2,417,800.00")
    _wait(browser, lambda d: "determination=31%2F7421" in d.current_url and "20%25" in d.current_url)
    permalink = browser.find_element(By.ID, "permalink").get_attribute("href")
    assert "determination=31%2F7421" in permalink
    _axe(browser, "one determination asked, 1280 px")


def test_a_grid_of_two_rules(server, browser):
    _open(browser, f"{server}/?year=2024-25")
    first = browser.find_element(By.ID, "grid_first")
    assert first.get_attribute("value") == LONDON
    assert browser.find_element(By.ID, "grid_first_from").get_attribute("value") == "0%"
    _set(browser, "grid_first_steps", "4")
    _set(browser, "grid_second_from", "£50,000")
    _set(browser, "grid_second_to", "£110,000")
    _set(browser, "grid_second_steps", "3")
    browser.find_element(By.CSS_SELECTOR, "#grid-form button").send_keys(Keys.ENTER)
    result = browser.find_element(By.ID, "grid-result")
    _wait(browser, lambda d: "4 x 3 values" in result.text)
    axes = result.find_element(By.TAG_NAME, "svg").get_attribute("innerHTML")
    assert "London weighting" in axes and "£50,000" in axes
    _axe(browser, "a grid, 1280 px")
    _screenshot(browser.find_element(By.ID, "grid"), "grid.png")
    _set(browser, "grid_second_steps", "99")
    browser.find_element(By.CSS_SELECTOR, "#grid-form button").send_keys(Keys.ENTER)
    _wait(browser, lambda d: "from 1 to 25" in d.find_element(By.ID, "grid_second_steps-error").text)
    _axe(browser, "a grid's error, 1280 px")
    _viewport(browser, PHONE)
    _no_sideways_scroll(browser, "a grid, 390 px")
    _axe(browser, "a grid, 390 px")


def test_what_one_body_receives(server, browser):
    """The statement page, typed into from the keyboard, at a laptop's and a phone's width: the
    payments, their sources and the total; a name no register holds refused beside its field."""
    for size in (LAPTOP, PHONE, (320, 700)):
        _viewport(browser, size)
        browser.get(f"{server}/statement")
        field = browser.find_element(By.ID, "body")
        field.send_keys("Camden", Keys.ENTER)
        _wait(browser, ec.presence_of_element_located((By.ID, "statement-total")))
        assert browser.find_element(By.ID, "statement-total").text == "£318,000.00"
        text = browser.find_element(By.ID, "main-content").text
        assert "lead body for London" in text and "Annex A row 3" in text
        _no_sideways_scroll(browser, f"statement at {size}")
        _axe(browser, f"statement at {size}")
    browser.get(f"{server}/statement?year=2024-25&body=Nowhere+Council")
    assert browser.title.startswith("Error:")
    assert "No authority is called 'Nowhere Council'" in browser.find_element(By.ID, "body-error").text
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary a")
    assert summary.get_attribute("href").endswith("#body")
    _axe(browser, "statement refused")
    assert not _csp_violations(browser)
