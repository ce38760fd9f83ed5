"""The permission matrix: every URL of the project, as every member of the cast.

One table (``TABLE``) names each URL pattern, the objects its arguments come from, the method
to try and what each role should get. The objects are centre A's (Meknès); the cast is the one
of ``tests/conftest.py``: ``coordinator_a`` is the coordinator of the object's centre,
``coordinator_b`` the coordinator of another centre (Fès), for whom centre A's object "does not
exist" (404). The expectations say what the product intends (``tests/cast.py``, the views'
decorators, the models' ``writable_by``/``followed_by``, PRODUCT.md), not what the code happens
to answer; where they disagree, the row is an ``xfail(strict=True)`` naming the bug.

Expected answers: a status code; ``LOGIN`` for the redirect to sign in; ``ALLOWED`` for a
state-changing POST sent with an empty or minimal body (anything but 403, 404 or the redirect
to sign in, and never a 500).

Every page a role opens is also read: an analyst or a visitor never sees a case person's name or
CIN (full or masked), an officer never a full CIN (except on a printed receipt), a coordinator
never a person of another centre.

The objects of both centres are built once for the module inside a transaction rolled back at
the end; each test runs in a savepoint of it (what Django's ``TestCase.setUpTestData`` does).
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries.cin import mask_cin
from beneficiaries.models import DuplicateFlag
from beneficiaries.services import action_record, beneficiary_update, document_attach, transfer_request
from distributions.models import Event
from distributions.receipts import verification_token
from distributions.services import (
    event_photo_add,
    handover_attach_signed,
    handover_plan,
    handover_record,
    receipt_print,
)
from imports.models import ImportBatch
from jobs.models import Job
from projects.models import FollowUpVisit, StandardKit
from projects.services import commitment_create, planned_action_add, visit_photo_add
from reintegration.choices import Role
from tests.factories import (
    BeneficiaryFactory,
    CentreFactory,
    CoordinatorFactory,
    EnvelopeFactory,
    UserFactory,
    make_project,
    province,
)
from tests.images import PNG

PDF = b"%PDF-1.4\n%%EOF\n"
BAKERY = (("Four à pain", "1", "14500.00"), ("Pétrin", "1", "6800.00"), ("Table inox", "2", "950.50"))

# --- Expected answers -------------------------------------------------------------------------

LOGIN = "login"  # a redirect to the sign-in page, with ?next=
ALLOWED = "allowed"  # not 403, not 404, not sent to sign in, and below 500

ROLES = ("anonymous", "coordinator_a", "coordinator_b", "officer", "analyst", "admin")


def expect(*, anonymous, own, other, officer, analyst, admin) -> dict[str, int | str]:
    """What each role gets; ``own`` is the coordinator of the object's centre, ``other`` of another."""
    return {
        "anonymous": anonymous,
        "coordinator_a": own,
        "coordinator_b": other,
        "officer": officer,
        "analyst": analyst,
        "admin": admin,
    }


def as_post(expected: dict[str, int | str]) -> dict[str, int | str]:
    """The same roles, for a state-changing POST: a page one may open is an action one may take."""
    return {role: ALLOWED if answer == 200 else answer for role, answer in expected.items()}


def but(expected: dict[str, int | str], **changes) -> dict[str, int | str]:
    return {**expected, **changes}


# A case's pages (tests/cast.py): HQ and the case's centre read; another centre gets a 404.
READS_CASE = expect(anonymous=LOGIN, own=200, other=404, officer=200, analyst=403, admin=200)
# ... and only the centre (or an administrator) writes: read-only officers get a 403.
WRITES_CASE = expect(anonymous=LOGIN, own=200, other=404, officer=403, analyst=403, admin=200)
# Pages about no one object, for everyone who works on case files (not the analyst).
CASE_WORKERS = expect(anonymous=LOGIN, own=200, other=200, officer=200, analyst=403, admin=200)
# Opening a case file: coordinators (for their centre) and administrators.
REGISTRARS = expect(anonymous=LOGIN, own=200, other=200, officer=403, analyst=403, admin=200)
# HQ's work (officers and administrators); the role is refused before any object is looked up.
HQ = expect(anonymous=LOGIN, own=403, other=403, officer=200, analyst=403, admin=200)
ADMINISTRATORS = expect(anonymous=LOGIN, own=403, other=403, officer=403, analyst=403, admin=200)
# Envelopes: HQ, and the analyst for their figures.
ENVELOPE_READERS = expect(anonymous=LOGIN, own=403, other=403, officer=200, analyst=200, admin=200)
SIGNED_IN = expect(anonymous=LOGIN, own=200, other=200, officer=200, analyst=200, admin=200)
EVERYONE = expect(anonymous=200, own=200, other=200, officer=200, analyst=200, admin=200)
# Events, handovers and transfers: HQ and the centre both read and change them (``writable_by``).
CENTRE_AND_HQ = READS_CASE
# A shared event (centre A's, with one of centre B's people on its list), as centre B gets it.
SHARED_READ = but(CENTRE_AND_HQ, coordinator_b=200)
SHARED_FORBIDDEN = but(CENTRE_AND_HQ, coordinator_b=403)
# Centre A's document, photo, action... asked for through a centre B parent: it is not there.
NOT_THERE = expect(anonymous=LOGIN, own=404, other=404, officer=404, analyst=403, admin=404)
# A job centre A's coordinator started (jobs.models.JobQuerySet): HQ sees it, not the analyst nor
# another centre; its starter (or an administrator) cancels it, an officer who only reads may not.
SEES_JOB = expect(anonymous=LOGIN, own=200, other=404, officer=200, analyst=404, admin=200)
CANCELS_JOB = but(as_post(SEES_JOB), officer=403)
# Spreadsheet imports: coordinators into their centre, HQ into any; analysts none.
IMPORTERS = expect(anonymous=LOGIN, own=200, other=200, officer=200, analyst=403, admin=200)
SEES_IMPORT = expect(anonymous=LOGIN, own=200, other=404, officer=200, analyst=404, admin=200)


# --- The people, the table ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first_name_latin: str
    last_name_latin: str
    first_name_ar: str
    last_name_ar: str
    cin: str
    former_cin: str = ""  # the CIN first typed, corrected since: it is in the case's history

    def cins(self) -> tuple[str, ...]:
        return (self.cin, self.former_cin) if self.former_cin else (self.cin,)

    def names(self) -> tuple[str, ...]:
        return (self.first_name_latin, self.last_name_latin, self.first_name_ar, self.last_name_ar)

    def fields(self) -> dict:
        return {
            "first_name_latin": self.first_name_latin,
            "last_name_latin": self.last_name_latin,
            "first_name_ar": self.first_name_ar,
            "last_name_ar": self.last_name_ar,
            "cin": self.former_cin or self.cin,
            "sex": "F",
        }


# Fictitious, and distinctive enough that finding one on a page means the page shows that person.
# "a" people are centre A's, "b" centre B's; "c_to_a" is a centre C file on its way to centre A.
PEOPLE = {
    "a1": Person("Zoubida", "Qartaji", "زبيدة", "القرطاجي", "XT918273", former_cin="XT918237"),
    "a2": Person("Rhimou", "Tazarinti", "رحيمو", "تازارينتي", "XT827364"),
    "a3": Person("Fdila", "Boukhrissa", "فضيلة", "بوخريصة", "XT736455"),
    "b1": Person("Hnia", "Lmrabtia", "هنية", "المرابطية", "XT645546", former_cin="XT645564"),
    "b2": Person("Yamna", "Tighrioui", "يامنة", "تيغريوي", "XT554637"),
    "b3": Person("Mbarka", "Ouchtouk", "مباركة", "أوشتوك", "XT463728"),
    "c_to_a": Person("Rkia", "Belkhayatia", "ركية", "بلخياطية", "XT372819"),
    "c_to_b": Person("Tamou", "Amzazia", "تامو", "أمزازية", "XT281910"),
    # Handed over at one event in centre A's province (``shared_event``).
    "a4": Person("Hadda", "Nouamania", "حادة", "النعمانية", "XT190827"),
    "b4": Person("Khadouj", "Zemmouria", "خدوج", "الزمورية", "XT109283"),
}
# Whom each coordinator may see: their centre's people and those being transferred to them.
SEEN_BY = {
    "coordinator_a": {"a1", "a2", "a3", "a4", "c_to_a"},
    "coordinator_b": {"b1", "b2", "b3", "b4", "c_to_b"},
}


@dataclass(frozen=True)
class Row:
    """One URL pattern (or one more situation of it, named by ``variant``) and its answers."""

    name: str
    expected: dict[str, int | str]
    args: tuple[str, ...] = ()  # keys of ``World.objects``: centre A's objects, ``b_*`` centre B's
    method: str = "GET"
    data: dict | Callable[[], dict] = field(default_factory=dict)  # strings formatted with ``World.objects``
    query: str = ""  # formatted with ``World.objects``
    variant: str = ""
    receipt: bool = False  # a printed receipt: HQ sees the full CIN on it
    upload: bool = False  # serves a file someone uploaded: its bytes are not read
    bugs: dict[str, str] = field(default_factory=dict)  # role -> "bug: ..." (strict xfail)

    def __post_init__(self):
        assert set(self.expected) == set(ROLES), f"{self.id}: say what every role gets"
        assert set(self.bugs) <= set(ROLES), f"{self.id}: bugs name unknown roles"

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def a_photo() -> dict:
    return {"image": SimpleUploadedFile("photo.png", PNG)}


def a_scan() -> dict:
    return {"file": SimpleUploadedFile("signed.pdf", PDF)}


ZOUBIDA = PEOPLE["a1"]

TABLE: list[Row] = [
    # --- Homes and dashboards (reports) ---
    Row("home", SIGNED_IN),
    Row("dashboard:index", SIGNED_IN),
    Row("dashboard:map", SIGNED_IN),
    Row("dashboard:export", SIGNED_IN, args=("dashboard_table", "csv")),
    Row("dashboard:report", SIGNED_IN),
    # HQ's national export: officers, administrators and analysts, each getting what their role reads.
    Row("dashboard:full_export", ENVELOPE_READERS),
    Row("dashboard:full_export", as_post(ENVELOPE_READERS), method="POST", data={"format": "csv"}, variant="start"),
    # --- Case files (beneficiaries) ---
    Row("beneficiaries:list", CASE_WORKERS),
    Row("beneficiaries:export", CASE_WORKERS),
    Row("beneficiaries:register", REGISTRARS),
    Row("beneficiaries:duplicates", REGISTRARS, method="POST", data={"cin": "", "birth_date": ""}),
    # Centre A's person typed in at another centre: their file is named by its centre only.
    Row(
        "beneficiaries:duplicates",
        REGISTRARS,
        method="POST",
        data={
            "cin": ZOUBIDA.cin,
            "first_name_latin": ZOUBIDA.first_name_latin,
            "last_name_latin": ZOUBIDA.last_name_latin,
            "birth_date": "1990-05-17",
        },
        variant="typed-in-elsewhere",
    ),
    Row("beneficiaries:duplicate_flags", HQ),
    Row("beneficiaries:duplicate_scan", as_post(HQ), method="POST"),
    Row("beneficiaries:duplicate_decide", HQ, args=("flagged_case",)),
    Row("beneficiaries:detail", READS_CASE, args=("case",)),
    Row("beneficiaries:edit", WRITES_CASE, args=("case",)),
    Row("beneficiaries:set_status", as_post(WRITES_CASE), args=("case",), method="POST", data={"status": "closed"}),
    Row("beneficiaries:audit", READS_CASE, args=("case",)),
    Row("beneficiaries:action_create", WRITES_CASE, args=("case",)),
    Row("beneficiaries:action_edit", WRITES_CASE, args=("case", "action")),
    Row("beneficiaries:document_upload", WRITES_CASE, args=("case",)),
    Row("beneficiaries:document_download", READS_CASE, args=("case", "document"), upload=True),
    Row("beneficiaries:document_delete", as_post(WRITES_CASE), args=("case", "document"), method="POST"),
    # HQ may move a case to another centre, as the case's centre may (Beneficiary.transferable_by).
    Row("beneficiaries:transfer_create", CENTRE_AND_HQ, args=("case",)),
    Row("beneficiaries:transfers", CASE_WORKERS),
    # A transfer into centre A: centre A (the receiver) or HQ answers it.
    Row("beneficiaries:transfer_accept", as_post(CENTRE_AND_HQ), args=("transfer_in",), method="POST"),
    Row("beneficiaries:transfer_refuse", as_post(CENTRE_AND_HQ), args=("transfer_in",), method="POST"),
    # A transfer out of centre A: centre A (the sender) or HQ cancels it.
    Row("beneficiaries:transfer_cancel", as_post(CENTRE_AND_HQ), args=("transfer_out",), method="POST"),
    # ... and neither side may do the other's part.
    Row(
        "beneficiaries:transfer_accept",
        but(as_post(CENTRE_AND_HQ), coordinator_a=403),
        args=("transfer_out",),
        method="POST",
        variant="by-sender",
    ),
    Row(
        "beneficiaries:transfer_cancel",
        but(as_post(CENTRE_AND_HQ), coordinator_a=403),
        args=("transfer_in",),
        method="POST",
        variant="by-receiver",
    ),
    # --- Life projects, funding, follow-up (projects) ---
    Row("projects:list", CASE_WORKERS),
    # The lists' exports go through the same scope as the pages (a centre exports its own people).
    Row("projects:export", CASE_WORKERS, args=("csv",)),
    Row("projects:export", CASE_WORKERS, args=("xlsx",), variant="xlsx"),
    # The case already has an active project: the permission is checked first, then a message.
    Row("projects:start", as_post(WRITES_CASE), args=("case",), method="POST"),
    Row("projects:detail", READS_CASE, args=("project",)),
    Row("projects:edit", WRITES_CASE, args=("draft",)),
    Row("projects:plan_preview", WRITES_CASE, args=("draft",), method="POST", data={"lines-TOTAL_FORMS": "0"}),
    Row("projects:kit_rows", WRITES_CASE, args=("draft",), query="kit={kit}&lines-TOTAL_FORMS=1"),
    # Submitting a draft is the centre's move; HQ approves, it does not submit (projects/workflow.py).
    Row("projects:move", as_post(WRITES_CASE), args=("draft",), method="POST", data={"target": "submitted"}),
    # Closing as abandoned is the centre's move and HQ's.
    Row(
        "projects:move",
        as_post(CENTRE_AND_HQ),
        args=("draft",),
        method="POST",
        data={"target": "abandoned", "comment": "Parti à l'étranger"},
        variant="abandon",
    ),
    # Planned actions and visits are recorded by the centre; officers read the follow-up.
    Row(
        "projects:planned_add",
        as_post(WRITES_CASE),
        args=("draft",),
        method="POST",
        data={"kind": "administrative", "description": "Renouveler la CIN", "due_on": "2027-01-15"},
    ),
    Row("projects:planned_done", WRITES_CASE, args=("draft", "planned")),
    # HQ's batches: approving and funding several projects at once (an already funded one is
    # refused by the form, which answers below 500).
    Row("projects:cases_waiting", CASE_WORKERS),
    Row("projects:approve_batch", HQ),
    Row("projects:approve_batch", as_post(HQ), method="POST", data={"projects": "{draft}"}, variant="post"),
    Row("projects:fund_batch", HQ),
    Row("projects:fund_review", as_post(HQ), query="projects={funded}&envelope={envelope}"),
    Row(
        "projects:fund_review",
        as_post(HQ),
        method="POST",
        data={"projects": "{funded}", "envelope": "{envelope}"},
        variant="post",
    ),
    Row("projects:commitment_cancel", as_post(HQ), args=("funded",), method="POST", data={"reason": "Devis à revoir"}),
    Row("projects:visit", WRITES_CASE, args=("project", "visit")),
    Row("projects:visit_photo", READS_CASE, args=("project", "visit", "visit_photo"), upload=True),
    # --- Budget envelopes ---
    Row("envelopes:list", ENVELOPE_READERS),
    Row("envelopes:create", HQ),
    Row("envelopes:detail", ENVELOPE_READERS, args=("envelope",)),
    Row("envelopes:edit", HQ, args=("envelope",)),
    Row("envelopes:agreement", HQ, args=("envelope",), upload=True),
    Row("envelopes:export", ENVELOPE_READERS, args=("csv",)),
    Row("envelopes:export", ENVELOPE_READERS, args=("xlsx",), variant="xlsx"),
    # The envelope's projects name people: HQ only, as on the page (the analyst sees the figures).
    Row("envelopes:projects_export", HQ, args=("envelope", "csv")),
    Row("envelopes:projects_export", HQ, args=("envelope", "xlsx"), variant="xlsx"),
    # --- Operations, events, handovers, receipts (distributions) ---
    Row("distributions:events", CASE_WORKERS),
    Row("distributions:events_export", CASE_WORKERS, args=("csv",)),
    Row("distributions:events_export", CASE_WORKERS, args=("xlsx",), variant="xlsx"),
    Row("distributions:operations", HQ),
    # Officers plan events too (PRODUCT.md), in any province; a centre in its own provinces.
    Row("distributions:event_create", CASE_WORKERS),
    Row("distributions:event", CENTRE_AND_HQ, args=("event",)),
    Row("distributions:event_edit", CENTRE_AND_HQ, args=("event",)),
    Row(
        "distributions:event_status", as_post(CENTRE_AND_HQ), args=("event",), method="POST", data={"status": "closed"}
    ),
    Row(
        "distributions:event_attach",
        as_post(CENTRE_AND_HQ),
        args=("event",),
        method="POST",
        data={"projects": "{funded}"},
    ),
    Row("distributions:event_photo_upload", as_post(CENTRE_AND_HQ), args=("event",), method="POST", data=a_photo),
    Row("distributions:event_photo", CENTRE_AND_HQ, args=("event", "event_photo"), upload=True),
    Row("distributions:event_receipts", CENTRE_AND_HQ, args=("event",), method="POST", receipt=True),
    Row("distributions:event_summary", CENTRE_AND_HQ, args=("event",)),
    Row("distributions:event_handovers_export", CENTRE_AND_HQ, args=("event", "csv")),
    Row("distributions:event_handovers_export", CENTRE_AND_HQ, args=("event", "xlsx"), variant="xlsx"),
    Row("distributions:handover", CENTRE_AND_HQ, args=("handover",)),
    # A recorded handover stays on the event: the permission is checked, then a message.
    Row("distributions:handover_delete", as_post(CENTRE_AND_HQ), args=("handover",), method="POST"),
    Row("distributions:handover_signed", CENTRE_AND_HQ, args=("handover",), upload=True),
    Row("distributions:handover_signed_upload", as_post(CENTRE_AND_HQ), args=("handover",), method="POST", data=a_scan),
    Row("distributions:receipt", CENTRE_AND_HQ, args=("handover",), method="POST", receipt=True),
    # An event in centre A's province where HQ also put one of centre B's people: centre B sees its
    # date and place and its own people's handovers and receipts, changes nothing, and gets neither
    # the ceremony's photos (they show everyone) nor its summary (small counts single people out):
    # issue 10, ``distributions.selectors.event_get_for_user``.
    Row("distributions:event", SHARED_READ, args=("shared_event",), variant="shared"),
    # Centre B exports its own person's handover at centre A's ceremony, nobody else's.
    Row("distributions:event_handovers_export", SHARED_READ, args=("shared_event", "csv"), variant="shared"),
    Row("distributions:event_edit", SHARED_FORBIDDEN, args=("shared_event",), variant="shared"),
    Row(
        "distributions:event_status",
        as_post(SHARED_FORBIDDEN),
        args=("shared_event",),
        method="POST",
        data={"status": "closed"},
        variant="shared",
    ),
    Row(
        "distributions:event_attach",
        as_post(SHARED_FORBIDDEN),
        args=("shared_event",),
        method="POST",
        data={"projects": "{funded}"},
        variant="shared",
    ),
    Row(
        "distributions:event_photo_upload",
        as_post(SHARED_FORBIDDEN),
        args=("shared_event",),
        method="POST",
        data=a_photo,
        variant="shared",
    ),
    Row(
        "distributions:event_photo",
        CENTRE_AND_HQ,
        args=("shared_event", "shared_event_photo"),
        upload=True,
        variant="shared",
    ),
    Row("distributions:event_summary", SHARED_FORBIDDEN, args=("shared_event",), variant="shared"),
    Row(
        "distributions:event_receipts",
        SHARED_READ,
        args=("shared_event",),
        method="POST",
        receipt=True,
        variant="shared",
    ),
    Row("distributions:handover", CENTRE_AND_HQ, args=("shared_handover",), variant="shared"),
    # The public page a receipt's QR code opens: initials only.
    Row("verify", EVERYONE, args=("token",)),
    # --- Each of centre A's files, photos and log entries asked for through centre B's case, project
    # or event (one's own id in the path, another centre's in the last part): nobody gets it. ---
    Row("beneficiaries:document_download", NOT_THERE, args=("b_case", "document"), variant="via-b-case"),
    Row(
        "beneficiaries:document_delete",
        NOT_THERE,
        args=("b_case", "document"),
        method="POST",
        variant="via-b-case",
    ),
    # The officer may not write to centre B's case at all: refused before the action is looked up.
    Row("beneficiaries:action_edit", but(NOT_THERE, officer=403), args=("b_case", "action"), variant="via-b-case"),
    Row("projects:planned_done", NOT_THERE, args=("b_draft", "planned"), variant="via-b-project"),
    Row("projects:visit", NOT_THERE, args=("b_project", "visit"), variant="via-b-project"),
    Row(
        "projects:visit_photo",
        NOT_THERE,
        args=("b_project", "visit", "visit_photo"),
        variant="via-b-project",
    ),
    Row("distributions:event_photo", NOT_THERE, args=("b_event", "event_photo"), variant="via-b-event"),
    # --- Background jobs ---
    Row("jobs:list", SIGNED_IN),
    Row("jobs:detail", SEES_JOB, args=("job",)),
    Row("jobs:progress", SEES_JOB, args=("job",)),
    Row("jobs:cancel", CANCELS_JOB, args=("job",), method="POST"),
    Row("jobs:download", SEES_JOB, args=("job",), upload=True),
    # --- Spreadsheet imports ---
    Row("imports:list", IMPORTERS),
    Row("imports:new", IMPORTERS),
    Row("imports:template", IMPORTERS, args=("import_kind", "xlsx")),
    Row("imports:template", IMPORTERS, args=("import_kind", "csv"), variant="csv"),
    Row("imports:detail", SEES_IMPORT, args=("import",)),
    Row("imports:status", SEES_IMPORT, args=("import",)),
    # a checked file, its choices not sent: the form comes back (400) to whoever may import it
    Row("imports:start", as_post(SEES_IMPORT), args=("import",), method="POST"),
    # --- Accounts ---
    Row("login", expect(anonymous=200, own=302, other=302, officer=302, analyst=302, admin=302)),
    Row("logout", expect(anonymous=302, own=302, other=302, officer=302, analyst=302, admin=302), method="POST"),
    Row("password_change", SIGNED_IN),
    Row("password_change_done", SIGNED_IN),
    Row("password_reset", EVERYONE),
    Row("password_reset_done", EVERYONE),
    Row("password_reset_confirm", EVERYONE, args=("reset_uid", "reset_token")),  # an invalid link: a page
    Row("password_reset_complete", EVERYONE),
    # The second factor is off here (tests/conftest.py): its pages send everyone home.
    Row("otp_verify", expect(anonymous=LOGIN, own=302, other=302, officer=302, analyst=302, admin=302)),
    Row("otp_enrol", expect(anonymous=LOGIN, own=302, other=302, officer=302, analyst=302, admin=302)),
    Row(
        "set_language",
        expect(anonymous=302, own=302, other=302, officer=302, analyst=302, admin=302),
        method="POST",
        data={"language": "fr", "next": "/"},
    ),
    # --- Centres and accounts (administration) ---
    Row("centres:list", SIGNED_IN),
    Row("centres:create", ADMINISTRATORS),
    Row("centres:detail", but(SIGNED_IN, coordinator_b=404), args=("centre",)),
    Row("centres:edit", but(ADMINISTRATORS, coordinator_b=404), args=("centre",)),
    Row("users:list", ADMINISTRATORS),
    Row("users:create", ADMINISTRATORS),
    Row("users:edit", ADMINISTRATORS, args=("account",)),
    Row("users:set_password", ADMINISTRATORS, args=("account",)),
    Row("users:second_factor_reset", ADMINISTRATORS, args=("account",)),
]

# --- The objects, of two centres ------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    objects: dict[str, object]  # URL arguments by key: centre A's pks, ``b_*`` centre B's, a few literals


def _person(key: str, centre, province_code: str, *, by=None):
    person = PEOPLE[key]
    case = BeneficiaryFactory(centre=centre, province=province(province_code), **person.fields())
    if person.former_cin:
        beneficiary_update(case=case, by=by, fields={"cin": person.cin})
    return case


def _centre_objects(letter: str, centre, coordinator, *, officer, envelope, province_code, elsewhere) -> dict:
    """One centre's objects: a case handed over at an event (receipt printed and signed, photos,
    a document, an action, a visit), a draft project with a planned action on a flagged file
    being transferred out, a funded project waiting for its event, and a file coming in."""
    day = timezone.localdate() - datetime.timedelta(days=30)
    case = _person(f"{letter}1", centre, province_code, by=coordinator)
    project = make_project(case, coordinator, lines=BAKERY, cash="3000.00", status="approved", officer=officer)
    commitment_create(project=project, envelope=envelope, by=officer)
    event = Event.objects.create(
        date=day,
        province=province(province_code),
        venue_fr=f"Siège de la province ({letter})",
        presiding_title_ar="عامل الإقليم",
        presiding_title_fr="Gouverneur de la province",
        created_by=coordinator,
    )
    handover = handover_plan(project=project, event=event, by=coordinator)
    items = [{"id": item.pk, "quantity": item.quantity, "brand": "Bongard"} for item in handover.items.all()]
    handover = handover_record(
        handover=handover, items=items, cash_aid=Decimal("3000.00"), delivered_on=day, by=coordinator
    )
    handover = receipt_print(handover=handover)
    handover_attach_signed(handover=handover, upload=SimpleUploadedFile("signed.pdf", PDF), by=coordinator)
    event_photo = event_photo_add(event=event, upload=SimpleUploadedFile("ceremonie.png", PNG), by=coordinator)
    visit = FollowUpVisit.objects.filter(project=project).order_by("months_after").first()
    visit_photo = visit_photo_add(visit=visit, upload=SimpleUploadedFile("atelier.png", PNG), by=coordinator)
    document = document_attach(case=case, kind="id_copy", upload=SimpleUploadedFile("cin.pdf", PDF), by=coordinator)
    action = action_record(case=case, by=coordinator, kind="administrative", date=day, description="Dossier CIN")

    flagged = _person(f"{letter}2", centre, province_code)
    draft = make_project(flagged, coordinator)
    planned = planned_action_add(
        project=draft,
        by=coordinator,
        kind="administrative",
        description="Extrait d'acte de naissance",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    flag = DuplicateFlag.objects.create(beneficiary=flagged, reason="Homonyme", recorded_by=coordinator)
    flag.candidates.set([case])
    transfer_out = transfer_request(case=flagged, to_centre=elsewhere, reason="Déménagement", by=coordinator)

    waiting = _person(f"{letter}3", centre, province_code)
    funded = make_project(waiting, coordinator, status="approved", officer=officer)
    commitment_create(project=funded, envelope=envelope, by=officer)

    newcomer = _person(f"c_to_{letter}", elsewhere, province_code)
    transfer_in = transfer_request(case=newcomer, to_centre=centre, reason="Retour chez sa famille", by=officer)
    return {
        "centre": centre.pk,
        "case": case.pk,
        "project": project.pk,
        "event": event.pk,
        "handover": handover.pk,
        "token": verification_token(handover),
        "event_photo": event_photo.pk,
        "visit": visit.pk,
        "visit_photo": visit_photo.pk,
        "document": document.pk,
        "action": action.pk,
        "flagged_case": flagged.pk,
        "draft": draft.pk,
        "planned": planned.pk,
        "transfer_out": transfer_out.pk,
        "funded": funded.pk,
        "transfer_in": transfer_in.pk,
        "account": coordinator.pk,
    }


def _shared_event(users, centre_a, centre_b, envelope) -> dict:
    """An event in centre A's province (same region as Fès) with one person of each centre."""
    day = timezone.localdate() - datetime.timedelta(days=20)
    officer, coordinator_a, coordinator_b = users["officer"], users["coordinator_a"], users["coordinator_b"]
    event = Event.objects.create(
        date=day,
        province=province("03.061"),
        venue_fr="Salle des fêtes de la commune",
        presiding_title_ar="عامل الإقليم",
        presiding_title_fr="Gouverneur de la province",
        created_by=coordinator_a,
    )
    handovers = {}
    for key, centre, code, coordinator in (
        ("a4", centre_a, "03.061", coordinator_a),
        ("b4", centre_b, "03.231", coordinator_b),
    ):
        case = _person(key, centre, code)
        project = make_project(case, coordinator, status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)
        handover = handover_plan(project=project, event=event, by=officer)  # HQ draws up the list
        items = [{"id": item.pk, "quantity": item.quantity} for item in handover.items.all()]
        handovers[key] = handover_record(
            handover=handover, items=items, cash_aid=project.cash_aid, delivered_on=day, by=coordinator
        )
    photo = event_photo_add(event=event, upload=SimpleUploadedFile("remise.png", PNG), by=coordinator_a)
    return {"shared_event": event.pk, "shared_event_photo": photo.pk, "shared_handover": handovers["a4"].pk}


def _job(coordinator) -> dict:
    """A job of centre A's coordinator, running, with a result file already kept."""
    job = Job.objects.create(kind="event_receipts", started_by=coordinator, centre=coordinator.centre, status="running")
    job.result.save("receipts.pdf", ContentFile(PDF), save=False)
    job.save(update_fields=["result"])
    return {"job": job.pk}


def _import(coordinator) -> dict:
    """A sheet of case files uploaded by centre A's coordinator, checked, waiting to be imported."""
    job = Job.objects.create(kind="import_check", started_by=coordinator, centre=coordinator.centre, status="succeeded")
    batch = ImportBatch(
        kind="cases",
        centre=coordinator.centre,
        uploaded_by=coordinator,
        original_name="dossiers.xlsx",
        file_type="xlsx",
        fingerprint="0" * 64,
        status="checked",
        report={"counts": {"rows": 1, "new": 1}, "problems": [], "problem_count": 0},
        check_job=job,
    )
    batch.file.save("upload", ContentFile(b"PK"), save=False)
    batch.save()
    return {"import": batch.pk, "import_kind": "cases"}


def build_world() -> World:
    centre_a = CentreFactory(code="test-meknes", name_fr="Centre de Meknès", name_ar="مركز مكناس", provinces=["03.061"])
    centre_b = CentreFactory(
        code="test-fes", name_fr="Centre de Fès", name_ar="مركز فاس", city_fr="Fès", provinces=["03.231"]
    )
    centre_c = CentreFactory(code="test-tanger", name_fr="Centre de Tanger", name_ar="مركز طنجة", city_fr="Tanger")
    users = {
        "anonymous": None,
        "admin": UserFactory(username="alice.admin", role=Role.ADMINISTRATOR),
        "officer": UserFactory(username="omar.officer", role=Role.OFFICER),
        "analyst": UserFactory(username="amina.analyst", role=Role.ANALYST),
        "coordinator_a": CoordinatorFactory(username="coord.a", centre=centre_a),
        "coordinator_b": CoordinatorFactory(username="coord.b", centre=centre_b),
    }
    envelope = EnvelopeFactory(amount=Decimal("500000.00"))
    envelope.agreement_document.save("convention.pdf", ContentFile(PDF))
    common = {"officer": users["officer"], "envelope": envelope, "elsewhere": centre_c}
    objects = _centre_objects("a", centre_a, users["coordinator_a"], province_code="03.061", **common)
    objects_b = _centre_objects("b", centre_b, users["coordinator_b"], province_code="03.231", **common)
    objects |= {f"b_{key}": value for key, value in objects_b.items()}
    objects |= _shared_event(users, centre_a, centre_b, envelope)
    objects |= _job(users["coordinator_a"])
    objects |= _import(users["coordinator_a"])
    objects |= {
        "envelope": envelope.pk,
        "kit": StandardKit.objects.get(name_fr="Kit boulangerie").pk,
        "dashboard_table": "centre",
        "csv": "csv",
        "xlsx": "xlsx",
        "reset_uid": "MA",
        "reset_token": "not-a-token",
    }
    return World(users=users, objects=objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both centres' objects, made once for the module and rolled back after it."""
    media = tempfile.mkdtemp(prefix="permission-matrix-")
    storages = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    with override_settings(STORAGES=storages), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            shutil.rmtree(media, ignore_errors=True)


# --- Asking, and reading the answer ---------------------------------------------------------


def url_of(row: Row, world: World) -> str:
    url = reverse(row.name, args=[world.objects[key] for key in row.args])
    return f"{url}?{row.query.format(**world.objects)}" if row.query else url


def ask(row: Row, role: str, world: World, *, method: str | None = None):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    url = url_of(row, world)
    method = method or row.method
    if callable(row.data):
        data = row.data()
    else:
        data = {
            key: value.format(**world.objects) if isinstance(value, str) else value for key, value in row.data.items()
        }
    try:
        response = client.post(url, data) if method == "POST" else client.get(url)
    except Exception as error:  # a 500: say which row, then show the traceback
        pytest.fail(f"{row.id} as {role}: {method} {url} raised {error!r}")
    return url, response


def outcome(response) -> int | str:
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        if location.path == reverse("login") and "next" in parse_qs(location.query):
            return LOGIN
    return response.status_code


def matches(expected: int | str, got: int | str) -> bool:
    if expected == ALLOWED:
        return got not in (403, 404, LOGIN) and isinstance(got, int) and got < 500
    return expected == got


def _pdf_text(content: bytes) -> str | None:
    """The PDF's text (bidi marks dropped), or None without pdftotext (the check is skipped)."""
    if not shutil.which("pdftotext"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for mark in ("\u202a", "\u202b", "\u202c", "\u200e", "\u200f"):
        text = text.replace(mark, "")
    return text


def body_text(response) -> str | None:
    """What a person reads in the answer: HTML, CSV or a generated PDF's text; None for others."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return _pdf_text(content)
    if kind.startswith(("text/", "application/json")):
        return content.decode()
    if kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)
        )
    return None


def identifiers(people: set[str], *, names: bool, masked: bool) -> list[str]:
    found = []
    for key in sorted(people):
        person = PEOPLE[key]
        found += list(person.cins())
        found += [mask_cin(cin) for cin in person.cins()] if masked else []
        found += list(person.names()) if names else []
    return found


def forbidden_for(role: str, row: Row) -> list[str]:
    everyone = set(PEOPLE)
    if role in ("analyst", "anonymous"):  # aggregates only: no name, no CIN, not even masked
        return identifiers(everyone, names=True, masked=True)
    if role == "officer":  # the CIN masked, except on the printed receipt
        return [] if row.receipt else identifiers(everyone, names=False, masked=False)
    if role in SEEN_BY:  # nobody of another centre
        return identifiers(everyone - SEEN_BY[role], names=True, masked=True)
    return []


def assert_private(row: Row, role: str, url: str, response) -> None:
    if row.upload:
        return
    forbidden = forbidden_for(role, row)
    text = body_text(response) if forbidden else None
    if text is None:
        return
    folded = text.casefold()
    # as whole words: "هنية" is a person's name, and a part of "المهنية" (professional)
    shown = [value for value in forbidden if re.search(rf"(?<!\w){re.escape(value.casefold())}(?!\w)", folded)]
    assert not shown, f"{row.id} as {role}: {row.method} {url} shows {shown}"


# --- The tests ------------------------------------------------------------------------------


def _cases():
    for row in TABLE:
        for role in ROLES:
            marks = [pytest.mark.xfail(strict=True, reason=row.bugs[role])] if role in row.bugs else []
            yield pytest.param(row, role, id=f"{row.id}-{role}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_it_answers_each_role_as_intended(world, row, role):
    url, response = ask(row, role, world)
    expected, got = row.expected[role], outcome(response)
    where = f" (to {response['Location']})" if response.status_code in (301, 302) else ""
    assert matches(expected, got), f"{row.id} as {role}: {row.method} {url} expected {expected}, got {got}{where}"
    if got == 200:
        assert_private(row, role, url, response)


POST_ONLY = [row for row in TABLE if row.method == "POST" and not row.variant]


@pytest.mark.django_db
@pytest.mark.parametrize("row", POST_ONLY, ids=[row.id for row in POST_ONLY])
def test_it_refuses_a_get_where_only_a_post_is_taken(world, row):
    url, response = ask(row, "admin", world, method="GET")  # the administrator passes every role check
    assert response.status_code == 405, f"{row.id}: GET {url} answered {response.status_code}, not 405"


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            static = [
                url.strip("/") + "/" for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.strip("/")
            ]
            if pattern.callback.__module__ == "django.views.static" or any(
                route.lstrip("^/").startswith(prefix) for prefix in static
            ):
                continue
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed: {route}>")
    return names


def test_it_names_each_row_once():
    ids = [row.id for row in TABLE]
    assert not {i for i in ids if ids.count(i) > 1}, "give each repeated URL name a variant"


def test_it_covers_every_url_pattern():
    names = _url_names(get_resolver())
    in_table = {row.name for row in TABLE}
    missing = sorted(set(names) - in_table)
    gone = sorted(in_table - set(names))
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not missing, f"URL patterns with no row in the permission matrix: {missing}"
    assert not gone, f"rows of the permission matrix for URL names that no longer exist: {gone}"
    assert not repeated, f"URL names used by more than one pattern: {repeated}"
