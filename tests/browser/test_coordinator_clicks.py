"""A coordinator's core job, counted in clicks: from signing in to a new person's life project
submitted for approval. Before the batch of changes of issue 12 it took 12 (sign in, "Register
a person", three choices, Register, "Start the life project", trade, kit, "Add its lines", Save,
"Submit for approval"); choosing a kit now adds its lines, and the plan is saved and submitted
with one button."""

import pytest

from beneficiaries.models import Beneficiary
from projects.choices import ProjectStatus
from reintegration.models import Province
from tests.browser_helpers import PASSWORD, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLICKS_BEFORE = 12


class Counted:
    """The page, with every click and every choice in a list counted (typing is not a click)."""

    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.page.click(selector)

    def choose(self, selector: str, **option) -> None:
        self.clicks += 1
        self.page.select_option(selector, **option)


def test_from_sign_in_to_a_submitted_life_project_in_fewer_clicks(browser_page, coordinator_a, shot):
    set_language(coordinator_a, "ar")
    page = browser_page
    counted = Counted(page)

    page.goto("/accounts/login/")
    page.fill("input[name=username]", coordinator_a.username)
    page.fill("input[name=password]", PASSWORD)
    counted.click("main form [type=submit]")
    counted.click("a[href='/cases/new/']")
    page.wait_for_url("**/cases/new/")
    for field, value in {
        "first_name_ar": "يوسف",
        "last_name_ar": "الإدريسي",
        "first_name_latin": "Youssef",
        "last_name_latin": "El Idrissi",
        "cin": "XT123456",
        "birth_date": "1991-02-03",
        "establishment": "Prison locale Toulal 2",
        "release_date": "2025-06-01",
        "notice_given_on": "2025-06-10",
        "consent_signed_on": "2025-06-10",
    }.items():
        page.fill(f"#id_{field}", value)
    counted.choose("#id_sex", value="M")
    counted.choose("#id_province", value=str(Province.objects.get(code="03.061").pk))
    counted.choose("#id_release_type", value="royal_pardon")
    counted.click("#case-form button[type=submit].btn-primary")
    page.wait_for_url("**/cases/*/")

    counted.click("form[action*='/projects/start/'] button[type=submit]")
    page.wait_for_url("**/projects/*/edit/")
    counted.choose("#id_trade", label="المخبزة")
    page.fill("#id_description", "مخبزة الحي")
    counted.choose("#id_kit", label="عدة المخبزة")
    page.wait_for_selector("input[name='lines-0-item_fr']")
    assert page.locator("#plan [data-formset-empty]").is_hidden()  # "no line yet" goes with the kit's lines
    shot(page, "plan-from-the-kit")
    counted.click("button[name=then][value=submit]")
    page.wait_for_url("**/projects/*/")

    project = Beneficiary.objects.get().life_projects.get()
    assert project.status == ProjectStatus.SUBMITTED and project.lines.exists()
    assert counted.clicks < CLICKS_BEFORE, counted.clicks
    assert counted.clicks == 10
