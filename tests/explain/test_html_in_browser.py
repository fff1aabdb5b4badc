"""The HTML explanation as a caseworker uses it, in a real browser: Debian's chromium
(/usr/bin/chromium) driven by Playwright, no browser download. The page is one file with
no script: the filters, the links that open a decision and the print layout are HTML and
CSS, and it asks for nothing over the network."""

import os
import shutil
from pathlib import Path

import pytest

import policylang
from policylang.explain.markup import render_html
from policylang.explain.model import report

from conftest import EXAMPLES, RULES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and os.environ.get("POLICYLANG_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

# flags for a closed network: no background connections, no sandbox as root
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def ruleset():
    return policylang.load(RULES)


def page_of(browser, ruleset, tmp_path, lang: str, name: str = "kunming-edge-family"):
    facts = policylang.read_facts(EXAMPLES / f"{name}.json", ruleset)
    decisions = ruleset.evaluate(facts, "2023-08-01")
    path = tmp_path / f"{name}.{lang}.html"
    path.write_text(render_html(report(decisions, ruleset.texts, ruleset.rules, lang)),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(path.as_uri())
    return page, asked


def visible_rows(page, selector: str) -> int:
    return page.locator(selector).evaluate_all(
        "rows => rows.filter(r => r.offsetParent !== null).length")


def test_the_summary_says_what_is_granted_first(browser, ruleset, tmp_path):
    page, asked = page_of(browser, ruleset, tmp_path, "zh")
    grants = page.locator(".grants").first
    assert grants.is_visible()
    text = grants.inner_text()
    assert "p2（配偶）" in text and "合计：每月 960.00 元" in text
    box, table = grants.bounding_box(), page.locator("table").first.bounding_box()
    assert box["y"] < table["y"]  # the grants come before the table of every decision
    assert all(url.startswith("file://") for url in asked), asked
    page.screenshot(path=str(tmp_path / "summary.png"), full_page=True)
    assert (tmp_path / "summary.png").stat().st_size > 10_000
    page.close()


def test_the_filters_show_granted_or_refused_decisions_only(browser, ruleset, tmp_path):
    page, _ = page_of(browser, ruleset, tmp_path, "en")
    everything = visible_rows(page, "tr.row")
    granted = visible_rows(page, "tr.row.eligible-row")
    assert 0 < granted < everything
    page.get_by_text("Granted", exact=True).click()
    assert visible_rows(page, "tr.row") == granted
    assert visible_rows(page, "details.decision:not(.eligible-row)") == 0
    page.get_by_text("Not granted", exact=True).click()
    assert visible_rows(page, "tr.row.eligible-row") == 0
    assert visible_rows(page, "tr.row") > 0
    page.get_by_text("All", exact=True).click()
    assert visible_rows(page, "tr.row") == everything
    page.close()


def test_a_summary_row_opens_its_decision(browser, ruleset, tmp_path):
    page, _ = page_of(browser, ruleset, tmp_path, "en")
    decision = page.locator("details#d-dibao-household-kunming-edge-family")
    assert decision.get_attribute("open") is None
    page.locator("a[href='#d-dibao-household-kunming-edge-family-why']").click()
    page.wait_for_function("document.querySelector("
                           "'details#d-dibao-household-kunming-edge-family').open")
    why = page.locator("#d-dibao-household-kunming-edge-family-why")
    assert why.is_visible() and "countable income" in why.inner_text()
    assert "It would be granted if" in decision.inner_text()
    page.close()


def test_the_rule_as_written_is_shown_on_request(browser, ruleset, tmp_path):
    page, _ = page_of(browser, ruleset, tmp_path, "en")
    page.locator("a[href='#d-dibao-household-kunming-edge-family-why']").click()
    decision = page.locator("details#d-dibao-household-kunming-edge-family")
    code = decision.locator("details.code pre").first
    assert not code.is_visible()
    decision.locator("details.code > summary").first.click()
    assert code.is_visible() and "unit_size > 0" in code.inner_text()
    page.close()


def test_the_print_layout_is_a_notice_without_controls(browser, ruleset, tmp_path):
    page, _ = page_of(browser, ruleset, tmp_path, "zh")
    page.emulate_media(media="print")
    assert not page.locator("label.filters").first.is_visible()
    assert not page.locator("details.code").first.is_visible()
    assert page.locator(".grants").first.is_visible()
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    page.close()


def test_the_filters_work_from_the_keyboard(browser, ruleset, tmp_path):
    page, _ = page_of(browser, ruleset, tmp_path, "en")
    granted = visible_rows(page, "tr.row.eligible-row")
    page.focus("#f-all")
    page.keyboard.press("ArrowRight")  # radio buttons move with the arrow keys
    assert page.is_checked("#f-granted")
    assert visible_rows(page, "tr.row") == granted
    outline = page.eval_on_selector("label[for=f-granted]", "l => getComputedStyle(l).outlineStyle")
    assert outline != "none"  # the focused choice is shown
    page.close()
