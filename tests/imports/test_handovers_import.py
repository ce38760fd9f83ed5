"""Handovers at an event from a sheet: one row per item delivered; a project not yet on the
event's list is put on it and recorded, a planned one recorded; the same file twice changes
nothing; an item not in the plan, a recorded handover with other quantities are problems; a
refusal while writing undoes every handover of the file."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from distributions.choices import EventStatus
from distributions.models import Event, Handover
from distributions.services import handover_plan
from imports import handovers_sheet
from imports.choices import ImportStatus
from imports.forms import UploadForm
from imports.handovers_sheet import columns
from imports.services import import_confirm, import_upload
from tests.distributions.conftest import envelope, funded_project  # noqa: F401 — shared fixtures
from tests.factories import province
from tests.imports.conftest import upload
from tests.imports.sheets import csv_of, xlsx_of

pytestmark = pytest.mark.django_db
HELD_ON = timezone.localdate() - datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def _jobs(immediate, private_media):
    """Jobs run at once; files go to a temporary folder."""


@pytest.fixture
def event(db, coordinator_a):
    return Event.objects.create(
        date=HELD_ON,
        province=province("03.061"),
        venue_fr="Siège de la préfecture de Meknès",
        presiding_title_ar="عامل عمالة مكناس",
        presiding_title_fr="Gouverneur de la préfecture de Meknès",
        created_by=coordinator_a,
    )


@pytest.fixture
def project(centre_a, coordinator_a, officer, envelope):  # noqa: F811
    """A bakery: Four à pain 14 500, Pétrin 6 800, 2 × Table inox 950,50; 3 000 of cash aid."""
    return funded_project(centre_a, coordinator_a, officer, envelope)


@pytest.fixture
def check(django_capture_on_commit_callbacks, event):
    def run(user, content: bytes, name: str = "handovers.xlsx", *, centre=None, at=None):
        with django_capture_on_commit_callbacks(execute=True):
            batch = import_upload(
                by=user, kind="handovers", centre=centre or user.centre, upload=upload(content, name), event=at or event
            )
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(batch, user):
        with django_capture_on_commit_callbacks(execute=True):
            import_confirm(batch=batch, by=user, on_existing="report", on_probable="skip")
        batch.refresh_from_db()
        return batch

    return run


def said(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def problems(batch) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["value"]) for p in batch.report["problems"]]


def delivered(project, *, table="2", cash="3000", drop=()) -> list[dict]:
    rows = [
        {"item": "Four à pain", "quantity": "1"},
        {"item": "pétrin", "quantity": "1"},  # written as it comes: case and accents do not matter
        {"item": "Table inox", "quantity": table},
    ]
    rows = [row for row in rows if row["item"] not in drop]
    for row in rows:
        row["project"] = project.number
    rows[0].update(delivered_on=HELD_ON.strftime("%d/%m/%Y"), cash_aid=cash)
    return rows


def quantities(handover) -> list[Decimal]:
    return [item.quantity for item in handover.items.order_by("id")]


def test_a_funded_project_is_put_on_the_list_and_recorded(coordinator_a, project, event, check, confirm):
    batch = check(coordinator_a, xlsx_of(columns(), delivered(project)))
    assert batch.report["counts"] == {"rows": 3, "recorded": 3}, batch.report["problems"]
    assert not Handover.objects.exists()  # the check writes nothing
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.IMPORTED
    handover = Handover.objects.get(project=project)
    assert (handover.event, handover.status, handover.delivered_on, handover.is_partial) == (
        event,
        "delivered",
        HELD_ON,
        False,
    )
    assert quantities(handover) == [Decimal("1.00"), Decimal("1.00"), Decimal("2.00")]
    assert handover.total_delivered == Decimal("26201.00") and handover.recorded_by == coordinator_a
    project.refresh_from_db()
    assert project.status == "delivered" and project.commitments.get().delivered_amount == Decimal("26201.00")


def test_a_partial_delivery_of_a_planned_handover(coordinator_a, project, event, envelope, check, confirm):  # noqa: F811
    planned = handover_plan(project=project, event=event, by=coordinator_a)
    batch = check(
        coordinator_a, csv_of(columns(), delivered(project, table="1", cash="1500", drop=["pétrin"])), "h.csv"
    )
    assert batch.report["counts"] == {"rows": 2, "recorded": 2}, batch.report["problems"]
    assert said("a partial delivery") in batch.report["notes"][0]["note"]
    confirm(batch, coordinator_a)
    planned.refresh_from_db()
    assert planned.is_partial and quantities(planned) == [Decimal("1.00"), Decimal("0.00"), Decimal("1.00")]
    assert planned.total_delivered == Decimal("14500.00") + Decimal("950.50") + Decimal("1500.00")
    envelope.refresh_from_db()
    assert envelope.committed == envelope.delivered == Decimal("16950.50")  # the rest is released


def test_the_same_file_twice_is_same_and_writes_nothing(coordinator_a, project, check, confirm):
    confirm(check(coordinator_a, xlsx_of(columns(), delivered(project))), coordinator_a)
    handover = Handover.objects.get()
    recorded = handover.history.count()
    again = check(coordinator_a, csv_of(columns(), delivered(project)), "again.csv")
    assert again.report["counts"] == {"rows": 3, "same": 3}
    confirm(again, coordinator_a)
    assert handover.history.count() == recorded and Handover.objects.count() == 1


def test_a_recorded_handover_with_other_quantities_is_a_problem(coordinator_a, project, check, confirm):
    confirm(check(coordinator_a, xlsx_of(columns(), delivered(project))), coordinator_a)
    batch = check(coordinator_a, csv_of(columns(), delivered(project, table="1")), "other.csv")
    assert [row for row, _column, _value in problems(batch)] == [2, 3, 4]
    assert project.number in batch.report["problems"][0]["message"]


def test_an_item_not_in_the_plan_is_a_problem_at_its_row(coordinator_a, project, check):
    rows = delivered(project)
    rows[2]["item"] = "Vélo cargo"
    rows.append({"project": project.number, "item": "Four à pain", "quantity": "1"})
    found = problems(check(coordinator_a, xlsx_of(columns(), rows)))
    assert (4, said("Item"), "Vélo cargo") in found
    assert (5, said("Item"), "Four à pain") in found  # already on row 2
    assert not Handover.objects.exists()


def test_what_the_services_would_refuse_is_foreseen_by_the_check(
    coordinator_a,
    centre_b,
    coordinator_b,
    officer,
    envelope,  # noqa: F811
    project,
    check,
):
    theirs = funded_project(centre_b, coordinator_b, officer, envelope)
    rows = delivered(project)
    rows[0]["delivered_on"] = (HELD_ON - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    rows.append(
        {"project": theirs.number, "item": "Four à pain", "quantity": "1", "delivered_on": HELD_ON, "cash_aid": 0}
    )
    found = problems(check(coordinator_a, xlsx_of(columns(), rows)))
    assert (2, said("Handed over on"), (HELD_ON - datetime.timedelta(days=1)).strftime("%d/%m/%Y")) in found
    assert (5, said("Project"), theirs.number) in found  # another centre's project is unknown here


def test_a_refusal_while_writing_undoes_every_handover(
    coordinator_a,
    centre_a,
    officer,
    envelope,  # noqa: F811
    project,
    check,
    confirm,
    monkeypatch,
):
    second = funded_project(centre_a, coordinator_a, officer, envelope)
    batch = check(coordinator_a, xlsx_of(columns(), [*delivered(project), *delivered(second)]))
    assert batch.report["counts"]["recorded"] == 6
    real = handovers_sheet.handover_record
    calls = []

    def refuse_the_second(**kwargs):
        calls.append(kwargs["handover"].project_id)
        if len(calls) == 2:
            raise ValidationError("This event is closed.")
        return real(**kwargs)

    monkeypatch.setattr(handovers_sheet, "handover_record", refuse_the_second)
    batch = confirm(batch, coordinator_a)
    assert batch.status == ImportStatus.CHECKED and second.number in batch.import_job.error
    assert not Handover.objects.exists()  # the first project's handover went too
    project.refresh_from_db()
    assert project.status == "funded"


def test_a_coordinator_of_another_centre_cannot_import_into_this_one(coordinator_b, centre_a, check):
    with pytest.raises(PermissionDenied):
        check(coordinator_b, xlsx_of(columns(), [{"project": "P-000001"}]), centre=centre_a)


def test_an_event_out_of_the_coordinators_reach_is_refused(coordinator_b, event, check):
    with pytest.raises(PermissionDenied):  # Meknès's event, where Fès's centre has nobody
        check(coordinator_b, xlsx_of(columns(), [{"project": "P-000001"}]), at=event)


def test_handovers_need_an_event(coordinator_a, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        import_upload(
            by=coordinator_a, kind="handovers", centre=coordinator_a.centre, upload=upload(b"x;y\n1;2\n", "h.csv")
        )


def test_the_upload_form_offers_the_open_events_the_user_may_use(coordinator_a, coordinator_b, officer, event):
    closed = Event.objects.create(
        date=HELD_ON, province=province("03.061"), venue_fr="Meknès", presiding_title_ar="-", status=EventStatus.CLOSED
    )
    assert list(UploadForm(user=coordinator_a).fields["event"].queryset) == [event]
    assert list(UploadForm(user=coordinator_b).fields["event"].queryset) == []
    assert closed not in UploadForm(user=officer).fields["event"].queryset
    form = UploadForm({"kind": "handovers", "encoding": "auto"}, {"file": upload(b"a;b\n")}, user=coordinator_a)
    assert not form.is_valid() and "event" in form.errors


def test_the_upload_page_passes_the_event_and_the_import_asks_no_choice(
    coordinator_a, project, event, client_for, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from imports.models import ImportBatch

    client = client_for(coordinator_a)
    page = client.get(reverse("imports:new"))
    assert page.status_code == 200 and 'name="event"' in page.content.decode()
    content = xlsx_of(columns(), delivered(project))
    data = {"kind": "handovers", "event": event.pk, "encoding": "auto", "file": upload(content, "h.xlsx")}
    assert list(page.context["form"].fields["event"].queryset) == [event]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:new"), data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.event == event
    detail = client.get(reverse("imports:detail", args=[batch.pk]))
    assert detail.status_code == 200 and 'id="confirm-form"' in detail.content.decode()
    assert 'name="on_existing"' not in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", args=[batch.pk]), {})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and Handover.objects.get().status == "delivered"
