"""Issue 10, point 3: any text in any field of the main forms, any value in any query parameter
the views read — never a server error, and a refused form leaves nothing half-saved.

Hypothesis draws the values; each view is driven through the test client with the fields its
rendered form really has (``read_form``), so a field added later is fuzzed too.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beneficiaries.models import Beneficiary, DuplicateFlag, Training
from distributions.models import Event, Handover
from projects.models import Envelope, EquipmentLine
from tests.factories import BeneficiaryFactory, make_project
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db

# Text as users and probes send it: control characters and NUL included, Arabic and Persian
# digits, huge numbers, dates in the wrong shape, and plain words.
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "²", "٣", "۹", "1e26", "-1", "9" * 40, "2031-02-30", "0", "NaN", "١٢٣٫٥"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts() -> tuple[int, ...]:
    models = (Beneficiary, Training, DuplicateFlag, EquipmentLine, Envelope, Event, Handover)
    return tuple(model.objects.count() for model in models)


def fuzz_form(client, url: str, data: st.DataObject, *, form_id=None, keep=()) -> None:
    """Post the rendered form with every field (but ``keep``) replaced by drawn text."""
    base = read_form(client.get(url), form_id)
    names = sorted(name for name in base if name not in {"csrfmiddlewaretoken", "submission", *keep})
    drawn = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    before = counts()
    response = client.post(url, {**base, **drawn})
    assert response.status_code < 500, (url, drawn)
    if response.status_code != 302:
        assert counts() == before, ("a refused form saved something", url, drawn)


@FUZZ
@given(data=st.data())
def test_registration(coordinator_a, data):
    fuzz_form(signed_in(coordinator_a), reverse("beneficiaries:register"), data, form_id="case-form")


@FUZZ
@given(data=st.data())
def test_the_plan_editor_and_its_preview(coordinator_a, centre_a, data):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    client = signed_in(coordinator_a)
    edit = reverse("projects:edit", args=[project.pk])
    fuzz_form(client, edit, data, form_id="project-form", keep=("lines-TOTAL_FORMS", "lines-INITIAL_FORMS"))
    preview = client.post(
        reverse("projects:plan_preview", args=[project.pk]),
        data.draw(
            st.dictionaries(
                st.sampled_from(["lines-TOTAL_FORMS", "lines-0-quantity", "lines-0-unit_price", "cash_aid"]), VALUES
            )
        ),
    )
    assert preview.status_code < 500


@FUZZ
@given(data=st.data())
def test_an_envelope(officer, data):
    fuzz_form(
        signed_in(officer), reverse("envelopes:create"), data, keep=("funders-TOTAL_FORMS", "funders-INITIAL_FORMS")
    )


@FUZZ
@given(data=st.data())
def test_an_event(coordinator_a, data):
    fuzz_form(signed_in(coordinator_a), reverse("distributions:event_create"), data)


@FUZZ
@given(data=st.data())
def test_the_live_duplicate_check(coordinator_a, data):
    fields = ["first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "cin", "birth_date"]
    drawn = data.draw(st.dictionaries(st.sampled_from(fields), VALUES))
    response = signed_in(coordinator_a).post(reverse("beneficiaries:duplicates"), drawn)
    assert response.status_code < 500, drawn


LIST_PAGES = [
    (
        "coordinator_a",
        "beneficiaries:list",
        ["q", "province", "program", "sex", "release_year", "status", "order", "page"],
    ),
    ("officer", "projects:list", ["q", "status", "trade", "province", "centre", "page"]),
    ("officer", "envelopes:list", ["q", "program", "year", "page"]),
    ("coordinator_a", "distributions:events", ["operation", "page"]),
    ("officer", "dashboard:index", ["year", "date_from", "date_to", "region", "province", "centre", "sex", "trade"]),
    ("officer", "dashboard:map", ["measure", "layer", "year", "region"]),
    ("officer", "beneficiaries:duplicate_flags", ["page"]),
]


@pytest.mark.parametrize(("who", "name", "params"), LIST_PAGES, ids=[name for _, name, _ in LIST_PAGES])
@FUZZ
@given(data=st.data())
def test_the_query_parameters_of_every_list(cast, who, name, params, data):
    query = data.draw(st.dictionaries(st.sampled_from(params), VALUES, max_size=4))
    response = signed_in(cast[who]).get(reverse(name), query)
    assert response.status_code < 500, (name, query)


@FUZZ
@given(data=st.data())
def test_recording_a_handover(centre_a, coordinator_a, officer, data):
    import datetime

    from distributions.services import handover_plan
    from projects.services import commitment_create
    from tests.factories import EnvelopeFactory, province

    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
    commitment_create(project=project, envelope=EnvelopeFactory(), by=officer)
    event = Event.objects.create(
        date=datetime.date(2026, 5, 24), province=province("03.061"), venue_fr="Salle", created_by=coordinator_a
    )
    handover = handover_plan(project=project, event=event, by=coordinator_a)
    url = reverse("distributions:handover", args=[handover.pk])
    keep = ("items-TOTAL_FORMS", "items-INITIAL_FORMS", "items-0-id")
    fuzz_form(signed_in(coordinator_a), url, data, form_id="handover-form", keep=keep)
    handover.refresh_from_db()
    if handover.status == "planned":
        assert not handover.delivered_on and handover.project.commitments.get().status == "active"
