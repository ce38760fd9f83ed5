import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from beneficiaries.choices import CaseStatus, TransferStatus
from beneficiaries.models import Transfer
from beneficiaries.services import transfer_request
from tests.cast import READS_CASE
from tests.factories import BeneficiaryFactory, CentreFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


@pytest.fixture
def transfer(case, centre_b, coordinator_a):
    return transfer_request(case=case, to_centre=centre_b, reason="Moved to Fès", by=coordinator_a)


def test_the_former_centre_asks_and_the_receiving_centre_accepts(
    client_for, coordinator_a, coordinator_b, case, centre_b
):
    response = client_for(coordinator_a).post(
        reverse("beneficiaries:transfer_create", args=[case.pk]), {"to_centre": centre_b.pk, "reason": "Moved"}
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    # The receiving centre sees it waiting, with the person's name, before accepting.
    inbox = client_for(coordinator_b).get(reverse("beneficiaries:transfers"))
    assert inbox.context["waiting"] == [transfer]
    # Until accepted, the receiving centre cannot open the case.
    assert client_for(coordinator_b).get(reverse("beneficiaries:detail", args=[case.pk])).status_code == 404

    accepted = client_for(coordinator_b).post(
        reverse("beneficiaries:transfer_accept", args=[transfer.pk]), {"note": "ok"}
    )
    assert accepted.status_code == 302
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.centre == centre_b
    assert (transfer.status, transfer.decided_by, transfer.decision_note) == (
        TransferStatus.ACCEPTED,
        coordinator_b,
        "ok",
    )
    assert client_for(coordinator_b).get(reverse("beneficiaries:detail", args=[case.pk])).status_code == 200
    # The former centre loses access at once.
    assert client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status", "accepted"),
    [
        ("admin", 302, True),
        ("officer", 302, True),
        ("analyst", 403, False),
        ("coordinator_a", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_accepting_for_the_cast(cast, client_for, transfer, who, status, accepted):
    assert (
        client_for(cast[who]).post(reverse("beneficiaries:transfer_accept", args=[transfer.pk])).status_code == status
    )
    transfer.refresh_from_db()
    assert (transfer.status == TransferStatus.ACCEPTED) is accepted


def test_a_third_centre_does_not_even_see_the_transfer(client_for, transfer):
    outsider = CoordinatorFactory(centre=CentreFactory(provinces=["07.351"]))
    assert client_for(outsider).post(reverse("beneficiaries:transfer_accept", args=[transfer.pk])).status_code == 404
    assert client_for(outsider).get(reverse("beneficiaries:transfers")).context["page"].paginator.count == 0


def test_the_receiving_centre_refuses(client_for, coordinator_b, transfer, case, centre_a):
    client_for(coordinator_b).post(reverse("beneficiaries:transfer_refuse", args=[transfer.pk]), {"note": "Not here"})
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and case.centre == centre_a


def test_the_former_centre_cancels_but_the_receiving_one_cannot(client_for, coordinator_a, coordinator_b, transfer):
    assert (
        client_for(coordinator_b).post(reverse("beneficiaries:transfer_cancel", args=[transfer.pk])).status_code == 403
    )
    assert (
        client_for(coordinator_a).post(reverse("beneficiaries:transfer_cancel", args=[transfer.pk])).status_code == 302
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_only_one_transfer_waits_at_a_time(case, centre_b, coordinator_a, transfer):
    with pytest.raises(ValidationError):
        transfer_request(case=case, to_centre=centre_b, reason="again", by=coordinator_a)
    assert Transfer.objects.count() == 1


def test_a_decided_transfer_cannot_be_decided_again(client_for, coordinator_b, transfer):
    client = client_for(coordinator_b)
    client.post(reverse("beneficiaries:transfer_refuse", args=[transfer.pk]))
    assert client.post(reverse("beneficiaries:transfer_accept", args=[transfer.pk])).status_code == 403


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_request_page_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:transfer_create", args=[case.pk])).status_code == status


@pytest.mark.parametrize("who", ["admin", "officer", "coordinator_a"])
def test_an_archived_case_is_not_transferred_even_by_hq(cast, client_for, case, centre_b, who):
    client = client_for(cast[who])
    url = reverse("beneficiaries:transfer_create", args=[case.pk])
    detail = reverse("beneficiaries:detail", args=[case.pk])
    assert url in client.get(detail).content.decode()
    case.status = CaseStatus.ARCHIVED
    case.save()
    assert url not in client.get(detail).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"to_centre": centre_b.pk, "reason": "Moved"}).status_code == 403
    with pytest.raises(PermissionDenied):
        transfer_request(case=case, to_centre=centre_b, reason="Moved", by=cast[who])
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)],
)
def test_the_transfer_list_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:transfers")).status_code == status


def test_decisions_need_post(client_for, coordinator_b, transfer):
    assert (
        client_for(coordinator_b).get(reverse("beneficiaries:transfer_accept", args=[transfer.pk])).status_code == 405
    )


def test_what_waits_for_an_answer_is_what_each_user_may_decide(cast, case, centre_b, coordinator_a):
    other = BeneficiaryFactory(centre=centre_b)
    coming = transfer_request(case=case, to_centre=centre_b, reason="Moved", by=coordinator_a)
    going = transfer_request(case=other, to_centre=case.centre, reason="Moved back", by=cast["officer"])
    for who in ("admin", "officer", "analyst", "coordinator_a", "coordinator_b"):
        user = cast[who]
        decidable = {t for t in (coming, going) if t.decidable_by(user)}
        assert set(Transfer.objects.awaiting_decision_by(user)) == decidable, who


def test_the_coordinator_home_counts_every_waiting_transfer(client_for, coordinator_a, coordinator_b, centre_b):
    for _ in range(9):
        transfer_request(
            case=BeneficiaryFactory(centre=coordinator_a.centre), to_centre=centre_b, reason="Moved", by=coordinator_a
        )
    home = client_for(coordinator_b).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "9 transfers are waiting for your answer." in home
