"""The load test's preparation (manage.py loadtest_prepare) and what its users do with the pages
(loadtest.pages): the accounts sign in, an officer's computed code passes the second factor, and
the forms read back as a browser sends them save, so a failure in the load test is the site's."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary
from loadtest.pages import read_form, registration, select_options, totp
from projects.choices import ProjectStatus
from projects.models import LifeProject

pytestmark = pytest.mark.django_db


def test_it_refuses_without_the_test_site_flag(tmp_path):
    with pytest.raises(CommandError, match="--test-site"):
        call_command("loadtest_prepare", output=str(tmp_path / "accounts.json"))
    assert not (tmp_path / "accounts.json").exists()


def test_it_refuses_before_the_demo(tmp_path):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("loadtest_prepare", test_site=True, output=str(tmp_path / "accounts.json"))


@pytest.fixture
def prepared(tmp_path):
    call_command("seed_demo")
    path = tmp_path / "accounts.json"
    call_command("loadtest_prepare", test_site=True, output=str(path), coordinators=4, officers=2, projects_each=2)
    return path


def _signed_in(account: dict) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": account["username"], "password": account["password"]})
    assert response.status_code == 302
    return client


def test_it_writes_accounts_only_their_owner_reads_with_work_for_each(prepared):
    assert stat.S_IMODE(prepared.stat().st_mode) == 0o600  # a shared password: no one else reads it
    accounts = json.loads(prepared.read_text(encoding="utf-8"))
    assert len(accounts["coordinators"]) == 4 and len(accounts["officers"]) == 2
    for officer in accounts["officers"]:
        assert len(officer["to_approve"]) == 2 and len(officer["to_fund"]) == 2
        statuses = set(LifeProject.objects.filter(pk__in=officer["to_approve"]).values_list("status", flat=True))
        assert statuses == {ProjectStatus.SUBMITTED}
        funded = LifeProject.objects.filter(pk__in=officer["to_fund"])
        assert {project.status for project in funded} == {ProjectStatus.APPROVED}
        assert all(not project.commitments.exists() for project in funded)  # funding is the test's to do
    for centre, draft in accounts["drafts"].items():
        project = LifeProject.objects.get(pk=draft)
        assert project.status == ProjectStatus.DRAFT and str(project.beneficiary.centre_id) == centre
    assert accounts["handovers"], "no receipt to print"


def test_it_can_run_again_on_the_same_site(prepared, tmp_path):
    again = tmp_path / "again.json"
    call_command("loadtest_prepare", test_site=True, output=str(again), coordinators=4, officers=2, projects_each=2)
    first, second = (json.loads(path.read_text(encoding="utf-8")) for path in (prepared, again))
    assert [a["username"] for a in first["coordinators"]] == [a["username"] for a in second["coordinators"]]
    assert [a["totp_key"] for a in first["officers"]] == [a["totp_key"] for a in second["officers"]]
    assert first["password"] != second["password"]
    _signed_in(second["coordinators"][0])  # the new password is the one that works


def test_an_officer_passes_the_second_factor_with_the_computed_code(prepared, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    officer = json.loads(prepared.read_text(encoding="utf-8"))["officers"][0]
    client = _signed_in(officer)
    assert client.get(reverse("dashboard:index")).status_code == 302  # held until the code
    form = read_form(client.get(reverse("otp_verify")).content.decode())
    form["code"] = [totp(officer["totp_key"])]
    assert client.post(reverse("otp_verify"), form).status_code == 302
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_a_wrong_code_does_not_pass(prepared, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    officer = json.loads(prepared.read_text(encoding="utf-8"))["officers"][0]
    client = _signed_in(officer)
    wrong = f"{(int(totp(officer['totp_key'])) + 1) % 10**6:06d}"
    form = read_form(client.get(reverse("otp_verify")).content.decode())
    form["code"] = [wrong]
    client.post(reverse("otp_verify"), form)
    assert client.get(reverse("dashboard:index")).status_code == 302


def test_the_forms_read_back_as_a_browser_sends_them_save(prepared):
    accounts = json.loads(prepared.read_text(encoding="utf-8"))
    coordinator = accounts["coordinators"][0]
    client = _signed_in(coordinator)
    # Register a person, twice as the load test does (two users), with no duplicate between them.
    for n in (1, 2):
        url = reverse("beneficiaries:register")
        page = client.get(url).content.decode()
        form = read_form(page)
        form.update({key: [value] for key, value in registration(n, select_options(page)).items()})
        assert client.post(url, form).status_code == 302
    assert Beneficiary.objects.filter(last_name_latin="Tajribi").count() == 2
    # Edit the centre's draft plan: every field sent back as it was, but the description.
    draft = accounts["drafts"][str(coordinator["centre"])]
    url = reverse("projects:edit", args=[draft])
    form = read_form(client.get(url).content.decode())
    form["description"] = ["Plan revu (test)."]
    assert client.post(url, form).status_code == 302
    assert LifeProject.objects.get(pk=draft).description == "Plan revu (test)."


def test_an_officer_approves_and_funds_through_the_read_forms(prepared):
    accounts = json.loads(prepared.read_text(encoding="utf-8"))
    officer = accounts["officers"][0]
    client = _signed_in(officer)
    to_approve, to_fund = officer["to_approve"][0], officer["to_fund"][0]
    url = reverse("projects:approve_batch")
    form = read_form(client.get(url).content.decode())
    form["projects"] = [str(to_approve)]
    assert client.post(url, form).status_code == 302
    assert LifeProject.objects.get(pk=to_approve).status == ProjectStatus.APPROVED
    review = reverse("projects:fund_review")
    url = f"{review}?projects={to_fund}&envelope={accounts['envelope']}"
    assert client.post(url, read_form(client.get(url).content.decode())).status_code == 302
    assert LifeProject.objects.get(pk=to_fund).commitments.exists()


def test_the_computed_code_is_rfc_6238s():
    # RFC 6238, appendix B: the SHA-1 key "12345678901234567890" at 59 s gives 94287082 (8 digits).
    assert totp(b"12345678901234567890".hex(), at=59, digits=8) == "94287082"
    assert totp(b"12345678901234567890".hex(), at=1111111109, digits=8) == "07081804"
