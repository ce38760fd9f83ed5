"""The case file's timeline, which later apps add to.

Each app registers a provider (in its ``AppConfig.ready``) that returns the
entries it knows about for one case file — accompaniment here, life projects and
handovers in their apps — so this app needs no knowledge of them. A provider
must cost a fixed number of queries, whatever the number of entries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

_providers: list[Callable] = []


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date | datetime.datetime
    icon: str
    title: str
    body: str = ""
    detail: str = ""
    by: str = ""
    url: str = ""
    muted: bool = False

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.max)

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.when).date() if isinstance(self.when, datetime.datetime) else self.when


def register(provider: Callable[..., Iterable[TimelineEntry]]) -> Callable:
    _providers.append(provider)
    return provider


def case_timeline(beneficiary, user) -> list[TimelineEntry]:
    """Everything that happened in the case, newest first."""
    entries = [entry for provider in _providers for entry in provider(beneficiary, user)]
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)
