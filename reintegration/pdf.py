"""HTML to PDF with WeasyPrint, reading nothing but this project's own static files.

Templates refer to assets as ``static:<path>`` (the ``pdf_static`` tag); the URL fetcher
serves those from the static files and refuses every other URL — no network, no other
file on the machine — but inline PNG images (``data:image/png;base64,``), drawn by the
templates themselves. One ``FontConfiguration`` and one fetcher serve every render.

What is the same for every paper is done once per process: a paper's style sheets, written as
templates and named by ``render_document(stylesheets=...)``, are rendered and parsed on first
use, then kept; the user-agent style sheet is WeasyPrint's without its rules for footnote and
note calls and a marker on every element (``_lean_ua``): for them WeasyPrint worked out six
styles per element, nine in ten of the styles it computed and most of the time it spent on
styles, for boxes no paper here makes. The cyclic garbage collector waits while a paper is
laid out and written (``_collector_paused``).

Long documents (an event's fifty receipts) are cut into parts rendered side by side in a
small pool of worker processes, one per core (``PDF_WORKERS``), then joined with pypdf:
WeasyPrint is pure Python, so only processes use the other cores.
"""

import atexit
import base64
import gc
import io
import mimetypes
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.utils import translation
from pypdf import PdfWriter
from weasyprint import CSS, HTML, Document
from weasyprint.html import UA, UA_COUNTER_STYLE, UA_FORM_STYLESHEET
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

# WeasyPrint's rules for a pseudo-element of every element. The list marker is kept for list
# items (the only ones the papers have); footnotes and notes (``float: footnote``) are unused.
_EVERY_ELEMENT = re.compile(
    r"^::(marker|footnote-call|footnote-marker|note-call|note-marker|note-callback) \{.*\}$", re.MULTILINE
)


def _lean_ua(css: str) -> str:
    if len(_EVERY_ELEMENT.findall(css)) != 6:  # a new WeasyPrint: look at its user-agent sheet again
        raise RuntimeError("WeasyPrint's user-agent style sheet changed: review reintegration.pdf._lean_ua")
    return _EVERY_ELEMENT.sub(lambda rule: "li" + rule[0] if rule[1] == "marker" else "", css)


_UA_STYLESHEET = CSS(string=_lean_ua(UA), counter_style=UA_COUNTER_STYLE)


class _HTML(HTML):
    def _ua_stylesheets(self, forms=False):
        return [_UA_STYLESHEET, UA_FORM_STYLESHEET] if forms else [_UA_STYLESHEET]


def _html(html: str) -> HTML:
    return _HTML(string=html, base_url=SCHEME, url_fetcher=_fetcher)


@cache
def stylesheet(template: str) -> CSS:
    """A style sheet written as a template (for ``pdf_static``), rendered without context and
    parsed once per process: it is the same for every paper, and must say nothing of one."""
    return CSS(string=render_to_string(template), base_url=SCHEME, url_fetcher=_fetcher, font_config=_fonts)


@contextmanager
def _collector_paused():
    """WeasyPrint makes a hundred thousand objects or so for a page, and the cyclic collector,
    run every few hundred new ones, went through them again and again (and now and then through
    the whole heap): some ten milliseconds of a receipt's hundred, tens more for a full
    collection. It waits meanwhile; what the paper left behind is collected afterwards."""
    if not gc.isenabled():  # already paused: a paper laid out within another's
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_pdf(html: str) -> bytes:
    with _collector_paused():
        return _html(html).write_pdf(font_config=_fonts)


def render_document(template: str, context: dict, *, stylesheets: tuple[str, ...] = ()) -> Document:
    """A template laid out in pages, not yet written: its pages can be counted, inspected,
    and combined with other documents' (``Document.copy``) before ``write_pdf``. Printed
    papers are bilingual whoever prints them, so figures take the Moroccan French format.

    ``stylesheets`` (see ``stylesheet``) apply as user style sheets: the template's own
    ``<style>`` (what differs from one paper to the next) comes after them and wins."""
    with translation.override("fr"):
        html = render_to_string(template, context)
    sheets = [stylesheet(name) for name in stylesheets]
    with _collector_paused():
        return _html(html).render(font_config=_fonts, stylesheets=sheets)


def write_pdf(document: Document) -> bytes:
    with _collector_paused():
        return document.write_pdf()


# Latin and Arabic, plain and bold: every font a paper sets its text in.
_WARM_UP_HTML = '<p>Reçu 0123 <b>N° 45</b></p><p dir="rtl" class="ar">محضر تسليم <b>رقم ٤٥</b></p>'


def warm_up(templates: Iterable[str] = (), *, stylesheets: tuple[str, ...] = ()) -> None:
    """Do now what a process's first paper would otherwise do while someone waits for it (more
    than a second, several under load): parse the style sheets and load their fonts, compile
    the templates, start Pango and HarfBuzz on a page set in every font. Reads no database
    (an app server calls it as each worker starts: deploy/gunicorn.conf.py)."""
    for name in templates:
        get_template(name)
    sheets = [stylesheet(name) for name in stylesheets]
    with _collector_paused():
        _html(_WARM_UP_HTML).render(font_config=_fonts, stylesheets=sheets).write_pdf()


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
    return write_pdf(render_document(template, context))


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
    return join_pdfs(list(render_each(render, parts)))


def render_each(render: Callable[[list], bytes], parts: Iterable[list]) -> Iterator[bytes]:
    """``render(part)`` for each part, in order, each as soon as it is done: the parts are
    handed to the PDF workers as they come (the next one can be prepared, from the database,
    while the workers lay out the first ones). With one PDF worker, each part is rendered
    here, when its turn comes. Stopping early (a cancelled job) drops the parts not begun."""
    if settings.PDF_WORKERS <= 1:
        yield from map(render, parts)
        return
    pool = _workers()
    futures = [pool.submit(render, part) for part in parts]
    try:
        for future in futures:
            yield future.result()
    finally:
        for future in futures:
            future.cancel()
