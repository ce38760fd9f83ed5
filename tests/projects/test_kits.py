"""Standard kits belong to trades: the plan editor offers the project's trade's kits first, and
adding another trade's kit works but says so."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from projects.demo import _kit_rows
from projects.models import StandardKit, Trade
from tests.browser_helpers import set_language

pytestmark = pytest.mark.django_db

# The reference data's kits and the trades they fit (projects/migrations/0006_kits_fit_trades.py).
KIT_TRADES = {
    "Kit aviculture": {"poultry"},
    "Kit boulangerie": {"bakery"},
    "Kit couture": {"sewing", "leather"},
    "Kit ferronnerie": {"ironwork"},
    "Kit lavage automobile": {"car_wash"},
    "Kit menuiserie": {"carpentry"},
    "Kit peinture en bâtiment": {"building_painting"},
    "Kit pâtisserie": {"pastry"},
    "Kit réparation de pneus": {"tyre_repair"},
    "Kit réparation électroménager": {"appliance_repair", "phone_repair"},
    "Kit salon de coiffure": {"mens_barber"},
    "Kit snack": {"snack"},
    "Kit vente d'olives": {"olive_sales"},
    "Kit zellige": {"zellige"},
    "Kit élevage ovin": {"sheep"},
    "Kit épicerie": {"grocery", "vegetables"},
}


def _kit(name: str) -> StandardKit:
    return StandardKit.objects.get(name_fr=name)


def _kit_select(html: str) -> list[tuple[str, list[str]]]:
    """The kit select's option groups: [(label, [kit names])]."""
    select = re.search(r'<select name="kit".*?</select>', html, re.S).group(0)
    return [
        (label, re.findall(r"<option[^>]*>([^<]+)</option>", options))
        for label, options in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    ]


def _rows(client, project, kit, **params):
    url = reverse("projects:kit_rows", args=[project.pk])
    return client.get(url, {"kit": kit.pk, "lines-TOTAL_FORMS": "1", **params})


def test_it_gives_each_reference_kit_the_trades_it_fits():
    found = {kit.name_fr: {t.code for t in kit.trades.all()} for kit in StandardKit.objects.prefetch_related("trades")}
    assert found == KIT_TRADES


def test_the_editor_offers_the_trades_kits_first_then_the_others(client_for, coordinator_a, draft):
    set_language(coordinator_a, "fr")
    html = client_for(coordinator_a).get(reverse("projects:edit", args=[draft.pk])).content.decode()
    with translation.override("fr"):
        own, others = gettext("Kits for this trade"), gettext("Other kits")
    groups = _kit_select(html)
    assert [label for label, _kits in groups] == [own, others]
    assert groups[0][1] == ["Kit boulangerie"]
    assert "Kit aviculture" in groups[1][1] and len(groups[1][1]) == 15
    assert re.search(r'<option value="\d+" selected>Kit boulangerie</option>', html)


def test_a_kit_that_fits_several_trades_is_offered_first_for_each(client_for, coordinator_a, draft):
    draft.trade = Trade.objects.get(code="leather")
    draft.save(update_fields=["trade"])
    groups = _kit_select(client_for(coordinator_a).get(reverse("projects:edit", args=[draft.pk])).content.decode())
    assert groups[0][1] == ["Kit couture"]


def test_without_a_trade_every_kit_is_offered_alike(client_for, coordinator_a, draft):
    draft.trade = None
    draft.save(update_fields=["trade"])
    html = client_for(coordinator_a).get(reverse("projects:edit", args=[draft.pk])).content.decode()
    assert _kit_select(html) == []
    assert "Kit aviculture" in re.search(r'<select name="kit".*?</select>', html, re.S).group(0)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_another_trades_kit_is_added_with_a_warning(client_for, coordinator_a, draft, language):
    set_language(coordinator_a, language)
    response = _rows(client_for(coordinator_a), draft, _kit("Kit aviculture"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-1-item_fr"' in html and 'value="Poussins chair"' in html  # added all the same
    with translation.override(language):
        poultry, bakery = Trade.objects.get(code="poultry").name, Trade.objects.get(code="bakery").name
        expected = gettext(
            "“%(kit)s” is meant for %(trades)s, not for %(trade)s: check that its lines suit this project."
        ) % {"kit": _kit("Kit aviculture").name, "trades": poultry, "trade": bakery}
    assert '<tr data-kit-warning><td colspan="7"><div class="alert alert-warning' in html and 'role="alert"' in html
    assert expected.replace("'", "&#x27;") in html


def test_the_trades_own_kit_comes_without_a_warning(client_for, coordinator_a, draft):
    html = _rows(client_for(coordinator_a), draft, _kit("Kit boulangerie")).content.decode()
    assert "data-kit-warning" not in html and 'value="Four à pain à gaz, 2 chambres"' in html


def test_the_trade_chosen_on_the_page_is_the_one_checked(client_for, coordinator_a, draft):
    client = client_for(coordinator_a)
    barber = Trade.objects.get(code="mens_barber")
    assert (
        "data-kit-warning" not in _rows(client, draft, _kit("Kit salon de coiffure"), trade=barber.pk).content.decode()
    )
    warned = _rows(client, draft, _kit("Kit boulangerie"), trade=barber.pk).content.decode()
    assert "data-kit-warning" in warned and barber.name in warned
    assert "data-kit-warning" not in _rows(client, draft, _kit("Kit aviculture"), trade="").content.decode()


def test_a_kit_that_does_not_exist_is_not_found(client_for, coordinator_a, draft):
    client = client_for(coordinator_a)
    url = reverse("projects:kit_rows", args=[draft.pk])
    assert client.get(url, {"kit": "999999", "lines-TOTAL_FORMS": "1"}).status_code == 404
    assert client.get(url, {"kit": _kit("Kit snack").pk, "lines-TOTAL_FORMS": "²"}).status_code == 404


def test_the_demo_plans_come_from_a_kit_of_their_trade():
    for code in ("bakery", "sewing", "leather", "phone_repair", "vegetables"):
        trade = Trade.objects.get(code=code)
        items = [(row["item_fr"], row["item_ar"]) for row in _kit_rows(trade)]
        kit = trade.kits.order_by("name_fr").first()
        assert items == [(line.item_fr, line.item_ar) for line in kit.lines.all()]
        assert all(arabic for _french, arabic in items)
        assert all(isinstance(row["unit_price"], Decimal) for row in _kit_rows(trade))


def test_the_admin_lists_and_edits_a_kits_trades(client_for, admin_user):
    client = client_for(admin_user)
    html = client.get(reverse("admin:projects_standardkit_changelist")).content.decode()
    assert "Couture et stylisme, Maroquinerie" in html
    change = client.get(reverse("admin:projects_standardkit_change", args=[_kit("Kit couture").pk])).content.decode()
    assert 'name="trades"' in change
