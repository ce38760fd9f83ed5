"""Registering a person with the keyboard alone: Tab reaches every field of the form in the order
it is read, then the Register button, and Enter sends it. The field in focus is never hidden
behind the sticky Register/Cancel bar at the bottom of the screen (static/css/app.css,
``scroll-padding-bottom``)."""

import pytest

from beneficiaries.models import Beneficiary
from tests.browser_helpers import login_in_browser, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What is typed into each field on the way; a select takes its first choice (ArrowDown), a date
# its digits in the order the browser shows them (dd/mm/yyyy for a Moroccan French browser).
TYPED = {
    "first_name_ar": "يوسف",
    "last_name_ar": "الإدريسي",
    "first_name_latin": "Youssef",
    "last_name_latin": "El Idrissi",
    "cin": "XT918273",
    "birth_date": "03021991",
    "phone": "0612345678",
    "address": "Derb Lalla Aouda",
    "establishment": "Prison locale Toulal 2",
    "release_date": "01062025",
    "dependants": "2",
    "skills": "Pâtisserie",
    "work_experience": "Boulangerie",
    "notice_given_on": "10062025",
    "consent_signed_on": "10062025",
}

# The controls of the form, in the order of the page, that Tab must reach one after the other.
CONTROLS = """() => [...document.querySelectorAll(
  "#case-form input:not([type=hidden]), #case-form select, #case-form textarea, #case-form button, #case-form a[href]"
)].filter((element) => element.offsetParent !== null && !element.closest("[hidden], template"))
  .map((element) => element.id || element.name || element.textContent.trim())"""

FOCUSED = """() => {
  const element = document.activeElement;
  const bar = document.querySelector("#case-form .sticky-bottom").getBoundingClientRect();
  const box = element.getBoundingClientRect();
  return {
    key: element.id || element.name || element.textContent.trim(),
    inBar: Boolean(element.closest(".sticky-bottom")),
    hidden: box.bottom > bar.top + 1 || box.top < 0,
    where: [Math.round(box.top), Math.round(box.bottom), Math.round(bar.top)],
  };
}"""


def tab_to_next(page, current: str) -> dict:
    """Tab until the focus leaves ``current`` (a date box takes a Tab per part: day, month, year)."""
    for _ in range(4):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["key"] != current:
            return focused
    raise AssertionError(f"the focus stays on {current}")


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 700}], ids=["phone", "desk"]
)
def test_it_registers_a_person_with_the_keyboard_alone(browser_page, shot, cast, centre_a, language, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    set_language(cast["coordinator_a"], language)
    login_in_browser(page, cast["coordinator_a"].username)
    page.goto("/cases/new/")
    order = page.evaluate(CONTROLS)
    assert order[0] == "id_first_name_ar", order

    # From the top of the page (skip link, menu) to the form's first field.
    focused = {"key": ""}
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["key"] == order[0]:
            break
    reached = []
    while True:
        key = focused["key"]
        reached.append(key)
        assert not focused["hidden"] or focused["inBar"], f"{key} is under the sticky bar: {focused['where']}"
        name = key.removeprefix("id_")
        tag = page.evaluate("() => document.activeElement.tagName")
        if name in TYPED:
            page.keyboard.type(TYPED[name])
        elif tag == "SELECT" and name not in ("centre",):
            page.keyboard.press("ArrowDown")
        if len(reached) == len(order) or reached[-1] == order[-1]:
            break
        if page.evaluate("() => document.activeElement.matches('button[type=submit]')"):
            break
        focused = tab_to_next(page, key)

    missed = [key for key in order if key not in reached]
    assert reached == order[: len(reached)], f"Tab order {reached} differs from the page's {order}"
    assert page.evaluate("() => document.activeElement.matches('button[type=submit]')"), (
        f"the focus never reached Register (stopped at {reached[-1]}, not reached: {missed})"
    )
    shot(page, f"{language}-{viewport['width']}-on-register")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = Beneficiary.objects.get(cin="XT918273")
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert (case.first_name_latin, case.phone_display.replace(" ", "")[-9:]) == ("Youssef", "612345678")
