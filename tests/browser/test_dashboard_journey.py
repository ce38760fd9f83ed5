"""HQ reads the dashboard in a real browser: filters an operation, changes the map's measure in
place, then a coordinator reads their centre's in Arabic on a phone."""

import pytest

from tests.browser_helpers import login_in_browser, set_language
from tests.reports.conftest import picture  # noqa: F401 (the hand-computed picture of the dashboard tests)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("picture")
def test_an_officer_filters_and_a_coordinator_reads_on_a_phone(browser_page, officer, coordinator_b, shot):
    set_language(officer, "fr")
    page = browser_page
    login_in_browser(page, officer.username)
    page.goto("/dashboard/")
    assert "Tableau de bord" in page.locator("h1").inner_text()
    first = page.locator(".stat-value").first.inner_text()
    assert first.strip() == "6"  # people registered, nationally
    page.select_option("select[name=operation]", label="Opération test 2025")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_url("**operation=**")
    assert page.locator(".stat-value").first.inner_text().strip() == "2"
    shot(page, "operation-fr")
    # The map's measure changes in place (htmx): the table beside it now shows amounts.
    page.select_option("#map-measure", "committed")
    page.wait_for_function("() => document.querySelector('#map-panel').innerText.includes('DH')")
    assert page.locator("#map-panel path").count() == 75
    shot(page, "map-committed-fr")
    page.context.clear_cookies()

    set_language(coordinator_b, "ar")
    page.set_viewport_size({"width": 390, "height": 844})
    login_in_browser(page, coordinator_b.username)
    page.goto("/dashboard/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".stat-value").first.inner_text().strip() == "2"  # centre B's two people
    # On a phone the filters fold away, and no table is wider than the screen.
    assert not page.locator("#dashboard-filters").is_visible()
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('main table')].map(t => t.scrollWidth))")
    assert widest <= 390
    shot(page, "centre-ar-phone")
