"""Browser fixtures: Debian's Chromium driven by Playwright (no downloaded
browsers), and a folder for screenshots.

Without Playwright or Chromium the browser tests skip with the reason, except
in CI (CI=true), where a missing browser is a broken pipeline and fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

_written: list[Path] = []


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (they fail instead when CI=true)")


@pytest.fixture
def browser(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Chromium per test. Needs transactional_db: the live server answers
    from its own thread, so test data must be committed to be seen.

    Per test rather than per session because Playwright's sync API keeps an
    asyncio loop registered on this thread while it runs, and Django then
    refuses ORM calls here (SynchronousOnlyOperation). The test's ORM use is
    still plain synchronous code, so the check is lifted for the browser's
    lifetime only, and the database is set up before and flushed after it.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    manager = sync_playwright().start()
    try:
        try:
            instance = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as exc:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield instance
        instance.close()
    finally:
        # While the loop is registered, Django's connection handler (an
        # asgiref Local) gives this thread a separate connection; close it
        # here, or it outlives the test and blocks dropping the test database.
        connections.close_all()
        manager.stop()


@pytest.fixture(scope="session")
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    folder = request.config.rootpath / "test-artifacts" / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def shoot(screenshot_dir: Path):
    """shoot(page, "desktop-01-login") writes a full-page PNG."""

    def take(page: Any, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _written.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _written:
        folder = _written[0].parent
        terminalreporter.write_sep("-", "dashboard screenshots")
        terminalreporter.write_line(f"{len(_written)} screenshots in {folder}")
