"""What a page's form would send: the fields of one `<form>` read from the HTML, the CSRF
token of a page, and signing in through the login form.

Tests of refused forms check that the typed values are back in the inputs the browser will
send, not merely somewhere in the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.factories import PASSWORD


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, next: str = ""):
    """Post the login form; the response, whatever it is (tests of refused logins use it too)."""
    token = csrf_from(client.get("/dang-nhap").text)
    return client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "next": next, "csrf_token": token},
        follow_redirects=False,
    )


def signed_in(client, username: str, password: str = PASSWORD):
    """Sign in as `username`, which must succeed (303 to the next page)."""
    response = login(client, username, password)
    assert response.status_code == 303, response.text[:500]
    return response


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"action", "id", "fields": [(name, value, form_attr)]}
        self.loose: list[tuple[str, str, str]] = []  # fields outside any form, with form="id"
        self._form: dict | None = None
        self._select: tuple[str, str] | None = None  # (name, form attr)
        self._option: str | None = None
        self._textarea: tuple[str, str] | None = None
        self._text = ""

    def _add(self, name: str, value: str, form_attr: str) -> None:
        target = self._form["fields"] if self._form is not None and not form_attr else self.loose
        target.append((name, value, form_attr))

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "id": a.get("id", ""), "fields": []}
            self.forms.append(self._form)
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._add(a["name"], a.get("value", "on" if kind == "checkbox" else ""), a.get("form", ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], a.get("form", ""))
            self._option = None
        elif tag == "option" and self._select is not None and "selected" in a:
            self._option = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], a.get("form", ""))
            self._text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._add(self._select[0], self._option, self._select[1])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea[0], self._text.removeprefix("\n"), self._textarea[1])
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str | list[str]]:
    """Name → value of the form posting to `action` (a checked checkbox group: a list; a
    select: its selected option, absent when none is marked selected)."""
    parser = _Forms()
    parser.feed(html)
    matches = [f for f in parser.forms if f["action"] == action]
    assert len(matches) == 1, f"{len(matches)} forms post to {action}"
    form = matches[0]
    fields = list(form["fields"])
    if form["id"]:
        fields += [f for f in parser.loose if f[2] == form["id"]]
    values: dict[str, str | list[str]] = {}
    for name, value, _ in fields:
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


class _Invalid(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.invalid: dict[str, str] = {}  # input name → aria-describedby
        self.messages: dict[str, str] = {}  # element id → its text
        self.summary: list[str] = []  # the summary's items (their text)
        self._open: list[tuple[str, str]] = []  # (tag, id) of message elements being read
        self._in_summary = 0
        self._item: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag in ("input", "select", "textarea") and a.get("aria-invalid") == "true":
            self.invalid[a.get("name", "")] = a.get("aria-describedby", "")
        if a.get("id", "").endswith("-error"):
            self.messages[a["id"]] = ""
            self._open.append((tag, a["id"]))
        if "error-summary" in a.get("class", "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "li":
            self._item = ""

    def handle_data(self, data):
        for _, ident in self._open:
            self.messages[ident] += data
        if self._item is not None:
            self._item += data

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()
        if tag == "li" and self._item is not None:
            self.summary.append(" ".join(self._item.split()))
            self._item = None
        elif tag == "div" and self._in_summary:
            self._in_summary = 0


def shown_errors(html: str) -> tuple[dict[str, str], list[str]]:
    """({input name: the message shown next to it}, the summary's lines) of a refused form: an
    input counts only if it is marked `aria-invalid` and its `aria-describedby` message exists."""
    parser = _Invalid()
    parser.feed(html)
    at_fields = {name: " ".join(parser.messages[ref].split()) for name, ref in parser.invalid.items()
                 if ref in parser.messages}
    return at_fields, parser.summary
