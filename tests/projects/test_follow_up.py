import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import AccompanimentAction
from projects.choices import ProjectStatus
from projects.models import PlannedAction, VisitPhoto
from projects.selectors import followups_due
from projects.services import (
    commitment_create,
    commitment_deliver,
    planned_action_add,
    visit_photo_add,
    visit_record,
)
from tests.cast import WRITES_CASE
from tests.html_forms import submit
from tests.images import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(approved, envelope, officer):
    commitment_create(project=approved, envelope=envelope, by=officer)
    handed_over = timezone.localdate() - datetime.timedelta(days=100)
    commitment_deliver(project=approved, delivered=approved.total, by=officer, on=handed_over)
    approved.refresh_from_db()
    return approved


def test_visits_follow_the_configured_months(settings, approved, envelope, officer):
    settings.FOLLOW_UP_MONTHS = [1, 18]
    commitment_create(project=approved, envelope=envelope, by=officer)
    commitment_deliver(project=approved, delivered=approved.total, by=officer, on=datetime.date(2026, 1, 31))
    assert [(v.months_after, v.due_on) for v in approved.visits.all()] == [
        (1, datetime.date(2026, 2, 28)),
        (18, datetime.date(2027, 7, 31)),
    ]


def test_an_overdue_visit_shows_on_the_coordinators_home(client_for, coordinator_a, coordinator_b, delivered):
    overdue = delivered.visits.get(months_after=3)
    assert overdue.is_overdue
    assert overdue in followups_due(user=coordinator_a)
    assert overdue not in followups_due(user=coordinator_b)
    home = client_for(coordinator_a).get(reverse("home")).content.decode()
    assert reverse("projects:visit", args=[delivered.pk, overdue.pk]) in home


def test_recording_a_visit_starts_the_follow_up(client_for, coordinator_a, delivered):
    visit = delivered.visits.get(months_after=3)
    response = submit(
        client_for(coordinator_a),
        reverse("projects:visit", args=[delivered.pk, visit.pk]),
        done_on=timezone.localdate().isoformat(),
        activity_running="partly",
        equipment_in_use="yes",
        monthly_income="2500.00",
        jobs_created="1",
        problems="Local trop petit",
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    delivered.refresh_from_db()
    assert (visit.activity_running, visit.monthly_income, visit.recorded_by) == (
        "partly",
        Decimal("2500.00"),
        coordinator_a,
    )
    assert delivered.status == ProjectStatus.FOLLOW_UP
    assert visit not in followups_due(user=coordinator_a)


def test_a_visit_needs_its_answers(client_for, coordinator_a, delivered):
    visit = delivered.visits.get(months_after=3)
    response = submit(client_for(coordinator_a), reverse("projects:visit", args=[delivered.pk, visit.pk]), done_on="")
    assert {"done_on", "activity_running", "equipment_in_use"} <= set(response.context["form"].errors)


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_the_visit_page_for_the_cast(cast, client_for, delivered, who, status):
    visit = delivered.visits.first()
    assert client_for(cast[who]).get(reverse("projects:visit", args=[delivered.pk, visit.pk])).status_code == status


def test_a_photo_is_checked_and_served_only_in_scope(
    client_for, coordinator_a, coordinator_b, delivered, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    visit = delivered.visits.first()
    url = reverse("projects:visit", args=[delivered.pk, visit.pk])
    client = client_for(coordinator_a)
    client.post(url, {"image": SimpleUploadedFile("scan.png", b"%PDF-1.4 not a photo")})
    assert not VisitPhoto.objects.exists()
    client.post(url, {"image": SimpleUploadedFile("atelier.png", PNG)})
    photo = VisitPhoto.objects.get()
    assert photo.image.name.startswith(f"visits/{delivered.pk}/") and "atelier" not in photo.image.name
    photo_url = reverse("projects:visit_photo", args=[delivered.pk, visit.pk, photo.pk])
    assert client.get(photo_url).status_code == 200
    assert client_for(coordinator_b).get(photo_url).status_code == 404


def test_a_planned_action_is_logged_when_done(client_for, coordinator_a, draft):
    planned = planned_action_add(project=draft, by=coordinator_a, kind="administrative", description="Obtenir la CIN")
    response = submit(
        client_for(coordinator_a),
        reverse("projects:planned_done", args=[draft.pk, planned.pk]),
        outcome="Carte retirée",
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    action = AccompanimentAction.objects.get()
    assert planned.done_as == action and action.beneficiary == draft.beneficiary
    assert (action.kind, action.description, action.outcome) == ("administrative", "Obtenir la CIN", "Carte retirée")


def test_the_plan_form_adds_an_action(client_for, coordinator_a, draft):
    client_for(coordinator_a).post(
        reverse("projects:planned_add", args=[draft.pk]), {"kind": "health", "description": "Bilan de santé"}
    )
    assert PlannedAction.objects.get().description == "Bilan de santé"


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("coordinator_b", 404), ("analyst", 403)])
def test_planned_actions_for_the_cast(cast, client_for, draft, coordinator_a, who, status):
    planned = planned_action_add(project=draft, by=coordinator_a, kind="social", description="x")
    client = client_for(cast[who])
    response = client.post(reverse("projects:planned_add", args=[draft.pk]), {"kind": "social", "description": "y"})
    assert response.status_code == status
    assert PlannedAction.objects.count() == 1
    assert client.get(reverse("projects:planned_done", args=[draft.pk, planned.pk])).status_code == status


def test_the_follow_up_services_refuse_a_program_officer(delivered, officer):
    visit = delivered.visits.first()
    with pytest.raises(PermissionDenied):
        visit_record(visit=visit, by=officer, done_on=timezone.localdate(), activity_running="yes")
    with pytest.raises(PermissionDenied):
        visit_photo_add(visit=visit, upload=SimpleUploadedFile("atelier.png", PNG), by=officer)
    with pytest.raises(PermissionDenied):
        planned_action_add(project=delivered, by=officer, kind="administrative", description="Obtenir la CIN")
    visit.refresh_from_db()
    assert visit.done_on is None and not VisitPhoto.objects.exists() and not PlannedAction.objects.exists()
