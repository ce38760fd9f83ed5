"""The Arabic names of the standard kits' items (and of the generated data's), by French name.

The migration that gave items an Arabic name filled the kits from this list; the demo, the
benchmark's data set and the tests name their items with it.
"""

import functools
import json
from pathlib import Path

NAMES = Path(__file__).resolve().parent / "data" / "item_names_ar.json"


@functools.cache
def arabic_item_names() -> dict[str, str]:
    return json.loads(NAMES.read_text(encoding="utf-8"))


def arabic_item_name(french: str) -> str:
    """The Arabic name of an item known by its French name, or "" for one not on the list."""
    return arabic_item_names().get(french, "")
