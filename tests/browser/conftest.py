"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the
app served by pytest-django's live server, on the demo data.

Outside CI the tests skip when /usr/bin/chromium is missing; in CI (CI=true) they fail instead,
because there they must run.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this is deliberate. Only the test process is affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TILLIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "tillit-demo-2026"


def _chromium_available():
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    in_ci = os.environ.get("CI", "").lower() == "true"
    if _chromium_available() or in_ci:
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (browser tests run in CI)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        pytest.fail(f"Chromium is required for browser tests in CI but was not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo organisation, built fresh for the test (the live server sees it)."""
    from fixtures.demo import build_demo

    return build_demo()


@pytest.fixture
def login(page, live_server):
    def _login(username, password=DEMO_PASSWORD):
        page.goto(f"{live_server.url}/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def assert_accessible(page):
    """Run axe-core (shipped inside axe-playwright-python) in the page; fail on any serious or
    critical violation, listing what and where."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(context=""):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in bad
        )
        assert not bad, f"Accessibility violations on {context or page.url}:\n{details}"
        return results

    return _check
