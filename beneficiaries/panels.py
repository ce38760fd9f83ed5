"""Panels that later apps add to the case page (the life project, the handovers...).

A provider returns ``Panel(template, context)`` or None; like the timeline providers,
it must cost a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_providers: list[Callable] = []


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def register(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def case_panels(case, user) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(case, user)) is not None]
