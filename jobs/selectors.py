"""Reads of jobs, through the user's scope (``Job.objects.visible_to``)."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Job
from reintegration.models import User
from reintegration.scoping import get_for_user


def job_list_for_user(*, user: User) -> QuerySet[Job]:
    """The jobs the user may see, newest first, with what the list shows."""
    return Job.objects.visible_to(user).select_related("started_by", "centre")


def job_get_for_user(*, user: User, pk: int, write: bool = False) -> Job:
    """One job: out of scope is a 404; ``write=True`` (cancelling) is a 403 for one who only sees it."""
    return get_for_user(Job.objects.select_related("started_by", "centre"), user, pk, write=write)
