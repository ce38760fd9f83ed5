"""HQ's desk: ten submitted projects approved and funded in at most six page loads, in French and
in Arabic; and one project funded with the keyboard alone, from its page to the confirmation."""

from decimal import Decimal

import pytest

from projects.choices import ProjectStatus
from projects.models import Commitment, LifeProject
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_LOADS_FOR_TEN = 6  # the ceiling: twenty page loads before the batches


def page_loads(page) -> list[str]:
    """The URLs the tab loads from now on (each document, redirects counted once)."""
    loads = []
    page.on("load", lambda: loads.append(page.url))
    return loads


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_hq_approves_and_funds_ten_projects_in_six_page_loads(
    browser_page, centre_a, coordinator_a, officer, shot, language
):
    projects = [make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="submitted") for _ in range(10)]
    envelope = EnvelopeFactory(name="Enveloppe nationale", amount=Decimal("500000.00"))
    set_language(officer, language)
    page = browser_page
    login_in_browser(page, officer.username)
    loads = page_loads(page)

    page.goto("/")
    page.click("a[href='/projects/approve/']")
    page.wait_for_url("**/projects/approve/")
    page.check("[data-batch-all]")
    assert page.locator("input[name=projects]:checked").count() == 10
    page.click("#batch-form button[type=submit]")
    page.wait_for_url("**/projects/fund/?*")
    assert page.locator("input[name=projects]:checked").count() == 10
    assert page.locator("select[name=envelope]").input_value() == str(envelope.pk)
    shot(page, f"fund-batch-{language}")
    page.click("button[formaction='/projects/fund/review/']")
    page.wait_for_url("**/projects/fund/review/?*")
    assert page.locator("#batch-total").inner_text().replace("\u202f", " ").startswith("120 000,00")
    shot(page, f"fund-review-{language}")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_url("**/projects/fund/")

    assert len(loads) <= PAGE_LOADS_FOR_TEN, loads
    assert LifeProject.objects.filter(pk__in=[p.pk for p in projects], status=ProjectStatus.FUNDED).count() == 10
    assert Commitment.objects.filter(envelope=envelope).count() == 10
    assert page.locator(".alert-success").count() == 1


def test_an_officer_funds_a_project_with_the_keyboard_alone(browser_page, centre_a, coordinator_a, officer):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
    big = EnvelopeFactory(name="Grande nationale", amount=Decimal("900000.00"))
    tight = EnvelopeFactory(name="Petite nationale", amount=Decimal("50000.00"))
    set_language(officer, "fr")
    page = browser_page
    login_in_browser(page, officer.username)
    page.goto(f"/projects/{project.pk}/")

    # Tab until the first envelope (the tightest fit, checked) has the focus, then choose the
    # other with an arrow key, as one does in a group of radio buttons.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "envelope":
            break
    else:
        pytest.fail("the envelope choice is never reached with Tab")
    assert page.evaluate("document.activeElement.id") == f"envelope-{tight.pk}"  # the tightest fit first
    page.keyboard.press("ArrowDown")
    assert page.evaluate("[document.activeElement.id, document.activeElement.checked]") == [f"envelope-{big.pk}", True]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/fund/review/?*")

    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "confirm-funding":
            break
    else:
        pytest.fail("the confirmation is never reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert Commitment.objects.get(project=project).envelope == big
    assert "Grande nationale" in page.locator(".alert-success").inner_text()
