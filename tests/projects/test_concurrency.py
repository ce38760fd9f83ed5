"""Two officers fund two projects from one envelope at the same moment: together they exceed
it, and exactly one succeeds. Needs PostgreSQL's row locks (SQLite serialises all writes)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from projects.models import Commitment
from projects.services import commitment_create, commitments_create
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): SQLite has no row locks to race against")


def test_two_simultaneous_commitments_that_together_exceed_the_envelope(centre_a, coordinator_a, officer):
    envelope = EnvelopeFactory(amount=Decimal("100000.00"))
    projects = [
        make_project(
            BeneficiaryFactory(centre=centre_a),
            coordinator_a,
            lines=(("Four", "1", "58000.00"),),
            status="approved",
            officer=officer,
        )
        for _ in range(2)
    ]
    start = threading.Barrier(2)
    outcomes = []

    def fund(project):
        try:
            start.wait()
            commitment_create(project=project, envelope=envelope, by=officer)
            outcomes.append("funded")
        except ValidationError as error:
            outcomes.append(error.error_list[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fund, args=(project,)) for project in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("funded") == 1, outcomes
    assert "over_budget" in outcomes, outcomes
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("60000.00") == Commitment.objects.get().amount


def test_two_batches_racing_on_one_envelope_fund_one_batch_whole(centre_a, coordinator_a, officer, admin_user):
    """Two officers each confirm a batch of three at the same moment; the envelope holds one
    batch. One batch is funded whole; the other is refused whole: no project of it funded."""
    envelope = EnvelopeFactory(amount=Decimal("100000.00"))
    batches = [
        [
            make_project(
                BeneficiaryFactory(centre=centre_a),
                coordinator_a,
                lines=(("Four", "1", "20000.00"),),
                cash="0.00",
                status="approved",
                officer=officer,
            )
            for _ in range(3)
        ]
        for _ in range(2)
    ]
    start = threading.Barrier(2)
    outcomes = {}

    def fund(index, by):
        try:
            start.wait()
            commitments_create(projects=batches[index], envelope=envelope, by=by)
            outcomes[index] = "funded"
        except ValidationError as error:
            outcomes[index] = error.error_list[0].code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fund, args=(i, by)) for i, by in enumerate((officer, admin_user))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["funded", "over_budget"], outcomes
    winner = batches[next(i for i, outcome in outcomes.items() if outcome == "funded")]
    assert set(Commitment.objects.values_list("project_id", flat=True)) == {p.pk for p in winner}
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("60000.00")


def _race(*calls):
    """Run the calls at the same instant, each in its own thread and connection; their outcomes
    ("funded" or the refusal's code) in the order given."""
    start, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            call()
            outcomes[index] = "funded"
        except ValidationError as error:
            outcomes[index] = error.error_list[0].code if hasattr(error, "error_list") else "invalid"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_batches_sharing_projects_on_two_envelopes_neither_deadlock_nor_fund_twice(
    centre_a, coordinator_a, officer, admin_user
):
    """[p1, p2] on one envelope against [p2, p1] on another: locks taken in key order, so one
    batch waits for the other instead of a deadlock; the second finds its projects funded and
    is refused whole."""
    first, second = EnvelopeFactory(), EnvelopeFactory()
    p1, p2 = (
        make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
        for _ in range(2)
    )
    outcomes = _race(
        lambda: commitments_create(projects=[p1, p2], envelope=first, by=officer),
        lambda: commitments_create(projects=[p2, p1], envelope=second, by=admin_user),
    )
    assert outcomes.count("funded") == 1, outcomes
    assert Commitment.objects.count() == 2
    assert len(set(Commitment.objects.values_list("envelope_id", flat=True))) == 1  # one batch, whole


def test_a_batch_against_a_single_funding_of_one_of_its_projects(centre_a, coordinator_a, officer, admin_user):
    envelope = EnvelopeFactory()
    batch = [
        make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
        for _ in range(3)
    ]
    outcomes = _race(
        lambda: commitments_create(projects=batch, envelope=envelope, by=officer),
        lambda: commitment_create(project=batch[1], envelope=envelope, by=admin_user),
    )
    assert outcomes.count("funded") == 1, outcomes
    funded = set(Commitment.objects.values_list("project_id", flat=True))
    assert funded in ({p.pk for p in batch}, {batch[1].pk}), funded  # the batch whole, or the one alone
