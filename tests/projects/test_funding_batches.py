"""HQ approves and funds several projects at once: each move recorded as its own, the envelope
offered by fit (territory, program, year, money), a confirmation with the running balance before
anything is committed, and all or nothing per batch under the same row locks as one funding."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from projects import funding
from projects.choices import ProjectStatus
from projects.models import Commitment, LifeProject, ProjectTransition
from projects.selectors import open_envelopes
from projects.services import commitments_create, projects_transition
from reintegration.models import Region
from tests.factories import BeneficiaryFactory, EnvelopeFactory, ProgramFactory, make_project, province
from tests.html_forms import read_form
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

MEKNES = "03.061"  # in Fès-Meknès, where centre A's people live (the factories' default)


def approved_projects(centre, coordinator, officer, count, *, price="10000.00", **case):
    return [
        make_project(
            BeneficiaryFactory(centre=centre, **case),
            coordinator,
            lines=(("Four", "1", price),),
            cash="0.00",
            status="approved",
            officer=officer,
        )
        for _ in range(count)
    ]


@pytest.fixture
def ten(centre_a, coordinator_a, officer):
    return approved_projects(centre_a, coordinator_a, officer, 10)


# --- What fits ----------------------------------------------------------------------------


def test_each_refusal_names_the_envelope_and_what_does_not_match(centre_a, coordinator_a, officer):
    program = ProgramFactory(name_fr="Programme Moussalaha")
    [project] = approved_projects(centre_a, coordinator_a, officer, 1, program=program)
    year = timezone.localdate().year
    elsewhere = EnvelopeFactory(name="Rabat 2026", program=program, region=Region.objects.get(code="04"))
    other_program = EnvelopeFactory(name="AGR Rehamna", program=ProgramFactory(name_fr="Programme AGR"))
    old = EnvelopeFactory(name="Moussalaha 2021", program=program, fiscal_year=2021)
    closed = EnvelopeFactory(name="Close", program=program, is_active=False)
    small = EnvelopeFactory(name="Petite", program=program, amount=Decimal("5000.00"))
    fits = EnvelopeFactory(name="Bonne", program=program)
    with translation.override("fr"):
        reasons = {e.name: funding.refusal(e, project) for e in (elsewhere, other_program, old, closed, small, fits)}
    assert reasons["Rabat 2026"] == "Rabat 2026 couvre Rabat-Salé-Kénitra, pas Meknès où l’activité aura lieu."
    assert "AGR Rehamna" in reasons["AGR Rehamna"] and "Programme AGR" in reasons["AGR Rehamna"]
    assert "Programme Moussalaha" in reasons["AGR Rehamna"]
    assert reasons["Moussalaha 2021"] == f"Moussalaha 2021 est un budget de 2021 ; ce projet a été approuvé en {year}."
    assert reasons["Close"] == "Close est fermée aux nouveaux engagements."
    assert reasons["Petite"].startswith("Dépassement : Petite n’a plus que 5\u202f000,00")
    assert reasons["Bonne"] == ""


def test_a_person_of_no_program_may_be_funded_by_any_programs_envelope(approved, envelope):
    assert approved.beneficiary.program_id is None
    assert funding.refusal(envelope, approved) == ""


def test_the_offer_puts_the_closest_territory_first_then_the_tightest_fit(approved):
    national = EnvelopeFactory(name="Nationale", amount=Decimal("900000.00"))
    region = EnvelopeFactory(name="Régionale", region=Region.objects.get(code="03"), amount=Decimal("500000.00"))
    local_big = EnvelopeFactory(name="Meknès grande", province=province(MEKNES), amount=Decimal("400000.00"))
    local_small = EnvelopeFactory(name="Meknès petite", province=province(MEKNES), amount=Decimal("20000.00"))
    too_small = EnvelopeFactory(name="Meknès trop petite", province=province(MEKNES), amount=Decimal("1000.00"))
    offer = funding.offer(approved, open_envelopes())
    assert offer.fitting == [local_small, local_big, region, national]
    assert [envelope for envelope, _reason in offer.refused] == [too_small]


def test_the_funding_year_is_the_year_of_approval(approved):
    LifeProject.objects.filter(pk=approved.pk).update(approved_on=datetime.date(2023, 3, 1))
    approved.refresh_from_db()
    this_year, of_2023 = EnvelopeFactory(), EnvelopeFactory(fiscal_year=2023)
    assert funding.refusal(of_2023, approved) == ""
    assert "2023" in funding.refusal(this_year, approved)


# --- Batch approval -----------------------------------------------------------------------


def submitted_projects(centre, coordinator, count):
    return [make_project(BeneficiaryFactory(centre=centre), coordinator, status="submitted") for _ in range(count)]


def test_a_batch_approval_records_each_project_as_approved_alone(centre_a, coordinator_a, officer):
    projects = submitted_projects(centre_a, coordinator_a, 3)
    projects_transition(projects=projects, target=ProjectStatus.APPROVED, by=officer)
    for project in projects:
        project.refresh_from_db()
        step = project.transitions.get(target=ProjectStatus.APPROVED)
        assert project.status == ProjectStatus.APPROVED and project.approved_on == timezone.localdate()
        assert step.by == officer and step.source == ProjectStatus.SUBMITTED


def test_a_batch_approval_is_all_or_nothing(centre_a, coordinator_a, officer):
    projects = submitted_projects(centre_a, coordinator_a, 3)
    projects_transition(projects=[projects[1]], target=ProjectStatus.RETURNED, by=officer, comment="Devis")
    with pytest.raises(ValidationError) as refused:
        projects_transition(projects=projects, target=ProjectStatus.APPROVED, by=officer)
    assert projects[1].number in " ".join(refused.value.messages)
    assert not ProjectTransition.objects.filter(target=ProjectStatus.APPROVED).exists()
    assert LifeProject.objects.filter(status=ProjectStatus.APPROVED).count() == 0


def test_the_approval_page_approves_the_ticked_and_goes_on_to_fund_them(client_for, centre_a, coordinator_a, officer):
    projects = submitted_projects(centre_a, coordinator_a, 4)
    EnvelopeFactory()
    client = client_for(officer)
    page = client.get(reverse("projects:approve_batch"))
    assert page.status_code == 200
    data = {**read_form(page, "batch-form"), "projects": [p.pk for p in projects[:3]]}
    response = client.post(reverse("projects:approve_batch"), data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("projects:fund_batch"))
    statuses = dict(LifeProject.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in projects] == ["approved"] * 3 + ["submitted"]
    funding_page = client.get(response["Location"]).content.decode()
    for project in projects[:3]:
        assert f'value="{project.pk}" id="project-{project.pk}" data-amount="{project.total}" checked' in funding_page


def test_approving_nothing_says_so_at_the_top(client_for, centre_a, coordinator_a, officer):
    submitted_projects(centre_a, coordinator_a, 1)
    response = client_for(officer).post(reverse("projects:approve_batch"), {"projects": []})
    assert response.status_code == 200
    assert "Choose at least one project." in response.content.decode()


# --- Batch funding ------------------------------------------------------------------------


def test_a_batch_funds_every_project_from_one_envelope(ten, officer):
    envelope = EnvelopeFactory(amount=Decimal("100000.00"))
    commitments_create(projects=ten, envelope=envelope, by=officer)
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("100000.00") and envelope.available == 0
    assert LifeProject.objects.filter(status=ProjectStatus.FUNDED).count() == 10
    assert ProjectTransition.objects.filter(target=ProjectStatus.FUNDED, by=officer).count() == 10


def test_a_batch_that_would_overspend_is_refused_whole(ten, officer):
    envelope = EnvelopeFactory(amount=Decimal("99999.99"))
    with pytest.raises(ValidationError) as refused, translation.override("fr"):
        commitments_create(projects=ten, envelope=envelope, by=officer)
    assert refused.value.error_list[0].code == "over_budget"
    assert "10 projets" in " ".join(refused.value.messages)
    envelope.refresh_from_db()
    assert envelope.committed == 0 and not Commitment.objects.exists()
    assert LifeProject.objects.filter(status=ProjectStatus.APPROVED).count() == 10


def test_one_project_the_envelope_may_not_fund_undoes_the_batch(ten, officer):
    envelope = EnvelopeFactory(amount=Decimal("500000.00"), region=Region.objects.get(code="03"))
    elsewhere = ten[4]
    LifeProject.objects.filter(pk=elsewhere.pk).update(province=province("04.421"))
    with pytest.raises(ValidationError) as refused:
        commitments_create(projects=ten, envelope=envelope, by=officer)
    assert refused.value.messages == [
        f"{elsewhere.number}: {funding.refusal(envelope, LifeProject.objects.get(pk=elsewhere.pk))}"
    ]
    envelope.refresh_from_db()
    assert envelope.committed == 0 and not Commitment.objects.exists()


def test_the_funding_page_picks_the_envelope_that_funds_them_all(client_for, ten, officer):
    EnvelopeFactory(name="Trop petite", province=province(MEKNES), amount=Decimal("30000.00"))
    region = EnvelopeFactory(name="Fès-Meknès", region=Region.objects.get(code="03"), amount=Decimal("150000.00"))
    query = "&".join(f"projects={p.pk}" for p in ten)
    page = client_for(officer).get(f"{reverse('projects:fund_batch')}?{query}")
    assert f'<option value="{region.pk}" data-available="150000.00" selected>' in page.content.decode()


def test_the_confirmation_shows_the_running_balance_and_the_total(client_for, ten, officer):
    envelope = EnvelopeFactory(name="Nationale", amount=Decimal("250000.00"))
    client = client_for(officer)
    review = client.get(reverse("projects:fund_review"), {"projects": [p.pk for p in ten[:3]], "envelope": envelope.pk})
    html = review.content.decode()
    assert review.status_code == 200
    for left in ("240,000.00", "230,000.00", "220,000.00"):
        assert f"{left}\u00a0MAD" in html
    assert 'id="batch-total">30,000.00\u00a0MAD' in html and 'id="batch-left">220,000.00\u00a0MAD' in html
    assert not Commitment.objects.exists()  # the review writes nothing
    response = client.post(reverse("projects:fund_review"), read_form(review, "confirm-form"))
    assert response.status_code == 302 and response["Location"] == reverse("projects:fund_batch")
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("30000.00")
    message = client.get(response["Location"]).content.decode()
    assert "3 projects funded: 30,000.00\u00a0MAD committed on Nationale, 220,000.00\u00a0MAD left." in message


def test_the_confirmation_of_a_batch_too_big_offers_no_button(client_for, ten, officer):
    envelope = EnvelopeFactory(name="Courte", amount=Decimal("25000.00"))
    review = client_for(officer).get(
        reverse("projects:fund_review"), {"projects": [p.pk for p in ten[:3]], "envelope": envelope.pk}
    )
    html = review.content.decode()
    assert 'id="confirm-form"' not in html
    assert "Over budget: Courte has 5,000.00\u00a0MAD left, and this needs 10,000.00\u00a0MAD." in html


def test_a_confirmation_sent_after_the_envelope_ran_out_commits_nothing(client_for, ten, officer):
    envelope = EnvelopeFactory(amount=Decimal("30000.00"))
    client = client_for(officer)
    review = client.get(reverse("projects:fund_review"), {"projects": [p.pk for p in ten[:3]], "envelope": envelope.pk})
    commitments_create(projects=[ten[9]], envelope=envelope, by=officer)  # someone else, meanwhile
    response = client.post(reverse("projects:fund_review"), read_form(review, "confirm-form"))
    assert response.status_code == 200
    assert "Over budget" in response.content.decode()
    assert Commitment.objects.count() == 1


def test_the_project_page_offers_the_best_envelope_first_and_says_why_not_the_others(client_for, approved, officer):
    EnvelopeFactory(name="Rabat", region=Region.objects.get(code="04"))
    best = EnvelopeFactory(name="Meknès", province=province(MEKNES))
    html = client_for(officer).get(reverse("projects:detail", args=[approved.pk])).content.decode()
    form = html.split('id="fund-form"')[1].split("</form>")[0]
    assert f'value="{best.pk}" id="envelope-{best.pk}" checked' in form
    refused = html.split('id="envelopes-refused"')[1].split("</details>")[0]
    assert "Rabat covers Rabat-Salé-Kénitra, not Meknès where the activity will run." in refused


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
@pytest.mark.parametrize("name", ["projects:approve_batch", "projects:fund_batch"])
def test_the_batch_pages_for_the_cast(cast, client_for, ten, who, status, name):
    assert client_for(cast[who]).get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", ["projects:approve_batch", "projects:fund_batch"])
def test_the_batch_pages_cost_the_same_with_one_project_or_twenty(client_for, centre_a, coordinator_a, officer, name):
    EnvelopeFactory()
    status = "submitted" if name == "projects:approve_batch" else "approved"
    make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status=status, officer=officer)
    client = client_for(officer)

    def fetch():
        assert client.get(reverse(name)).status_code == 200

    def grow():
        for _ in range(19):
            make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status=status, officer=officer)

    assert_constant_queries(fetch, grow, budget=14)


def test_a_refused_batch_offers_to_leave_out_the_projects_the_envelope_cannot_fund(client_for, ten, officer):
    regional = EnvelopeFactory(name="Fès-Meknès", region=Region.objects.get(code="03"))
    LifeProject.objects.filter(pk=ten[1].pk).update(province=province("04.421"))
    client = client_for(officer)
    review = client.get(reverse("projects:fund_review"), {"projects": [p.pk for p in ten[:3]], "envelope": regional.pk})
    link = review.content.decode().split('id="leave-out"')[0].rsplit('href="', 1)[1].split('"')[0]
    again = client.get(link.replace("&amp;", "&"))
    assert [line.project.pk for line in again.context["batch"].lines] == [ten[0].pk, ten[2].pk]
    assert again.context["batch"].fits and 'id="confirm-form"' in again.content.decode()


# --- The rest of the home page's queue of files waiting for a project ----------------------


def test_the_files_waiting_for_a_project_are_the_centres_own_oldest_first(
    client_for, centre_a, centre_b, coordinator_a, officer
):
    first, second = BeneficiaryFactory(centre=centre_a), BeneficiaryFactory(centre=centre_a)
    started = BeneficiaryFactory(centre=centre_a)
    make_project(started, coordinator_a)
    elsewhere = BeneficiaryFactory(centre=centre_b)
    listed = list(client_for(coordinator_a).get(reverse("projects:cases_waiting")).context["page"].object_list)
    assert listed == [first, second]  # not the file with a project, nor another centre's
    assert elsewhere in client_for(officer).get(reverse("projects:cases_waiting")).context["page"].object_list


def test_the_files_waiting_for_a_project_cost_the_same_with_one_or_twenty(client_for, centre_a, coordinator_a):
    BeneficiaryFactory(centre=centre_a)
    client = client_for(coordinator_a)

    def fetch():
        assert client.get(reverse("projects:cases_waiting")).status_code == 200

    assert_constant_queries(fetch, lambda: BeneficiaryFactory.create_batch(19, centre=centre_a), budget=10)


def test_a_confirmation_sent_twice_commits_once_and_lands_where_the_first_went(client_for, ten, officer):
    envelope = EnvelopeFactory(amount=Decimal("250000.00"))
    client = client_for(officer)
    review = client.get(reverse("projects:fund_review"), {"projects": [p.pk for p in ten[:4]], "envelope": envelope.pk})
    data = read_form(review, "confirm-form")
    first = client.post(reverse("projects:fund_review"), data)
    second = client.post(reverse("projects:fund_review"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Commitment.objects.count() == 4
    envelope.refresh_from_db()
    assert envelope.committed == Decimal("40000.00")


def test_an_approval_sent_twice_approves_once_and_lands_where_the_first_went(
    client_for, centre_a, coordinator_a, officer
):
    projects = submitted_projects(centre_a, coordinator_a, 2)
    client = client_for(officer)
    data = {
        **read_form(client.get(reverse("projects:approve_batch")), "batch-form"),
        "projects": [p.pk for p in projects],
    }
    first = client.post(reverse("projects:approve_batch"), data)
    second = client.post(reverse("projects:approve_batch"), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert ProjectTransition.objects.filter(target=ProjectStatus.APPROVED).count() == 2
