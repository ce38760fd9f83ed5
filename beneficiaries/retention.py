"""What other apps erase when a case file is anonymised under the retention rule.

Each app registers a function ``erase(case)`` (in its ``AppConfig.ready``) that clears the
personal content it holds about the person — free text, photos, scans and their change
history — keeping what the statistics count. They all run inside the anonymisation's
transaction, so a case file is never left half-anonymised.
"""

from collections.abc import Callable

_erasers: list[Callable] = []


def register(eraser: Callable) -> Callable:
    _erasers.append(eraser)
    return eraser


def erase_everywhere(case) -> None:
    for eraser in _erasers:
        eraser(case)
