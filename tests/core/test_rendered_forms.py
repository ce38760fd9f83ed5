"""Every form the site renders, walked through the URL table (tests/core/test_permission_matrix.py):
no browser-native validation (``novalidate``: the server's messages, in the user's language, are
the only ones), no "---------" in a select, and left-to-right values typed left to right.
"""

from html.parser import HTMLParser

import pytest

from tests.core.test_permission_matrix import ROLES, TABLE, ask, world  # noqa: F401 (world: a fixture)

pytestmark = pytest.mark.django_db

# The fields whose values are Latin letters or digits whatever the page's language.
LTR_FIELDS = {"username", "email", "phone", "cin", "new_cin", "cin_search"}


class Forms(HTMLParser):
    """The page's forms, its select options and its inputs, as the browser reads them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.options: list[str] = []
        self.inputs: list[dict] = []
        self._option: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs)
        elif tag == "option":
            self._option = []
        elif tag in ("input", "textarea"):
            self.inputs.append(attrs)

    def handle_data(self, data):
        if self._option is not None:
            self._option.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options.append("".join(self._option).strip())
            self._option = None


def pages():
    """Each GET row once, with the first role that opens it."""
    for row in TABLE:
        if row.method != "GET" or row.upload:
            continue
        role = next((role for role in ROLES if row.expected[role] == 200), None)
        if role:
            yield pytest.param(row, role, id=row.id)


def read(row, role, world) -> tuple[str, Forms]:  # noqa: F811
    url, response = ask(row, role, world)
    found = Forms()
    if response.get("Content-Type", "").startswith("text/html"):
        found.feed(response.content.decode())
    return url, found


@pytest.mark.parametrize(("row", "role"), list(pages()))
def test_it_leaves_validation_to_the_server_and_names_empty_choices(world, row, role):  # noqa: F811
    url, found = read(row, role, world)
    validated = [form for form in found.forms if "novalidate" not in form]
    assert not validated, f"{url}: forms without novalidate (the browser would pop up its own English): {validated}"
    assert "---------" not in found.options, f"{url}: an empty choice reads '---------'"


@pytest.mark.parametrize(("row", "role"), list(pages()))
def test_it_types_latin_values_left_to_right(world, row, role):  # noqa: F811
    url, found = read(row, role, world)
    wrong = [
        field.get("name")
        for field in found.inputs
        if field.get("name", "").rpartition("-")[2] in LTR_FIELDS and field.get("type") != "hidden"
        if field.get("dir") != "ltr"
    ]
    assert not wrong, f"{url}: fields typed left to right but not marked dir=ltr: {wrong}"


@pytest.mark.parametrize(("row", "role"), list(pages()))
def test_it_shows_amounts_as_the_page_writes_them(world, row, role):  # noqa: F811
    """An amount is a text box showing "3 200,00" (reintegration.widgets.AmountInput), never a
    number box showing "3200.00" beside the same amount written "3 200,00"."""
    url, found = read(row, role, world)
    decimal_boxes = [
        field.get("name")
        for field in found.inputs
        if field.get("type") == "number" and field.get("step") not in (None, "1")
    ]
    assert not decimal_boxes, f"{url}: decimal numbers in type=number boxes: {decimal_boxes}"
