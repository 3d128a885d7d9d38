"""The browser suite: the real portal served on a loopback port, driven by Debian's Chromium.

Every journey runs in a fresh browser page that fails the test on any console error,
uncaught script error or content-security-policy violation, and saves a screenshot of
each step under `test-artifacts/browser/<test>/` (the path is printed at the end).
Skipped, with the reason, when Chromium or Playwright is missing: `.ci/run` installs
both (`apt-get install chromium fonts-noto-cjk`, Playwright from the dev extra).
"""
from __future__ import annotations

import gc
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app
from portal.accounts import users as accounts
from portal.extensions import db
from portal.jobs.runner import JobRunner
from portal.jobs.schedule import scheduled_jobs

from ..factories import sync_articles

CHROMIUM = os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PASSWORD = "correct horse battery"
STAFF = {role: f"{role}@example.com" for role in ("admin", "editor", "agent")}

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the suite explains itself below
    sync_playwright = None


def pytest_collection_modifyitems(config, items):
    """Skip every browser test, saying why, when the browser cannot be started."""
    reason = None
    if sync_playwright is None:
        reason = "browser tests need the playwright package (pip install -e '.[dev]')"
    elif not os.access(CHROMIUM, os.X_OK):
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if reason:
        for item in items:
            if Path(item.path).is_relative_to(Path(__file__).parent):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if ARTIFACTS.exists() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


@pytest.fixture(scope="session")
def portal_app(tmp_path_factory):
    """The portal on a copy of the demo help centre, a fresh SQLite file and staff accounts."""
    base = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT / "articles", base / "articles")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "browser-tests", "BASE_URL": "",
        "ARTICLES_DIR": str(base / "articles"), "INDEX_DIR": str(base / "search_index"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'portal.sqlite3'}",
        "RESCAN_SECONDS": 0, "RATELIMIT_ENABLED": False, "SUGGESTIONS_INTERVAL": 0,
        "INDEX_FOLLOW_SECONDS": 0.1,
    })
    with app.app_context():
        upgrade()
        for role, email in STAFF.items():
            accounts.create_user(email, PASSWORD, role)
    sync_articles(app)
    # As `portal run` does: the scheduled jobs (index follower, folder watcher) in a thread.
    stop_jobs = JobRunner(app, scheduled_jobs(app), tick=0.1).start_thread()
    yield app
    stop_jobs.set()
    app.extensions["portal.signals"].flush()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def without_revalidation(app):
    """The app with the browser's cache revalidation headers dropped: every static file is
    sent whole, so no file is left open by an answer the browser abandons mid-way."""

    def wsgi(environ, start_response):
        environ.pop("HTTP_IF_NONE_MATCH", None)
        environ.pop("HTTP_IF_MODIFIED_SINCE", None)
        return app(environ, start_response)

    return wsgi


@pytest.fixture(scope="session")
def base_url(portal_app):
    """A real threaded HTTP server on a free loopback port."""
    server = make_server("127.0.0.1", 0, without_revalidation(portal_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-portal", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Journey:
    """One person's browser tab: console watching, screenshots per step, small helpers."""

    def __init__(self, page, base_url: str, folder: Path):
        self.page, self.base_url, self.folder = page, base_url, folder
        self.problems: list[str] = []
        self.steps = 0
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("dialog", lambda dialog: dialog.accept())  # confirmations are answered "yes"
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });")

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def shot(self, name: str) -> None:
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name}.png"), full_page=True)

    def sign_in(self, role: str) -> None:
        self.go("/login")
        self.page.fill("input[name=email]", STAFF[role])
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()


@pytest.fixture
def journey(browser, base_url, request):
    """A fresh browser context (no cookies) that fails the test on console errors."""
    yield from _journey(browser, base_url, request)


@pytest.fixture
def journey_without_javascript(browser, base_url, request):
    """The same with JavaScript turned off: what a reader without scripts gets."""
    yield from _journey(browser, base_url, request, java_script_enabled=False)


def _journey(browser, base_url, request, **options):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = ARTIFACTS / re.sub(r"[^\w-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    tab = Journey(page, base_url, folder)
    yield tab
    context.close()
    gc.collect()  # what the server threads dropped is closed inside this test, not a later one
    assert tab.problems == [], "\n".join(tab.problems)
