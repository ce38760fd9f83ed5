"""A coordinator registers a person in Arabic, meets the duplicate warning on a second
registration with the same CIN, then records an accompaniment action."""

import pytest

from beneficiaries.models import AccompanimentAction, Beneficiary
from reintegration.models import Province
from tests.browser_helpers import login_in_browser, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_identity(page, *, cin: str) -> None:
    page.fill("#id_first_name_ar", "يوسف")
    page.fill("#id_last_name_ar", "الإدريسي")
    page.fill("#id_first_name_latin", "Youssef")
    page.fill("#id_last_name_latin", "El Idrissi")
    page.fill("#id_cin", cin)
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", "1991-02-03")


def fill_rest(page) -> None:
    page.select_option("#id_province", str(Province.objects.get(code="03.061").pk))
    page.fill("#id_establishment", "Prison locale Toulal 2")
    page.fill("#id_release_date", "2025-06-01")
    page.select_option("#id_release_type", "royal_pardon")
    # The days written on the signed forms: never prefilled (law 09-08).
    page.fill("#id_notice_given_on", "2025-06-10")
    page.fill("#id_consent_signed_on", "2025-06-10")


def test_register_duplicate_and_log_an_action_in_arabic(browser_page, coordinator_a, shot):
    set_language(coordinator_a, "ar")
    page = browser_page
    login_in_browser(page, coordinator_a.username)

    page.goto("/cases/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    fill_identity(page, cin="xt-123 456")
    fill_rest(page)
    page.click("#trainings [data-formset-add]")
    page.fill("input[name=trainings-0-title]", "حلويات")
    shot(page, "register-filled")
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/cases/*/")
    case = Beneficiary.objects.get()
    assert case.cin == "XT123456" and case.trainings.get().title == "حلويات"
    assert "يوسف الإدريسي" in page.inner_text("h1")

    # A second registration with the same CIN: the warning shows while typing, before saving.
    page.goto("/cases/new/")
    fill_identity(page, cin="XT123456")
    page.locator("#id_first_name_ar").focus()
    page.wait_for_selector("#duplicates .alert-warning")
    warning = page.inner_text("#duplicates")
    assert case.number in warning
    shot(page, "duplicate-warning")
    # Submitting anyway is refused next to the CIN field; nothing is saved.
    fill_rest(page)
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("#id_cin.is-invalid")
    assert "مسجل" in page.inner_text("#identity")
    assert Beneficiary.objects.count() == 1

    # An accompaniment action on the first file.
    page.goto(f"/cases/{case.pk}/actions/new/")
    page.select_option("#id_kind", "administrative")
    page.fill("#id_description", "مرافقة لتجديد البطاقة الوطنية")
    page.fill("#id_outcome", "تم إيداع الملف")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "مرافقة لتجديد البطاقة الوطنية" in page.inner_text(".timeline")
    assert AccompanimentAction.objects.get().recorded_by == coordinator_a
    shot(page, "case-page")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "case-page-phone")
