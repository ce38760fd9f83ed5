"""A coordinator signs in in Arabic: the page is right to left, with Bootstrap's RTL stylesheet."""

import pytest

from tests.browser_helpers import login_in_browser, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_signs_in_in_arabic(browser_page, coordinator_a, shot):
    set_language(coordinator_a, "ar")
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    stylesheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert any(href.endswith("bootstrap.rtl.min.css") for href in stylesheets)
    # The brand sits on the right in RTL: its box starts past the middle of the page.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > 1280 / 2
    assert "مركز مكناس" in page.inner_text("main")
    shot(page, "home-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "home-ar-phone")


def test_the_language_switcher_turns_the_login_page_arabic_and_back(browser_page, shot):
    page = browser_page
    page.goto("/accounts/login/")  # the browser asks for French (fr-MA)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Se connecter"
    shot(page, "login-fr")
    page.click("button[name=language][value=ar]")
    page.wait_for_selector("html[lang=ar]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "تسجيل الدخول"
    shot(page, "login-ar")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "login-ar-phone")
    page.click("button[name=language][value=fr]")
    page.wait_for_selector("html[lang=fr]")
    assert page.locator("html").get_attribute("dir") == "ltr"
