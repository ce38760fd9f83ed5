"""At 390 px, in Arabic and in French: on every page whose table carries money or a decision,
the total, a row's amount and the primary action are on screen horizontally, visible, and not
cut off by an ancestor that scrolls or hides its overflow (issue 12: tables become cards)."""

import datetime
from decimal import Decimal

import pytest

from distributions.models import Event
from distributions.services import handover_plan, handover_record
from projects.services import commitment_create
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
LINES = (
    ("Four à pain professionnel à gaz, deux chambres", "1", "14500.00"),
    ("Pétrin spirale", "1", "6800.00"),
    ("Table inox", "2", "950.50"),
)

# Where the element is, relative to the viewport and to every ancestor that clips its overflow.
PLACEMENT = """(element) => {
  const box = element.getBoundingClientRect();
  const problems = [];
  if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) problems.push("not visible");
  if (box.width === 0 || box.height === 0) problems.push("empty box");
  if (box.left < -0.5 || box.right > window.innerWidth + 0.5) {
    problems.push(`outside the viewport: ${box.left}..${box.right} of ${window.innerWidth}`);
  }
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const overflow = getComputedStyle(parent).overflowX;
    if (overflow === "visible") continue;
    const clip = parent.getBoundingClientRect();
    if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
      problems.push(`clipped by <${parent.tagName.toLowerCase()} class="${parent.className}"> (${overflow})`);
    }
  }
  return problems;
}"""


def assert_on_screen(page, selector: str, what: str) -> None:
    element = page.locator(selector).first
    assert element.count(), f"{page.url}: no {what} ({selector})"
    problems = element.evaluate(PLACEMENT)
    assert not problems, f"{page.url}: {what} ({selector}): {'; '.join(problems)}"


def assert_page_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


@pytest.fixture
def ceremony(centre_a, coordinator_a, officer, admin_user):
    """An envelope funding two projects of centre A, on one event: one handed over, one planned;
    and a draft whose plan is being edited."""
    envelope = EnvelopeFactory(amount=Decimal("900000.00"))
    event = Event.objects.create(
        province=province("03.061"),
        date=datetime.date(2026, 5, 24),
        venue_fr="Siège de la préfecture",
        venue_ar="مقر العمالة",
        created_by=coordinator_a,
    )
    handovers = []
    for first, last in (("Yasmina", "El Idrissi"), ("Abdelkarim", "Ghazaoui")):
        case = BeneficiaryFactory(centre=centre_a, first_name_latin=first, last_name_latin=last)
        project = make_project(case, coordinator_a, lines=LINES, cash="3000.00", status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)
        handovers.append(handover_plan(project=project, event=event, by=coordinator_a))
    delivered = handover_record(
        handover=handovers[0],
        items=[{"id": item.pk, "quantity": item.quantity} for item in handovers[0].items.all()],
        cash_aid=Decimal("3000.00"),
        delivered_on=datetime.date(2026, 5, 24),
        by=coordinator_a,
    )
    draft = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, lines=LINES)
    # HQ's batches: one project waiting for approval, one approved waiting for its funding.
    make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, lines=LINES, status="submitted")
    waiting = make_project(
        BeneficiaryFactory(centre=centre_a), coordinator_a, lines=LINES, status="approved", officer=officer
    )
    return {
        "waiting": waiting,
        "envelope": envelope,
        "event": event,
        "delivered": delivered,
        "planned": handovers[1],
        "project": delivered.project,
        "draft": draft,
    }


FIRST_ROW = ".table-cards > tbody > tr:first-of-type"
# A list: its total row, the first row's amount and the link that opens it.
LIST_CHECKS = [("[data-total]", "total"), (f"{FIRST_ROW} td.text-end", "amount"), (f"{FIRST_ROW} a", "action")]


def _coordinator_pages(ceremony) -> list[tuple[str, list[tuple[str, str]]]]:
    """(path, [(selector, what)]) for the centre's pages."""
    return [
        ("/projects/", LIST_CHECKS),
        (
            f"/projects/{ceremony['project'].pk}/",
            [("[data-total]", "total"), (f"{FIRST_ROW} td:last-child", "line amount")],
        ),
        (
            f"/projects/{ceremony['draft'].pk}/edit/",
            [
                ("#plan-total", "total"),
                ("#lines-0-amount", "line amount"),
                ("input[name=lines-0-item_fr]", "item name"),
                ("input[name=lines-0-unit_price]", "unit price"),
                ("#project-form button[type=submit]", "action"),
            ],
        ),
        (
            f"/distributions/handovers/{ceremony['planned'].pk}/",
            [
                ("[data-total]", "total"),
                (f"{FIRST_ROW} td:last-child", "line amount"),
                ("#handover-form button[type=submit]", "action"),
            ],
        ),
        (
            f"/distributions/handovers/{ceremony['delivered'].pk}/",
            [
                ("[data-total]", "total"),
                (f"{FIRST_ROW} td:last-child", "line amount"),
                ("form[action$='receipt.pdf'] button", "action"),
            ],
        ),
        ("/distributions/", LIST_CHECKS),
        (f"/distributions/events/{ceremony['event'].pk}/", LIST_CHECKS),
    ]


def _officer_pages(ceremony) -> list[tuple[str, list[tuple[str, str]]]]:
    batch = [(f"{FIRST_ROW} td.text-end", "amount"), ("#batch-form .btn-success", "action")]
    review = f"/projects/fund/review/?projects={ceremony['waiting'].pk}&envelope={ceremony['envelope'].pk}"
    return [
        ("/envelopes/", LIST_CHECKS),
        (f"/envelopes/{ceremony['envelope'].pk}/", LIST_CHECKS),
        ("/projects/approve/", batch),
        ("/projects/fund/", batch),
        (review, [("#batch-total", "total"), ("#batch-left", "left in the envelope"), ("#confirm-funding", "action")]),
    ]


def _admin_pages() -> list[tuple[str, list[tuple[str, str]]]]:
    return [("/users/", [(f"{FIRST_ROW} a", "action"), ("a[href$='/users/new/']", "new account")])]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_totals_amounts_and_actions_stay_on_a_phone_screen(
    browser, live_server, ceremony, coordinator_a, officer, admin_user, language, shot
):
    journeys = [
        (coordinator_a, _coordinator_pages(ceremony)),
        (officer, _officer_pages(ceremony)),
        (admin_user, _admin_pages()),
    ]
    for user, pages in journeys:
        set_language(user, language)
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="fr-MA")
        context.set_default_timeout(15_000)
        page = context.new_page()
        login_in_browser(page, user.username)
        for path, checks in pages:
            page.goto(path)
            assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
            assert_page_fits(page)
            for selector, what in checks:
                assert_on_screen(page, selector, what)
        shot(page, f"{user.username}-{language}")
        context.close()
