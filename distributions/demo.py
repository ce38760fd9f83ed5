"""The two operations of the source articles held as events, their handovers recorded, so that a
new user can print real-looking receipts at once (numbers are given at the first print)."""

import datetime

from django.db import transaction

from distributions.choices import HandoverStatus
from distributions.models import Event, Operation
from distributions.services import event_save, handover_plan, handover_record
from projects.models import LifeProject
from reintegration.models import Partner, Program, Province, User

BEN_GUERIR_DAY = datetime.date(2020, 12, 17)  # a Thursday, in Ben Guerir
# Per centre: day, province, venue (French, Arabic), town (French, Arabic), presiding title (Arabic, French).
MOUSSALAHA_DAYS = {
    "meknes": (
        datetime.date(2021, 5, 24),
        "03.061",
        ("Siège de la préfecture de Meknès", "مقر عمالة مكناس"),
        ("Meknès", "مكناس"),
        ("عامل عمالة مكناس", "Gouverneur de la préfecture de Meknès"),
    ),
    "fes": (
        datetime.date(2021, 5, 25),
        "03.231",
        ("Siège de la préfecture de Fès", "مقر عمالة فاس"),
        ("Fès", "فاس"),
        ("عامل عمالة فاس", "Gouverneur de la préfecture de Fès"),
    ),
    "casablanca": (
        datetime.date(2021, 5, 26),
        "06.141.01.60",
        (
            "Siège des préfectures d'arrondissements Ben M'Sick et Moulay Rachid",
            "مقر عمالتي مقاطعات ابن مسيك ومولاي رشيد",
        ),
        ("Casablanca", "الدار البيضاء"),
        ("عامل عمالة مقاطعات ابن مسيك", "Gouverneur de la préfecture d'arrondissements de Ben M'Sick"),
    ),
}


def _event(*, operation, day, province_code, venue, town, title, partners, by) -> Event:
    province = Province.objects.get(code=province_code)
    event = Event.objects.filter(operation=operation, date=day, province=province).first()
    if event is not None:
        return event
    event = Event(
        operation=operation,
        date=day,
        province=province,
        venue_fr=venue[0],
        venue_ar=venue[1],
        town_fr=town[0],
        town_ar=town[1],
        presiding_title_ar=title[0],
        presiding_title_fr=title[1],
        officials_present="Coordonnateur national de la Fondation, élus locaux, représentants des partenaires.",
    )
    return event_save(event=event, partners=partners, by=by)


def _hand_over(event: Event, projects: list[LifeProject], by: User) -> None:
    for project in projects:
        if hasattr(project, "handover"):
            continue
        handover = handover_plan(project=project, event=event, by=by)
        items = [
            {"id": item.pk, "quantity": item.quantity, "brand": "", "serial_number": ""}
            for item in handover.items.all()
        ]
        cash_aid = handover.project.cash_aid
        handover_record(handover=handover, items=items, cash_aid=cash_aid, delivered_on=event.date, by=by)


@transaction.atomic
def seed_distributions(operations: dict[str, list[LifeProject]]) -> None:
    officer = User.objects.get(username="officer")
    foundation = Partner.objects.get(kind="foundation")
    ben_guerir, _created = Operation.objects.get_or_create(
        name_fr="AGR Rehamna 2019-2020",
        defaults={
            "name_ar": "الأنشطة المدرة للدخل الرحامنة 2019-2020",
            "year": 2020,
            "program": Program.objects.get(code="agr-2019-2020"),
        },
    )
    event = _event(
        operation=ben_guerir,
        day=BEN_GUERIR_DAY,
        province_code="07.427",
        venue=("Siège de la province de Rehamna, Ben Guerir", "مقر عمالة إقليم الرحامنة، ابن جرير"),
        town=("Ben Guerir", "ابن جرير"),
        title=("عامل إقليم الرحامنة", "Gouverneur de la province de Rehamna"),
        partners=[foundation, Partner.objects.get(name_fr="Province de Rehamna")],
        by=User.objects.get(username="coord.marrakech"),
    )
    _hand_over(event, operations["ben_guerir"], User.objects.get(username="coord.marrakech"))

    moussalaha, _created = Operation.objects.get_or_create(
        name_fr="Moussalaha 2021",
        defaults={"name_ar": "مصالحة 2021", "year": 2021, "program": Program.objects.get(code="moussalaha-7")},
    )
    for centre_code, (day, province_code, venue, town, title) in MOUSSALAHA_DAYS.items():
        event = _event(
            operation=moussalaha,
            day=day,
            province_code=province_code,
            venue=venue,
            town=town,
            title=title,
            partners=[foundation],
            by=officer,
        )
        projects = [p for p in operations["moussalaha"] if p.beneficiary.centre.code == centre_code]
        _hand_over(event, projects, User.objects.get(username=f"coord.{centre_code}"))
    if Event.objects.filter(handovers__status=HandoverStatus.PLANNED, operation__isnull=False).exists():
        raise RuntimeError("a demo operation's event kept a planned handover")  # not an assert: kept under -O
