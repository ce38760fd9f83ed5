"""Demo projects: the two operations of the source articles, funded from their envelopes,
plus a few projects at each step of the workflow so that every work queue has something.

Totals are the articles' to the centime: Ben Guerir 316,607.00 DH (14 projects),
Moussalaha 2021 2,576,296.77 DH (50 projects). The people are fictitious.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from beneficiaries.choices import ReleaseType, Sex
from beneficiaries.demo import DemoPeople
from beneficiaries.models import Beneficiary
from projects.choices import ProjectStatus
from projects.models import Envelope, FollowUpVisit, LifeProject, ProjectTransition, StandardKit, Trade
from projects.plan import line_amount
from projects.services import (
    MILESTONES,
    commitment_create,
    envelope_save,
    project_create,
    project_transition,
    project_update,
    visit_record,
)
from reintegration.models import Centre, Partner, Program, Province, Region, User

BEN_GUERIR_TOTAL = Decimal("316607.00")
MOUSSALAHA_TOTAL = Decimal("2576296.77")

# (trade, province) for the 14 Ben Guerir projects: Rehamna 7, Youssoufia 3, El Kelâa des Sraghna 4.
BEN_GUERIR = [
    ("pastry", "07.427"),
    ("pastry", "07.585"),
    ("bakery", "07.427"),
    ("bakery", "07.191"),
    ("bakery", "07.427"),
    ("sewing", "07.427"),
    ("mens_barber", "07.585"),
    ("car_wash", "07.427"),
    ("building_painting", "07.191"),
    ("zellige", "07.427"),
    ("ironwork", "07.191"),
    ("appliance_repair", "07.585"),
    ("tyre_repair", "07.427"),
    ("olive_sales", "07.191"),
]
BEN_GUERIR_WOMAN = 5  # the sewing and design project

# Moussalaha 2021: Meknès 15, Fès 16, Casablanca 19 (prefectures of arrondissements of Ben M'Sick and Moulay Rachid).
MOUSSALAHA_TRADES = [
    "grocery",
    "building_painting",
    "snack",
    "sewing",
    "sheep",
    "olive_sales",
    "ironwork",
    "pastry",
    "zellige",
    "poultry",
    "bakery",
    "carpentry",
]
MOUSSALAHA_GROUPS = [
    ("meknes", ["03.061", "03.061", "03.171", "03.271", "03.061"], 15),
    ("fes", ["03.231", "03.231", "03.451", "03.591", "03.531"], 16),
    ("casablanca", ["06.141.01.60", "06.141.01.70"], 19),
]
MOUSSALAHA_WOMEN = {17, 40}

GOALS = "Lancer une activité stable et déclarée, en vivre dans l'année, et rester accompagné par le centre."
NEEDS = {
    "social_needs": ["family"],
    "administrative_needs": ["id_card", "permits"],
    "professional_needs": ["equipment", "management"],
}


def _kit_rows(trade: Trade, multiplier: int = 1) -> list[dict]:
    kit = StandardKit.objects.filter(trades=trade).order_by("name_fr").prefetch_related("lines").first()
    return [
        {
            "item_fr": line.item_fr,
            "item_ar": line.item_ar,
            "quantity": line.quantity * multiplier,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "supplier": "",
        }
        for line in kit.lines.all()
    ]


def _plan_total(rows: list[dict]) -> Decimal:
    return sum((line_amount(row["quantity"], row["unit_price"]) for row in rows), Decimal("0.00"))


def _cash_shares(remaining: Decimal, count: int) -> list[Decimal]:
    """Split a cash amount into ``count`` shares; the last takes the centimes left over."""
    share = (remaining / count).quantize(Decimal("1"), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [remaining - share * (count - 1)]


def _backdate(project: LifeProject, opened: datetime.date) -> None:
    """Demo only: place the project's history on the operation's real calendar."""
    moment = datetime.datetime.combine(opened, datetime.time(10, 0), tzinfo=datetime.UTC)
    LifeProject.objects.filter(pk=project.pk).update(created_at=moment)
    for days, step in enumerate(project.transitions.order_by("at", "id"), start=1):
        ProjectTransition.objects.filter(pk=step.pk).update(at=moment + datetime.timedelta(days=7 * days))
    _milestones_from_steps(project)


def _milestones_from_steps(project: LifeProject) -> None:
    """Demo only: the milestones follow the back-dated steps (the first step to each status)."""
    days = {}
    for step in project.transitions.order_by("at", "id"):
        field = MILESTONES.get(step.target)
        if field and field != "handed_over_on":  # the handover's day is the event's
            days.setdefault(field, step.at.date())
    LifeProject.objects.filter(pk=project.pk).update(**days)


def draft_project(*, case, coordinator, trade, province, rows, cash, description) -> LifeProject:
    """A draft project of a case with the demo's needs and goals, its kit and its cash aid."""
    project = project_create(case=case, by=coordinator)
    fields = {
        **NEEDS,
        "goals": GOALS,
        "trade": trade,
        "province": province,
        "description": description,
        "cash_aid": cash,
    }
    return project_update(project=project, by=coordinator, fields=fields, lines=rows)


def _funded_project(*, case, coordinator, officer, trade, province, rows, cash, envelope, opened) -> LifeProject:
    existing = case.life_projects.first()
    if existing is not None:
        return existing
    description = f"{trade.name_fr} à {province.name_fr} : équipement et fonds de démarrage."
    project = draft_project(
        case=case,
        coordinator=coordinator,
        trade=trade,
        province=province,
        rows=rows,
        cash=cash,
        description=description,
    )
    project_transition(project=project, target=ProjectStatus.SUBMITTED, by=coordinator)
    project_transition(project=project, target=ProjectStatus.APPROVED, by=officer)
    _backdate(project, opened)  # approved in the envelope's year, as it was
    commitment_create(project=project, envelope=envelope, by=officer)
    _backdate(project, opened)
    return project


def _envelope(*, name, program_code, year, amount, region=None, province=None, funders, partner=None, signed=None):
    envelope = Envelope.objects.filter(name=name).first()
    if envelope is not None:
        return envelope
    envelope = Envelope(
        name=name,
        program=Program.objects.get(code=program_code),
        fiscal_year=year,
        amount=amount,
        region=region,
        province=province,
        agreement_partner=partner,
        agreement_signed_on=signed,
    )
    rows = [{"partner": Partner.objects.get(name_fr=name_fr), "share": share} for name_fr, share in funders]
    return envelope_save(envelope=envelope, funders=rows, by=User.objects.get(username="officer"))


def ben_guerir(people: DemoPeople) -> list[LifeProject]:
    envelope = _envelope(
        name="Convention Province de Rehamna — AGR 2019-2020",
        program_code="agr-2019-2020",
        year=2020,
        amount=Decimal("350000.00"),
        region=Region.objects.get(code="07"),
        funders=[
            ("Province de Rehamna", Decimal("200000.00")),
            ("Fondation Mohammed VI pour la réinsertion des détenus", Decimal("150000.00")),
        ],
        partner=Partner.objects.get(name_fr="Province de Rehamna"),
        signed=datetime.date(2019, 6, 18),
    )
    coordinator, officer = User.objects.get(username="coord.marrakech"), User.objects.get(username="officer")
    centre = Centre.objects.get(code="marrakech")
    program = Program.objects.get(code="agr-2019-2020")
    trades = {t.code: t for t in Trade.objects.all()}
    plans = [_kit_rows(trades[code]) for code, _province in BEN_GUERIR]
    cash = _cash_shares(BEN_GUERIR_TOTAL - sum(_plan_total(rows) for rows in plans), len(plans))
    projects = []
    for index, ((code, province_code), rows) in enumerate(zip(BEN_GUERIR, plans, strict=True)):
        province = Province.objects.get(code=province_code)
        case = people.person(
            centre=centre,
            province=province,
            coordinator=coordinator,
            program=program,
            sex=Sex.FEMALE if index == BEN_GUERIR_WOMAN else Sex.MALE,
            release_between=(datetime.date(2018, 1, 1), datetime.date(2019, 9, 30)),
        )
        projects.append(
            _funded_project(
                case=case,
                coordinator=coordinator,
                officer=officer,
                trade=trades[code],
                province=province,
                rows=rows,
                cash=cash[index],
                envelope=envelope,
                opened=datetime.date(2020, 9, 1),
            )
        )
    return projects


def moussalaha(people: DemoPeople) -> list[LifeProject]:
    envelope = _envelope(
        name="Moussalaha 2021 — 7e édition",
        program_code="moussalaha-7",
        year=2021,
        amount=Decimal("2800000.00"),
        funders=[("Fondation Mohammed VI pour la réinsertion des détenus", Decimal("2800000.00"))],
    )
    officer = User.objects.get(username="officer")
    program = Program.objects.get(code="moussalaha-7")
    trades = {t.code: t for t in Trade.objects.all()}
    slots = []  # (centre code, province code) for each of the 50 people
    for centre_code, provinces, count in MOUSSALAHA_GROUPS:
        slots += [(centre_code, provinces[i % len(provinces)]) for i in range(count)]
    plans = [_kit_rows(trades[MOUSSALAHA_TRADES[i % len(MOUSSALAHA_TRADES)]], multiplier=2) for i in range(len(slots))]
    cash = _cash_shares(MOUSSALAHA_TOTAL - sum(_plan_total(rows) for rows in plans), len(plans))
    projects = []
    for index, ((centre_code, province_code), rows) in enumerate(zip(slots, plans, strict=True)):
        centre = Centre.objects.get(code=centre_code)
        coordinator = User.objects.get(username=f"coord.{centre_code}")
        province = Province.objects.get(code=province_code)
        case = people.person(
            centre=centre,
            province=province,
            coordinator=coordinator,
            program=program,
            sex=Sex.FEMALE if index in MOUSSALAHA_WOMEN else Sex.MALE,
            release_between=(datetime.date(2019, 7, 30), datetime.date(2020, 12, 31)),
        )
        if case.release_type not in (ReleaseType.ROYAL_PARDON, ReleaseType.END_OF_SENTENCE):
            Beneficiary.objects.filter(pk=case.pk).update(release_type=ReleaseType.ROYAL_PARDON)
        trade = trades[MOUSSALAHA_TRADES[index % len(MOUSSALAHA_TRADES)]]
        projects.append(
            _funded_project(
                case=case,
                coordinator=coordinator,
                officer=officer,
                trade=trade,
                province=province,
                rows=rows,
                cash=cash[index],
                envelope=envelope,
                opened=datetime.date(2021, 2, 1),
            )
        )
    return projects


def this_years_envelopes() -> None:
    """Open envelopes of this year, national and regional, for the projects left waiting."""
    year = datetime.date.today().year
    for name, region_code, amount in (
        (f"Appui annuel {year} — national", None, Decimal("250000.00")),
        (f"Appui annuel {year} — Fès-Meknès", "03", Decimal("60000.00")),
    ):
        _envelope(
            name=name,
            program_code="appui-annuel",
            year=year,
            amount=amount,
            region=Region.objects.get(code=region_code) if region_code else None,
            funders=[("Fondation Mohammed VI pour la réinsertion des détenus", amount)],
        )


def pipeline() -> None:
    """In each centre, one project at each early step, so that the work queues show something."""
    officer = User.objects.get(username="officer")
    for centre in Centre.objects.order_by("code"):
        if LifeProject.objects.filter(beneficiary__centre=centre, beneficiary__program__isnull=True).exists():
            continue  # already seeded
        coordinator = User.objects.get(username=f"coord.{centre.code}")
        waiting = list(
            Beneficiary.objects.filter(centre=centre, program__isnull=True, life_projects__isnull=True).order_by("cin")[
                :4
            ]
        )
        if len(waiting) < 4:
            continue
        steps = [
            [],
            [ProjectStatus.SUBMITTED],
            [ProjectStatus.SUBMITTED, ProjectStatus.RETURNED],
            [ProjectStatus.SUBMITTED, ProjectStatus.APPROVED],
        ]
        for case, moves in zip(waiting, steps, strict=True):
            trade = Trade.objects.get(code="grocery" if case.pk % 2 else "mens_barber")
            project = draft_project(
                case=case,
                coordinator=coordinator,
                trade=trade,
                province=case.province,
                rows=_kit_rows(trade),
                cash=Decimal("3000.00"),
                description=f"{trade.name_fr} de quartier.",
            )
            for target in moves:
                actor = coordinator if target == ProjectStatus.SUBMITTED else officer
                comment = (
                    "Joindre le devis du fournisseur pour le réfrigérateur." if target == ProjectStatus.RETURNED else ""
                )
                project_transition(project=project, target=target, by=actor, comment=comment)


@transaction.atomic
def seed_projects(people: DemoPeople) -> dict[str, list[LifeProject]]:
    operations = {"ben_guerir": ben_guerir(people), "moussalaha": moussalaha(people)}
    this_years_envelopes()
    pipeline()
    return operations


@transaction.atomic
def seed_follow_ups() -> None:
    """Visits recorded for the delivered projects, a few left overdue; the two-year-old ones closed.

    Deterministic: the outcome of each visit depends on the project's number.
    """
    today = datetime.date.today()
    visits = (
        FollowUpVisit.objects.filter(done_on__isnull=True, due_on__lt=today)
        .select_related("project__beneficiary__centre")
        .order_by("project_id", "months_after")
    )
    for visit in visits:
        project = visit.project
        if visit.months_after == 24 and project.pk % 5 == 0:
            continue  # left overdue, so that the coordinators' queues show some
        coordinator = User.objects.get(username=f"coord.{project.beneficiary.centre.code}")
        running = "no" if project.pk % 17 == 0 else ("partly" if project.pk % 4 == 0 else "yes")
        visit_record(
            visit=visit,
            by=coordinator,
            done_on=visit.due_on + datetime.timedelta(days=project.pk % 9),
            activity_running=running,
            equipment_in_use="no" if running == "no" else "yes",
            monthly_income=Decimal(0) if running == "no" else Decimal(1800 + (project.pk * 137) % 3200),
            jobs_created=0 if running == "no" else project.pk % 3,
            problems="" if running == "yes" else "Clientèle encore faible, local à agrandir.",
        )
    for project in LifeProject.objects.filter(status=ProjectStatus.FOLLOW_UP):
        done = {v.months_after: v for v in project.visits.all() if v.done_on}
        if 24 in done:
            target = ProjectStatus.SUCCEEDED if done[24].activity_running != "no" else ProjectStatus.ABANDONED
            comment = "Activité pérenne après deux ans." if target == ProjectStatus.SUCCEEDED else "Activité arrêtée."
            coordinator = User.objects.get(username=f"coord.{project.beneficiary.centre.code}")
            project_transition(project=project, target=target, by=coordinator, comment=comment)
    align_calendar()


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def align_calendar() -> None:
    """Demo only: the services stamp everything with today's date; put the story back on its
    own calendar (registration at consent, delivery on the event's day, follow-up on the visits)."""
    from distributions.models import Handover

    for case_pk, consent in Beneficiary.objects.filter(cin__startswith="XX").values_list("pk", "consent_signed_on"):
        Beneficiary.objects.filter(pk=case_pk).update(created_at=_moment(consent, 9))
    for handover in Handover.objects.select_related("project").exclude(delivered_on=None):
        project = handover.project
        steps = {step.target: step for step in project.transitions.all()}
        visits = [v for v in project.visits.order_by("months_after") if v.done_on]
        moments = {ProjectStatus.DELIVERED: _moment(handover.delivered_on, 11)}
        if visits:
            moments[ProjectStatus.FOLLOW_UP] = _moment(visits[0].done_on, 16)
            moments[ProjectStatus.SUCCEEDED] = moments[ProjectStatus.ABANDONED] = _moment(visits[-1].done_on, 17)
        for target, moment in moments.items():
            if target in steps:
                ProjectTransition.objects.filter(pk=steps[target].pk).update(at=moment)
        if ProjectStatus.FUNDED in steps:
            project.commitments.update(created_at=steps[ProjectStatus.FUNDED].at)
        _milestones_from_steps(project)
