"""factory_boy factories for the whole project. Territory comes from the data migration."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reintegration.choices import PartnerKind, Role
from reintegration.models import Centre, Partner, Program, Province, User


def province(code: str) -> Province:
    return Province.objects.get(code=code)


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"centre-{n}")
    name_ar = factory.Sequence(lambda n: f"مركز تجريبي {n}")
    name_fr = factory.Sequence(lambda n: f"Centre d'essai {n}")
    city_ar = "مكناس"
    city_fr = "Meknès"

    @factory.post_generation
    def provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.provinces.set([province(code) if isinstance(code, str) else code for code in extracted])


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"program-{n}")
    name_ar = "برنامج مصالحة"
    name_fr = "Programme Moussalaha"
    edition = 7
    start_year = 2021
    end_year = 2021


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    kind = PartnerKind.FOUNDATION
    name_ar = factory.Sequence(lambda n: f"شريك {n}")
    name_fr = factory.Sequence(lambda n: f"Partenaire {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.OFFICER
    language = "en"
    password = factory.django.Password("test-pass-2026")


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    centre = factory.SubFactory(CentreFactory)


class BeneficiaryFactory(DjangoModelFactory):
    """A fictitious case file (CINs start with ``XT``, which no real card uses)."""

    class Meta:
        model = "beneficiaries.Beneficiary"

    first_name_ar = "محمد"
    last_name_ar = "العلوي"
    first_name_latin = "Mohamed"
    last_name_latin = "El Alaoui"
    cin = factory.Sequence(lambda n: f"XT{n:06d}")
    sex = "M"
    birth_date = datetime.date(1990, 5, 17)
    province = factory.LazyFunction(lambda: province("03.061"))
    establishment = "Prison locale Toulal 2, Meknès"
    release_date = datetime.date(2025, 3, 1)
    release_type = "end_of_sentence"
    notice_given_on = datetime.date(2025, 3, 10)
    consent_signed_on = datetime.date(2025, 3, 10)
    centre = factory.SubFactory(CentreFactory)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = "beneficiaries.AccompanimentAction"

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    kind = "administrative"
    date = datetime.date(2025, 4, 1)
    description = "Accompagnement pour la CIN"
    recorded_by = factory.SubFactory(UserFactory)


class EnvelopeFactory(DjangoModelFactory):
    class Meta:
        model = "projects.Envelope"

    name = factory.Sequence(lambda n: f"Enveloppe {n}")
    program = factory.SubFactory(ProgramFactory)
    # This year's money: projects approved today are funded from it (projects.funding).
    fiscal_year = factory.LazyFunction(lambda: timezone.localdate().year)
    amount = Decimal("100000.00")


def trade(code: str = "bakery"):
    from projects.models import Trade

    return Trade.objects.get(code=code)


def make_project(case, by, *, lines=(("Four", "1", "10000.00"),), cash="2000.00", status="draft", officer=None):
    """A life project built through the services, moved to ``status`` (up to 'approved')."""
    from projects.item_names import arabic_item_name
    from projects.services import project_create, project_transition, project_update

    project = project_create(case=case, by=by)
    rows = [
        {
            "item_fr": item,
            "item_ar": arabic_item_name(item),
            "quantity": Decimal(q),
            "unit": "piece",
            "unit_price": Decimal(p),
            "supplier": "",
        }
        for item, q, p in lines
    ]
    fields = {"trade": trade(), "province": case.province, "description": "Boulangerie", "cash_aid": Decimal(cash)}
    project = project_update(project=project, by=by, fields=fields, lines=rows)
    steps = {"draft": [], "submitted": ["submitted"], "approved": ["submitted", "approved"]}[status]
    for target in steps:
        actor = by if target == "submitted" else officer
        project = project_transition(project=project, target=target, by=actor)
    return project
