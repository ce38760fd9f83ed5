"""Two officers fund two projects from one envelope at the same moment: together they exceed
it, and exactly one succeeds. Needs PostgreSQL's row locks (SQLite serialises all writes)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from projects.models import Commitment
from projects.services import commitment_create
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
