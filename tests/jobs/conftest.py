import datetime
from decimal import Decimal

import pytest

from distributions.models import Event
from distributions.services import handover_plan, handover_record
from tests.distributions.conftest import envelope, funded_project, private_media  # noqa: F401 — shared fixtures
from tests.factories import province

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):
    """Jobs run inside the request that starts them (once its transaction commits)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def make_event(centre_a, coordinator_a, officer, envelope):  # noqa: F811
    """``make_event(n)``: an event in centre A's province with ``n`` recorded handovers."""

    def make(count: int) -> Event:
        event = Event.objects.create(
            date=datetime.date(2026, 5, 24),
            province=province("03.061"),
            venue_fr="Siège de la préfecture de Meknès",
            presiding_title_ar="عامل عمالة مكناس",
            presiding_title_fr="Gouverneur de la préfecture de Meknès",
            created_by=coordinator_a,
        )
        for _ in range(count):
            project = funded_project(centre_a, coordinator_a, officer, envelope)
            handover = handover_plan(project=project, event=event, by=coordinator_a)
            handover_record(
                handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_a
            )
        return event

    return make
