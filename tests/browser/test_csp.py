"""In a real browser, under the Content Security Policy (no inline script or style): the main pages
open without a single violation, and what their scripts do still works — the live duplicate check,
adding a plan line and a kit's lines, the plan's live totals, the map's measure changed in place,
the event list's filter applied on change — in French and in Arabic. The admin is held to the same
policy."""

import datetime

import pytest
from django.urls import reverse

from distributions.models import Event, Operation
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every violation is also an event of the page: log it where the console listener hears it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.violatedDirective + " " + event.blockedURI
    + " " + (event.sourceFile || "") + ":" + event.lineNumber + " " + (event.sample || ""));
});
"""


class Watch:
    """What the browser reports against the policy, and any script error, page by page."""

    def __init__(self, page):
        self.violations: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        self.page = page

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def clean(self) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.violations == [], "\n".join(self.violations)
        assert self.errors == [], "\n".join(self.errors)


@pytest.fixture
def watch(browser_page):
    return Watch(browser_page)


def test_the_coordinators_pages_work_under_the_policy(browser_page, watch, centre_a, coordinator_a, shot):
    existing = BeneficiaryFactory(centre=centre_a, cin="XT123456")
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    set_language(coordinator_a, "fr")
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    watch.clean()

    for url in (reverse("home"), reverse("beneficiaries:list"), reverse("beneficiaries:detail", args=[existing.pk])):
        page.goto(url)
        watch.clean()

    # The registration's live duplicate check (htmx).
    page.goto(reverse("beneficiaries:register"))
    page.fill("#id_first_name_latin", "Youssef")
    page.fill("#id_last_name_latin", "El Idrissi")
    page.fill("#id_cin", "XT123456")
    page.locator("#id_first_name_latin").focus()
    page.wait_for_selector("#duplicates .alert-warning")
    assert existing.number in page.inner_text("#duplicates")
    watch.clean()

    # The plan editor: a line added in place, totals computed as typed, a kit's lines added.
    page.goto(reverse("projects:edit", args=[project.pk]))
    rows = page.locator("#plan [data-formset-row]")
    before = rows.count()
    page.click("#plan [data-formset-add]")
    assert rows.count() == before + 1
    page.fill(f"input[name=lines-{before}-item_fr]", "Pétrin")
    page.fill(f"input[name=lines-{before}-item_ar]", "عجانة")
    page.fill(f"input[name=lines-{before}-quantity]", "2")
    page.fill(f"input[name=lines-{before}-unit_price]", "1000")
    page.wait_for_function(f"() => document.querySelector('#lines-{before}-amount').textContent === '2\\u202f000,00'")
    page.wait_for_function("() => document.querySelector('#plan-total').textContent.includes('14\\u202f000,00')")
    page.select_option("#id_kit", label="Kit aviculture")
    page.wait_for_selector("[data-kit-warning] .alert-warning")
    added = rows.count()
    assert added > before + 1
    # The button adds the kit again, after the lines before it: one request at a time, no
    # two rows with the same prefix.
    page.click("text=Ajouter ses lignes")
    page.wait_for_function(f"() => document.querySelectorAll('#plan [data-formset-row]').length > {added}")
    names = page.eval_on_selector_all("#plan input[name$='-item_fr']", "inputs => inputs.map(i => i.name)")
    assert len(names) == len(set(names)), names
    shot(page, "plan-editor")
    watch.clean()

    page.goto(reverse("projects:detail", args=[project.pk]))
    watch.clean()

    # The event list's operation filter applies itself on change (no inline onchange).
    operation = Operation.objects.create(name_fr="Opération CSP 2026", year=2026)
    Event.objects.create(
        date=datetime.date(2026, 5, 24),
        province=province("03.061"),
        venue_fr="Préfecture",
        presiding_title_ar="عامل",
        presiding_title_fr="Gouverneur",
        created_by=coordinator_a,
        operation=operation,
    )
    page.goto(reverse("distributions:events"))
    page.select_option("#id_operation", label=str(operation))
    page.wait_for_url(f"**operation={operation.pk}**")
    watch.clean()


def test_the_dashboard_map_and_envelopes_work_under_the_policy(browser_page, watch, officer, centre_a, shot):
    BeneficiaryFactory(centre=centre_a)
    envelope = EnvelopeFactory(name="Enveloppe nationale")
    set_language(officer, "ar")
    page = browser_page
    login_in_browser(page, officer.username)
    page.goto(reverse("dashboard:index"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#map-panel path").count() == 75
    # The map's measure changes in place (htmx): the panel is swapped for the new measure's.
    title = page.text_content("#map-panel svg > title")
    page.select_option("#map-measure", "committed")
    page.wait_for_function(
        "(before) => document.querySelector('#map-panel svg > title').textContent !== before", arg=title
    )
    assert page.locator("#map-panel path").count() == 75
    # The swatches and the map's strokes survive without the SVG's former <style>.
    assert page.locator(".map-legend .map-swatch").first.bounding_box()["width"] > 5
    shot(page, "dashboard-map-ar")
    watch.clean()
    for url in (reverse("envelopes:list"), reverse("envelopes:detail", args=[envelope.pk]), reverse("home")):
        page.goto(url)
        watch.clean()


def test_the_admin_works_under_the_policy(browser_page, watch, admin_user, centre_a):
    case = BeneficiaryFactory(centre=centre_a)
    set_language(admin_user, "fr")
    page = browser_page
    login_in_browser(page, admin_user.username)
    for url in (
        reverse("admin:index"),
        reverse("admin:beneficiaries_beneficiary_changelist"),
        reverse("admin:beneficiaries_beneficiary_change", args=[case.pk]),
        reverse("admin:reintegration_centre_add"),
    ):
        page.goto(url)
        watch.clean()


def test_the_watch_sees_a_violation(browser_page, watch, coordinator_a):
    """The guard above can fail: an inline style set on a served page is reported."""
    page = browser_page
    login_in_browser(page, coordinator_a.username)
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(300)
    assert any("style-src" in violation for violation in watch.violations), watch.violations
