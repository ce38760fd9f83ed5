"""A coordinator imports a sheet in Arabic: uploads it, watches its check reach the end, downloads
the file with its problems marked, corrects it and imports it. The worker runs in a thread beside
the live server, as in test_jobs."""

import pytest
from django.db import connection

from beneficiaries.models import Beneficiary
from tests.browser.test_jobs import start_worker  # noqa: F401 — the worker beside the live server
from tests.browser_helpers import login_in_browser, set_language
from tests.imports.conftest import person, xlsx_bytes
from tests.jobs.conftest import private_media  # noqa: F401 — uploads in a temporary folder

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        # the worker, its heartbeat and the page's polling write at the same moment: SQLite's
        # in-memory test database, shared by threads on one connection, answers "table is locked"
        pytest.skip("needs PostgreSQL (CI runs it): the worker and the page write concurrently")


RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  const keep = () => { const bar = document.querySelector('#import-report progress');
    if (bar) window.progressSeen.push([bar.getAttribute('value'), bar.getAttribute('max')]); };
  keep();
  new MutationObserver(keep).observe(document.body, {subtree: true, childList: true});
}"""


def people(count: int, **overrides) -> list[dict]:
    return [
        person(cin=f"XT9{n:05d}", birth_date=f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/{1970 + n // 336}", **overrides)
        for n in range(count)
    ]


def upload(page, tmp_path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.goto("/imports/new/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/imports/*/")


def test_a_sheet_imported_in_arabic(browser_page, coordinator_a, start_worker, shot, tmp_path, private_media):  # noqa: F811
    set_language(coordinator_a, "ar")
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    rows = people(1200)
    rows[700]["birth_date"] = "31/02/1990"  # one mistake, in the second chunk
    upload(page, tmp_path, "cases.xlsx", xlsx_bytes(rows))
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.evaluate(RECORD_PROGRESS)
    worker = start_worker()
    page.wait_for_selector("#import-report[data-status=checked]", timeout=90_000)
    seen = page.evaluate("window.progressSeen")
    assert seen and seen[-1][0] == seen[-1][1], seen  # the bar reached its end
    problems = page.locator("#problems tbody tr")
    assert problems.count() == 1 and "31/02/1990" in problems.first.inner_text()
    assert "702" in problems.first.inner_text()  # row 702 of the sheet (the header is row 1)
    assert page.locator("#confirm-form").count() == 0  # nothing importable while a row is wrong
    shot(page, "checked-ar")
    download = page.request.get(page.locator("#marked-copy").get_attribute("href"))
    assert download.ok and download.body().startswith(b"PK")  # the marked workbook

    rows[700]["birth_date"] = "28/02/1990"
    upload(page, tmp_path, "cases-corrected.xlsx", xlsx_bytes(rows))
    page.wait_for_selector("#import-report[data-status=checked]", timeout=90_000)
    assert "1200" in page.locator("#import-counts").inner_text()
    page.click("#import-button")
    page.wait_for_selector("#import-report[data-status=imported]", timeout=90_000)
    assert page.locator("#import-done").is_visible()
    shot(page, "imported-ar")
    worker.stop()
    assert Beneficiary.objects.filter(centre=coordinator_a.centre).count() == 1200
