"""What the load test's users do with a page, without Locust (so that the tests can check it on
the project's own pages): read a form as a browser would send it back, and compute the code an
authenticator app shows."""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
from html.parser import HTMLParser


def totp(hex_key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238, as django-otp's TOTP devices check it)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


class FormReader(HTMLParser):
    """The fields of the first <form> of <main> (or of the form whose action is given), with
    the values a browser would send unchanged: inputs, checked boxes, selected options, text."""

    def __init__(self, action: str | None = None):
        super().__init__(convert_charrefs=True)
        self.action, self.fields, self._inside, self._done, self._main = action, [], False, False, False
        self._select = self._textarea = None
        self._first_option = None
        self.options: dict[str, list[str]] = {}  # each select's non-empty choices, in order
        self._selected = False
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._main = True
        if tag == "form" and not self._done and not self._inside:
            wanted = a.get("action") == self.action if self.action else self._main
            self._inside = bool(wanted)
            return
        if not self._inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if value:
                self.options.setdefault(self._select, []).append(value)
            if "selected" in a and not self._selected:
                self.fields.append((self._select, value))
                self._selected = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self._inside:
            return
        if tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._inside, self._done = False, True


def read_form(html: str, action: str | None = None) -> dict[str, list[str]]:
    return _read(html, action)[0]


def select_options(html: str, action: str | None = None) -> dict[str, list[str]]:
    """The choices each select of the form offers (empty choices left out)."""
    return _read(html, action)[1]


def _read(html: str, action: str | None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    reader = FormReader(action)
    reader.feed(html)
    form: dict[str, list[str]] = {}
    for name, value in reader.fields:
        form.setdefault(name, []).append(value)
    return form, reader.options


# Ten first names (Arabic, Latin): with a birth date each, no two people of a run look alike.
FIRST_NAMES = [
    ("سليم", "Salim"), ("كريم", "Karim"), ("نبيل", "Nabil"), ("هشام", "Hicham"), ("أمين", "Amine"),
    ("سناء", "Sanaa"), ("ليلى", "Leila"), ("مريم", "Meryem"), ("نادية", "Nadia"), ("هدى", "Houda"),
]  # fmt: skip


def registration(n: int, options: dict[str, list[str]]) -> dict[str, str]:
    """What a coordinator types to register the ``n``-th person of the test (n < 90,000): a
    fictitious CIN (XL and six digits, beyond the demo's), and a first name and birth date no one
    else of the test has, so that no two are taken for duplicates of each other. The province
    (the first offered: the centre's own) is chosen from the form's ``options``."""
    arabic, latin = FIRST_NAMES[n % 10]
    birth = time.strftime("%Y-%m-%d", time.gmtime(86400 * (3650 + n // 10)))  # from 1980 on
    return {
        "first_name_ar": arabic,
        "last_name_ar": "التجريبي",
        "first_name_latin": latin,
        "last_name_latin": "Tajribi",
        "cin": f"XL{n:06d}",
        "sex": "F" if n % 10 >= 5 else "M",
        "birth_date": birth,
        "release_date": "2026-03-01",
        "province": options["province"][0],
        "establishment": "Prison locale de test",
        "release_type": "end_of_sentence",
        "notice_given_on": "2026-03-05",
        "consent_signed_on": "2026-03-05",
    }
