"""The handover's cash aid and delivered quantities are typed as in the plan editor: read
exactly, refused in words, never a server error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distributions.choices import HandoverStatus
from distributions.models import Handover
from reintegration.forms import AmountField
from tests.browser_helpers import set_language
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db

typed = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
    st.sampled_from(["NaN", "Infinity", "1e26", "-0", "2 500,00", "٢٥٠٠", "3\u202f000,00"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
)
_FORMS: dict[int, dict] = {}


def _handover_form(client, handover) -> dict:
    if handover.pk not in _FORMS:  # read once: each example rolls back what it wrote
        _FORMS.clear()
        page = client.get(reverse("distributions:handover", args=[handover.pk]))
        _FORMS[handover.pk] = read_form(page, "handover-form")
    return dict(_FORMS[handover.pk])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cash=typed)
def test_the_cash_aid_handed_over_is_kept_exactly_or_refused(client_for, coordinator_a, planned, envelope, cash):
    client = client_for(coordinator_a)
    available = envelope.amount - Decimal("26201.00")  # what the project left on its envelope
    with transaction.atomic():
        data = _handover_form(client, planned)
        data.update({"delivered_on": "2026-05-24", "cash_aid": cash})
        response = client.post(reverse("distributions:handover", args=[planned.pk]), data)
        try:
            with translation.override("en"):
                value = AmountField().clean(cash)
        except ValidationError:
            value = None
        handover = Handover.objects.get(pk=planned.pk)
        if value is not None and value - Decimal("3000.00") <= available:
            assert response.status_code == 302
            assert handover.cash_aid_delivered == value and handover.status == HandoverStatus.DELIVERED
        else:
            assert response.status_code == 200
            assert handover.status == HandoverStatus.PLANNED
        transaction.set_rollback(True)


def test_a_french_coordinator_types_spaces_commas_and_sees_amounts_as_elsewhere(client_for, coordinator_a, planned):
    set_language(coordinator_a, "fr")
    client = client_for(coordinator_a)
    response = client.get(reverse("distributions:handover", args=[planned.pk]))
    assert 'name="cash_aid" value="3\u202f000,00"' in response.content.decode()
    data = read_form(response, "handover-form")
    data.update({"delivered_on": "2026-05-24", "cash_aid": "2 500,50", "items-2-quantity": "1,5"})
    assert client.post(reverse("distributions:handover", args=[planned.pk]), data).status_code == 302
    planned.refresh_from_db()
    assert planned.cash_aid_delivered == Decimal("2500.50")
    assert planned.items.get(item_fr="Table inox").quantity == Decimal("1.50")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_negative_cash_aid_is_refused_in_the_users_language(client_for, coordinator_a, planned, language):
    set_language(coordinator_a, language)
    client = client_for(coordinator_a)
    data = read_form(client.get(reverse("distributions:handover", args=[planned.pk])), "handover-form")
    data.update({"delivered_on": "2026-05-24", "cash_aid": "-100", "items-0-quantity": "1e26"})
    response = client.post(reverse("distributions:handover", args=[planned.pk]), data)
    assert response.status_code == 200
    with translation.override(language):
        negative = gettext("The amount cannot be negative.")
        quantity = gettext("Enter a quantity, for example %(example)s.") % {"example": "2,5"}
    assert response.context["delivery"].errors["cash_aid"] == [negative]
    assert response.context["items"].forms[0].errors["quantity"] == [quantity]
    planned.refresh_from_db()
    assert planned.status == HandoverStatus.PLANNED
