"""The import of 50,000 case-file rows (a centre's years of Excel sheets), check then import,
through the jobs as the worker runs them, on the bench's national data set."""

from __future__ import annotations

import datetime
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from openpyxl import Workbook

ROWS = 50_000
PREFIX = "XQ"  # the CINs of the bench's imported rows (the data set's are XB…; no real card starts with XQ)
FIRST = ["Youssef", "Ahmed", "Karim", "Said", "Rachid", "Hamza", "Omar", "Khalid", "Nabil", "Anas"]
FIRST_AR = ["يوسف", "أحمد", "كريم", "سعيد", "رشيد", "حمزة", "عمر", "خالد", "نبيل", "أنس"]
LAST = ["Bennani", "Tazi", "Alami", "Idrissi", "Berrada", "Chraibi", "Fassi", "Kettani", "Sqalli", "Lahlou"]
LAST_AR = ["بناني", "التازي", "العلمي", "الإدريسي", "برادة", "الشرايبي", "الفاسي", "الكتاني", "السقلي", "لحلو"]


def sheet(path: Path) -> Path:
    """The workbook, made once (streamed) and kept beside the bench database."""
    if path.exists():
        return path
    from imports.cases import columns

    rng = random.Random(50_000)  # nosec B311 # fictitious rows, the same each run: no secret
    workbook = Workbook(write_only=True)
    rows = workbook.create_sheet()
    keys = [column.key for column in columns()]
    rows.append([column.header() for column in columns()])
    for n in range(ROWS):
        # a person of their own: no two rows share a date of birth and a first name
        first, last = n // 15_000 % 10, rng.randrange(10)
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 15_000)
        release = birth + datetime.timedelta(days=7_000 + rng.randrange(4_000))
        release = min(release, datetime.date(2025, 12, 31))
        values = {
            "last_name_ar": LAST_AR[last],
            "first_name_ar": FIRST_AR[first],
            "last_name_latin": LAST[last],
            "first_name_latin": FIRST[first],
            "cin": f"{PREFIX}{n:06d}",
            "sex": "Homme" if n % 7 else "Femme",
            "birth_date": birth,  # a workbook's date cells, as Excel writes them
            "phone": f"0612{rng.randrange(10**6):06d}",
            "address": f"{n} rue de la Liberté",
            "province": "Meknès",
            "establishment": "Prison locale Toulal 2",
            "release_date": release.strftime("%d/%m/%Y"),  # and dates typed as text
            "release_type": "Fin de peine",
            "dependants": n % 4,
            "notice_given_on": release.strftime("%d/%m/%Y"),
            "consent_signed_on": release.strftime("%d/%m/%Y"),
        }
        rows.append([values.get(key, "") for key in keys])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def import_50k_rows() -> dict:
    from beneficiaries.models import Beneficiary
    from imports.choices import ImportStatus
    from imports.jobs import CHECK, IMPORT
    from imports.models import ImportBatch
    from jobs.models import Job
    from jobs.tasks import job_run
    from reintegration.models import User

    path = sheet(settings.VAR_DIR / "bench" / "import-50k.xlsx")
    coordinator = User.objects.get(username="coord.meknes")
    _undo(coordinator)
    start = time.perf_counter()
    batch = ImportBatch(
        kind="cases",
        centre=coordinator.centre,
        uploaded_by=coordinator,
        original_name=path.name,
        file_type="xlsx",
        fingerprint=f"bench-{time.time()}",
    )
    with path.open("rb") as handle:
        batch.file.save("upload", File(handle), save=False)
    batch.check_job = Job.objects.create(kind=CHECK, started_by=coordinator, centre=batch.centre, params={})
    batch.save()
    Job.objects.filter(pk=batch.check_job.pk).update(params={"batch": batch.pk})
    _ran(job_run.call(job_id=batch.check_job.pk), batch.check_job)
    checked = time.perf_counter()
    batch.refresh_from_db()
    counts = batch.report["counts"]
    if batch.report.get("problem_count"):
        raise RuntimeError(f"the bench's sheet has problems: {batch.report['problems'][:3]}")
    batch.status = ImportStatus.IMPORTING
    batch.import_job = Job.objects.create(
        kind=IMPORT, started_by=coordinator, centre=batch.centre, params={"batch": batch.pk}
    )
    batch.save()
    _ran(job_run.call(job_id=batch.import_job.pk), batch.import_job)
    end = time.perf_counter()
    created = Beneficiary.objects.filter(cin__startswith=PREFIX).count()
    _undo(coordinator)
    return {
        "n_rows": counts["rows"],
        "seconds": round(end - start, 1),
        "detail": f"check {checked - start:.1f} s, import {end - checked:.1f} s, {created} case files written",
    }


def _ran(status: str, job) -> None:
    if status != "succeeded":
        job.refresh_from_db()
        raise RuntimeError(f"the job ended {status}: {job.error}")


def _undo(coordinator) -> None:
    """The bench's data set as it was: the imported files, their history and the imports gone."""
    from beneficiaries.models import Beneficiary
    from imports.models import ImportBatch
    from jobs.models import Job

    imported = list(Beneficiary.objects.filter(cin__startswith=PREFIX).values_list("pk", flat=True))
    for start in range(0, len(imported), 2_000):  # by parts: the deletion's memory is not the import's
        Beneficiary.objects.filter(pk__in=imported[start : start + 2_000]).delete()
    Beneficiary.history.filter(cin__startswith=PREFIX)._raw_delete(Beneficiary.history.db)
    for batch in ImportBatch.objects.filter(uploaded_by=coordinator):
        batch.file.delete(save=False)
        jobs = [batch.check_job_id, batch.import_job_id]
        batch.delete()
        for job in Job.objects.filter(pk__in=[pk for pk in jobs if pk]):
            if job.result:
                job.result.delete(save=False)
            job.delete()
