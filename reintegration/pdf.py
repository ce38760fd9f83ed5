"""HTML to PDF with WeasyPrint, reading nothing but this project's own static files.

Templates refer to assets as ``static:<path>`` (the ``pdf_static`` tag); the URL fetcher
serves those from the static files and refuses every other URL — no network, no other
file on the machine. One ``FontConfiguration`` and one fetcher serve every render.
"""

import mimetypes
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

SCHEME = "static:"


class RefusedURL(ValueError):
    """A PDF asked for something other than the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
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


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=SCHEME, url_fetcher=_fetcher).write_pdf(font_config=_fonts)
