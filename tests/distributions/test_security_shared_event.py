"""Finding 5 of issue 10: what a coordinator of another centre sees of a shared event.

HQ puts people of two centres on one ceremony, held in Meknès (centre A's province). The event
is centre A's and HQ's: its page, photos and whole-ceremony summary. Centre B, which only has
people on its list, sees the event's date, place, operation and presiding official, and its own
people's handovers and receipts: not the photos, not centre A's people, not the summary (whose
small counts could single people out), not the organisers' notes.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distributions.selectors import event_get_for_user
from distributions.services import event_photo_add, handover_plan, handover_record
from tests.distributions.conftest import funded_project, pdf_text
from tests.images import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(event, planned, coordinator_a, coordinator_b, officer, centre_b, envelope):
    """The Meknès event with a person of each centre on it, a photo and organisers' notes."""
    theirs = funded_project(centre_b, coordinator_b, officer, envelope, last_name_latin="Fassi")
    handover = handover_plan(project=theirs, event=event, by=officer)
    photo = event_photo_add(event=event, upload=SimpleUploadedFile("ceremony.png", PNG), by=coordinator_a)
    event.notes = "Parking derrière la préfecture"
    event.save(update_fields=["notes"])
    return {"event": event, "ours": planned, "theirs": handover, "photo": photo}


PAGES = {
    # who: (event page, photo, summary PDF)
    "admin": (200, 200, 200),
    "officer": (200, 200, 200),
    "coordinator_a": (200, 200, 200),
    "coordinator_b": (200, 404, 403),
    "analyst": (403, 403, 403),
    "anonymous": (302, 302, 302),
}


@pytest.mark.parametrize(("who", "expected"), PAGES.items())
def test_the_shared_events_pages_for_the_cast(cast, client_for, shared, who, expected):
    client, event = client_for(cast[who]), shared["event"]
    answers = (
        client.get(reverse("distributions:event", args=[event.pk])).status_code,
        client.get(reverse("distributions:event_photo", args=[event.pk, shared["photo"].pk])).status_code,
        client.get(reverse("distributions:event_summary", args=[event.pk])).status_code,
    )
    assert answers == expected


def test_the_other_centre_sees_its_own_people_and_the_events_public_facts(client_for, coordinator_b, shared):
    event = shared["event"]
    response = client_for(coordinator_b).get(reverse("distributions:event", args=[event.pk]))
    html = response.content.decode()
    assert [h.pk for h in response.context["handovers"]] == [shared["theirs"].pk]
    assert response.context["photos"] == []
    assert "FASSI" in html.upper() and "IDRISSI" not in html.upper()
    assert event.venue in html
    assert reverse("distributions:event_summary", args=[event.pk]) not in html
    assert reverse("distributions:event_photo", args=[event.pk, shared["photo"].pk]) not in html
    assert "Parking" not in html


def test_the_host_centre_and_hq_see_the_photos_and_the_summary_link(client_for, coordinator_a, officer, shared):
    event = shared["event"]
    for user in (coordinator_a, officer):
        response = client_for(user).get(reverse("distributions:event", args=[event.pk]))
        assert response.context["photos"] == [shared["photo"]]
        assert reverse("distributions:event_summary", args=[event.pk]) in response.content.decode()


def test_the_other_centre_prints_its_own_receipts_only(client_for, coordinator_a, coordinator_b, shared, tmp_path):
    for handover, by in ((shared["ours"], coordinator_a), (shared["theirs"], coordinator_b)):
        items = [{"id": i.pk, "quantity": i.quantity, "brand": "", "serial_number": ""} for i in handover.items.all()]
        handover_record(
            handover=handover, items=items, cash_aid=Decimal("0.00"), delivered_on=datetime.date(2026, 5, 24), by=by
        )
    response = client_for(coordinator_b).post(reverse("distributions:event_receipts", args=[shared["event"].pk]))
    text = pdf_text(response.content, tmp_path)
    assert "FASSI" in text.upper() and "IDRISSI" not in text.upper()


def test_the_event_list_counts_only_the_other_centres_own_people(client_for, coordinator_b, officer, shared):
    row = client_for(coordinator_b).get(reverse("distributions:events")).context["page"].object_list[0]
    assert row.handover_count == 1
    assert client_for(officer).get(reverse("distributions:events")).context["page"].object_list[0].handover_count == 2


def test_the_scope_is_in_the_selector_not_the_template(coordinator_a, coordinator_b, shared):
    from django.core.exceptions import PermissionDenied

    event_pk = shared["event"].pk
    assert event_get_for_user(coordinator_a, event_pk, whole=True).hosted
    assert not event_get_for_user(coordinator_b, event_pk).hosted
    with pytest.raises(PermissionDenied):
        event_get_for_user(coordinator_b, event_pk, whole=True)
