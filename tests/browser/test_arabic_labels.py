"""Every role walks its pages in Arabic: no label may be shown in the English of the catalogue.

"100 % translated" is not "every string marked": a label nobody wrapped in gettext reaches the
page in English, and no catalogue check can see it. This walk reads what users see on each page
— the text, and the placeholders, titles, aria-labels, alt texts, submit values, confirmation
prompts and options — and fails on any that equals an English msgid of our catalogue (or of
Django's and the installed apps') whose Arabic differs: a string that should have been translated
and was not; and on any text without Arabic made only of the catalogue's English words (a label
nobody marked is in no catalogue at all). The pages are the main ones of each role, listed below,
then every other view their links lead to (once for the whole walk), and a few states only an
action brings (a form's errors, the duplicate warning, the plan's totals, a confirmation), all
from a world seeded so that no page is empty.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils import timezone

from beneficiaries.services import duplicates_scan, transfer_request
from distributions.models import Event
from distributions.receipts import verification_token
from distributions.services import handover_plan, handover_record, receipt_print
from imports.models import ImportBatch
from jobs.models import Job
from projects.services import commitment_create, planned_action_add
from tests.browser_helpers import login_in_browser, set_language
from tests.factories import ActionFactory, BeneficiaryFactory, EnvelopeFactory, make_project, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The same in Arabic on purpose. Anything shown in another language on purpose (the language
# switcher's "Français", "English") carries a lang attribute and is skipped by the walk itself.
ALLOWED: set[str] = set()

# Views the walk does not open: files and exports (no page to read), and those that end the
# session or change its language.
SKIPPED_VIEWS = {
    "logout",
    "set_language",
    "beneficiaries:export",
    "beneficiaries:document_download",
    "dashboard:export",
    "dashboard:report",
    "projects:export",
    "envelopes:export",
    "envelopes:projects_export",
    "distributions:events_export",
    "distributions:event_handovers_export",
    "distributions:event_receipts",
    "distributions:event_summary",
    "jobs:download",
    "imports:template",  # a workbook or a CSV to download
    "imports:status",  # the card an import's page polls: the same partial as on the page, read there
    "jobs:progress",  # the card a job's page polls: the same partial as on the page, read there
    "distributions:event_photo",
    "distributions:receipt",
    "distributions:handover_signed",
    "envelopes:agreement",
    "projects:visit_photo",
}
# Views that only take a POST: what they answer is another page's message, read there.
POST_ONLY = {
    "imports:start",
    "beneficiaries:set_status",
    "beneficiaries:document_delete",
    "beneficiaries:duplicate_scan",
    "beneficiaries:transfer_accept",
    "beneficiaries:transfer_refuse",
    "beneficiaries:transfer_cancel",
    "distributions:event_status",
    "distributions:event_attach",
    "distributions:event_photo_upload",
    "distributions:handover_delete",
    "distributions:handover_signed_upload",
    "projects:start",
    "projects:move",
    "projects:commitment_cancel",
    "projects:planned_add",
    "jobs:cancel",
}
# Pages not walked yet, and why. Every other view must be reached (see the end of the test).
NOT_WALKED_YET: dict[str, str] = {}
MAX_PAGES_PER_ROLE = 45

# What users read on a page, besides its text: every attribute a browser shows or speaks.
COLLECT = """() => {
  const pageLanguage = document.documentElement.lang;
  const found = [];
  const clean = (text) => (text || "").replace(/\\s+/g, " ").trim();
  const foreign = (element) => {
    const marked = element.closest("[lang]");
    return marked && marked.lang && marked.lang !== pageLanguage;
  };
  const where = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "");
  const add = (element, kind, text) => {
    text = clean(text);
    if (text && !foreign(element)) found.push([text, kind + " " + where(element)]);
  };
  const read = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && !parent.closest("script, style, noscript")) add(parent, "text in", node.nodeValue);
    }
    for (const element of root.querySelectorAll("*")) {
      for (const name of ["placeholder", "title", "aria-label", "aria-description", "alt", "data-confirm", "label"]) {
        if (element.hasAttribute(name)) add(element, name + " of", element.getAttribute(name));
      }
      if (element.matches("input[type=submit], input[type=button], input[type=reset]")) {
        add(element, "value of", element.value);
      }
      if (element.tagName === "TEMPLATE") read(element.content);
    }
  };
  read(document.body);
  add(document.documentElement, "title of", document.title);
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.href).filter((h) => /^https?:/.test(h));
  return {lang: pageLanguage, texts: found, links: links};
}"""

PLACEHOLDER = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +-]*\d*(?:\.\d+)?[sdif]|\{[^{}]*\}")


WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
ARABIC = re.compile(r"[\u0600-\u06ff]")


def words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


@dataclass
class English:
    """What English looks like on a page, from the catalogues.

    ``exact`` and ``patterns``: the msgids whose Arabic differs (patterns for those with
    placeholders). ``vocabulary``: the words of our own msgids, and ``french`` those of our French
    translations, to catch a label nobody marked, which no catalogue holds: a text without Arabic
    made only of our English words, one of them at least not French ("Save changes", not "Total").
    """

    exact: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)
    french: set[str] = field(default_factory=set)
    memo: dict[str, str | None] = field(default_factory=dict)

    def add(self, msgid: str, arabic: str, source: str) -> None:
        text = " ".join(msgid.split())
        if not re.search(r"[A-Za-z]{2}", PLACEHOLDER.sub("", text)) or text in ALLOWED:
            return
        if " ".join(arabic.split()) == text:
            return
        if source == "ours":
            self.vocabulary |= words(text)
        if re.search(rf"[A-Za-z](?:{PLACEHOLDER.pattern})|(?:{PLACEHOLDER.pattern})[A-Za-z]", text):
            return  # a placeholder glued to a word ("{}rd"): as a pattern, it would match any word
        note = f"{source}: {msgid!r}" + ("" if arabic else ", which has no Arabic yet")
        if PLACEHOLDER.search(text):
            parts = PLACEHOLDER.split(text.replace("%%", "%"))
            self.patterns.append((re.compile(".+?".join(map(re.escape, parts))), note))
        else:
            self.exact.setdefault(text.replace("%%", "%"), note)

    def match(self, text: str) -> str | None:
        if text not in self.memo:
            self.memo[text] = self._match(text)
        return self.memo[text]

    def _match(self, text: str) -> str | None:
        if text in ALLOWED:
            return None
        if text in self.exact:
            return self.exact[text]
        note = next((note for pattern, note in self.patterns if pattern.fullmatch(text)), None)
        if note or ARABIC.search(text):
            return note
        found = words(text)
        if found and found <= self.vocabulary and found - self.french and max(map(len, found)) >= 3:
            return "English words of the catalogue, in no msgid: a label not marked for translation?"
        return None


def _catalogues() -> list[tuple[str, Path]]:
    """Ours first, then Django's and every installed app's Arabic catalogue."""
    found = [("ours", Path(path) / "ar" / "LC_MESSAGES" / "django.po") for path in settings.LOCALE_PATHS]
    found.append(("Django", Path(django.__file__).parent / "conf" / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    for config in apps.get_app_configs():
        found.append((config.label, Path(config.path) / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    return [(source, path) for source, path in found if path.exists()]


@cache
def english() -> English:
    table = English()
    for source, path in _catalogues():
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:  # a guess gettext does not use: the page shows the msgid
                table.add(entry.msgid, "", source)
                if entry.msgid_plural:
                    table.add(entry.msgid_plural, "", source)
            elif entry.msgid_plural:
                forms = [value for _, value in sorted(entry.msgstr_plural.items())]
                table.add(entry.msgid, forms[1] if len(forms) > 1 else "", source)
                table.add(entry.msgid_plural, forms[-1] if forms else "", source)
            else:
                table.add(entry.msgid, entry.msgstr, source)
    for path in settings.LOCALE_PATHS:
        for entry in polib.pofile(str(Path(path) / "fr" / "LC_MESSAGES" / "django.po")):
            for translation in (entry.msgstr, *entry.msgstr_plural.values()):
                table.french |= words(translation)
    return table


def english_in(texts: list[list[str]]) -> list[str]:
    table = english()
    findings = set()
    for text, where in texts:
        note = table.match(text)
        if note:
            findings.add(f"{text!r} ({where}; {note})")
    return sorted(findings)


def view_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace == "admin":
        return None
    return match.view_name


@dataclass
class Walk:
    """One role's walk: its listed pages, then every view their links lead to that no walk sharing
    ``seen`` has opened yet; the English found on each page."""

    page: object
    role: str
    seen: set[str] = field(default_factory=set)
    findings: dict[str, list[str]] = field(default_factory=dict)
    opened: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def visit(self, path: str, *, listed: bool) -> list[str]:
        """Open ``path``, read it, and return the paths of its links within the site."""
        response = self.page.goto(path)
        status = response.status if response else None
        if status == 403 and not listed:
            self.refused.append(path)  # a link this role may not follow: its 403 page is read all the same
        else:
            assert response is not None and response.ok, f"{self.role}: {path} answered {status}"
        return self.record(path)

    def record(self, label: str) -> list[str]:
        read = self.page.evaluate(COLLECT)
        assert read["lang"] == "ar", f"{self.role}: {label} is not in Arabic"
        self.opened.append(label)
        found = english_in(read["texts"])
        if found:
            self.findings[f"{self.role} {label}"] = found
        here = urlsplit(self.page.url).netloc
        links = [urlsplit(href) for href in read["links"]]
        return [link.path + (f"?{link.query}" if link.query else "") for link in links if link.netloc == here]

    def run(self, listed: list[str]) -> None:
        queue = list(listed)
        self.seen.update(view_name(urlsplit(path).path) or path for path in listed)
        while queue and len(self.opened) < MAX_PAGES_PER_ROLE:
            path = queue.pop(0)
            for link in self.visit(path, listed=path in listed):
                name = view_name(urlsplit(link).path)
                if name and name not in SKIPPED_VIEWS and name not in self.seen:
                    self.seen.add(name)
                    queue.append(link)


# --- The world the pages show ---------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path, centre_a, centre_b, coordinator_a, coordinator_b, officer, analyst, admin_user):
    """A case of each kind a page can show: with a draft plan, submitted, approved, funded and
    handed over (its visits due), with an action and a transfer waiting; an envelope; an event."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    envelope = EnvelopeFactory(name="Enveloppe nationale", amount=Decimal("500000.00"))
    lines = (("Four à pain", "1", "14500.00"), ("Pétrin", "1", "6800.00"), ("Table inox", "2", "950.50"))

    def case(**names):
        return BeneficiaryFactory(centre=centre_a, **names)

    draft = make_project(case(first_name_latin="Karim"), coordinator_a, lines=lines)
    submitted = make_project(case(first_name_latin="Nadia", sex="F"), coordinator_a, lines=lines, status="submitted")
    approved = make_project(case(), coordinator_a, lines=lines, status="approved", officer=officer)
    handed = make_project(
        case(first_name_latin="Yasmina", sex="F"), coordinator_a, lines=lines, status="approved", officer=officer
    )
    commitment_create(project=handed, envelope=envelope, by=officer)
    held_on = timezone.localdate() - datetime.timedelta(days=100)
    event = Event.objects.create(
        date=held_on,
        province=province("03.061"),
        venue_fr="Siège de la préfecture de Meknès",
        presiding_title_ar="عامل عمالة مكناس",
        presiding_title_fr="Gouverneur de la préfecture de Meknès",
        created_by=coordinator_a,
    )
    handover = handover_plan(project=handed, event=event, by=coordinator_a)
    items = [
        {"id": item.pk, "quantity": item.quantity, "brand": "Bongard", "serial_number": f"SN-{item.pk}"}
        for item in handover.items.all()
    ]
    handover_record(handover=handover, items=items, cash_aid=Decimal("2000.00"), delivered_on=held_on, by=coordinator_a)
    handover = receipt_print(handover=handover)  # numbered: the receipt's public check page exists
    on_the_list = make_project(
        case(first_name_latin="Hicham"), coordinator_a, lines=lines, status="approved", officer=officer
    )
    commitment_create(project=on_the_list, envelope=envelope, by=officer)
    planned = handover_plan(project=on_the_list, event=event, by=coordinator_a)
    waiting = case(first_name_latin="Said")
    action = ActionFactory(beneficiary=waiting, recorded_by=coordinator_a)
    planned_action_add(project=draft, by=coordinator_a, kind="administrative", description="Ouvrir un compte bancaire")
    transfer_request(case=waiting, to_centre=centre_b, reason="Déménagement à Fès", by=coordinator_a)
    handed.refresh_from_db()
    visit = handed.visits.order_by("due_on").first()
    duplicates_scan()  # the files share a name and a birthday: HQ has possible duplicates to decide
    return {
        "case": draft.beneficiary,
        "waiting": waiting,
        "draft": draft,
        "submitted": submitted,
        "approved": approved,
        "handed": handed,
        "visit": visit,
        "envelope": envelope,
        "event": event,
        "handover": handover,
        "planned": planned,
        "action": action,
        "officer": officer,
        # A job running, so that its page shows the progress and the cancel button's prompt.
        "job": Job.objects.create(
            kind="event_receipts", started_by=coordinator_a, centre=centre_a, status="running", done=3, total=10
        ),
        **_imports(coordinator_a),
    }


def _imports(coordinator) -> dict:
    """Two checked sheets: one with a problem, and one waiting for its confirmation. Their reports
    are written as the check job writes them, in the coordinator's language (Arabic here)."""
    made = {}
    for key, report in (
        (
            "import_problems",
            {
                "counts": {"rows": 2, "new": 1, "with_problems": 1},
                "problems": [
                    {
                        "row": 3,
                        "column": "تاريخ الازدياد",
                        "value": "31/02/1990",
                        "message": "هذا التاريخ غير موجود.",
                        "key": "birth_date",
                    }
                ],
                "problem_count": 1,
                "notes": [],
            },
        ),
        (
            "import_ready",
            {"counts": {"rows": 2, "new": 1, "existing": 1}, "problems": [], "problem_count": 0, "notes": []},
        ),
    ):
        job = Job.objects.create(
            kind="import_check", started_by=coordinator, centre=coordinator.centre, status="succeeded"
        )
        batch = ImportBatch(
            kind="cases",
            centre=coordinator.centre,
            uploaded_by=coordinator,
            original_name=f"dossiers-2024-{len(made) + 1}.xlsx",  # a user's file name, in no language
            file_type="xlsx",
            fingerprint=key.ljust(64, "0"),
            status="checked",
            report=report,
            check_job=job,
        )
        batch.file.save("upload", ContentFile(b"PK"), save=False)
        batch.save()
        made[key] = batch
    return made


def coordinator_pages(world) -> list[str]:
    case, waiting, draft, handed = world["case"], world["waiting"], world["draft"], world["handed"]
    return [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/edit/",
        "/cases/new/",
        "/projects/to-start/",
        f"/cases/{waiting.pk}/actions/new/",
        f"/cases/{waiting.pk}/actions/{world['action'].pk}/edit/",
        f"/cases/{case.pk}/documents/new/",
        f"/cases/{case.pk}/transfer/",
        "/cases/transfers/",
        f"/projects/{draft.pk}/",
        f"/projects/{draft.pk}/edit/",
        f"/projects/{handed.pk}/",
        f"/projects/{handed.pk}/visits/{world['visit'].pk}/",
        "/distributions/",
        "/distributions/events/new/",
        f"/distributions/events/{world['event'].pk}/",
        f"/distributions/handovers/{world['handover'].pk}/",
        f"/distributions/handovers/{world['planned'].pk}/",
        "/dashboard/",
        "/jobs/",
        f"/jobs/{world['job'].pk}/",  # running: its progress and the cancel button's prompt
        "/imports/",
        "/imports/new/",
        f"/imports/{world['import_problems'].pk}/",  # a check's problems and notes
        f"/imports/{world['import_ready'].pk}/",  # the confirmation's choices
    ]


def officer_pages(world) -> list[str]:
    return [
        "/",
        "/projects/?status=submitted",
        f"/projects/{world['submitted'].pk}/",
        f"/projects/{world['approved'].pk}/",  # the funding form
        "/projects/approve/",
        "/projects/fund/",
        f"/projects/fund/review/?projects={world['approved'].pk}&envelope={world['envelope'].pk}",  # the confirmation
        "/envelopes/",
        f"/envelopes/{world['envelope'].pk}/",
        "/envelopes/new/",
        "/distributions/operations/",
        "/dashboard/",
    ]


def receiving_coordinator_pages(world) -> list[str]:
    return ["/", "/cases/transfers/"]  # the transfer to accept or refuse


def analyst_pages(world) -> list[str]:
    return ["/", "/dashboard/", "/centres/"]


def admin_pages(world) -> list[str]:
    centre = world["case"].centre_id
    return [
        "/",
        "/users/",
        "/users/new/",
        "/centres/",
        "/centres/new/",
        f"/centres/{centre}/edit/",
        "/accounts/password/",
        f"/users/{world['officer'].pk}/second-factor/reset/",
    ]


def anonymous_pages(world) -> list[str]:
    return [
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/MQ/a-link-no-longer-valid/",
        "/accounts/password/reset/done/",
        "/accounts/password/done/",
        f"/verify/{verification_token(world['handover'])}/",
    ]


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL of the site, outside Django's admin."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                names |= url_names(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_role_reads_its_pages_in_arabic_only(browser_page, world, cast):
    page = browser_page
    seen: set[str] = set()  # views queued, for the whole walk
    requested: set[str] = set()  # views the browser asked for: pages, their partials, their forms
    page.on("request", lambda request: requested.add(view_name(urlsplit(request.url).path) or ""))
    walks = []
    for role, user, pages, interact in [
        ("coordinator", cast["coordinator_a"], coordinator_pages, interact_as_coordinator),
        ("receiving coordinator", cast["coordinator_b"], receiving_coordinator_pages, None),
        ("officer", cast["officer"], officer_pages, interact_as_officer),
        ("analyst", cast["analyst"], analyst_pages, None),
        ("admin", cast["admin"], admin_pages, None),
        ("anonymous", None, anonymous_pages, None),
    ]:
        page.context.clear_cookies()
        if user is None:
            cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": urljoin(page.url, "/")}
            page.context.add_cookies([cookie])
        else:
            set_language(user, "ar")
            login_in_browser(page, user.username)
        walk = Walk(page, role, seen)
        walk.run(pages(world))
        if interact:
            interact(walk, world)
        walks.append(walk)
        print(f"{role}: {len(walk.opened)} pages: {' '.join(walk.opened)}")
        if walk.refused:
            print(f"{role}: links to pages refused with a 403: {' '.join(walk.refused)}")

    walks += second_factor_walks(page, seen)
    unreached = url_names() - requested - SKIPPED_VIEWS - POST_ONLY - NOT_WALKED_YET.keys()
    assert not unreached, f"Pages the walk never opened: add them to a role's pages, or say why not: {unreached}"
    findings = {page: found for walk in walks for page, found in walk.findings.items()}
    report = "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in findings.items())
    assert not findings, f"English on Arabic pages ({sum(map(len, findings.values()))} strings):\n{report}"


def second_factor_walks(page, seen: set[str]) -> list[Walk]:
    """HQ's sign-in with the second factor required: enrolment for a first sign-in, the code
    asked of someone already enrolled."""
    from django.test import override_settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reintegration.choices import Role
    from tests.browser_helpers import PASSWORD
    from tests.factories import UserFactory

    walks = []
    newcomer = UserFactory(username="otp.new", role=Role.OFFICER, language="ar", password=PASSWORD)
    enrolled = UserFactory(username="otp.known", role=Role.OFFICER, language="ar", password=PASSWORD)
    TOTPDevice.objects.create(user=enrolled, name="phone", confirmed=True)
    with override_settings(REQUIRE_SECOND_FACTOR=True):
        for role, user, path in [
            ("officer enrolling", newcomer, "/accounts/second-factor/setup/"),
            ("officer signing in", enrolled, "/accounts/second-factor/"),
        ]:
            page.context.clear_cookies()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("main form [type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            walk = Walk(page, role, seen)
            walk.run([path])
            walks.append(walk)
    return walks


def interact_as_coordinator(walk: Walk, world) -> None:
    """The strings only a user's action brings: form errors, the duplicate warning, the plan's
    totals, a confirmation message."""
    page = walk.page
    page.goto(f"/cases/{world['waiting'].pk}/actions/new/")
    page.select_option("#id_kind", "administrative")
    page.fill("#id_description", "مرافقة لتجديد البطاقة الوطنية")
    page.click("main form [type=submit]")
    page.wait_for_selector(".alert-success")
    walk.record(f"/cases/{world['waiting'].pk}/ (action recorded)")

    page.goto("/cases/new/")
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector(".is-invalid")
    walk.record("/cases/new/ (sent empty)")

    page.goto("/cases/new/")
    page.fill("#id_cin", world["case"].cin)
    page.fill("#id_first_name_ar", "محمد")
    page.locator("#id_last_name_ar").focus()
    page.wait_for_selector("#duplicates .alert")
    walk.record("/cases/new/ (duplicate warning)")

    page.goto(f"/projects/{world['draft'].pk}/edit/")
    page.click("#plan [data-formset-add]")
    page.fill("input[name=lines-3-quantity]", "2")
    page.fill("input[name=lines-3-unit_price]", "10")
    page.wait_for_function("() => document.querySelector('#plan-total').textContent.length > 0")
    page.select_option("#id_kit", index=1)
    page.click("button[hx-get*='/plan/kit/']")
    page.wait_for_selector("input[name=lines-4-item_fr]")
    page.wait_for_load_state("networkidle")
    walk.record(f"/projects/{world['draft'].pk}/edit/ (a line and a kit added)")

    assert page.goto("/cases/999999/").status == 404
    walk.record("/cases/999999/ (not found)")


def interact_as_officer(walk: Walk, world) -> None:
    """The dashboard's map, its measure changed in place."""
    page = walk.page
    page.goto("/dashboard/")
    with page.expect_response(lambda response: "/dashboard/map/" in response.url):
        page.select_option("#map-measure", "committed")
    page.wait_for_load_state("networkidle")
    walk.record("/dashboard/ (map measure changed)")
