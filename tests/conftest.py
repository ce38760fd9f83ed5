"""The cast every view is tested against, and the shared fixtures.

Cast: an administrator, an HQ program officer, an HQ analyst, two
coordinators of two different centres (Meknès, Fès) and an anonymous visitor.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from reintegration.choices import Role
from tests.factories import CentreFactory, CoordinatorFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run under one unless told this is a synchronous test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password properly takes a quarter of a second; the cast is made for every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run inside transactions that never commit, so the dashboards' cache would never
    # see a change; the cache has tests of its own (tests/reports/test_cache.py).
    settings.DASHBOARD_CACHE_SECONDS = 0
    # Tests sign in with ``force_login`` (a password, no code); the second factor's own tests
    # (tests/core/test_second_factor.py) turn it on.
    settings.REQUIRE_SECOND_FACTOR = False


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the budgets of CIN lookups, counted per user in the
    cache (``reintegration.throttle``), must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def centre_a(db):
    return CentreFactory(code="test-meknes", name_fr="Centre de Meknès", name_ar="مركز مكناس", provinces=["03.061"])


@pytest.fixture
def centre_b(db):
    return CentreFactory(
        code="test-fes", name_fr="Centre de Fès", name_ar="مركز فاس", city_fr="Fès", provinces=["03.231"]
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="alice.admin", role=Role.ADMINISTRATOR)


@pytest.fixture
def officer(db):
    return UserFactory(username="omar.officer", role=Role.OFFICER)


@pytest.fixture
def analyst(db):
    return UserFactory(username="amina.analyst", role=Role.ANALYST)


@pytest.fixture
def coordinator_a(centre_a):
    return CoordinatorFactory(username="coord.a", centre=centre_a)


@pytest.fixture
def coordinator_b(centre_b):
    return CoordinatorFactory(username="coord.b", centre=centre_b)


@pytest.fixture
def cast(admin_user, officer, analyst, coordinator_a, coordinator_b):
    """Every role, by name; ``anonymous`` is None."""
    return {
        "admin": admin_user,
        "officer": officer,
        "analyst": analyst,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "anonymous": None,
    }


@pytest.fixture
def client_for():
    """``client_for(user)``: a client signed in as ``user`` (anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


# --- Browser tests ----------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_report_header(config):
    from django.db import connection

    return [
        f"database: {connection.vendor} ({connection.settings_dict['NAME']})",
        f"browser: {CHROMIUM if Path(CHROMIUM).exists() else 'none (browser tests will skip)'}",
    ]


@pytest.fixture
def browser():
    """Chromium, started for one test.

    Not session-wide on purpose: while Playwright's event loop runs, Django sees the
    thread as async and hands out connections kept per context instead of per thread.
    Keeping Playwright to the test body leaves the database set-up and flush (and the
    serialized reference data they restore) on the usual per-thread connection.
    """
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' package or set CHROMIUM_PATH)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()  # those opened while the loop ran belong to its context


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh browser context on the live server; ``shot(name)`` keeps a screenshot."""
    # A Moroccan French browser: date pickers show dd/mm/yyyy, as users see them.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-MA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """``shot(page, "name")`` saves ``test-artifacts/<test>-<name>.png`` and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
