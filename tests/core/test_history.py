"""create_with_history: the records, and history rows equal to those django-simple-history's
``bulk_create_with_history`` writes (the database copies them instead of Python)."""

import pytest
from django.db import IntegrityError
from simple_history.utils import bulk_create_with_history

from beneficiaries.models import Beneficiary
from reintegration.history import create_with_history
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

COMPARED = ("history_type", "history_user_id", "history_change_reason")


def _history_values(record):
    history = record.history.get()  # exactly one row: .get() fails on none or two
    tracked = {field.attname: getattr(history, field.attname) for field in type(history).tracked_fields}
    return tracked, {name: getattr(history, name) for name in COMPARED}


def test_history_rows_are_those_the_library_writes(coordinator_a):
    ours = create_with_history(
        BeneficiaryFactory.build_batch(3, centre=coordinator_a.centre), Beneficiary, user=coordinator_a
    )
    library = bulk_create_with_history(
        BeneficiaryFactory.build_batch(3, centre=coordinator_a.centre), Beneficiary, default_user=coordinator_a
    )
    for record in ours:
        tracked, recorded = _history_values(record)
        stored = Beneficiary.objects.get(pk=record.pk)
        assert tracked == {name: getattr(stored, name) for name in tracked}
        assert (
            recorded
            == _history_values(library[0])[1]
            == {
                "history_type": "+",
                "history_user_id": coordinator_a.pk,
                "history_change_reason": None,
            }
        )
    # The same columns are copied as the library fills: none missing, none extra.
    assert set(_history_values(ours[0])[0]) == set(_history_values(library[0])[0])


def test_the_records_come_back_with_their_keys_and_only_theirs_get_history(coordinator_a):
    earlier = BeneficiaryFactory(centre=coordinator_a.centre)
    before = earlier.history.count()
    created = create_with_history(
        BeneficiaryFactory.build_batch(2, centre=coordinator_a.centre), Beneficiary, user=coordinator_a
    )
    assert all(record.pk for record in created)
    assert Beneficiary.history.filter(id__in=[record.pk for record in created]).count() == 2
    assert earlier.history.count() == before


def test_a_refused_chunk_leaves_neither_records_nor_history(coordinator_a):
    taken = BeneficiaryFactory(centre=coordinator_a.centre, cin="XQ000001")
    rows = BeneficiaryFactory.build_batch(2, centre=coordinator_a.centre)
    rows[1].cin = taken.cin  # the CIN index refuses the second
    records, history = Beneficiary.objects.count(), Beneficiary.history.count()
    with pytest.raises(IntegrityError):
        create_with_history(rows, Beneficiary, user=coordinator_a)
    assert (Beneficiary.objects.count(), Beneficiary.history.count()) == (records, history)
