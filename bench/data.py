"""The generated data set the benchmarks run on.

It lives in its own database (``<name>_bench`` on PostgreSQL, ``var/bench.sqlite3``
otherwise), kept between runs: each part is generated once, when missing.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F

from bench import national
from beneficiaries.choices import ActionKind, CaseStatus, ReleaseType, Sex
from beneficiaries.demo import FAMILY_NAMES, MEN, WOMEN
from beneficiaries.models import AccompanimentAction, Beneficiary, Training
from beneficiaries.names import search_text
from projects.item_names import arabic_item_name
from projects.models import Envelope
from reintegration.demo import seed_organisation
from reintegration.models import Centre, Program, Province, User
from reports.cache import bump

CASE_FILES = 200_000
BATCH = 5_000


@dataclass
class DataSet:
    case_files: int = 0
    detail_case_pk: int = 0
    extras: dict = field(default_factory=dict)


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _case_files(stdout) -> None:
    existing = Beneficiary.objects.count()
    if existing >= CASE_FILES:
        return
    _say(stdout, f"Generating {CASE_FILES - existing} case files...")
    rng = random.Random(200_000)  # nosec B311 # seeded: the same data every run, nothing secret drawn
    centres = [(c, list(c.provinces.all())) for c in Centre.objects.prefetch_related("provinces").order_by("code")]
    statuses = [CaseStatus.ACTIVE] * 8 + [CaseStatus.CLOSED] * 1 + [CaseStatus.ARCHIVED] * 1
    for start in range(existing, CASE_FILES, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, CASE_FILES)):
            sex = Sex.FEMALE if rng.random() < 0.06 else Sex.MALE
            first = rng.choice(WOMEN if sex == Sex.FEMALE else MEN)
            last = rng.choice(FAMILY_NAMES)
            centre, provinces = centres[n % len(centres)]
            release = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randrange(4700))
            case = Beneficiary(
                first_name_ar=first[0],
                last_name_ar=last[0],
                first_name_latin=first[1],
                last_name_latin=last[1],
                cin=f"XB{n:07d}" if rng.random() < 0.9 else "",
                sex=sex,
                birth_date=datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                province=rng.choice(provinces),
                establishment="Prison locale",
                release_date=release,
                release_type=rng.choice(list(ReleaseType.values)),
                notice_given_on=release,
                consent_signed_on=release,
                centre=centre,
                status=rng.choice(statuses),
            )
            case.search_text = search_text(
                case.first_name_ar, case.last_name_ar, case.first_name_latin, case.last_name_latin
            )
            rows.append(case)
        Beneficiary.objects.bulk_create(rows, batch_size=BATCH)
        _say(stdout, f"  {min(start + BATCH, CASE_FILES)} / {CASE_FILES}")


def _detail_case() -> Beneficiary:
    """A Meknès case with a full page: 5 trainings, 40 accompaniment actions."""
    case = Beneficiary.objects.filter(centre__code="meknes", status=CaseStatus.ACTIVE).order_by("pk").first()
    if not case.actions.exists():
        coordinator = User.objects.get(username="coord.meknes")
        Training.objects.bulk_create(
            [Training(beneficiary=case, title=f"Formation {i}", institution="OFPPT", year=2020) for i in range(5)]
        )
        AccompanimentAction.objects.bulk_create(
            [
                AccompanimentAction(
                    beneficiary=case,
                    kind=ActionKind.SOCIAL,
                    date=case.release_date + datetime.timedelta(days=i),
                    description="Entretien de suivi",
                    outcome="RAS",
                    recorded_by=coordinator,
                )
                for i in range(40)
            ]
        )
    return case


ENVELOPE_PROJECTS = 5_000
PLAN_LINES = 30
EVENT_HANDOVERS = 50


def _funded_projects(cases, envelope, trade, officer) -> list:
    """Funded life projects, inserted in bulk (the services are timed by the tests, not here)."""
    from projects.choices import ProjectStatus
    from projects.models import Commitment, EquipmentLine, LifeProject

    projects = LifeProject.objects.bulk_create(
        LifeProject(
            beneficiary=case,
            status=ProjectStatus.FUNDED,
            trade=trade,
            province_id=case.province_id,
            description="AGR",
            cash_aid=Decimal("3000.00"),
            equipment_total=Decimal("21300.00"),
            total=Decimal("24300.00"),
            created_by=officer,
        )
        for case in cases
    )
    EquipmentLine.objects.bulk_create(
        EquipmentLine(
            project=project,
            item_fr=item,
            item_ar=arabic_item_name(item),
            quantity=quantity,
            unit_price=price,
            amount=quantity * price,
        )
        for project in projects
        for item, quantity, price in (
            ("Four à pain à gaz", Decimal(1), Decimal("14500.00")),
            ("Pétrin 25 kg", Decimal(1), Decimal("6800.00")),
        )
    )
    Commitment.objects.bulk_create(
        Commitment(envelope=envelope, project=project, amount=project.total, created_by=officer) for project in projects
    )
    Envelope.objects.filter(pk=envelope.pk).update(committed=F("committed") + sum(p.total for p in projects))
    return projects


def _money(stdout) -> dict:
    """An envelope funding 5,000 projects, a project with a 30-line plan, an event of 50 handovers."""
    from distributions.models import Event, Handover
    from distributions.services import handover_plan, handover_record
    from projects.models import EquipmentLine, LifeProject, Trade

    officer = User.objects.get(username="officer")
    envelope = Envelope.objects.filter(name="Bench — enveloppe nationale").first()
    if envelope is None:
        _say(stdout, f"Generating {ENVELOPE_PROJECTS} funded projects...")
        envelope = Envelope.objects.create(
            name="Bench — enveloppe nationale",
            program=Program.objects.first(),
            fiscal_year=2026,
            amount=Decimal("500000000.00"),
        )
        trade = Trade.objects.get(code="bakery")
        # Registered before the envelope's fiscal year: funded in it, handed over in May.
        registered = national.at(datetime.date(envelope.fiscal_year, 1, 1), 0)
        cases = Beneficiary.objects.filter(
            centre__code="meknes", life_projects__isnull=True, created_at__lt=registered
        ).order_by("pk")
        _funded_projects(list(cases[:ENVELOPE_PROJECTS]), envelope, trade, officer)
    national.bench_milestones(envelope)
    project = LifeProject.objects.filter(commitments__envelope=envelope).order_by("pk").first()
    if project.lines.count() < PLAN_LINES:
        EquipmentLine.objects.bulk_create(
            EquipmentLine(
                project=project,
                item_fr=f"Article {i}",
                item_ar=f"مادة {i}",
                quantity=Decimal(2),
                unit_price=Decimal("99.50"),
                amount=Decimal("199.00"),
            )
            for i in range(PLAN_LINES - project.lines.count())
        )
    event = Event.objects.filter(venue_fr="Bench — salle des fêtes").first()
    if event is None:
        _say(stdout, f"Recording {EVENT_HANDOVERS} handovers...")
        coordinator = User.objects.get(username="coord.meknes")
        event = Event.objects.create(
            date=datetime.date(2026, 5, 24),
            province=Province.objects.get(code="03.061"),
            venue_fr="Bench — salle des fêtes",
            venue_ar="قاعة الحفلات",
            presiding_title_ar="عامل عمالة مكناس",
            presiding_title_fr="Gouverneur de la préfecture de Meknès",
        )
        candidates = LifeProject.objects.filter(commitments__envelope=envelope, handover__isnull=True).order_by("-pk")
        for funded in candidates[:EVENT_HANDOVERS]:
            handover = handover_plan(project=funded, event=event, by=coordinator)
            items = [{"id": item.pk, "quantity": item.quantity} for item in handover.items.all()]
            handover_record(
                handover=handover, items=items, cash_aid=funded.cash_aid, delivered_on=event.date, by=coordinator
            )
    return {
        "envelope_pk": envelope.pk,
        "envelope_projects": envelope.commitments.count(),
        "project_pk": project.pk,
        "plan_lines": project.lines.count(),
        "event_pk": event.pk,
        "handover_pk": Handover.objects.filter(event=event).order_by("pk").first().pk,
    }


def _analyze(stdout) -> None:
    """Fresh statistics for the planner after a bulk load (outside any transaction)."""
    _say(stdout, "VACUUM ANALYZE...")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def build(stdout=None) -> DataSet:
    start = time.perf_counter()
    seed_organisation()
    generated = Beneficiary.objects.count() < CASE_FILES
    _case_files(stdout)
    generated |= national.case_dates(stdout)  # before any project is dated
    detail = _detail_case()
    extras = _money(stdout)
    generated |= national.national(stdout)
    if generated:
        _analyze(stdout)
        bump()  # bulk inserts send no signal: cached figures must not outlive them
        _say(stdout, f"Data set generated in {time.perf_counter() - start:.0f} s")
    extras |= national.national_extras()
    return DataSet(case_files=Beneficiary.objects.count(), detail_case_pk=detail.pk, extras=extras)
