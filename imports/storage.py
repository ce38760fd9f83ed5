"""A stored upload as a local file for the time of a pass (the storage may be object storage)."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def local_copy(stored, suffix: str = "") -> Iterator[Path]:
    """``suffix``: ".xlsx" for a workbook (openpyxl reads a file by its name's extension)."""
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with stored.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        stored.close()
        yield path


@contextmanager
def scratch_file(name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="import-out-") as folder:
        yield Path(folder) / name
