"""Two copies of one form at the same instant — a double click, a retry on a slow line — make one
record. Threads with a barrier send them together, 20 times over, against PostgreSQL (SQLite
takes one writer at a time and would prove nothing)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary
from distributions.choices import HandoverStatus
from distributions.models import Event, Handover
from distributions.services import handover_plan
from projects.models import Commitment
from tests.beneficiaries.test_register import URL, identity
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province
from tests.html_forms import read_form

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROUNDS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): SQLite serialises every write")


def at_once(user, url: str, *payloads: dict) -> list[int]:
    """POST each payload to ``url``, each from its own thread and client, all released together;
    their status codes."""
    clients = []
    for _ in payloads:
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(len(payloads))
    statuses: list[int] = []

    def send(client, data):
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, payloads, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def person(round_: int) -> dict:
    """A different person each round (names and birthday), without a CIN: the hard case."""
    return identity(
        first_name_latin=f"Youssef{'a' * round_}",
        first_name_ar="يوسف" + "ي" * round_,
        cin="",
        birth_date=f"19{70 + round_}-02-03",
    )


def test_the_same_registration_sent_twice_at_once_makes_one_case_file(coordinator_a):
    browser = Client()
    browser.force_login(coordinator_a)
    for round_ in range(ROUNDS):
        data = {**read_form(browser.get(URL), "case-form"), **person(round_)}
        statuses = at_once(coordinator_a, URL, data, data)
        assert sorted(statuses) == [302, 302], (round_, statuses)
        assert Beneficiary.objects.filter(birth_date=data["birth_date"]).count() == 1, round_


def test_two_tabs_registering_one_person_at_once_make_one_case_file_and_a_warning(coordinator_a):
    """Two forms (two tokens) for the same person: the duplicate check and the insert hold one
    lock, so the second sees the first and is shown the warning instead of saving."""
    browser = Client()
    browser.force_login(coordinator_a)
    for round_ in range(ROUNDS):
        tabs = [{**read_form(browser.get(URL), "case-form"), **person(round_)} for _ in range(2)]
        statuses = at_once(coordinator_a, URL, *tabs)
        assert sorted(statuses) == [200, 302], (round_, statuses)  # 200: the duplicate warning
        assert Beneficiary.objects.filter(birth_date=tabs[0]["birth_date"]).count() == 1, round_


def test_the_same_funding_sent_twice_at_once_makes_one_commitment(centre_a, coordinator_a, officer):
    envelope = EnvelopeFactory(amount=Decimal("5000000.00"))
    browser = Client()
    browser.force_login(officer)
    for round_ in range(ROUNDS):
        case = BeneficiaryFactory(centre=centre_a)
        project = make_project(case, coordinator_a, status="approved", officer=officer)
        choice = read_form(browser.get(reverse("projects:detail", args=[project.pk])), "fund-form")
        review = browser.get(reverse("projects:fund_review"), choice)
        data = read_form(review, "confirm-form")
        statuses = at_once(officer, reverse("projects:fund_review"), data, data)
        assert statuses == [302, 302], (round_, statuses)
        assert Commitment.objects.filter(project=project).count() == 1, round_
    envelope.refresh_from_db()
    assert envelope.committed == sum(c.amount for c in Commitment.objects.all())


def test_the_same_handover_sent_twice_at_once_is_recorded_once(centre_a, coordinator_a, officer):
    envelope = EnvelopeFactory(amount=Decimal("5000000.00"))
    event = Event.objects.create(
        date=datetime.date(2026, 5, 24), province=province("03.061"), venue_fr="Salle", created_by=coordinator_a
    )
    from projects.services import commitment_create

    browser = Client()
    browser.force_login(coordinator_a)
    for round_ in range(ROUNDS):
        project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)
        handover = handover_plan(project=project, event=event, by=coordinator_a)
        url = reverse("distributions:handover", args=[handover.pk])
        data = read_form(browser.get(url), "handover-form")
        data.update({"delivered_on": "2026-05-24", "cash_aid": "2000,00"})
        statuses = at_once(coordinator_a, url, data, data)
        assert statuses == [302, 302], (round_, statuses)
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.DELIVERED, round_
        assert Handover.objects.filter(project=project).count() == 1
        assert Commitment.objects.get(project=project).status == "delivered", round_
