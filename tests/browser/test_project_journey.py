"""A coordinator builds a project with five equipment lines (rows added in place, totals as
typed); the program officer approves and funds it; an envelope too small is not offered, and says why."""

from decimal import Decimal

import pytest

from projects.choices import ProjectStatus
from projects.models import LifeProject
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import BeneficiaryFactory, EnvelopeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINES = [
    ("Four à pain", "1", "14500"),
    ("Pétrin 25 kg", "1", "6800"),
    ("Table inox", "2", "950.50"),
    ("Plaques", "20", "60"),
    ("Balance", "1", "449.99"),
]


def test_build_approve_fund_and_refuse_over_budget(browser_page, centre_a, coordinator_a, officer, shot):
    case = BeneficiaryFactory(centre=centre_a)
    EnvelopeFactory(name="Enveloppe modeste", amount=Decimal("20000.00"))
    EnvelopeFactory(name="Enveloppe nationale", amount=Decimal("500000.00"))
    set_language(coordinator_a, "fr")
    set_language(officer, "fr")
    page = browser_page
    login_in_browser(page, coordinator_a.username)

    page.goto(f"/cases/{case.pk}/")
    page.click("text=Démarrer le projet de vie")
    page.wait_for_url("**/projects/*/edit/")
    page.select_option("#id_trade", label="Boulangerie")
    page.fill("#id_description", "Boulangerie de quartier à Meknès")
    for index, (item, quantity, price) in enumerate(LINES):
        page.click("#plan [data-formset-add]")
        page.fill(f"input[name=lines-{index}-item_fr]", item)
        page.fill(f"input[name=lines-{index}-item_ar]", f"مادة {index}")
        page.fill(f"input[name=lines-{index}-quantity]", quantity)
        page.fill(f"input[name=lines-{index}-unit_price]", price)
    page.fill("#id_cash_aid", "3517.01")
    # The totals follow the typing, computed by the server with the same arithmetic as on saving.
    page.wait_for_function("() => document.querySelector('#plan-total').textContent.includes('28\\u202f368,00')")
    assert page.inner_text("#lines-2-amount") == "1\u202f901,00"
    assert "24\u202f850,99" in page.inner_text("#plan-equipment-total")
    shot(page, "plan-five-lines")
    page.click("button[name=then][value=submit]")  # "Save and submit for approval"
    page.wait_for_url("**/projects/*/")
    page.wait_for_selector(".alert-success")
    project = LifeProject.objects.get(beneficiary=case)
    assert project.lines.count() == 5 and project.total == Decimal("28368.00")
    assert project.status == ProjectStatus.SUBMITTED

    page.context.clear_cookies()
    login_in_browser(page, officer.username)
    page.goto(f"/projects/{project.pk}/")
    page.click("button[value=approved]")
    page.wait_for_selector("#fund-form")
    # The envelope too small for the project is not offered; the page says why, in its words.
    assert page.locator("#fund-form label", has_text="Enveloppe modeste").count() == 0
    page.click("#envelopes-refused summary")
    refused = page.inner_text("#envelopes-refused")
    assert "Dépassement" in refused and "Enveloppe modeste" in refused
    shot(page, "over-budget-not-offered")
    page.locator("#fund-form label", has_text="Enveloppe nationale").click()
    page.click("#fund-form button[type=submit]")
    page.wait_for_url("**/projects/fund/review/?*")
    assert "28\u202f368,00" in page.inner_text("#batch-total")
    shot(page, "funding-confirmation")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED  # nothing committed before the confirmation
    page.click("#confirm-funding")
    page.wait_for_url(f"**/projects/{project.pk}/")
    page.wait_for_selector(".alert-success")
    project.refresh_from_db()
    assert project.status == ProjectStatus.FUNDED
    assert project.commitments.get().envelope.name == "Enveloppe nationale"
    shot(page, "funded")
