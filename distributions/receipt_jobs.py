"""An event's receipts printed as a background job, when the event has more than
``RECEIPTS_INLINE_MAX`` recorded handovers (fewer print at once, in the request).

The job numbers no receipt until the whole file is made: it plans the numbers (``receipts_plan``),
lays the receipts out part by part, reporting its progress, then saves the numbers, records who
printed whose receipt and keeps the file, in one transaction (``receipts_plan_commit``, under the
row locks of a print). A job cancelled, failed or killed before that numbered nothing.
"""

from __future__ import annotations

from contextlib import closing

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import ViewedPage
from beneficiaries.services import case_views_record
from distributions.models import Event
from distributions.receipts import receipt_contexts, render_receipts
from distributions.services import ReceiptsChanged, receipts_plan, receipts_plan_commit
from jobs.models import Job
from jobs.registry import register
from jobs.services import job_progress, job_start, job_succeed
from reintegration.models import User
from reintegration.pdf import join_pdfs, render_each

KIND = "event_receipts"
# Receipts laid out as one part: the PDF workers take the parts one after another, side by side,
# and the job reports its progress as each part is done.
PART = 8
# A receipt of the event printed by someone else meanwhile moves the numbers: plan and lay out again.
ATTEMPTS = 3


def event_receipts_start(*, event: Event, recorded: list[tuple[int, int]], by: User, base_url: str) -> Job:
    """Start the job for the (handover, person) ids ``event_recorded_for_user`` gave ``by``: the
    job prints what its starter may print. It concerns the coordinator's own centre; one an HQ
    officer starts, HQ's."""
    return job_start(
        kind=KIND,
        by=by,
        scope=by.centre if by.is_coordinator else None,
        params={
            "event": event.pk,
            "about": str(event),  # named on the job's page: "Meknès — 24/05/2026"
            "handovers": [pk for pk, _person in recorded],
            "people": [person for _pk, person in recorded],
            "base_url": base_url,
        },
    )


def event_receipts_run(job: Job) -> None:
    params = job.params
    for attempt in range(1, ATTEMPTS + 1):
        plan = receipts_plan(pks=params["handovers"])
        content = _lay_out(job, plan.printed, base_url=params["base_url"])
        try:
            with transaction.atomic():
                receipts_plan_commit(plan)
                case_views_record(case_ids=params["people"], user=job.started_by, page=ViewedPage.RECEIPT)
                job_succeed(job, filename=f"receipts-event-{params['event']}.pdf", content=content)
            return
        except ReceiptsChanged:
            if attempt == ATTEMPTS:
                raise


def _lay_out(job: Job, printed: list, *, base_url: str) -> bytes:
    """Every part handed to the PDF workers at once (its receipts read here meanwhile), so that
    no worker waits for another one's part, nor for the database, between two parts."""
    total = len(printed)
    job_progress(job, 0, total)
    chunks = [printed[start : start + PART] for start in range(0, total, PART)]
    contexts = (receipt_contexts(chunk, base_url=base_url) for chunk in chunks)
    parts, done = [], 0
    with closing(render_each(render_receipts, contexts)) as rendered:  # cancelled: the parts not begun are dropped
        for chunk, part in zip(chunks, rendered, strict=True):
            parts.append(part)
            done += len(chunk)
            job_progress(job, done, total)
    return join_pdfs(parts)


register(KIND, label=_("Receipts of an event"), run=event_receipts_run)
