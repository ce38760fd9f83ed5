"""Province selects offer the user's centre's provinces first, then every province under its
region; HQ sees them all under their regions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reintegration.models import Province, Region
from reintegration.territory import province_choices
from tests.browser_helpers import set_language
from tests.factories import BeneficiaryFactory, CentreFactory, make_project

pytestmark = pytest.mark.django_db


def _groups(html: str, name: str = "province") -> list[tuple[str, list[str]]]:
    """A select's option groups as [(label, [option values])]."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [
        (label, re.findall(r'<option value="([^"]*)"', options))
        for label, options in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    ]


def _pk(code: str) -> str:
    return str(Province.objects.get(code=code).pk)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_meknes_coordinator_finds_meknes_first_when_registering(client_for, coordinator_a, centre_a, language):
    set_language(coordinator_a, language)
    html = client_for(coordinator_a).get(reverse("beneficiaries:register")).content.decode()
    groups = _groups(html)
    with translation.override(language):
        first = gettext("Provinces covered by %(centre)s") % {"centre": centre_a.name}
    assert groups[0] == (first.replace("'", "&#x27;"), [_pk("03.061")])
    assert all(_pk("03.061") not in values for _label, values in groups[1:])  # not twice
    assert sum(len(values) for _label, values in groups) == Province.objects.count()


def test_then_the_other_provinces_come_under_their_regions_in_official_order(client_for, coordinator_a):
    groups = _groups(client_for(coordinator_a).get(reverse("beneficiaries:register")).content.decode())
    regions = [label for label, _values in groups[1:]]
    assert regions == [region.name.replace("'", "&#x27;") for region in Region.objects.order_by("code")]


def test_hq_sees_every_province_under_its_region(client_for, admin_user, officer):
    set_language(admin_user, "ar")
    groups = _groups(client_for(admin_user).get(reverse("beneficiaries:register")).content.decode())
    assert [label for label, _values in groups] == list(
        Region.objects.order_by("code").values_list("name_ar", flat=True)
    )
    rabat = Region.objects.get(code="04")
    expected = Province.objects.filter(region=rabat).order_by("name_ar").values_list("pk", flat=True)
    assert dict(groups)[rabat.name_ar] == [str(pk) for pk in expected]  # by name in the user's language
    officer_filter = _groups(client_for(officer).get(reverse("projects:list")).content.decode())
    assert len(officer_filter) == Region.objects.count()


def test_the_case_edit_form_offers_the_same_order(client_for, coordinator_a, centre_a):
    case = BeneficiaryFactory(centre=centre_a)
    groups = _groups(client_for(coordinator_a).get(reverse("beneficiaries:edit", args=[case.pk])).content.decode())
    assert groups[0][1] == [_pk("03.061")]


def test_the_project_location_puts_the_cases_centre_first(client_for, coordinator_a, centre_a, admin_user):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    for user in (coordinator_a, admin_user):
        html = client_for(user).get(reverse("projects:edit", args=[project.pk])).content.decode()
        assert _groups(html)[0][1] == [_pk("03.061")]


def test_the_lists_filters_and_other_province_selects_are_grouped(client_for, coordinator_a, officer):
    case_list = client_for(coordinator_a).get(reverse("beneficiaries:list")).content.decode()
    assert _groups(case_list)[0][1] == [_pk("03.061")]
    project_list = client_for(coordinator_a).get(reverse("projects:list")).content.decode()
    assert _groups(project_list)[0][1] == [_pk("03.061")]
    envelope_form = client_for(officer).get(reverse("envelopes:create")).content.decode()
    assert len(_groups(envelope_form)) == Region.objects.count()


def test_a_centre_over_two_regions_has_both_first_in_one_query():
    centre = CentreFactory(code="two-regions", provinces=["03.061", "07.351"])
    with CaptureQueriesContext(connection) as queries:
        groups = province_choices(centre=centre)
    assert len(queries) == 1
    assert [value for value, _label in groups[0][1]] == [
        Province.objects.get(code=code).pk for code in ("03.061", "07.351")
    ]
    assert len(groups) == 1 + Region.objects.count()


def test_what_may_be_chosen_does_not_change(client_for, coordinator_a):
    """Grouping only orders the select: a person may live anywhere in Morocco."""
    from beneficiaries.forms import BeneficiaryForm

    form = BeneficiaryForm(data={"province": _pk("10.071")}, user=coordinator_a)
    form.is_valid()
    assert "province" not in form.errors
