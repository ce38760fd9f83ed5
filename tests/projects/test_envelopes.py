from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Envelope
from projects.selectors import envelopes_near_exhaustion
from projects.services import commitment_create
from tests.factories import EnvelopeFactory, PartnerFactory, ProgramFactory, make_project
from tests.html_forms import read_form
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("officer", 200), ("analyst", 200), ("coordinator_a", 403), ("anonymous", 302)]
)
def test_the_list_and_detail_for_the_cast(cast, client_for, envelope, who, status):
    client = client_for(cast[who])
    assert client.get(reverse("envelopes:list")).status_code == status
    assert client.get(reverse("envelopes:detail", args=[envelope.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 403), ("anonymous", 302)]
)
def test_the_forms_for_the_cast(cast, client_for, envelope, who, status):
    client = client_for(cast[who])
    assert client.get(reverse("envelopes:create")).status_code == status
    assert client.get(reverse("envelopes:edit", args=[envelope.pk])).status_code == status


def test_the_analyst_sees_figures_but_not_people(client_for, analyst, approved, envelope, officer):
    commitment_create(project=approved, envelope=envelope, by=officer)
    response = client_for(analyst).get(reverse("envelopes:detail", args=[envelope.pk]))
    assert response.context["page"] is None
    assert approved.beneficiary.last_name_latin not in response.content.decode()


def test_an_officer_creates_an_envelope_with_two_funders(client_for, officer):
    program = ProgramFactory()
    foundation, indh = PartnerFactory(name_fr="Fondation"), PartnerFactory(name_fr="INDH Rehamna", kind="indh")
    client = client_for(officer)
    data = read_form(client.get(reverse("envelopes:create")))
    data.update(
        {
            "name": "Convention Rehamna",
            "program": program.pk,
            "fiscal_year": "2026",
            "amount": "350000.00",
            "funders-TOTAL_FORMS": "2",
            "funders-0-partner": foundation.pk,
            "funders-0-share": "150000.00",
            "funders-1-partner": indh.pk,
            "funders-1-share": "200000.00",
            "is_active": "on",
        }
    )
    response = client.post(reverse("envelopes:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    envelope = Envelope.objects.get()
    assert {(f.partner.name_fr, f.share) for f in envelope.funders.all()} == {
        ("Fondation", Decimal("150000.00")),
        ("INDH Rehamna", Decimal("200000.00")),
    }
    assert envelope.history.first().history_user == officer


def test_shares_that_do_not_add_up_are_refused(client_for, officer):
    program, foundation = ProgramFactory(), PartnerFactory()
    client = client_for(officer)
    data = read_form(client.get(reverse("envelopes:create")))
    data.update(
        {
            "name": "X",
            "program": program.pk,
            "fiscal_year": "2026",
            "amount": "1000.00",
            "funders-TOTAL_FORMS": "1",
            "funders-0-partner": foundation.pk,
            "funders-0-share": "900.00",
        }
    )
    response = client.post(reverse("envelopes:create"), data)
    assert response.status_code == 200 and not Envelope.objects.exists()
    assert "add up to" in " ".join(response.context["form"].non_field_errors())


def test_an_envelope_cannot_shrink_below_what_is_committed(client_for, officer, approved, envelope):
    commitment_create(project=approved, envelope=envelope, by=officer)
    client = client_for(officer)
    data = read_form(client.get(reverse("envelopes:edit", args=[envelope.pk])))
    data["amount"] = "5000.00"
    response = client.post(reverse("envelopes:edit", args=[envelope.pk]), data)
    assert response.status_code == 200
    envelope.refresh_from_db()
    assert envelope.amount == Decimal("100000.00")


def test_an_envelope_past_90_percent_raises_the_alert(approved, officer, client_for):
    envelope = EnvelopeFactory(name="Presque vide", amount=Decimal("13000.00"))
    assert list(envelopes_near_exhaustion()) == []
    commitment_create(project=approved, envelope=envelope, by=officer)
    assert list(envelopes_near_exhaustion()) == [envelope]
    assert "Presque vide" in client_for(officer).get(reverse("home")).content.decode()


def test_the_alert_follows_the_configured_threshold(approved, officer, client_for, settings):
    envelope = EnvelopeFactory(name="À moitié", amount=Decimal("26000.00"))
    commitment_create(project=approved, envelope=envelope, by=officer)  # about half of it
    envelope.refresh_from_db()
    assert not envelope.near_exhaustion and list(envelopes_near_exhaustion()) == []
    settings.ENVELOPE_ALERT_THRESHOLD = 40
    assert envelope.near_exhaustion and list(envelopes_near_exhaustion()) == [envelope]
    home = client_for(officer).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "À moitié" in home and "(40% or more)" in home
    detail = client_for(officer).get(reverse("envelopes:detail", args=[envelope.pk])).content.decode()
    assert "alert-danger" in detail


def test_the_detail_costs_the_same_for_1_and_30_projects(client_for, officer, centre_a, coordinator_a, envelope):
    from tests.factories import BeneficiaryFactory

    def fund_one():
        project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)

    fund_one()
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("envelopes:detail", args=[envelope.pk])).status_code == 200
        assert client.get(reverse("envelopes:list")).status_code == 200

    assert_constant_queries(fetch, lambda: [fund_one() for _ in range(5)], budget=24)


def test_removing_an_empty_funder_row_is_not_an_error(client_for, officer):
    program, foundation = ProgramFactory(), PartnerFactory()
    client = client_for(officer)
    data = read_form(client.get(reverse("envelopes:create")))
    data.update(
        {
            "name": "Y",
            "program": program.pk,
            "fiscal_year": "2026",
            "amount": "1000.00",
            "funders-TOTAL_FORMS": "2",
            "funders-0-partner": foundation.pk,
            "funders-0-share": "1000.00",
            "funders-1-DELETE": "on",
        }
    )
    assert client.post(reverse("envelopes:create"), data).status_code == 302
