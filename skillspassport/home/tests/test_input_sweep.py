"""No input gives a server error: every page, form field and public endpoint, hostile values.

On the shared demo scheme (the `demo` fixture), signed in as each role that has forms of its
own, the sweep walks the pages from the dashboard (following links, at most a few addresses
per URL pattern), requests every URL pattern of the project, and sends:

- every page hostile query strings (each query parameter a page's forms or the code read,
  plus `q`, `page` and `format`, all set to each payload at once);
- every form the pages render, each payload into each field in turn (one of each repeated
  row; choices and hidden values get the payloads a hand-made request could send them), the
  other fields holding ordinary values so that the hostile one gets past the rest of the form;
- text path segments (share tokens, status list names, area codes) each payload;
- the public JSON endpoints malformed, hostile and deeply nested JSON.

Every page walked is also checked for form controls not drawn as their GOV.UK component (an
input without `govuk-input`, a tick box outside a `govuk-checkboxes__item`, where GOV.UK
Frontend's styles make it invisible).

Every request runs in a savepoint that is rolled back, so each sees the same seeded records and
the order of the walk (sorted, breadth-first) makes the sweep the same on every run. Failures
are collected and listed together.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from skillspassport.accounts.models import Membership, Role
from skillspassport.people.models import Resident

PAYLOADS: list[tuple[str, str]] = [
    ("empty", ""),
    ("100k characters", "x" * 100_000),
    ("NUL", "a\x00b"),
    ("RTL override and zero-width", "\u202eevil\u200b\u200d\ufeff"),
    ("HTML", '<script>alert("x")</script>'),
    ("SQL", "' OR 1=1 --"),
    ("huge number", "99999999999999999999"),
    ("negative", "-1"),
    ("1e309", "1e309"),
    ("NaN", "NaN"),
    ("impossible date", "31/02/2026"),
]
# Fields the user types into get every payload; a choice, tick box or hidden value (which
# only a hand-made request can change) gets those that could get past a browser's form.
TYPED = {"text", "textarea", "email", "number", "tel", "url", "search", "date", "password"}
CHOICE_PAYLOADS = [
    (label, value)
    for label, value in PAYLOADS
    if label not in ("RTL override and zero-width", "HTML", "impossible date")
]
# Deeply nested JSON: Python's json module gives up (RecursionError) long before this.
DEEP = 100_000
JSON_BODIES: list[tuple[str, str]] = [
    ("deep array", "[" * DEEP + "]" * DEEP),
    ("deep object", '{"a":' * DEEP + "1" + "}" * DEEP),
    ("not JSON", "{'credential': "),
    ("NaN and Infinity", '{"verifiableCredential": NaN, "credential": Infinity, "x": 1e309}'),
    ("wrong types", '{"verifiableCredential": [1, "a", null], "verifiablePresentation": 5}'),
    ("a bare string", '"a\\u0000b"'),
    ("empty", ""),
    *[
        (f"{label} credential", json.dumps({"verifiableCredential": value, "credential": value}))
        for label, value in PAYLOADS
        if label != "100k characters"
    ],
]
JSON_ENDPOINTS = [
    "/credentials/verify",
    "/presentations/verify",
    "/credentials/issue",
    "/sandbox/credentials/issue",
]
# Query parameters every page is sent, beside those its own forms and the code name.
ALWAYS_PARAMETERS = ["q", "page", "format"]
SKIP_PREFIXES = ("/admin/", "/static/", "/sign-out")
PAGES_PER_PATTERN = 2
SOURCE = Path(__file__).resolve().parents[2]
# The roles whose pages and forms the walk covers, in this order.
ROLES = [
    Role.ADMINISTRATOR,
    Role.ADVISER,
    Role.TUTOR,
    Role.EMPLOYER_CONTACT,
    Role.PROGRAMME_MANAGER,
]


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, kind, value
    options: dict[str, list[str]] = field(default_factory=dict)


# Every control a user sees is its GOV.UK component: the class each needs, and a tick box or
# radio button sits in its component's item (a lone `govuk-checkboxes__input` is invisible).
CONTROL_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}
TEXT_INPUTS = {"text", "email", "number", "tel", "url", "search", "password", "date"}
ITEM_CLASSES = {"checkbox": "govuk-checkboxes__item", "radio": "govuk-radios__item"}


class PageParser(HTMLParser):
    """The links and forms of one page, and any form control not drawn as its GOV.UK
    component (`markup`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.markup: list[str] = []
        self._divs: list[set[str]] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _check_control(self, tag: str, a: dict[str, str]) -> None:
        kind = a.get("type", "text").lower() if tag == "input" else tag
        classes = set(a.get("class", "").split())
        name = a.get("name", "?")
        needed = "govuk-input" if kind in TEXT_INPUTS else CONTROL_CLASSES.get(kind)
        if needed and needed not in classes:
            self.markup.append(f"{kind} {name!r} lacks the {needed} class")
        item = ITEM_CLASSES.get(kind)
        if item and not any(item in div for div in self._divs):
            self.markup.append(f"{kind} {name!r} is outside a {item} (it cannot be seen)")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div":
            self._divs.append(set(a.get("class", "").split()))
        if self._form is not None and (tag in ("select", "textarea") or tag == "input"):
            self._check_control(tag, a)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self._form.options.setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" not in a and kind == "checkbox":
                    return
            if kind in ("submit", "image", "reset", "button", "file"):
                return
            self._form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            if not any(name == a["name"] for name, _, _ in self._form.fields):
                self._form.fields.append((a["name"], "button", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.options[self._select] = []
            self._form.fields.append((self._select, "select", ""))
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form.options[self._select].append(value)
            if "selected" in a:
                self._set(self._select, value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._divs:
            self._divs.pop()
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._form is not None and self._textarea:
            self._form.fields.append((self._textarea, "textarea", "".join(self._text)))
            self._textarea = None

    def _set(self, name: str, value: str) -> None:
        assert self._form is not None
        self._form.fields = [(n, k, value if n == name else v) for n, k, v in self._form.fields]


def ordinary_value(name: str, kind: str, value: str, options: list[str]) -> str:
    """A value that gets a field past validation, so another field's payload is reached."""
    if value or kind in ("hidden", "button"):
        return value
    choices = [o for o in options if o]
    if choices:
        return choices[0]
    if kind == "email" or "email" in name:
        return "sweep@example.org"
    if kind == "number":
        return "1"
    if "postcode" in name:
        return "L20 1AD"
    if kind == "tel" or "phone" in name:
        return "07700900123"
    if kind == "url" or name.endswith("url"):
        return "https://example.org"
    if name.endswith(("_0", "_1")):
        return "1"
    if name.endswith("_2"):
        return "2000"
    if "date" in name:
        return "01/01/2000"
    return "Sweep text"


def form_data(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, kind, value in form.fields:
        filled = ordinary_value(name, kind, value, form.options.get(name, []))
        if kind == "checkbox":
            data.setdefault(name, []).append(filled)
        else:
            data.setdefault(name, filled)
    return data


def fields_to_sweep(data: dict[str, Any]) -> list[str]:
    """Field names in order, one of each repeated row (`criterion_2_weight` is swept as
    `criterion_1_weight` was); the day, month and year boxes of a date are each swept."""
    seen: set[str] = set()
    names = []
    for name in sorted(data):
        if name == "csrfmiddlewaretoken":
            continue
        stem, box = re.fullmatch(r"(.*?)(_[012])?", name).groups()  # type: ignore[union-attr]
        shape = re.sub(r"\d+", "#", stem) + (box or "")
        if shape not in seen:
            seen.add(shape)
            names.append(name)
    return names


def routes(entries: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def code_parameters() -> set[str]:
    """Query parameter names the views read (`request.GET.get("ward")` and the like)."""
    names: set[str] = set()
    pattern = re.compile(r"GET(?:\.get|\.getlist)?\(?\[?\s*[\"'](\w+)[\"']")
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" not in path.parts:
            names.update(pattern.findall(path.read_text()))
    return names


class Sweep:
    def __init__(self) -> None:
        self.client = Client(raise_request_exception=True)
        self.failures: list[str] = []
        self.requests = 0
        self.tokens = (uuid.UUID(int=n) for n in range(1, 10**9))
        self.swept_forms: set[tuple[str, str, tuple[str, ...]]] = set()
        self.swept_routes: set[str] = set()

    def send(self, label: str, method: str, path: str, **kwargs: Any) -> Any:
        """One request, rolled back afterwards; a 5xx or an exception is a failure."""
        self.requests += 1
        savepoint = transaction.savepoint()
        try:
            response = getattr(self.client, method)(path, **kwargs)
        except Exception as exc:
            self.failures.append(f"{label}: {method.upper()} {path[:120]} raised {exc!r:.300}")
            return None
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            self.failures.append(
                f"{label}: {method.upper()} {path[:120]} -> {response.status_code}"
            )
        return response

    def walk(
        self, user_label: str, start: list[str], fallback: list[str]
    ) -> tuple[list[str], list[Form]]:
        # Forms and pages already swept as an earlier role are not swept again.
        """Pages reachable from `start` (at most PAGES_PER_PATTERN per URL pattern), then
        `fallback` addresses of patterns no link led to; and the forms on them all."""
        per_route: dict[str, int] = {}
        seen: set[str] = set()
        pages: list[str] = []
        forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
        queue = deque(start)
        while queue or fallback:
            if not queue:
                queue.extend(p for p in fallback if route_of(p) not in per_route)
                fallback = []
                continue
            path = queue.popleft()
            route = route_of(path)
            if path in seen or route is None or path.startswith(SKIP_PREFIXES):
                continue
            seen.add(path)
            if per_route.get(route, 0) >= PAGES_PER_PATTERN:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            response = self.send(f"{user_label} walk", "get", path)
            if response is None or response.status_code != 200 or response.streaming:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            pages.append(path)
            parser = PageParser()
            parser.feed(response.content.decode())
            self.failures.extend(
                f"{user_label} {path}: {problem}" for problem in dict.fromkeys(parser.markup)
            )
            for form in parser.forms:
                form.action = urlsplit(form.action or path).path or path
                if not form.action.startswith("/"):
                    form.action = path.rsplit("/", 1)[0] + "/" + form.action
                target = route_of(form.action)
                if target is None or form.action.startswith(SKIP_PREFIXES):
                    continue
                key = (form.method, target, tuple(sorted({n for n, _, _ in form.fields})))
                if key not in self.swept_forms:
                    self.swept_forms.add(key)
                    forms[key] = form
            for href in sorted(set(parser.links)):
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return pages, list(forms.values())

    def query_strings(self, user_label: str, pages: list[str], names: list[str]) -> None:
        for path in pages:
            base = urlsplit(path).path
            route = route_of(base)
            if route is None or route in self.swept_routes:
                continue
            self.swept_routes.add(route)
            for label, value in PAYLOADS:
                # Web servers refuse a request line of more than a few kilobytes, so the
                # 100 k payload goes in the search alone, not in every parameter at once.
                chosen = ALWAYS_PARAMETERS if len(value) > 1000 else names
                query = urlencode(dict.fromkeys(chosen, value))
                self.send(f"{user_label} query {label}", "get", f"{base}?{query}")

    def post_forms(self, user_label: str, forms: list[Form]) -> None:
        for form in forms:
            if form.method != "post":
                continue
            data = form_data(form)
            kinds = {name: kind for name, kind, _ in form.fields}
            for name in fields_to_sweep(data):
                payloads = PAYLOADS if kinds.get(name) in TYPED else CHOICE_PAYLOADS
                for label, value in payloads:
                    hostile = {**data, name: [value] if isinstance(data[name], list) else value}
                    if name != "submission_token" and "submission_token" in hostile:
                        hostile["submission_token"] = str(next(self.tokens))
                    self.send(
                        f"{user_label} form {name}={label}", "post", form.action, data=hostile
                    )

    def path_segments(self, templates: list[str], ids: dict[str, str]) -> None:
        """Each URL pattern with text segments set to each payload, the rest to real ids."""
        for route in templates:
            params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            if not any(c in ("str", "slug", None, "") for c, _ in params):
                continue
            for label, value in PAYLOADS:
                if not value:
                    continue
                path = route
                for converter, _name in params:
                    filled = (
                        quote(value, safe="")
                        if converter in ("str", "", None)
                        else ids.get(converter, "1")
                    )
                    path = re.sub(r"<(?:\w+:)?\w+>", filled, path, count=1)
                self.send(f"path {label}", "get", "/" + path)

    def json_endpoints(self) -> None:
        for path in JSON_ENDPOINTS:
            for label, body in JSON_BODIES:
                self.send(f"json {label}", "post", path, data=body, content_type="application/json")


def fill(route: str, ids: dict[str, str]) -> str:
    path = route
    for converter, _name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        path = re.sub(r"<(?:\w+:)?\w+>", ids.get(converter or "str", "1"), path, count=1)
    return "/" + path


@pytest.mark.django_db
def test_no_input_gives_a_server_error(demo):
    started = time.monotonic()
    templates = sorted(r for r in routes(get_resolver().url_patterns) if not r.startswith("admin/"))
    resident = Resident.objects.order_by("pk").first()
    assert resident is not None
    ids = {"int": "1", "uuid": str(resident.public_id), "str": "x", "slug": "digital"}
    sweep = Sweep()
    names = sorted(set(ALWAYS_PARAMETERS) | code_parameters())
    covered: set[str] = set()
    start = ["/"] + ["/" + t for t in templates if "<" not in t]
    fallback = [fill(t, ids) for t in templates if "<" in t]
    for role in [*ROLES, None]:
        if role is None:  # and last, signed out: the sign-in form and the public pages
            sweep.client.logout()
        else:
            membership = (
                Membership.objects.filter(role=role, user__is_active=True)
                .select_related("user")
                .order_by("pk")
                .first()
            )
            assert membership is not None, f"the demo has no {role.label}"
            sweep.client.force_login(membership.user)
        label = role.value if role else "signed out"
        pages, forms = sweep.walk(label, start, fallback)
        covered.update(r for r in map(route_of, pages) if r)
        for form in forms:
            if form.method == "get":
                names = sorted(set(names) | {n for n, _, _ in form.fields})
        sweep.query_strings(label, pages, names)
        sweep.post_forms(label, forms)
    sweep.path_segments(templates, ids)
    sweep.json_endpoints()
    elapsed = time.monotonic() - started
    assert not sweep.failures, (
        f"{len(sweep.failures)} server errors or controls not drawn as GOV.UK components, in "
        f"{sweep.requests} requests ({elapsed:.0f} s):\n" + "\n".join(sweep.failures)
    )
    assert len(covered) > 60  # the walk did reach the pages, so the check can fail
