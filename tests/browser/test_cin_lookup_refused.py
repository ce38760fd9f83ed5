"""Over the budget of CIN lookups, the registration page shows why the CIN was not checked
(the duplicate check answers 429; htmx swaps that answer in like any other, see static/js/app.js)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.browser_helpers import login_in_browser, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFUSAL = (
    "You have looked up many ID numbers (CIN) in a short time: to protect the people "
    "registered, looking up another one is paused for a while. Searching by name still works."
)


def test_the_refusal_shows_where_the_duplicate_warning_goes(settings, browser_page, coordinator_a, shot):
    settings.CIN_LOOKUP_LIMIT = 1
    set_language(coordinator_a, "fr")
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    page.goto("/cases/new/")
    page.fill("#id_last_name_latin", "El Idrissi")
    with page.expect_response(lambda r: "/cases/new/duplicates/" in r.url and r.status == 200):
        page.fill("#id_cin", "XT000101")
        page.locator("#id_first_name_latin").focus()
    with page.expect_response(lambda r: "/cases/new/duplicates/" in r.url and r.status == 429):
        page.fill("#id_cin", "XT000102")
        page.locator("#id_first_name_latin").focus()
    page.wait_for_selector("#duplicates .alert")
    with translation.override("fr"):
        assert gettext(REFUSAL) in page.inner_text("#duplicates")
    shot(page, "cin-lookups-paused")
