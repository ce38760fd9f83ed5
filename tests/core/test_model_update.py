"""``model_update``: unknown fields refused, only what changed saved, the author in the history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Beneficiary
from reintegration.services import model_update
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a, address="Ancienne adresse")


def test_a_misspelt_field_is_refused_before_anything_is_set(case, coordinator_a):
    with pytest.raises(ValueError, match="adress"):
        model_update(
            case,
            data={"adress": "x", "phone": ""},
            fields=("address", "phone"),
            by=coordinator_a,
            clean_exclude=["created_by"],
        )
    with pytest.raises(ValueError, match="not an updatable field: status"):
        model_update(
            case, data={"status": "closed"}, fields=("address",), by=coordinator_a, clean_exclude=["created_by"]
        )
    case.refresh_from_db()
    assert case.address == "Ancienne adresse" and case.status == "active"


def test_a_name_that_is_not_a_field_is_refused(case):
    with pytest.raises(ValueError, match="no such field: full_name"):
        model_update(case, data={}, fields=("full_name",))


def test_only_the_changed_fields_are_written_with_the_author(case, coordinator_a):
    with CaptureQueriesContext(connection) as queries:
        _, changed = model_update(
            case,
            data={"address": "Hay Salam", "phone": case.phone},
            fields=("address", "phone"),
            by=coordinator_a,
            clean_exclude=["created_by"],
        )
    update = next(q["sql"] for q in queries if q["sql"].startswith('UPDATE "beneficiaries_beneficiary"'))
    assert changed and '"address"' in update and '"phone"' not in update and '"updated_at"' in update
    assert case.history.latest().history_user == coordinator_a
    assert Beneficiary.objects.get(pk=case.pk).address == "Hay Salam"


def test_a_stale_value_elsewhere_on_the_instance_is_not_written(case, coordinator_a):
    Beneficiary.objects.filter(pk=case.pk).update(phone="+212600000001")  # another request, meanwhile
    model_update(
        case, data={"address": "Hay Salam"}, fields=("address",), by=coordinator_a, clean_exclude=["created_by"]
    )
    assert Beneficiary.objects.get(pk=case.pk).phone == "+212600000001"


def test_nothing_changed_writes_nothing(case, coordinator_a):
    history = case.history.count()
    _, changed = model_update(
        case, data={"address": case.address}, fields=("address",), by=coordinator_a, clean_exclude=["created_by"]
    )
    assert not changed and case.history.count() == history


def test_invalid_values_are_refused_and_not_saved(case, coordinator_a):
    with pytest.raises(ValidationError):
        model_update(
            case, data={"birth_date": None}, fields=("birth_date",), by=coordinator_a, clean_exclude=["created_by"]
        )
    assert Beneficiary.objects.get(pk=case.pk).birth_date is not None
