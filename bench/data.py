"""The generated data set the benchmarks run on.

It lives in its own database (``<name>_bench`` on PostgreSQL, ``var/bench.sqlite3``
otherwise), kept between runs: each part is generated once, when missing.
"""

import datetime
import random
from dataclasses import dataclass, field

from beneficiaries.choices import ActionKind, CaseStatus, ReleaseType, Sex
from beneficiaries.demo import FAMILY_NAMES, MEN, WOMEN
from beneficiaries.models import AccompanimentAction, Beneficiary, Training
from beneficiaries.names import search_text
from reintegration.demo import seed_organisation
from reintegration.models import Centre, User

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
    rng = random.Random(200_000)
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


def build(stdout=None) -> DataSet:
    seed_organisation()
    _case_files(stdout)
    return DataSet(case_files=Beneficiary.objects.count(), detail_case_pk=_detail_case().pk)
