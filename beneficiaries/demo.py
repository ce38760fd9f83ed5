"""Fictitious demo people. No name here belongs to a real person's file: first and last names
are drawn from common Moroccan names and combined at random; every CIN starts with ``XX``,
which no real card uses."""

import datetime
import random

from django.db import transaction

from beneficiaries.choices import ActionKind, EducationLevel, FamilySituation, ReleaseType, Sex
from beneficiaries.models import Beneficiary
from beneficiaries.services import action_record, beneficiary_register, transfer_request
from reintegration.models import Centre, Program, Province, User

MEN = [
    ("محمد", "Mohamed"),
    ("أحمد", "Ahmed"),
    ("يوسف", "Youssef"),
    ("عبد الله", "Abdellah"),
    ("حسن", "Hassan"),
    ("رشيد", "Rachid"),
    ("عمر", "Omar"),
    ("خالد", "Khalid"),
    ("سعيد", "Said"),
    ("مصطفى", "Mustapha"),
    ("إبراهيم", "Brahim"),
    ("عبد الرحيم", "Abderrahim"),
    ("نبيل", "Nabil"),
    ("هشام", "Hicham"),
    ("كريم", "Karim"),
    ("إدريس", "Driss"),
    ("عادل", "Adil"),
    ("جمال", "Jamal"),
    ("أيوب", "Ayoub"),
    ("حمزة", "Hamza"),
    ("زكرياء", "Zakaria"),
    ("المهدي", "Mehdi"),
    ("ياسين", "Yassine"),
    ("سفيان", "Soufiane"),
    ("عبد الكريم", "Abdelkarim"),
    ("نور الدين", "Noureddine"),
    ("بلال", "Bilal"),
    ("إسماعيل", "Ismail"),
]
WOMEN = [
    ("فاطمة", "Fatima"),
    ("خديجة", "Khadija"),
    ("نادية", "Nadia"),
    ("سعاد", "Souad"),
    ("مريم", "Meryem"),
    ("حنان", "Hanane"),
    ("زينب", "Zineb"),
    ("سناء", "Sanaa"),
]
FAMILY_NAMES = [
    ("العلوي", "El Alaoui"),
    ("بناني", "Bennani"),
    ("التازي", "Tazi"),
    ("الإدريسي", "El Idrissi"),
    ("الفاسي", "El Fassi"),
    ("برادة", "Berrada"),
    ("الشرايبي", "Chraibi"),
    ("العمراني", "El Amrani"),
    ("الزياني", "Ziani"),
    ("بوزيد", "Bouzid"),
    ("الحسني", "El Hassani"),
    ("أيت الحاج", "Ait El Haj"),
    ("الصديقي", "Seddiki"),
    ("الوزاني", "Ouazzani"),
    ("بنعلي", "Benali"),
    ("القادري", "El Kadiri"),
    ("المرابط", "Mrabet"),
    ("الرحماني", "Rahmani"),
    ("الكتاني", "Kettani"),
    ("بلحاج", "Belhaj"),
    ("الناصري", "Naciri"),
    ("السرغيني", "Sarghini"),
    ("الدكالي", "Doukkali"),
    ("الحمداوي", "Hamdaoui"),
    ("الطاهري", "Tahiri"),
    ("المنصوري", "Mansouri"),
    ("اليعقوبي", "Yacoubi"),
    ("الشاوي", "Chaoui"),
    ("البقالي", "Bakkali"),
    ("الغزاوي", "Ghazaoui"),
]
ESTABLISHMENTS = {
    "meknes": "Prison locale Toulal 2, Meknès",
    "fes": "Prison locale Ras El Ma, Fès",
    "casablanca": "Prison locale Ain Sebaa 1, Casablanca",
    "marrakech": "Prison locale Loudaya, Marrakech",
}
SKILLS = [
    ("Pâtisserie traditionnelle", "Aide-pâtissier dans une boulangerie de quartier"),
    ("Boulangerie", "Four traditionnel familial"),
    ("Couture et stylisme", "Atelier de couture, 3 ans"),
    ("Coiffure hommes", "Salon de coiffure, apprenti"),
    ("Peinture en bâtiment", "Chantiers avec un entrepreneur local"),
    ("Zellige traditionnel", "Apprenti maâlem zlayji"),
    ("Ferronnerie", "Atelier de ferronnerie"),
    ("Réparation d'électroménager", "Réparateur indépendant"),
    ("Menuiserie bois", "Atelier de menuiserie, 2 ans"),
    ("Agriculture, élevage ovin", "Exploitation familiale"),
]
TRAININGS = [
    ("Pâtisserie", "Centre de formation professionnelle de l'établissement"),
    ("Couture", "Atelier de l'établissement"),
    ("Électricité du bâtiment", "OFPPT, antenne de l'établissement"),
    ("Coiffure", "Atelier de l'établissement"),
    ("Alphabétisation", "Programme d'alphabétisation"),
]
ACTIONS = [
    (ActionKind.ADMINISTRATIVE, "Accompagnement pour le renouvellement de la CIN", "Dossier déposé"),
    (ActionKind.SOCIAL, "Entretien avec la famille et médiation", "Retour au domicile familial"),
    (ActionKind.HEALTH, "Orientation vers le centre de santé du quartier", "Rendez-vous obtenu"),
    (ActionKind.PROFESSIONAL, "Bilan de compétences et étude du marché local", "Idée de projet validée"),
    (ActionKind.PROFESSIONAL, "Formation à la gestion d'une petite activité", "Formation suivie"),
]


class DemoPeople:
    """Deterministic fictitious people, numbered ``XX000001`` onwards."""

    def __init__(self, seed: int = 2021):
        self.rng = random.Random(seed)  # nosec B311 # seeded: the same data every run, nothing secret drawn
        self.counter = 0

    def person(
        self,
        *,
        centre: Centre,
        province: Province,
        coordinator: User,
        sex: str = Sex.MALE,
        program: Program | None = None,
        release_between: tuple[datetime.date, datetime.date] = (datetime.date(2022, 1, 1), datetime.date(2026, 6, 30)),
        skills: tuple[str, str] | None = None,
    ) -> Beneficiary:
        """The next demo person, created once (later runs find it by its CIN)."""
        rng = self.rng
        self.counter += 1
        cin = f"XX{self.counter:06d}"
        first = rng.choice(WOMEN if sex == Sex.FEMALE else MEN)
        last = rng.choice(FAMILY_NAMES)
        start, end = release_between
        release = start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
        birth = datetime.date(rng.randint(1970, 2000), rng.randint(1, 12), rng.randint(1, 28))
        skill, experience = skills or rng.choice(SKILLS)
        training = rng.choice(TRAININGS)
        existing = Beneficiary.objects.filter(cin=cin).first()
        if existing is not None:
            return existing
        consent = release + datetime.timedelta(days=rng.randint(3, 40))
        return beneficiary_register(
            by=coordinator,
            fields={
                "first_name_ar": first[0],
                "last_name_ar": last[0],
                "first_name_latin": first[1],
                "last_name_latin": last[1],
                "cin": cin,
                "sex": sex,
                "birth_date": birth,
                "province": province,
                "address": "",
                "establishment": ESTABLISHMENTS.get(centre.code, ""),
                "release_date": release,
                "release_type": rng.choice([ReleaseType.END_OF_SENTENCE, ReleaseType.ROYAL_PARDON]),
                "program": program,
                "education_level": rng.choice(list(EducationLevel.values)),
                "skills": skill,
                "work_experience": experience,
                "family_situation": rng.choice(list(FamilySituation.values)),
                "dependants": rng.randint(0, 4),
                "notice_given_on": consent,
                "consent_signed_on": consent,
            },
            trainings=[
                {"title": training[0], "institution": training[1], "year": release.year - 1, "certificate": True}
            ],
        )

    def log_actions(self, case: Beneficiary, coordinator: User, count: int) -> None:
        if case.actions.exists():
            return
        day = case.consent_signed_on
        for kind, description, outcome in self.rng.sample(ACTIONS, count):
            day = min(day + datetime.timedelta(days=self.rng.randint(5, 30)), datetime.date.today())
            action_record(case=case, by=coordinator, kind=kind, date=day, description=description, outcome=outcome)


PEOPLE_PER_CENTRE = 30


@transaction.atomic
def seed_case_files(people: DemoPeople) -> None:
    """Case files without projects yet, so lists and search have something to show."""
    for centre in Centre.objects.filter(code__in=ESTABLISHMENTS).order_by("code"):
        coordinator = User.objects.get(username=f"coord.{centre.code}")
        provinces = list(centre.provinces.order_by("code"))
        for i in range(PEOPLE_PER_CENTRE):
            case = people.person(
                centre=centre,
                province=provinces[i % len(provinces)],
                coordinator=coordinator,
                sex=Sex.FEMALE if i % 6 == 5 else Sex.MALE,
            )
            people.log_actions(case, coordinator, 1 + i % 3)
    _one_pending_transfer()


def _one_pending_transfer() -> None:
    """A Fès case whose person moved to Meknès, waiting for Meknès to accept."""
    case = Beneficiary.objects.filter(centre__code="fes").order_by("cin").first()
    if case is None or case.transfers.exists():
        return
    transfer_request(
        case=case,
        to_centre=Centre.objects.get(code="meknes"),
        reason="La personne s'est installée chez sa famille à Meknès.",
        by=User.objects.get(username="coord.fes"),
    )
