"""Prepare a test site for the load test (loadtest/): accounts, and work for each of them.

On a database holding the demo (``seed_demo``), through the services the pages use:

- coordinators spread over the centres, each with a draft project of their centre to edit and
  the recorded handovers of their centre to print receipts of;
- program officers, each with a confirmed authenticator device (the second factor production
  asks of them) and projects of their own waiting for approval and approved ones to fund, from
  one envelope opened for the test (no two officers ever race for the same project: a conflict
  between them would be a real refusal, not a slow page);

and writes the accounts, their secrets and their work to a JSON file (mode 0600) for Locust.
It refuses to run without ``--test-site``: it adds accounts with one shared password.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from beneficiaries.demo import DemoPeople
from beneficiaries.services import ProbableDuplicates
from distributions.choices import HandoverStatus
from distributions.models import Handover
from projects.choices import ProjectStatus
from projects.demo import _envelope, _kit_rows, draft_project
from projects.funding import batch
from projects.models import LifeProject, Trade
from projects.services import project_transition
from reintegration.models import Centre, Role, User

PREFIX = "load."
ENVELOPE = "Charge de test — national"


class Command(BaseCommand):
    help = "Prepare a TEST site (the demo) for the load test: accounts and their work (never on real data)"

    def add_arguments(self, parser):
        parser.add_argument("--test-site", action="store_true", help="Confirm that this database is a test site.")
        parser.add_argument("--output", required=True, help="Where to write the accounts (JSON, mode 0600).")
        parser.add_argument("--coordinators", type=int, default=160)
        parser.add_argument("--officers", type=int, default=40)
        parser.add_argument("--projects-each", type=int, default=6, help="Projects to approve and to fund per officer.")

    def handle(self, *args, test_site: bool, output: str, coordinators: int, officers: int, projects_each: int, **o):
        if not test_site:
            raise CommandError("This adds accounts with a shared password: pass --test-site, on a test site only.")
        centres = list(Centre.objects.order_by("code"))
        if not centres or not User.objects.filter(username="officer").exists():
            raise CommandError("Seed the demo first (manage.py seed_demo).")
        password = secrets.token_urlsafe(18)
        encoded = make_password(password)  # hashed once: every account of the test shares it
        with transaction.atomic():
            coordinator_rows = [self._coordinator(i, centres[i % len(centres)], encoded) for i in range(coordinators)]
            officer_rows = [self._officer(i, encoded) for i in range(officers)]
        work = self._work(centres, officer_rows, projects_each)
        accounts = {"password": password, "coordinators": coordinator_rows, "officers": officer_rows, **work}
        for row in (*coordinator_rows, *officer_rows):
            row["password"] = password
        path = Path(output)
        path.touch(mode=0o600, exist_ok=True)
        os.chmod(path, 0o600)
        path.write_text(json.dumps(accounts, indent=1), encoding="utf-8")
        self.stdout.write(
            f"{coordinators} coordinators, {officers} officers, "
            f"{sum(len(r['to_approve']) for r in officer_rows)} projects to approve, "
            f"{sum(len(r['to_fund']) for r in officer_rows)} to fund; accounts in {path}"
        )

    def _coordinator(self, index: int, centre: Centre, encoded: str) -> dict:
        user = self._account(f"coord{index:03d}", Role.COORDINATOR, centre, encoded, "fr" if index % 2 else "ar")
        return {"username": user.username, "centre": centre.pk}

    def _officer(self, index: int, encoded: str) -> dict:
        user = self._account(f"officer{index:03d}", Role.OFFICER, None, encoded, "ar" if index % 2 else "fr")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
        return {"username": user.username, "totp_key": device.key, "to_approve": [], "to_fund": []}

    @staticmethod
    def _account(name: str, role: str, centre: Centre | None, encoded: str, language: str) -> User:
        user, _ = User.objects.update_or_create(
            username=f"{PREFIX}{name}",
            defaults={
                "role": role,
                "centre": centre,
                "password": encoded,
                "is_active": True,
                "language": language,
                "first_name": "Charge",
                "last_name": name,
            },
        )
        return user

    def _work(self, centres: list[Centre], officers: list[dict], each: int) -> dict:
        """Draft projects to edit, handovers to print, projects to approve and to fund."""
        officer = User.objects.get(username="officer")
        people = DemoPeople(seed=7)
        people.counter = 700_000  # fictitious CINs XX700001 onwards, beyond the demo's
        trades = list(Trade.objects.filter(code__in=["grocery", "mens_barber"]).order_by("code"))
        envelope = _envelope(
            name=ENVELOPE,
            program_code="appui-annuel",
            year=datetime.date.today().year,
            amount=Decimal("90000000.00"),
            funders=[("Fondation Mohammed VI pour la réinsertion des détenus", Decimal("90000000.00"))],
        )
        # Each centre's demo coordinator and first province, read once, not once a project.
        staff = {
            centre.pk: (User.objects.get(username=f"coord.{centre.code}"), centre.provinces.order_by("code").first())
            for centre in centres
        }
        drafts: dict[int, int] = {}
        wanted = len(centres) + 2 * each * len(officers)
        made = 0
        while made < wanted:
            centre = centres[made % len(centres)]
            coordinator, province = staff[centre.pk]
            try:
                case = people.person(centre=centre, province=province, coordinator=coordinator)
            except ProbableDuplicates:
                continue
            if case.life_projects.exists():
                continue  # prepared by an earlier run: the next person
            trade = trades[made % len(trades)]
            project = draft_project(
                case=case,
                coordinator=coordinator,
                trade=trade,
                province=province,
                rows=_kit_rows(trade),
                cash=Decimal("3000.00"),
                description=f"{trade.name_fr} (test de charge).",
            )
            if centre.pk not in drafts:
                drafts[centre.pk] = project.pk  # left a draft: the coordinators of the centre edit it
            else:
                project_transition(project=project, target=ProjectStatus.SUBMITTED, by=coordinator)
                target = officers[made % len(officers)]
                if len(target["to_fund"]) < each:
                    project_transition(project=project, target=ProjectStatus.APPROVED, by=officer)
                    if not batch(envelope, [project]).refusals:
                        target["to_fund"].append(project.pk)
                else:
                    target["to_approve"].append(project.pk)
            made += 1
        handovers: dict[int, list[int]] = {}
        recorded = Handover.objects.exclude(status=HandoverStatus.PLANNED).select_related("project__beneficiary")
        for handover in recorded.order_by("pk"):
            handovers.setdefault(handover.project.beneficiary.centre_id, []).append(handover.pk)
        drafts = {centre: pk for centre, pk in drafts.items() if LifeProject.objects.filter(pk=pk).exists()}
        return {"envelope": envelope.pk, "drafts": drafts, "handovers": handovers}
