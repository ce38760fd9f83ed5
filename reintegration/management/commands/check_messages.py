"""``manage.py check_messages``: are the catalogues in step with the code, and complete?

The same extraction as ``makemessages`` (it is a subclass: same options, same template
preprocessing, same xgettext keywords), except that nothing is written into the working
tree: the preprocessed templates and the ``.pot`` file live in a temporary directory, and
the ``.po`` files are only read. Then, for each catalogue, it compares the sets of
(msgctxt, msgid) — not the files, whose POT-Creation-Date changes on every run — and fails,
listing every finding, if:

- a string in the code is missing from the catalogue, or an entry the code no longer uses is
  still active (``make messages`` would change the catalogue);
- in a translated language (``--translated``; by default every locale but English, the
  language of the msgids) an entry is untranslated or fuzzy;
- ``msgfmt --check`` refuses the catalogue;
- a translation's placeholders (``%(name)s``, ``%s``, ``{name}``) differ from the msgid's.

It leans on two of makemessages' inner pieces (``BuildFile.work_path`` and ``find_files``);
``tests/core/test_messages_check.py`` checks, on a small project, that nothing is written and
that each finding is named, so a Django upgrade that moves them shows there.
"""

import os
import re
import subprocess  # nosec B404 # runs GNU msgfmt only, with a fixed argument list
import tempfile
from collections import Counter
from pathlib import Path

import polib
from django.core.management.base import CommandError
from django.core.management.commands import makemessages

SOURCE_LANGUAGE = "en"

# The conversion specifiers Python's % operator accepts (what xgettext calls python-format).
PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[A-Za-z_0-9]*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*(?:![rsa])?(?::[^{}]*)?\}")


def placeholders(text: str, *, percent: bool) -> Counter:
    found = Counter(match for match in BRACE.findall(text.replace("{{", "").replace("}}", "")))
    if percent:
        found.update(match for match in PERCENT.findall(text) if match != "%%")
    return found


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def label(entry_key: tuple[str, str]) -> str:
    context, msgid = entry_key
    return f"{msgid!r} (context {context!r})" if context else repr(msgid)


class OutOfTreeBuildFile(makemessages.BuildFile):
    """A template's preprocessed copy is written under the temporary directory, not beside it."""

    @property
    def work_path(self) -> str:
        if not self.is_templatized:
            return self.path
        relative = os.path.normpath(self.translatable.path)
        return os.path.join(self.command.workdir, "src", f"{relative}.py")

    def preprocess(self) -> None:
        if self.is_templatized:
            os.makedirs(os.path.dirname(self.work_path), exist_ok=True)
        super().preprocess()

    def postprocess_messages(self, msgs: str) -> str:
        if not self.is_templatized:
            return msgs
        return msgs.replace(f"#: {self.work_path}", f"#: {os.path.normpath(self.path)}").replace(
            f" {self.work_path}:", f" {os.path.normpath(self.path)}:"
        )


class Command(makemessages.Command):
    help = (
        "Extract the messages as makemessages does, without writing anything, and fail if the "
        "catalogues are out of step with the code, incomplete, fuzzy, refused by msgfmt --check, "
        "or have placeholders that differ from the msgid's."
    )
    build_file_class = OutOfTreeBuildFile
    requires_system_checks = []

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--translated",
            action="append",
            default=[],
            metavar="LOCALE",
            help="A locale whose entries must all be translated (repeatable; default: every locale but en).",
        )

    def handle(self, *args, **options):
        if not options["locale"]:
            raise CommandError("Name the catalogues to check with --locale (as for makemessages).")
        options.update(no_location=False, no_obsolete=False, keep_pot=False, all=False, exclude=[])
        options["verbosity"] = min(options["verbosity"], 1)
        makemessages.check_programs("msgfmt")
        self.translated = set(options["translated"] or [code for code in options["locale"] if code != SOURCE_LANGUAGE])
        self.pots: dict[str, polib.POFile] = {}  # real locale directory -> extracted template
        verbosity = options["verbosity"]
        with tempfile.TemporaryDirectory(prefix="check-messages-") as workdir:
            self.workdir = workdir
            options["verbosity"] = 0  # makemessages' "processing locale ar" lines are noise here
            super().handle(*args, **options)
        # The same finding in several catalogues is one line naming them all.
        findings: dict[str, list[str]] = {}
        for locale_dir, pot in sorted(self.pots.items()):
            for locale in options["locale"]:
                path = Path(locale_dir) / locale / "LC_MESSAGES" / f"{self.domain}.po"
                for finding in self.check_catalogue(path, pot):
                    findings.setdefault(finding, []).append(os.path.relpath(path.parent.parent))
        if findings:
            self.stderr.write("\n".join(f"{', '.join(names)}: {finding}" for finding, names in findings.items()))
            raise CommandError(
                f"{len(findings)} problem(s) in the catalogues. Run `make messages`, translate, "
                "and run `make messages-check` again."
            )
        if verbosity:
            checked = ", ".join(sorted(options["locale"]))
            self.stdout.write(f"Catalogues in step with the code and complete ({checked}).")

    # --- makemessages, turned to read only ---------------------------------------------------

    def find_files(self, root):
        """The usual files, but each locale directory's ``.pot`` is built in the temporary one."""
        files = super().find_files(root)
        self.real_locale_dirs = {}
        for translatable in files:
            if translatable.locale_dir is makemessages.NO_LOCALE_DIR:
                continue
            real = os.path.abspath(translatable.locale_dir)
            if real not in self.real_locale_dirs:
                self.real_locale_dirs[real] = os.path.join(self.workdir, f"locale{len(self.real_locale_dirs)}")
                os.makedirs(self.real_locale_dirs[real])
            translatable.locale_dir = self.real_locale_dirs[real]
        self.locale_paths = list(self.real_locale_dirs.values())
        self.default_locale_path = self.locale_paths[0] if self.locale_paths else None
        return files

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        for real, temporary in self.real_locale_dirs.items():
            potfile = os.path.join(temporary, f"{self.domain}.pot")
            if os.path.exists(potfile):
                self.pots[real] = polib.pofile(potfile)
        return potfiles

    def write_po_file(self, potfile, locale):
        """Never write a catalogue: the comparison is made in :meth:`check_catalogue`."""

    # --- the checks --------------------------------------------------------------------------

    def check_catalogue(self, path: Path, pot: polib.POFile) -> list[str]:
        """What is wrong with one catalogue, each finding a line."""
        if not path.exists():
            return [f"no catalogue at {os.path.relpath(path)} (run `make messages`)"]
        po = polib.pofile(str(path))
        active = {key(entry): entry for entry in po if not entry.obsolete}
        extracted = {key(entry): entry for entry in pot}
        locale = path.parent.parent.name
        findings = []
        for entry_key in sorted(extracted.keys() - active.keys()):
            where = ", ".join(f"{file}:{line}" if line else file for file, line in extracted[entry_key].occurrences)
            findings.append(f"not in the catalogue: {label(entry_key)}" + (f" ({where})" if where else ""))
        for entry_key in sorted(active.keys() - extracted.keys()):
            findings.append(f"no longer in the code, still active: {label(entry_key)}")
        for entry_key in sorted(active.keys() & extracted.keys()):
            if (active[entry_key].msgid_plural or "") != (extracted[entry_key].msgid_plural or ""):
                findings.append(f"plural changed in the code: {label(entry_key)}")
        if locale in self.translated:
            for entry_key, entry in sorted(active.items()):
                if "fuzzy" in entry.flags:
                    findings.append(f"fuzzy: {label(entry_key)}")
                elif not entry.translated():
                    findings.append(f"untranslated: {label(entry_key)}")
                else:
                    findings += [f"{problem}: {label(entry_key)}" for problem in self.placeholder_problems(entry)]
        findings += self.msgfmt_problems(path)
        return findings

    @staticmethod
    def placeholder_problems(entry: polib.POEntry) -> list[str]:
        percent = "python-format" in entry.flags
        if not entry.msgid_plural:
            expected, got = placeholders(entry.msgid, percent=percent), placeholders(entry.msgstr, percent=percent)
            if expected != got:
                return [f"placeholders differ ({_show(expected)} in the msgid, {_show(got)} in the translation)"]
            return []
        # A plural form may leave the number out ("one file", "two files" in Arabic), but it may
        # not bring a placeholder of its own.
        allowed = placeholders(entry.msgid, percent=percent) | placeholders(entry.msgid_plural, percent=percent)
        problems = []
        for index, form in sorted(entry.msgstr_plural.items()):
            extra = set(placeholders(form, percent=percent)) - set(allowed)
            if extra:
                problems.append(f"plural form {index} has placeholders the msgid has not ({_show(Counter(extra))})")
        return problems

    @staticmethod
    def msgfmt_problems(path: Path) -> list[str]:
        result = subprocess.run(  # nosec B603, B607 # msgfmt from the PATH, no shell, on a file written here
            ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return []
        output = result.stderr.replace(str(path), os.path.relpath(path))
        errors = [line for line in output.splitlines() if "warning:" not in line] or [output.strip()]
        return [f"msgfmt --check: {line}" for line in errors]


def _show(found: Counter) -> str:
    return ", ".join(sorted(found.elements())) or "none"
