"""Demo organisation: four centres, the two programs of the source articles, partners and accounts.

Everything here is idempotent (looked up by code or username) and fictitious
where it concerns people. Demo passwords are for a local demo only.
"""

import datetime
import os

from django.db import transaction

from reintegration.choices import PartnerKind, Role
from reintegration.models import Centre, Partner, Program, Province, User

# The demo's published password, shown on its login page; DEMO_PASSWORD overrides it.
DEFAULT_DEMO_PASSWORD = "demo-pass-2026"  # nosec B105 # public by design, demo accounts only

CENTRES = [
    {
        "code": "meknes",
        "name_ar": "مركز المصاحبة وإعادة الإدماج بمكناس",
        "name_fr": "Centre d'accompagnement et de réintégration de Meknès",
        "city_ar": "مكناس",
        "city_fr": "Meknès",
        "provinces": ["03.061", "03.171", "03.271"],
    },
    {
        "code": "fes",
        "name_ar": "مركز المصاحبة وإعادة الإدماج بفاس",
        "name_fr": "Centre d'accompagnement et de réintégration de Fès",
        "city_ar": "فاس",
        "city_fr": "Fès",
        "provinces": ["03.231", "03.591", "03.451", "03.131", "03.531", "03.561"],
    },
    {
        "code": "casablanca",
        "name_ar": "مركز المصاحبة وإعادة الإدماج بالدار البيضاء",
        "name_fr": "Centre d'accompagnement et de réintégration de Casablanca",
        "city_ar": "الدار البيضاء",
        "city_fr": "Casablanca",
        "provinces": [
            "06.141",
            "06.141.01.00",
            "06.141.01.10",
            "06.141.01.20",
            "06.141.01.30",
            "06.141.01.40",
            "06.141.01.50",
            "06.141.01.60",
            "06.141.01.70",
            "06.371",
            "06.385",
            "06.355",
        ],
    },
    {
        "code": "marrakech",
        "name_ar": "مركز المصاحبة وإعادة الإدماج بمراكش",
        "name_fr": "Centre d'accompagnement et de réintégration de Marrakech",
        "city_ar": "مراكش",
        "city_fr": "Marrakech",
        "provinces": ["07.351", "07.161", "07.041", "07.191", "07.211", "07.427", "07.431", "07.585"],
    },
]

PROGRAMS = [
    {
        "code": "moussalaha-7",
        "name_ar": "برنامج مصالحة",
        "name_fr": "Programme Moussalaha",
        "edition": 7,
        "start_year": 2021,
        "end_year": 2021,
    },
    {
        "code": "agr-2019-2020",
        "name_ar": "برنامج دعم الأنشطة المدرة للدخل",
        "name_fr": "Programme de soutien aux activités génératrices de revenus",
        "edition": None,
        "start_year": 2019,
        "end_year": 2020,
    },
    {
        # This year's money, for the projects the demo leaves waiting in the centres' queues.
        "code": "appui-annuel",
        "name_ar": "البرنامج السنوي لدعم مشاريع الإدماج",
        "name_fr": "Programme annuel d'appui aux projets de réinsertion",
        "edition": None,
        "start_year": datetime.date.today().year,
        "end_year": None,
    },
]

PARTNERS = [
    (
        "foundation",
        PartnerKind.FOUNDATION,
        "مؤسسة محمد السادس لإعادة إدماج السجناء",
        "Fondation Mohammed VI pour la réinsertion des détenus",
        None,
    ),
    (
        "indh-rehamna",
        PartnerKind.INDH_COMMITTEE,
        "اللجنة الإقليمية للتنمية البشرية بالرحامنة",
        "Comité provincial INDH de Rehamna",
        "07.427",
    ),
    ("province-rehamna", PartnerKind.TERRITORY, "عمالة إقليم الرحامنة", "Province de Rehamna", "07.427"),
    (
        "indh-meknes",
        PartnerKind.INDH_COMMITTEE,
        "اللجنة الإقليمية للتنمية البشرية بمكناس",
        "Comité provincial INDH de Meknès",
        "03.061",
    ),
    (
        "dgapr",
        PartnerKind.OTHER,
        "المندوبية العامة لإدارة السجون وإعادة الإدماج",
        "Délégation générale à l'administration pénitentiaire et à la réinsertion",
        None,
    ),
]

ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, None, "Salma", "Idrissi (démo)"),
    ("officer", Role.OFFICER, None, "Karim", "Bennani (démo)"),
    ("analyst", Role.ANALYST, None, "Nadia", "Tazi (démo)"),
    ("coord.meknes", Role.COORDINATOR, "meknes", "Hicham", "Alaoui (démo)"),
    ("coord.fes", Role.COORDINATOR, "fes", "Samira", "Fassi (démo)"),
    ("coord.casablanca", Role.COORDINATOR, "casablanca", "Youssef", "Berrada (démo)"),
    ("coord.marrakech", Role.COORDINATOR, "marrakech", "Laila", "Chraibi (démo)"),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def seed_organisation() -> dict[str, Centre]:
    provinces = {p.code: p for p in Province.objects.all()}
    centres = {}
    for spec in CENTRES:
        data = dict(spec)
        codes = data.pop("provinces")
        centre, _created = Centre.objects.update_or_create(code=data.pop("code"), defaults=data)
        centre.provinces.set([provinces[code] for code in codes])
        centres[centre.code] = centre
    for spec in PROGRAMS:
        data = dict(spec)
        Program.objects.update_or_create(code=data.pop("code"), defaults=data)
    for _code, kind, name_ar, name_fr, province_code in PARTNERS:
        Partner.objects.update_or_create(
            name_fr=name_fr,
            defaults={"kind": kind, "name_ar": name_ar, "province": provinces.get(province_code)},
        )
    for username, role, centre_code, first_name, last_name in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "centre": centres.get(centre_code),
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.invalid",
            },
        )
        if created:
            # Set once: a password changed through the application is kept on later runs.
            user.set_password(demo_password())
            user.save(update_fields=["password"])
    return centres
