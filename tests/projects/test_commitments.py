import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from projects.choices import CommitmentStatus, ProjectStatus
from projects.models import Commitment, Envelope
from projects.services import commitment_cancel, commitment_create, commitment_deliver
from reintegration.models import Province, Region
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province

pytestmark = pytest.mark.django_db


def test_funding_commits_the_total_and_moves_the_project(approved, envelope, officer):
    commitment = commitment_create(project=approved, envelope=envelope, by=officer)
    envelope.refresh_from_db()
    approved.refresh_from_db()
    assert commitment.amount == Decimal("12000.00") == envelope.committed
    assert envelope.available == Decimal("88000.00")
    assert approved.status == ProjectStatus.FUNDED
    assert approved.transitions.first().target == ProjectStatus.FUNDED


def test_an_over_commitment_is_refused_with_a_clear_message(approved, officer):
    small = EnvelopeFactory(name="Petite enveloppe", amount=Decimal("10000.00"))
    with pytest.raises(ValidationError) as raised, translation.override("fr"):
        commitment_create(project=approved, envelope=small, by=officer)
    message = " ".join(raised.value.messages)
    assert (
        message
        == "Dépassement : Petite enveloppe n’a plus que 10\u202f000,00\u00a0DH, et il faut 12\u202f000,00\u00a0DH."
    )
    small.refresh_from_db()
    approved.refresh_from_db()
    assert small.committed == 0 and approved.status == ProjectStatus.APPROVED
    assert not Commitment.objects.exists()


def test_the_database_itself_refuses_an_overcommitted_envelope(envelope):
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(committed=envelope.amount + 1)


def test_only_an_approved_project_is_funded(draft, envelope, officer):
    with pytest.raises(ValidationError):
        commitment_create(project=draft, envelope=envelope, by=officer)


def test_only_hq_funds(approved, envelope, coordinator_a):
    with pytest.raises(PermissionDenied):
        commitment_create(project=approved, envelope=envelope, by=coordinator_a)


@pytest.mark.parametrize(
    ("territory", "project_province", "covers"),
    [
        ({}, "07.427", True),  # national
        ({"region": "07"}, "07.585", True),
        ({"region": "07"}, "03.061", False),
        ({"province": "07.427"}, "07.427", True),
        ({"province": "07.427"}, "07.585", False),
        ({"province": "06.141"}, "06.141.01.60", True),  # Casablanca covers Ben M'Sick
        ({"province": "06.141.01.60"}, "06.141.01.70", False),  # Ben M'Sick does not cover Moulay Rachid
    ],
)
def test_an_envelope_funds_only_projects_in_its_territory(
    officer, coordinator_a, centre_a, territory, project_province, covers
):
    envelope = EnvelopeFactory(
        region=Region.objects.get(code=territory["region"]) if "region" in territory else None,
        province=province(territory["province"]) if "province" in territory else None,
    )
    case = BeneficiaryFactory(centre=centre_a, province=Province.objects.get(code=project_province))
    project = make_project(case, coordinator_a, status="approved", officer=officer)
    assert envelope.covers(project.province) is covers
    assert Envelope.objects.covering(project.province).filter(pk=envelope.pk).exists() is covers
    if covers:
        commitment_create(project=project, envelope=envelope, by=officer)
    else:
        with pytest.raises(ValidationError):
            commitment_create(project=project, envelope=envelope, by=officer)


def test_cancelling_releases_the_amount(approved, envelope, officer):
    commitment = commitment_create(project=approved, envelope=envelope, by=officer)
    commitment_cancel(commitment=commitment, by=officer, reason="Le bénéficiaire a renoncé")
    envelope.refresh_from_db()
    approved.refresh_from_db()
    commitment.refresh_from_db()
    assert envelope.committed == 0 and commitment.status == CommitmentStatus.CANCELLED
    assert approved.status == ProjectStatus.APPROVED
    # ...and it can be funded again.
    commitment_create(project=approved, envelope=envelope, by=officer)


@pytest.mark.parametrize(
    ("delivered", "committed_after"),
    [
        (Decimal("11500.50"), Decimal("11500.50")),
        (Decimal("12000.00"), Decimal("12000.00")),
        (Decimal("12500.00"), Decimal("12500.00")),
    ],
)
def test_delivering_keeps_the_actual_amount_and_releases_the_difference(
    approved, envelope, officer, delivered, committed_after
):
    commitment_create(project=approved, envelope=envelope, by=officer)
    commitment_deliver(project=approved, delivered=delivered, by=officer, on=datetime.date(2026, 5, 24))
    envelope.refresh_from_db()
    approved.refresh_from_db()
    assert (envelope.committed, envelope.delivered) == (committed_after, delivered)
    assert approved.status == ProjectStatus.DELIVERED
    assert [v.months_after for v in approved.visits.all()] == [3, 6, 12, 24]
    assert approved.visits.first().due_on == datetime.date(2026, 8, 24)


def test_delivering_more_than_the_envelope_has_is_refused(approved, officer):
    envelope = EnvelopeFactory(amount=Decimal("12100.00"))
    commitment_create(project=approved, envelope=envelope, by=officer)
    with pytest.raises(ValidationError):
        commitment_deliver(project=approved, delivered=Decimal("12200.00"), by=officer, on=datetime.date(2026, 5, 24))
    envelope.refresh_from_db()
    assert (envelope.committed, envelope.delivered) == (Decimal("12000.00"), 0)


def test_envelope_changes_are_audited(approved, envelope, officer):
    commitment_create(project=approved, envelope=envelope, by=officer)
    latest = envelope.history.first()
    assert latest.committed == Decimal("12000.00") and latest.history_user == officer


# --- Through the pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 302),
        ("officer", 302),
        ("analyst", 403),
        ("coordinator_a", 403),
        ("coordinator_b", 403),
        ("anonymous", 302),
    ],
)
def test_the_fund_view_for_the_cast(cast, client_for, approved, envelope, who, status):
    data = {"projects": approved.pk, "envelope": envelope.pk}
    response = client_for(cast[who]).post(reverse("projects:fund_review"), data)
    assert response.status_code == status
    approved.refresh_from_db()
    assert (approved.status == ProjectStatus.FUNDED) is (who in ("admin", "officer"))


def test_an_over_budget_funding_shows_its_message(client_for, approved, officer):
    small = EnvelopeFactory(name="Petite enveloppe", amount=Decimal("10000.00"))
    response = client_for(officer).get(reverse("projects:fund_review"), {"projects": approved.pk, "envelope": small.pk})
    expected = "Over budget: Petite enveloppe has 10,000.00\u00a0MAD left, and this needs 12,000.00\u00a0MAD."
    assert expected in response.content.decode()


def test_the_cancel_view_needs_a_reason(client_for, approved, envelope, officer):
    commitment_create(project=approved, envelope=envelope, by=officer)
    client_for(officer).post(reverse("projects:commitment_cancel", args=[approved.pk]), {"reason": ""})
    assert Commitment.objects.get().status == CommitmentStatus.ACTIVE
    client_for(officer).post(
        reverse("projects:commitment_cancel", args=[approved.pk]), {"reason": "Erreur d'enveloppe"}
    )
    assert Commitment.objects.get().status == CommitmentStatus.CANCELLED


def test_a_commitment_whose_project_is_on_an_event_cannot_be_cancelled(approved, envelope, officer, coordinator_a):
    import datetime as dt

    from distributions.models import Event
    from distributions.services import handover_plan

    commitment = commitment_create(project=approved, envelope=envelope, by=officer)
    event = Event.objects.create(
        date=dt.date(2026, 5, 24),
        province=province("03.061"),
        venue_fr="x",
        presiding_title_ar="x",
        presiding_title_fr="x",
    )
    approved.refresh_from_db()
    handover_plan(project=approved, event=event, by=coordinator_a)
    with pytest.raises(ValidationError):
        commitment_cancel(commitment=commitment, by=officer, reason="Erreur")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ACTIVE


def test_delivering_a_project_no_longer_funded_is_refused_cleanly(approved, envelope, officer):
    commitment = commitment_create(project=approved, envelope=envelope, by=officer)
    commitment_cancel(commitment=commitment, by=officer, reason="Erreur")
    with pytest.raises(ValidationError):
        commitment_deliver(project=approved, delivered=Decimal("12000.00"), by=officer, on=datetime.date(2026, 5, 24))


def test_an_envelope_with_commitments_keeps_its_territory(approved, envelope, officer):
    from projects.services import envelope_save

    commitment_create(project=approved, envelope=envelope, by=officer)
    envelope.refresh_from_db()
    envelope.province = province("03.231")
    with pytest.raises(ValidationError):
        envelope_save(envelope=envelope, funders=[], by=officer)
    envelope.refresh_from_db()
    assert envelope.province is None


def test_the_project_page_is_in_the_access_log(client_for, officer, approved):
    from beneficiaries.models import CaseView

    client_for(officer).get(reverse("projects:detail", args=[approved.pk]))
    assert CaseView.objects.filter(user=officer, page="project", beneficiary=approved.beneficiary).exists()


def test_money_records_are_read_only_in_the_admin(client_for, admin_user, approved, envelope, officer):
    commitment_create(project=approved, envelope=envelope, by=officer)
    client = client_for(admin_user)
    response = client.post(f"/admin/projects/envelope/{envelope.pk}/change/", {"amount": "1", "name": "x"})
    assert response.status_code in (200, 403)
    envelope.refresh_from_db()
    assert envelope.amount == Decimal("100000.00")
    assert (
        client.post(f"/admin/projects/commitment/{Commitment.objects.get().pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Commitment.objects.exists()
