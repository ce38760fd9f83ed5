"""A case registered over a duplicate warning carries the flag where later users look, and HQ
resolves it in the open: "not the same person", or "same person" (the later file closed and
linked, no second grant). The scan finds pairs nobody flagged, across centres, for HQ only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from beneficiaries.choices import CaseStatus, DuplicateDecision, DuplicateSource
from beneficiaries.models import Beneficiary, DuplicateFlag
from beneficiaries.services import duplicate_decide, duplicates_scan
from projects.models import Commitment
from projects.services import commitment_create
from tests.beneficiaries.test_register import URL, identity
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db

BORN = datetime.date(1991, 2, 3)
YOUSSEF = {
    "first_name_ar": "يوسف",
    "last_name_ar": "الإدريسي",
    "first_name_latin": "Youssef",
    "last_name_latin": "El Idrissi",
    "birth_date": BORN,
}


def register_over_the_warning(user, reason="Homonyme : autre père, autre ville d'origine.") -> Beneficiary:
    client = Client()
    client.force_login(user)
    warned = client.post(URL, {**read_form(client.get(URL), "case-form"), **identity(cin="")})
    assert warned.status_code == 200 and warned.context["duplicates"], "no duplicate warning shown"
    confirmed = client.post(URL, {**read_form(warned, "case-form"), "duplicate_reason": reason})
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    return Beneficiary.objects.latest("pk")


@pytest.fixture
def earlier_here(centre_a):
    return BeneficiaryFactory(centre=centre_a, cin="", **YOUSSEF)


@pytest.fixture
def earlier_elsewhere(centre_b):
    return BeneficiaryFactory(centre=centre_b, cin="", **YOUSSEF)


def page(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_flag_shows_on_the_case_page_with_reason_who_and_when(coordinator_a, earlier_here):
    later = register_over_the_warning(coordinator_a)
    flag = later.duplicate_flag
    assert flag.decision == DuplicateDecision.PENDING and list(flag.candidates.all()) == [earlier_here]
    html = page(coordinator_a, reverse("beneficiaries:detail", args=[later.pk]))
    banner = html.split('id="duplicate-flag"')[1].split("</div>")[0]
    assert earlier_here.number in banner and str(coordinator_a) in banner
    assert "Homonyme" in banner and localtime(flag.recorded_at).strftime("%d/%m/%Y") in banner
    assert "Compare and decide" not in banner  # HQ decides, not the centre


def test_the_flag_shows_in_the_case_list_the_project_page_and_hqs_queues(coordinator_a, officer, earlier_here):
    later = register_over_the_warning(coordinator_a)
    project = make_project(later, coordinator_a, status="submitted")
    listing = page(coordinator_a, reverse("beneficiaries:list"))
    row = listing.split(later.number)[1].split("</tr>")[0]
    assert "Possible duplicate" in row
    assert "Possible duplicate" not in listing.split(earlier_here.number)[1].split("</tr>")[0]
    assert 'id="duplicate-flag"' in page(officer, reverse("projects:detail", args=[project.pk]))
    home = page(officer, reverse("home"))
    assert "Possible duplicate" in home.split(project.number)[1].split("</li>")[0]  # awaiting approval
    assert "1 possible duplicate waits for your decision" in home
    assert "Possible duplicate" in page(officer, reverse("projects:list")).split(project.number)[1].split("</tr>")[0]


def test_another_centre_is_named_by_its_centre_only(coordinator_b, earlier_here, centre_a):
    later = register_over_the_warning(coordinator_b)
    banner = page(coordinator_b, reverse("beneficiaries:detail", args=[later.pk])).split('id="duplicate-flag"')[1]
    banner = banner.split("</div>")[0]
    assert earlier_here.number not in banner and "Idrissi" not in banner.split("Homonyme")[0].split("may already")[1]
    assert centre_a.name_ar in banner or centre_a.name_fr in banner


def test_no_project_of_a_flagged_file_is_funded_until_hq_decides(coordinator_a, officer, earlier_here):
    later = register_over_the_warning(coordinator_a)
    envelope = EnvelopeFactory()
    project = make_project(later, coordinator_a, status="approved", officer=officer)
    with pytest.raises(ValidationError) as refused:
        commitment_create(project=project, envelope=envelope, by=officer)
    assert refused.value.error_list[0].code == "possible_duplicate"
    duplicate_decide(flag=later.duplicate_flag, by=officer, decision=DuplicateDecision.DIFFERENT, note="Autre père.")
    commitment_create(project=project, envelope=envelope, by=officer)
    assert Commitment.objects.filter(project=project).exists()
    html = page(coordinator_a, reverse("beneficiaries:detail", args=[later.pk]))
    assert "Checked: not the same person as" in html and "Possible duplicate</h2>" not in html
    timeline = html.split("Timeline")[-1]
    assert f"Possible duplicate of {earlier_here.number}" in timeline and "Homonyme" in timeline
    assert "Possible duplicate decided: Not the same person" in timeline and "Autre père." in timeline


def test_same_person_closes_the_later_file_links_it_and_no_second_grant(coordinator_a, officer, earlier_here):
    later = register_over_the_warning(coordinator_a)
    project = make_project(later, coordinator_a, status="approved", officer=officer)
    client = Client()
    client.force_login(officer)
    url = reverse("beneficiaries:duplicate_decide", args=[later.pk])
    compare = client.get(url)
    assert compare.status_code == 200
    assert earlier_here.number in compare.content.decode() and later.number in compare.content.decode()
    missing_note = client.post(url, {"decision": "same", "same_as": earlier_here.pk, "note": ""})
    assert missing_note.status_code == 200 and missing_note.context["form"].errors["note"]
    response = client.post(url, {"decision": "same", "same_as": earlier_here.pk, "note": "Même CIN sur la copie."})
    assert response.status_code == 302
    later.refresh_from_db()
    flag = later.duplicate_flag
    assert (flag.decision, flag.same_as, flag.decided_by) == (DuplicateDecision.SAME, earlier_here, officer)
    assert later.status == CaseStatus.CLOSED and later.history.count() >= 2  # the history is kept
    with pytest.raises(ValidationError) as refused:
        commitment_create(project=project, envelope=EnvelopeFactory(), by=officer)
    assert refused.value.error_list[0].code == "second_file"
    html = page(coordinator_a, reverse("beneficiaries:detail", args=[later.pk]))
    assert "Second case file of the same person" in html and earlier_here.number in html
    with pytest.raises(ValidationError):  # decided once
        duplicate_decide(flag=flag, by=officer, decision=DuplicateDecision.DIFFERENT, note="?")


def test_same_person_must_name_one_of_the_candidates(coordinator_a, officer, earlier_here, centre_a):
    later = register_over_the_warning(coordinator_a)
    stranger = BeneficiaryFactory(centre=centre_a)
    with pytest.raises(ValidationError) as refused:
        duplicate_decide(flag=later.duplicate_flag, by=officer, decision="same", note="x", same_as=stranger)
    assert "same_as" in refused.value.message_dict
    assert DuplicateFlag.objects.get().is_pending


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("officer", 200),
        ("analyst", 403),
        ("coordinator_a", 403),
        ("coordinator_b", 403),
        ("anonymous", 302),
    ],
)
def test_the_duplicate_pages_for_the_cast(cast, client_for, coordinator_a, earlier_here, who, status):
    later = register_over_the_warning(coordinator_a)
    client = client_for(cast[who])
    assert client.get(reverse("beneficiaries:duplicate_flags")).status_code == status
    assert client.get(reverse("beneficiaries:duplicate_decide", args=[later.pk])).status_code == status
    decided = client.post(
        reverse("beneficiaries:duplicate_decide", args=[later.pk]), {"decision": "different", "note": "Vu."}
    )
    assert decided.status_code == (302 if status == 200 else status)
    assert DuplicateFlag.objects.get().is_pending is (status != 200)
    assert client.post(reverse("beneficiaries:duplicate_scan")).status_code == (302 if status == 200 else status)


def test_the_scan_flags_the_later_of_two_files_across_centres_once(centre_a, centre_b, officer):
    earlier = BeneficiaryFactory(centre=centre_a, cin="", **YOUSSEF)
    later = BeneficiaryFactory(centre=centre_b, cin="", **{**YOUSSEF, "last_name_latin": "Elidrissi"})
    BeneficiaryFactory(centre=centre_b, cin="", **{**YOUSSEF, "first_name_ar": "كريم", "first_name_latin": "Karim"})
    BeneficiaryFactory(centre=centre_b, cin="", **{**YOUSSEF, "birth_date": datetime.date(1991, 2, 4)})
    assert duplicates_scan() == 1
    flag = DuplicateFlag.objects.get()
    assert (flag.beneficiary, list(flag.candidates.all()), flag.source) == (later, [earlier], DuplicateSource.SCAN)
    assert duplicates_scan() == 0  # weighed already
    html = page(officer, reverse("beneficiaries:duplicate_flags"))
    assert later.number in html and earlier.number in html


def test_a_cleared_flag_comes_back_only_for_a_new_candidate(centre_a, centre_b, officer):
    first = BeneficiaryFactory(centre=centre_a, cin="", **YOUSSEF)
    misspelt = BeneficiaryFactory(
        centre=centre_a, cin="", **{**YOUSSEF, "first_name_ar": "كريم", "first_name_latin": "Karim"}
    )
    later = BeneficiaryFactory(centre=centre_b, cin="", **YOUSSEF)
    assert duplicates_scan() == 1
    duplicate_decide(flag=later.duplicate_flag, by=officer, decision=DuplicateDecision.DIFFERENT, note="Homonymes.")
    assert duplicates_scan() == 0
    assert not DuplicateFlag.objects.get().is_pending
    # An earlier file's name corrected: a pair the decision did not weigh, back to HQ.
    Beneficiary.objects.filter(pk=misspelt.pk).update(first_name_ar="يوسف", first_name_latin="Youssef")
    assert duplicates_scan() == 2  # ``later`` again, and ``misspelt`` beside ``first``
    assert list(DuplicateFlag.objects.get(beneficiary=misspelt).candidates.all()) == [first]
    flag = DuplicateFlag.objects.get(beneficiary=later)
    assert flag.is_pending and set(flag.candidates.all()) == {first, misspelt}
    # A newer file is flagged itself, against every earlier one; the decided file stays decided.
    duplicate_decide(flag=flag, by=officer, decision=DuplicateDecision.DIFFERENT, note="Trois homonymes.")
    newest = BeneficiaryFactory(centre=centre_a, cin="", **YOUSSEF)
    assert duplicates_scan() == 1
    assert DuplicateFlag.objects.get(beneficiary=newest).candidates.count() == 3
    assert not DuplicateFlag.objects.get(beneficiary=later).is_pending


def test_the_command_runs_the_scan(centre_a, centre_b, capsys):
    from django.core.management import call_command

    BeneficiaryFactory(centre=centre_a, cin="", **YOUSSEF)
    BeneficiaryFactory(centre=centre_b, cin="", **YOUSSEF)
    call_command("scan_duplicates")
    assert DuplicateFlag.objects.count() == 1
    assert "1" in capsys.readouterr().out
