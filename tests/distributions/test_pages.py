import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distributions.choices import EventStatus, HandoverStatus
from distributions.models import Event, EventPhoto, Handover
from distributions.services import handover_plan
from projects.choices import ProjectStatus
from projects.models import LifeProject
from tests.cast import READS_CASE
from tests.distributions.conftest import funded_project
from tests.factories import BeneficiaryFactory, CentreFactory, CoordinatorFactory, province
from tests.html_forms import read_form
from tests.images import PNG
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)]
)
def test_the_event_list_for_the_cast(cast, client_for, event, who, status):
    assert client_for(cast[who]).get(reverse("distributions:events")).status_code == status


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_event_page_for_the_cast(cast, client_for, event, who, status):
    assert client_for(cast[who]).get(reverse("distributions:event", args=[event.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_handover_page_for_the_cast(cast, client_for, planned, who, status):
    assert client_for(cast[who]).get(reverse("distributions:handover", args=[planned.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_printed_papers_for_the_cast(cast, client_for, delivered, event, who, status):
    client = client_for(cast[who])
    expected = {200: (200, 200, 200)}.get(status, (status, status, status))
    assert client.post(reverse("distributions:receipt", args=[delivered.pk])).status_code == expected[0]
    assert client.post(reverse("distributions:event_receipts", args=[event.pk])).status_code == expected[1]
    assert client.get(reverse("distributions:event_summary", args=[event.pk])).status_code == expected[2]


def test_a_coordinator_of_another_centre_sees_only_their_people_at_a_joint_event(
    client_for, coordinator_a, coordinator_b, officer, centre_b, planned, event, envelope
):
    theirs = funded_project(centre_b, coordinator_b, officer, envelope, last_name_latin="Fassi")
    handover_plan(project=theirs, event=event, by=officer)  # HQ puts both centres on one list
    page_b = client_for(coordinator_b).get(reverse("distributions:event", args=[event.pk]))
    assert [h.project for h in page_b.context["handovers"]] == [theirs]
    assert client_for(coordinator_b).get(reverse("distributions:handover", args=[planned.pk])).status_code == 404
    assert len(client_for(officer).get(reverse("distributions:event", args=[event.pk])).context["handovers"]) == 2


def test_a_coordinator_creates_an_event_in_their_provinces_only(client_for, coordinator_a):
    client = client_for(coordinator_a)
    data = read_form(client.get(reverse("distributions:event_create")))
    data.update(
        {
            "date": "2026-06-10",
            "province": province("03.231").pk,
            "venue_fr": "Fès",
            "venue_ar": "فاس",
            "presiding_title_ar": "عامل",
            "presiding_title_fr": "Gouverneur",
        }
    )
    response = client.post(reverse("distributions:event_create"), data)
    assert response.status_code == 200 and "province" in response.context["form"].errors
    data["province"] = province("03.061").pk
    assert client.post(reverse("distributions:event_create"), data).status_code == 302
    assert Event.objects.get().created_by == coordinator_a


def test_attaching_prefills_the_items_from_the_plan(client_for, coordinator_a, project_a, event):
    response = client_for(coordinator_a).post(
        reverse("distributions:event_attach", args=[event.pk]), {"projects": [project_a.pk]}
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert [(i.item, i.planned_quantity, i.unit_price) for i in handover.items.all()] == [
        ("Four à pain", Decimal("1.00"), Decimal("14500.00")),
        ("Pétrin", Decimal("1.00"), Decimal("6800.00")),
        ("Table inox", Decimal("2.00"), Decimal("950.50")),
    ]
    assert handover.cash_aid_delivered == Decimal("3000.00") and handover.status == HandoverStatus.PLANNED


def test_only_funded_projects_can_be_attached(coordinator_a, centre_a, event, officer):
    from django.core.exceptions import ValidationError

    from tests.factories import make_project

    approved = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
    with pytest.raises(ValidationError):
        handover_plan(project=approved, event=event, by=coordinator_a)


def test_the_plan_service_holds_the_event_rules_itself(
    coordinator_a, coordinator_b, centre_a, centre_b, event, officer, envelope
):
    """The view offers only the right projects; the service refuses the rest on its own."""
    from django.core.exceptions import PermissionDenied, ValidationError

    elsewhere = funded_project(centre_a, coordinator_a, officer, envelope)
    LifeProject.objects.filter(pk=elsewhere.pk).update(province=province("07.427"))  # another region
    with pytest.raises(ValidationError):
        handover_plan(project=elsewhere, event=event, by=coordinator_a)
    # A centre that does not organise the event cannot put its people on the list, even in the region.
    theirs = funded_project(centre_b, coordinator_b, officer, envelope)
    with pytest.raises(PermissionDenied):
        handover_plan(project=theirs, event=event, by=coordinator_b)
    event.status = EventStatus.CLOSED
    event.save()
    ours = funded_project(centre_a, coordinator_a, officer, envelope)
    with pytest.raises(ValidationError):
        handover_plan(project=ours, event=event, by=officer)
    assert not Handover.objects.exists()


def test_recording_a_partial_delivery_through_the_form(client_for, coordinator_a, planned, project_a, envelope):
    client = client_for(coordinator_a)
    url = reverse("distributions:handover", args=[planned.pk])
    data = read_form(client.get(url), "handover-form")
    data.update(
        {
            "items-2-quantity": "1",
            "items-0-brand": "Bongard",
            "items-0-serial_number": "BG-2026-001",
            "delivered_on": "2026-05-24",
            "cash_aid": "2500.00",
        }
    )
    assert client.post(url, data).status_code == 302
    planned.refresh_from_db()
    project_a.refresh_from_db()
    envelope.refresh_from_db()
    assert planned.status == HandoverStatus.DELIVERED and planned.is_partial
    assert planned.total_delivered == Decimal("14500.00") + Decimal("6800.00") + Decimal("950.50") + Decimal("2500.00")
    assert planned.items.get(item_fr="Four à pain").serial_number == "BG-2026-001"
    # The projects' services moved the workflow and the envelope.
    assert project_a.status == ProjectStatus.DELIVERED
    assert envelope.delivered == envelope.committed == Decimal("24750.50")
    assert next(v.due_on for v in project_a.visits.all()) == datetime.date(2026, 8, 24)


def test_a_future_handover_date_is_refused(client_for, coordinator_a, planned):
    client = client_for(coordinator_a)
    url = reverse("distributions:handover", args=[planned.pk])
    data = read_form(client.get(url), "handover-form")
    data["delivered_on"] = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 200 and "delivered_on" in response.context["delivery"].errors
    planned.refresh_from_db()
    assert planned.status == HandoverStatus.PLANNED


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 302), ("coordinator_b", 404), ("analyst", 403), ("anonymous", 302)]
)
def test_recording_for_the_cast(cast, client_for, planned, who, status):
    response = client_for(cast[who]).post(
        reverse("distributions:handover", args=[planned.pk]),
        {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0", "delivered_on": "2026-05-24", "cash_aid": "3000"},
    )
    assert response.status_code == status
    planned.refresh_from_db()
    assert (planned.status == HandoverStatus.DELIVERED) is (who == "officer")


def test_a_signed_scan_is_checked_and_served_in_scope(client_for, coordinator_a, coordinator_b, delivered):
    client = client_for(coordinator_a)
    upload = reverse("distributions:handover_signed_upload", args=[delivered.pk])
    client.post(upload, {"file": SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf")})
    delivered.refresh_from_db()
    assert delivered.status == HandoverStatus.DELIVERED
    client.post(upload, {"file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n")})
    delivered.refresh_from_db()
    assert delivered.status == HandoverStatus.SIGNED
    assert client.get(reverse("distributions:handover_signed", args=[delivered.pk])).status_code == 200
    assert (
        client_for(coordinator_b).get(reverse("distributions:handover_signed", args=[delivered.pk])).status_code == 404
    )


def test_a_replaced_signed_scan_leaves_no_file_behind(
    client_for, coordinator_a, delivered, private_media, django_capture_on_commit_callbacks
):
    client = client_for(coordinator_a)
    upload = reverse("distributions:handover_signed_upload", args=[delivered.pk])
    client.post(upload, {"file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n")})
    delivered.refresh_from_db()
    first = private_media / delivered.signed_scan.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload, {"file": SimpleUploadedFile("signed-better.pdf", b"%PDF-1.4\n%%EOF\n")})
    delivered.refresh_from_db()
    assert not first.exists()
    assert (private_media / delivered.signed_scan.name).exists()


def test_a_planned_handover_can_be_removed_a_delivered_one_cannot(client_for, coordinator_a, planned, coordinator_b):
    assert (
        client_for(coordinator_b).post(reverse("distributions:handover_delete", args=[planned.pk])).status_code == 404
    )
    assert (
        client_for(coordinator_a).post(reverse("distributions:handover_delete", args=[planned.pk])).status_code == 302
    )
    assert not Handover.objects.exists()


def test_an_event_closes_only_once_every_handover_is_recorded(client_for, officer, planned, event):
    client = client_for(officer)
    client.post(reverse("distributions:event_status", args=[event.pk]), {"status": "held"})
    client.post(reverse("distributions:event_status", args=[event.pk]), {"status": "closed"})
    event.refresh_from_db()
    assert event.status == EventStatus.HELD


def test_the_event_page_costs_the_same_for_1_and_10_handovers(
    client_for, officer, coordinator_a, centre_a, event, envelope, planned
):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("distributions:event", args=[event.pk])).status_code == 200
        assert client.get(reverse("distributions:events")).status_code == 200

    def grow():
        for _ in range(9):
            handover_plan(
                project=funded_project(centre_a, coordinator_a, officer, envelope), event=event, by=coordinator_a
            )

    assert_constant_queries(fetch, grow, budget=26)


def test_the_handover_page_costs_a_fixed_number_of_queries(client_for, coordinator_a, planned):
    client = client_for(coordinator_a)

    def fetch():
        assert client.get(reverse("distributions:handover", args=[planned.pk])).status_code == 200

    def grow():
        from distributions.models import HandoverItem

        HandoverItem.objects.bulk_create(
            HandoverItem(handover=planned, item_fr=f"Article {i}", quantity=1, unit_price=1, amount=1)
            for i in range(20)
        )

    assert_constant_queries(fetch, grow, budget=12)


def test_a_third_centre_does_not_see_the_event(client_for, event):
    outsider = CoordinatorFactory(centre=CentreFactory(provinces=["07.351"]))
    assert client_for(outsider).get(reverse("distributions:event", args=[event.pk])).status_code == 404


def test_the_event_keeps_its_date_and_province_once_a_handover_is_recorded(coordinator_a, delivered, event):
    from django.core.exceptions import ValidationError

    from distributions.services import event_save

    event.date = datetime.date(2026, 6, 1)
    with pytest.raises(ValidationError):
        event_save(event=event, partners=[], by=coordinator_a)
    event.refresh_from_db()
    assert event.date == datetime.date(2026, 5, 24)


def test_a_handover_cannot_come_before_its_event(coordinator_a, planned):
    from django.core.exceptions import ValidationError

    from distributions.services import handover_record

    with pytest.raises(ValidationError) as raised:
        handover_record(
            handover=planned,
            items=[],
            cash_aid=Decimal("3000"),
            delivered_on=datetime.date(2026, 5, 1),
            by=coordinator_a,
        )
    assert "delivered_on" in raised.value.message_dict


def test_recording_a_handover_marks_a_planned_event_held(coordinator_a, delivered, event):
    event.refresh_from_db()
    assert event.status == EventStatus.HELD


def test_only_projects_of_the_events_region_can_be_attached(
    client_for, officer, coordinator_b, centre_b, envelope, event
):
    from distributions.selectors import attachable_projects

    nearby = funded_project(centre_b, coordinator_b, officer, envelope)  # Fès: same region as Meknès
    far_case = BeneficiaryFactory(centre=centre_b, province=province("07.427"))
    from projects.services import commitment_create
    from tests.factories import make_project

    far = make_project(far_case, coordinator_b, status="approved", officer=officer)
    commitment_create(project=far, envelope=envelope, by=officer)
    assert list(attachable_projects(user=officer, event=event)) == [nearby]


def test_the_handover_page_is_in_the_access_log(client_for, officer, planned):
    from beneficiaries.models import CaseView

    client_for(officer).get(reverse("distributions:handover", args=[planned.pk]))
    assert CaseView.objects.filter(user=officer, page="handover").exists()


def test_an_event_photo_is_checked_stored_under_a_random_name_and_served_in_scope(
    client_for, coordinator_a, coordinator_b, event
):
    client = client_for(coordinator_a)
    upload_url = reverse("distributions:event_photo_upload", args=[event.pk])
    client.post(upload_url, {"image": SimpleUploadedFile("cérémonie.png", b"%PDF-1.4 not a photo")})
    assert not EventPhoto.objects.exists()
    client.post(upload_url, {"image": SimpleUploadedFile("Cérémonie Alaoui.PNG", PNG)})
    photo = EventPhoto.objects.get()
    folder, name = photo.image.name.rsplit("/", 1)
    assert folder == f"events/{event.pk}" and name.endswith(".png") and "Alaoui" not in name
    photo_url = reverse("distributions:event_photo", args=[event.pk, photo.pk])
    assert client.get(photo_url).status_code == 200
    assert client_for(coordinator_b).get(photo_url).status_code == 404
    assert client_for(coordinator_b).post(upload_url, {"image": SimpleUploadedFile("x.png", PNG)}).status_code == 404
    assert EventPhoto.objects.count() == 1
