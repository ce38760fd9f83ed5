"""The kinds of job, filled by the apps that do the work (from their ``AppConfig.ready()``), so
that this app imports none of them.

A kind's ``run(job)`` does the work: it reports with ``job_progress`` (which raises
``JobCancelled`` when the job is to stop), then writes its data and the job's result in one
transaction with ``job_succeed``, so that a job stopped at any point before leaves the data as it
found it. A ``ValidationError`` it raises is shown to the user as the job's error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from jobs.models import Job


@dataclass(frozen=True)
class JobKind:
    """``personal``: the job's file holds what its starter's role may read (a national export,
    with full CINs for an administrator), so only its starter and administrators see the job."""

    code: str
    label: Promise | str
    run: Callable[[Job], None]
    personal: bool = False


KINDS: dict[str, JobKind] = {}


def register(code: str, *, label, run: Callable[[Job], None], personal: bool = False) -> None:
    if code in KINDS and KINDS[code].run is not run:
        raise ValueError(f"job kind {code!r} is registered twice")
    KINDS[code] = JobKind(code=code, label=label, run=run, personal=personal)


def personal_kinds() -> list[str]:
    return [code for code, kind in KINDS.items() if kind.personal]


def kind_get(code: str) -> JobKind:
    return KINDS[code]
