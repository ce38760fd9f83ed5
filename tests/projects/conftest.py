import pytest

from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project


@pytest.fixture
def case_a(centre_a):
    return BeneficiaryFactory(centre=centre_a)


@pytest.fixture
def draft(case_a, coordinator_a):
    return make_project(case_a, coordinator_a)


@pytest.fixture
def approved(case_a, coordinator_a, officer):
    return make_project(case_a, coordinator_a, status="approved", officer=officer)


@pytest.fixture
def envelope(db):
    """National, 100 000,00 DH."""
    return EnvelopeFactory()
