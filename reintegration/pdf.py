"""HTML to PDF with WeasyPrint, reading nothing but this project's own static files.

Templates refer to assets as ``static:<path>`` (the ``pdf_static`` tag); the URL fetcher
serves those from the static files and refuses every other URL — no network, no other
file on the machine — but inline PNG images (``data:image/png;base64,``), drawn by the
templates themselves. One ``FontConfiguration`` and one fetcher serve every render.

Long documents (an event's fifty receipts) are cut into parts rendered side by side in a
small pool of worker processes, one per core (``PDF_WORKERS``), then joined with pypdf:
WeasyPrint is pure Python, so only processes use the other cores.
"""

import atexit
import base64
import io
import mimetypes
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfWriter
from weasyprint import HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

SCHEME = "static:"
PNG_DATA = "data:image/png;base64,"


class RefusedURL(ValueError):
    """A PDF asked for something other than the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(PNG_DATA):  # drawn by the template itself (a QR code): nothing is read
            return URLFetcherResponse(url, base64.b64decode(url[len(PNG_DATA) :]), {"Content-Type": "image/png"})
        if not url.startswith(SCHEME):
            raise RefusedURL(f"PDF rendering reads only the project's static files, not {url[:80]!r}")
        relative = url[len(SCHEME) :].lstrip("/")
        if not relative or ".." in Path(relative).parts:
            raise RefusedURL(f"not a static file path: {relative!r}")
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"no static file {relative!r}")
        mime_type, _encoding = mimetypes.guess_type(found)
        return URLFetcherResponse(url, _read(found), {"Content-Type": mime_type or "application/octet-stream"})


@lru_cache(maxsize=64)
def _read(path: str) -> bytes:
    """Fonts and images are read once per process."""
    return Path(path).read_bytes()


_fetcher = StaticOnlyFetcher()
_fonts = FontConfiguration()


def _html(html: str) -> HTML:
    return HTML(string=html, base_url=SCHEME, url_fetcher=_fetcher)


def render_pdf(html: str) -> bytes:
    return _html(html).write_pdf(font_config=_fonts)


def render_document(template: str, context: dict) -> Document:
    """A template laid out in pages, not yet written: its pages can be counted, inspected,
    and combined with other documents' (``Document.copy``) before ``write_pdf``. Printed
    papers are bilingual whoever prints them, so figures take the Moroccan French format."""
    with translation.override("fr"):
        html = render_to_string(template, context)
    return _html(html).render(font_config=_fonts)


# --- Several parts at once ----------------------------------------------------------

_pool: ProcessPoolExecutor | None = None


def _start_worker() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegration.settings")
    django.setup()
    render_pdf("<p>.</p>")  # load the fonts once, before the first real part


def _workers() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # "spawn", not "fork": a forked child would share this process's database sockets.
        context = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(max_workers=settings.PDF_WORKERS, mp_context=context, initializer=_start_worker)
        atexit.register(_pool.shutdown, wait=False, cancel_futures=True)
    return _pool


def join_pdfs(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def render_template_pdf(template: str, context: dict) -> bytes:
    return render_document(template, context).write_pdf()


def render_parts(render: Callable[[list], bytes], items: list, *, smallest: int = 8) -> bytes:
    """``render(items)`` as one PDF; for many items, cut into one part per PDF worker, the
    parts rendered side by side and joined. ``render`` must be a module-level function and
    the items picklable: both travel to the workers. Below ``smallest`` items a second
    process costs more than it saves."""
    workers = settings.PDF_WORKERS
    if workers <= 1 or len(items) < smallest:
        return render(items)
    size = -(-len(items) // workers)
    parts = [items[start : start + size] for start in range(0, len(items), size)]
    return join_pdfs(list(_workers().map(render, parts)))
