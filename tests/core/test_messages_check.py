"""``manage.py check_messages`` (``make messages-check``) on a small project of its own: a clean
one passes; missing, obsolete, untranslated, fuzzy entries, placeholders that differ and a
catalogue msgfmt refuses fail, each named; nothing is written into the tree it checks."""

import io
import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

PYTHON = """\
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

TITLE = _("Case files")
GREETING = _("Hello %(name)s")
COUNT = _("{count} projects")
MONTH = pgettext_lazy("month", "May")


def files(n):
    return ngettext("%(count)s file", "%(count)s files", n) % {"count": n}
"""

TEMPLATE = """\
{% load i18n %}
<h1>{% translate "Register a case" %}</h1>
<p>{% blocktranslate with who=user %}Signed in as {{ who }}{% endblocktranslate %}</p>
"""

# (msgctxt, msgid, msgid_plural): {locale: msgstr or plural forms}
CLEAN = {
    (None, "Case files", None): {"ar": "الملفات", "fr": "Dossiers"},
    (None, "Hello %(name)s", None): {"ar": "مرحبا %(name)s", "fr": "Bonjour %(name)s"},
    (None, "{count} projects", None): {"ar": "{count} مشاريع", "fr": "{count} projets"},
    ("month", "May", None): {"ar": "ماي", "fr": "mai"},
    (None, "%(count)s file", "%(count)s files"): {
        "ar": {0: "لا ملف", 1: "ملف واحد", 2: "ملفان", 3: "%(count)s ملفات", 4: "%(count)s ملفا", 5: "%(count)s ملف"},
        "fr": {0: "%(count)s dossier", 1: "%(count)s dossiers"},
    },
    (None, "Register a case", None): {"ar": "تسجيل ملف", "fr": "Enregistrer un dossier"},
    (None, "Signed in as %(who)s", None): {"ar": "متصل باسم %(who)s", "fr": "Connecté en tant que %(who)s"},
}
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    "fr": "nplurals=2; plural=(n > 1);",
}
FORMAT_FLAGS = {"Hello %(name)s", "%(count)s file", "Signed in as %(who)s"}


@pytest.fixture(autouse=True)
def gettext_tools():
    if shutil.which("xgettext") is None or shutil.which("msgfmt") is None:
        reason = "GNU gettext not found (install Debian's 'gettext' package)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


def write_project(root: Path, entries: dict, *, fuzzy=(), obsolete=()) -> None:
    (root / "app").mkdir()
    (root / "app" / "strings.py").write_text(PYTHON, encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    for locale in ("ar", "fr"):
        po = polib.POFile()
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": locale,
            "Plural-Forms": PLURAL_FORMS[locale],
        }
        for (context, msgid, plural), translations in entries.items():
            translation = translations.get(locale, "")
            entry = polib.POEntry(msgctxt=context, msgid=msgid, msgid_plural=plural or "")
            if plural:
                entry.msgstr_plural = translation or {0: "", 1: ""}
            else:
                entry.msgstr = translation
            if msgid in FORMAT_FLAGS:
                entry.flags.append("python-format")
            if (locale, msgid) in fuzzy:
                entry.flags.append("fuzzy")
            entry.obsolete = msgid in obsolete
            po.append(entry)
        path = root / "locale" / locale / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        po.save(str(path))


def snapshot(root: Path) -> dict:
    return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def run_check(root: Path, monkeypatch, settings) -> tuple[bool, str]:
    """Run the check in ``root``: (passed, what it printed on stderr)."""
    monkeypatch.chdir(root)
    settings.LOCALE_PATHS = [root / "locale"]
    before = snapshot(root)
    err = io.StringIO()
    try:
        call_command("check_messages", locale=["ar", "fr"], stdout=io.StringIO(), stderr=err)
        passed = True
    except CommandError as error:
        assert "problem(s) in the catalogues" in str(error)
        passed = False
    assert snapshot(root) == before  # no .pot, no preprocessed template left, catalogues untouched
    return passed, err.getvalue()


def test_it_passes_on_catalogues_in_step_and_translated(tmp_path, monkeypatch, settings):
    write_project(tmp_path, CLEAN)
    assert run_check(tmp_path, monkeypatch, settings) == (True, "")


def test_it_passes_with_an_entry_makemessages_already_made_obsolete(tmp_path, monkeypatch, settings):
    write_project(
        tmp_path, {**CLEAN, (None, "Old label", None): {"ar": "قديم", "fr": "Ancien"}}, obsolete={"Old label"}
    )
    assert run_check(tmp_path, monkeypatch, settings) == (True, "")


def test_it_fails_and_names_each_problem(tmp_path, monkeypatch, settings):
    entries = dict(CLEAN)
    del entries[(None, "Register a case", None)]  # in the template, not in the catalogues
    entries[(None, "Case files", None)] = {"ar": "", "fr": "Dossiers"}  # untranslated in Arabic
    entries[(None, "Removed from the code", None)] = {"ar": "محذوف", "fr": "Supprimé"}  # still active
    entries[(None, "{count} projects", None)] = {"ar": "{count} مشاريع", "fr": "{nombre} projets"}
    write_project(tmp_path, entries, fuzzy={("fr", "Hello %(name)s")})

    passed, report = run_check(tmp_path, monkeypatch, settings)

    assert not passed
    assert report.splitlines() == [
        "locale/ar, locale/fr: not in the catalogue: 'Register a case' (templates/page.html:2)",
        "locale/ar, locale/fr: no longer in the code, still active: 'Removed from the code'",
        "locale/ar: untranslated: 'Case files'",
        "locale/fr: fuzzy: 'Hello %(name)s'",
        "locale/fr: placeholders differ ({count} in the msgid, {nombre} in the translation): '{count} projects'",
    ]


def test_it_fails_when_msgfmt_refuses_a_catalogue(tmp_path, monkeypatch, settings):
    entries = dict(CLEAN)
    entries[(None, "Hello %(name)s", None)] = {"ar": "مرحبا %(name)s", "fr": "Bonjour %(nom)s"}
    write_project(tmp_path, entries)

    passed, report = run_check(tmp_path, monkeypatch, settings)

    assert not passed
    assert "locale/fr: msgfmt --check: locale/fr/LC_MESSAGES/django.po:" in report
    assert "a format specification for argument 'name' doesn't exist in 'msgstr'" in report
    assert (
        "locale/fr: placeholders differ (%(name)s in the msgid, %(nom)s in the translation): 'Hello %(name)s'" in report
    )
    assert "locale/ar" not in report


def test_a_plural_form_may_leave_the_number_out_but_not_bring_its_own(tmp_path, monkeypatch, settings):
    entries = dict(CLEAN)
    key = (None, "%(count)s file", "%(count)s files")
    entries[key] = {"ar": {**CLEAN[key]["ar"], 2: "{total} ملفان"}, "fr": CLEAN[key]["fr"]}
    write_project(tmp_path, entries)

    passed, report = run_check(tmp_path, monkeypatch, settings)

    assert not passed
    assert report.splitlines() == [
        "locale/ar: plural form 2 has placeholders the msgid has not ({total}): '%(count)s file'"
    ]
