"""A day's work on the production stack, for Locust (run by loadtest/run.py and loadtest/step.py).

Coordinators (most of the users) search for people, open case files, register new ones, edit a
project's plan and print handover receipts; program officers (HQ, with their second factor)
read the dashboards, approve projects and fund them. Everything goes through the real pages and
forms, as a browser would: the form is read, its hidden fields (CSRF, the one-time submission
token) kept, the answer checked. An error page, a form sent back with errors, or a sign-in page
where a page was expected is a failure.

Requests are named by route ("/cases/[id]/"), never by id or search term: the figures name no
one. The accounts and their work come from ``manage.py loadtest_prepare`` (LOADTEST_ACCOUNTS).
TLS is verified: against a test stack's own certificate, point REQUESTS_CA_BUNDLE at it.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

from loadtest.pages import read_form, registration, select_options, totp

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
P95_LIMIT_MS = float(os.environ.get("LOADTEST_P95_MS", "500"))
# Signing in costs 0.6 s of PBKDF2 (Django's 1,000,000 iterations) by design, once a day per
# person, while the users arrive: Locust's figures are reset once every user has signed in (not
# when the last one starts, Locust's --reset-stats: its sign-in was then still counted) and the
# p95 judged is that of the day's work after; the sign-ins are shown on their own, and a failure
# at any time, arrival included, fails the run.
SIGN_IN = "/accounts/login/ (sign in)"
_failures: collections.Counter = collections.Counter()
_sign_ins: list[float] = []
_signed_in = itertools.count(1)


def _arrived(environment) -> None:
    """One more user signed in; with the last one, the day's figures start."""
    if next(_signed_in) == environment.parsed_options.num_users:
        environment.stats.reset_all()


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    if exception:
        _failures[f"{request_type} {name}: {exception}"] += 1
    if name == SIGN_IN:
        _sign_ins.append(response_time)


RUN = int(os.environ.get("LOADTEST_RUN", "0"))  # each run of a step test registers people of its own
# Common names: what a coordinator types (no one's actual record).
SEARCHES = ["Mohamed", "Ahmed Alaoui", "Youssef", "Fatima", "Rachid", "Bennani", "Khadija", "Said", "El Idrissi"]
_coordinators = itertools.count()
_officers = itertools.count()


def _page(response, expect: str = "text/html") -> bool:
    """Mark the answer failed unless it is the page asked for (not an error, not the sign-in)."""
    if response.status_code != 200:
        response.failure(f"answered {response.status_code}")
        return False
    if "/accounts/login/" in response.url and "/accounts/login/" not in response.request.path_url:
        response.failure("sent to the sign-in page")
        return False
    if not response.headers.get("Content-Type", "").startswith(expect):
        response.failure(f"answered {response.headers.get('Content-Type')}")
        return False
    return True


def _saved(response, name: str) -> bool:
    """A form that saved answers with a redirect; one sent back (200) carries its errors."""
    if response.status_code in (302, 303):
        return True
    response.failure(f"{name}: answered {response.status_code} (the form was refused)")
    return False


class Signed(HttpUser):
    abstract = True

    def on_start(self):
        # Locust's session ignores the environment: the CA bundle (a test stack's own) is set here.
        self.client.verify = os.environ.get("REQUESTS_CA_BUNDLE", True)
        self.client.headers["Origin"] = self.host.rstrip("/")  # as a browser sends it with a form (CSRF)
        self.account = self.pick()
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = read_form(page.text)["csrfmiddlewaretoken"][0]
        data = {
            "csrfmiddlewaretoken": token,
            "username": self.account["username"],
            "password": self.account["password"],
        }
        with self.client.post(
            "/accounts/login/", data=data, name=SIGN_IN, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")
                raise RuntimeError("sign-in refused")
        self.after_password()
        _arrived(self.environment)

    def after_password(self):
        pass

    def post_form(self, url: str, name: str, *, changes=None, action: str | None = None) -> bool:
        """Open the form at ``url``, send it back with ``changes`` (a dict, or a function of the
        choices the form's selects offer that returns one); True when it saved."""
        with self.client.get(url, name=name, catch_response=True) as page:
            if not _page(page):
                return False
        form = read_form(page.text, action)
        if callable(changes):
            changes = changes(select_options(page.text, action))
        form.update({key: value if isinstance(value, list) else [value] for key, value in (changes or {}).items()})
        with self.client.post(
            action or url, data=form, name=f"{name} (save)", allow_redirects=False, catch_response=True
        ) as answer:
            return _saved(answer, name)


class Coordinator(Signed):
    """A regional centre's coordinator, at work all day: many short pages, a few saves."""

    weight = 8
    # A person at work reads a page, types, and looks at the paper before the next: 3 to 10 s.
    wait_time = between(3, 10)

    def pick(self):
        accounts = ACCOUNTS["coordinators"]
        self.index = next(_coordinators)
        self.registered = 0
        return accounts[self.index % len(accounts)]

    @task(6)
    def search_and_open(self):
        with self.client.get(
            "/cases/",
            params={"q": random.choice(SEARCHES)},  # nosec B311 # a journey's input, not a secret
            name="/cases/?q=[name]",
            catch_response=True,
        ) as page:
            if not _page(page):
                return
        found = re.findall(r'href="/cases/(\d+)/"', page.text)
        if not found:
            with self.client.get("/cases/", name="/cases/", catch_response=True) as page:
                if not _page(page):
                    return
            found = re.findall(r'href="/cases/(\d+)/"', page.text)
        if found:
            with self.client.get(f"/cases/{random.choice(found)}/", name="/cases/[id]/", catch_response=True) as case:  # nosec B311 # which case to open, not a secret
                _page(case)

    @task(3)
    def home(self):
        with self.client.get("/", name="/", catch_response=True) as page:
            _page(page)

    @task(1)
    def register(self):
        if self.registered >= 20:  # CIN lookups are budgeted (60 an hour): a day's pace, not a flood
            return
        self.registered += 1
        n = RUN * 20_000 + self.index * 20 + self.registered
        self.post_form("/cases/new/", "/cases/new/", changes=lambda options: registration(n, options))

    @task(1)
    def edit_plan(self):
        draft = ACCOUNTS["drafts"].get(str(self.account["centre"]))
        if draft:
            self.post_form(
                f"/projects/{draft}/edit/",
                "/projects/[id]/edit/",
                changes={"description": f"Plan revu ({self.index})."},
            )

    @task(1)
    def print_receipt(self):
        handovers = ACCOUNTS["handovers"].get(str(self.account["centre"]))
        if not handovers:
            return
        pk = random.choice(handovers)  # nosec B311 # which receipt to print, not a secret
        with self.client.get(
            f"/distributions/handovers/{pk}/", name="/distributions/handovers/[id]/", catch_response=True
        ) as page:
            if not _page(page):
                return
        token = read_form(page.text, f"/distributions/handovers/{pk}/receipt.pdf").get("csrfmiddlewaretoken")
        if not token:
            page.failure("no receipt form on the handover's page")
            return
        with self.client.post(
            f"/distributions/handovers/{pk}/receipt.pdf",
            data={"csrfmiddlewaretoken": token[0]},
            name="/distributions/handovers/[id]/receipt.pdf",
            catch_response=True,
        ) as pdf:
            if _page(pdf, expect="application/pdf") and not pdf.content.startswith(b"%PDF"):
                pdf.failure("not a PDF")


class Officer(Signed):
    """A program officer at HQ: the dashboards, the approval queue, funding."""

    weight = 2
    wait_time = between(5, 15)

    def pick(self):
        accounts = ACCOUNTS["officers"]
        account = accounts[next(_officers) % len(accounts)]
        self.to_approve, self.to_fund = list(account["to_approve"]), list(account["to_fund"])
        return account

    def after_password(self):
        page = self.client.get("/accounts/second-factor/", name="/accounts/second-factor/")
        form = read_form(page.text)
        form["code"] = [totp(self.account["totp_key"])]
        with self.client.post(
            "/accounts/second-factor/",
            data=form,
            name="/accounts/second-factor/ (code)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"the code was refused ({answer.status_code})")
                raise RuntimeError("second factor refused")

    @task(1)
    def dashboards(self):
        year = random.choice(["", "2025", "2026"])  # nosec B311 # which year to look at, not a secret
        with self.client.get(
            "/dashboard/", params={"year": year} if year else None, name="/dashboard/", catch_response=True
        ) as page:
            _page(page)

    @task(3)
    def review(self):
        """The projects waiting for a decision, and one of them opened."""
        with self.client.get("/projects/approve/", name="/projects/approve/", catch_response=True) as page:
            if not _page(page):
                return
        found = re.findall(r'href="/projects/(\d+)/"', page.text)
        if found:
            pk = random.choice(found)  # nosec B311 # which project to open, not a secret
            with self.client.get(f"/projects/{pk}/", name="/projects/[id]/", catch_response=True) as project:
                _page(project)

    @task(2)
    def approve(self):
        if self.to_approve:
            project = self.to_approve.pop()
            self.post_form("/projects/approve/", "/projects/approve/", changes={"projects": str(project)})

    @task(2)
    def fund(self):
        if self.to_fund:
            project = self.to_fund.pop()
            url = f"/projects/fund/review/?projects={project}&envelope={ACCOUNTS['envelope']}"
            self.post_form(url, "/projects/fund/review/")  # the confirmation posts to its own address


def summary(stats) -> tuple[str, bool]:
    """The figures by request and in total, and whether they pass (no failure, p95 within limit)."""
    header = f"{'request':<46} {'reqs':>6} {'fails':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'rps':>6}"
    lines = [header, "-" * len(header)]
    rows = sorted(stats.entries.values(), key=lambda entry: (entry.method, entry.name))
    for entry in [*rows, stats.total]:
        name = "Total" if entry is stats.total else f"{entry.method} {entry.name}"[:46]
        at = entry.get_response_time_percentile
        lines.append(
            f"{name:<46} {entry.num_requests:>6} {entry.num_failures:>5} {at(0.5):>6.0f} {at(0.95):>6.0f}"
            f" {at(0.99):>6.0f} {entry.max_response_time or 0:>7.0f} {entry.total_rps:>6.1f}"
        )
    total = stats.total
    p95 = total.get_response_time_percentile(0.95) or 0
    failed = sum(_failures.values())
    passed = total.num_requests > 0 and failed == 0 and p95 <= P95_LIMIT_MS
    if _sign_ins:
        times = sorted(_sign_ins)
        lines.append(
            f"sign-ins while the users arrived: {len(times)}, p50 {times[len(times) // 2]:.0f} ms,"
            f" p95 {times[int(len(times) * 0.95)]:.0f} ms (not in the figures above)"
        )
    for failure, count in _failures.most_common():
        lines.append(f"failure: {failure} ({count}x)")
    lines.append(
        f"{'PASSED' if passed else 'FAILED'}: {total.num_requests} requests, {failed} failures, "
        f"p95 {p95:.0f} ms (limit {P95_LIMIT_MS:.0f} ms)"
    )
    return "\n".join(lines), passed


@events.quitting.add_listener
def _verdict(environment, **kwargs):
    text, passed = summary(environment.stats)
    print(text, flush=True)
    environment.process_exit_code = 0 if passed else 1
