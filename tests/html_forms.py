"""Submit forms as the browser would: read the rendered <form>, fill it in, post it back.

This exercises the field names, the CSRF token and the layout crispy rendered, not just the view.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.wanted_action = action
        self.inside = False
        self.depth = 0
        self.found = False
        self.fields: dict[str, list[str]] = {}
        self.action: str | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self._in_template = 0
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        if tag == "main":
            self._in_main = True
        # Without an id, the first form of the page's <main> (not the menu's sign-out or language forms).
        if self.wanted_action:
            wanted = attrs.get("action") == self.wanted_action
        else:
            wanted = attrs.get("id") == self.form_id if self.form_id else self._in_main
        if tag == "form" and not self.found and wanted:
            self.inside, self.found, self.action = True, True, attrs.get("action")
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.fields.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        if self._in_template:
            return
        if tag == "main":
            self._in_main = False
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.setdefault(self._textarea, []).append(self._text.strip("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def read_form(response, form_id: str | None = None, *, action: str | None = None) -> dict[str, list[str] | str]:
    """The form's current values: one string per single field, a list for multiple values.

    The form is the one with this ``id``, or this ``action``, or else the page's first in <main>."""
    reader = _FormReader(form_id, action)
    reader.feed(response.content.decode())
    assert reader.found, f"no form {form_id or action or ''} in the page"
    return {name: (values[0] if len(values) == 1 else values) for name, values in reader.fields.items() if values}


def submit(client, url: str, *, form_id: str | None = None, **changes):
    """GET ``url``, fill the rendered form with ``changes``, POST it back to the same URL."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = read_form(page, form_id)
    data.update(changes)
    return client.post(url, data)
