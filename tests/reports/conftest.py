"""A small national picture whose every figure is computed by hand in the tests.

Centre A (Meknès) and centre B (Fès), one national envelope of 500 000,00 DH (this year's money):

- ``a1``  woman, centre A: funded 26 201,00 (equipment 23 201,00 + cash 3 000,00), all handed over;
  12-month visit: running.
- ``a2``  man, centre A: funded 12 000,00, then the commitment cancelled (back to approved).
- ``a3``  man, centre A: funded 26 201,00, partial handover: only the oven (14 500,00) and the
  cash (3 000,00) = 17 500,00 delivered; 12-month visit: not running.
- ``b1``  man, centre B: funded 12 000,00 (10 000,00 + cash 2 000,00), not handed over yet.
- ``moved`` man, registered by centre B, transferred to centre A; no project.
- ``gone`` man, centre B, closed and anonymised; no project.

So, nationally: 6 registered, 1 woman, 4 with a project, 4 submitted and approved, 3 funded,
2 handed over, committed 26 201 + 17 500 + 12 000 = 55 701,00, delivered 43 701,00 (cash 6 000,00,
equipment 37 701,00), 2 assessed at 12 months, 1 still running.
"""

import datetime
from decimal import Decimal

import pytest

from beneficiaries.choices import CaseStatus
from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_anonymise, transfer_accept, transfer_request
from distributions.models import Event, Operation
from distributions.services import handover_plan, handover_record
from projects.models import FollowUpVisit
from projects.services import commitment_cancel, commitment_create, visit_record
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province

EVENT_DAY = datetime.date(2025, 6, 2)
BAKERY = (("Four à pain", "1", "14500.00"), ("Pétrin", "1", "6800.00"), ("Table inox", "2", "950.50"))


@pytest.fixture
def picture(cast, centre_a, centre_b):
    officer, coord_a, coord_b = cast["officer"], cast["coordinator_a"], cast["coordinator_b"]
    envelope = EnvelopeFactory(amount=Decimal("500000.00"))
    operation = Operation.objects.create(name_fr="Opération test 2025", year=2025)
    event = Event.objects.create(
        operation=operation,
        date=EVENT_DAY,
        province=province("03.061"),
        venue_fr="Siège de la préfecture de Meknès",
        presiding_title_ar="عامل عمالة مكناس",
        presiding_title_fr="Gouverneur de la préfecture de Meknès",
        created_by=coord_a,
    )

    def person(centre, **fields):
        return BeneficiaryFactory(centre=centre, release_date=datetime.date(2024, 3, 1), **fields)

    def funded(case, coordinator, lines=BAKERY, cash="3000.00"):
        project = make_project(case, coordinator, lines=lines, cash=cash, status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)
        project.refresh_from_db()
        return project

    def hand_over(project, coordinator, keep=None):
        handover = handover_plan(project=project, event=event, by=coordinator)
        items = [
            {"id": item.pk, "quantity": item.quantity if keep is None or item.item in keep else Decimal(0)}
            for item in handover.items.all()
        ]
        return handover_record(
            handover=handover, items=items, cash_aid=project.cash_aid, delivered_on=EVENT_DAY, by=coordinator
        )

    def visit(project, coordinator, running):
        due = FollowUpVisit.objects.get(project=project, months_after=12)
        visit_record(
            visit=due,
            by=coordinator,
            done_on=due.due_on,
            activity_running=running,
            equipment_in_use=running,
            monthly_income=Decimal("2500.00"),
            jobs_created=1,
        )

    a1 = person(centre_a, sex="F", first_name_latin="Yasmina", cin="XT000001")
    a2 = person(centre_a, cin="XT000002")
    a3 = person(centre_a, cin="XT000003")
    b1 = person(centre_b, province=province("03.231"), cin="XT000004")
    moved = person(centre_b, province=province("03.231"), cin="XT000005")
    gone = person(centre_b, province=province("03.231"), cin="XT000006")

    p1 = funded(a1, coord_a)
    hand_over(p1, coord_a)
    visit(p1, coord_a, "yes")
    p2 = funded(a2, coord_a, lines=(("Four", "1", "10000.00"),), cash="2000.00")
    commitment_cancel(commitment=p2.commitments.get(), by=officer, reason="Devis à revoir")
    p3 = funded(a3, coord_a)
    hand_over(p3, coord_a, keep={"Four à pain"})
    visit(p3, coord_a, "no")
    p4 = funded(b1, coord_b, lines=(("Four", "1", "10000.00"),), cash="2000.00")

    transfer = transfer_request(case=moved, to_centre=centre_a, reason="Déménagement", by=coord_b)
    transfer_accept(transfer=transfer, by=coord_a)
    Beneficiary.objects.filter(pk=gone.pk).update(status=CaseStatus.CLOSED, closed_on=datetime.date(2010, 1, 1))
    beneficiary_anonymise(case=Beneficiary.objects.get(pk=gone.pk))
    return {
        "envelope": envelope,
        "operation": operation,
        "event": event,
        "projects": {"a1": p1, "a2": p2, "a3": p3, "b1": p4},
        "people": {"a1": a1, "a2": a2, "a3": a3, "b1": b1, "moved": moved, "gone": gone},
    }
