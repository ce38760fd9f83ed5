"""In a real browser: the plan editor takes amounts typed the French way, says next to the field
what cannot be read (the live preview), and warns when another trade's kit is added."""

from decimal import Decimal

import pytest

from projects.models import LifeProject
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import BeneficiaryFactory, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_amounts_messages_and_kit_warning_in_the_editor(browser_page, centre_a, coordinator_a, shot):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    set_language(coordinator_a, "fr")
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    page.goto(f"/projects/{project.pk}/edit/")
    assert page.input_value("input[name=lines-0-unit_price]") == "10\u202f000,00"

    page.click("#plan [data-formset-add]")
    page.fill("input[name=lines-1-item_fr]", "Pétrin")
    page.fill("input[name=lines-1-item_ar]", "عجانة")
    page.fill("input[name=lines-1-quantity]", "2,5")
    page.fill("input[name=lines-1-unit_price]", "1 234,56")
    page.wait_for_function("() => document.querySelector('#lines-1-amount').textContent === '3\\u202f086,40'")

    page.fill("input[name=lines-1-unit_price]", "1e26")
    message = page.wait_for_selector("#id_lines-1-unit_price_errors:has-text('1\u202f234,50')")
    assert "dirhams" in message.inner_text()
    page.fill("input[name=lines-1-unit_price]", "1\u00a0234,56")
    page.wait_for_function("() => document.querySelector('#id_lines-1-unit_price_errors').textContent === ''")

    page.select_option("#id_kit", label="Kit aviculture")  # choosing the kit adds its lines
    warning = page.wait_for_selector("[data-kit-warning] .alert-warning")
    assert "Kit aviculture" in warning.inner_text() and "Boulangerie" in warning.inner_text()
    assert page.input_value("input[name=lines-2-item_fr]") == "Poussins chair"  # added all the same
    shot(page, "kit-warning")

    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"**/projects/{project.pk}/")
    saved = LifeProject.objects.get(pk=project.pk)
    assert saved.lines.get(item_fr="Pétrin").unit_price == Decimal("1234.56")
    assert saved.lines.count() == 6
