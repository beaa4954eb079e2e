"""Browser fixtures: the built site on 127.0.0.1, chromium, and a cut-off network.

* ``site_url`` serves ``built_site`` with a threaded ``http.server`` on a free
  port of 127.0.0.1 and gives its base URL (ending in ``/``).
* ``browser`` is Debian's chromium (``/usr/bin/chromium``) driven by Playwright.
* ``page`` is a fresh context and page in which every request that does not go
  to the local server is aborted. As the page runs, ``page.console_errors``
  collects console errors and uncaught exceptions, ``page.failed_requests``
  collects every request that failed (aborted, network error, HTTP >= 400) and
  ``page.external_requests`` the URLs that tried to leave the machine.

``make test`` installs what these need: chromium from Debian (apt) and the
``playwright`` Python package (requirements.txt). Never ``playwright install``:
it downloads browsers from the internet.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_INSTALL = (
    "`make test` installs it: Debian's chromium (apt-get install -y chromium) and "
    "the playwright Python package (pip install -r requirements.txt). "
    "Do not run `playwright install`."
)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "_build" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_url(built_site, serve):
    """Base URL of the built site, served from 127.0.0.1 for the whole session."""
    with serve(built_site) as url:
        yield url


@contextlib.contextmanager
def serving(folder):
    """Serve ``folder`` from 127.0.0.1 on a free port, quietly; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{Path(folder).name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def serve():
    """:func:`serving`, for tests that serve a folder of their own (the widget harness)."""
    return serving


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"The Python package playwright is not installed. {HOW_TO_INSTALL}", pytrace=False)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    """Chromium from Debian, headless."""
    if not CHROMIUM.exists():
        found = shutil.which("chromium")
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}"
            + (f" (found {found}, but the tests use {CHROMIUM})" if found else "")
            + f". {HOW_TO_INSTALL}",
            pytrace=False,
        )
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where browser tests save screenshots for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture
def page(browser, site_url):
    """A new page whose requests may only reach the local server."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.console_errors = []
    page.failed_requests = []
    page.external_requests = []

    def route(route):
        url = route.request.url
        if _is_local(url, site_url):
            route.continue_()
        else:
            page.external_requests.append(url)
            route.abort("blockedbyclient")

    def on_console(message):
        if message.type == "error":
            where = message.location or {}
            page.console_errors.append(f"{message.text} ({where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def on_response(response):
        if response.status >= 400:
            page.failed_requests.append(f"HTTP {response.status} {response.url}")

    context.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: page.failed_requests.append(
        f"{request.failure} {request.url}"))
    page.on("response", on_response)
    try:
        yield page
    finally:
        context.close()


@contextlib.contextmanager
def harness_page(browser, harness_url):
    """A page for the widget harness at ``harness_url``, every other request aborted.

    ``page.errors`` collects console errors and uncaught exceptions. Used by
    the harness fixtures of tests/browser/test_explorers.py and
    test_explorers_languages.py.
    """
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(harness_url) else r.abort())
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def harness_pages():
    """:func:`harness_page`, for the harness fixtures of the explorer tests."""
    return harness_page
