"""makemessages finds a string only behind a name xgettext knows (``_``, ``gettext_lazy``,
``pgettext``...): one wrapped in another alias (``from ... import gettext_lazy as lazy``, or
``label = gettext_lazy``) never reaches the catalogues, and shows in English on every page. The
alias that once hid the case's status buttons must not come back, anywhere."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "node_modules", "staticfiles", "test-artifacts"}
# The names makemessages passes to xgettext as keywords, and ``_`` for the one-argument ones.
KEYWORDS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
UNDERSCORE_OK = {"gettext", "gettext_lazy", "gettext_noop"}


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP.intersection(path.relative_to(ROOT).parts[:-1]):
            yield path


def aliases(source: str, name: str) -> list[str]:
    tree = ast.parse(source, filename=name)
    problems, names = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name not in KEYWORDS and "gettext" not in alias.name:
                    continue
                bound = alias.asname or alias.name
                names.add(bound)
                if alias.asname and not (alias.asname == "_" and alias.name in UNDERSCORE_OK):
                    problems.append(f"{name}:{node.lineno}: {alias.name} imported as {alias.asname}")
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Name) and value.id in names:
            problems.append(f"{name}:{node.lineno}: {value.id} assigned to another name")
        if isinstance(value, ast.Attribute) and value.attr in KEYWORDS:
            problems.append(f"{name}:{node.lineno}: {value.attr} assigned to another name")
    return problems


def test_it_finds_an_alias_makemessages_would_not_see():
    source = (
        "from django.utils import translation\n"
        "from django.utils.translation import gettext_lazy as lazy, pgettext, ngettext as _\n"
        "context = pgettext\n"
        "later = translation.gettext\n"
    )
    assert aliases(source, "sample.py") == [
        "sample.py:2: gettext_lazy imported as lazy",
        "sample.py:2: ngettext imported as _",
        "sample.py:3: pgettext assigned to another name",
        "sample.py:4: gettext assigned to another name",
    ]


def test_every_translation_function_goes_by_a_name_makemessages_knows():
    problems = [
        problem
        for path in python_files()
        for problem in aliases(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert problems == [], "\n".join(problems)
