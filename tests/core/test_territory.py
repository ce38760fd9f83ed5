import pytest

from reintegration.choices import ProvinceKind
from reintegration.models import Province, Region

pytestmark = pytest.mark.django_db


def test_it_loads_the_12_regions_and_83_territories():
    assert Region.objects.count() == 12
    assert Province.objects.exclude(kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS).count() == 75
    assert Province.objects.filter(kind=ProvinceKind.PREFECTURE_OF_ARRONDISSEMENTS).count() == 8


def test_it_places_casablancas_prefectures_of_arrondissements_inside_casablanca():
    ben_msick = Province.objects.get(code="06.141.01.60")
    assert ben_msick.parent.code == "06.141"
    assert ben_msick.region.code == "06"
    assert ben_msick.name_ar == "ابن مسيك"
    assert set(Province.objects.get(code="06.141").children.values_list("code", flat=True)) >= {
        "06.141.01.60",
        "06.141.01.70",
    }


def test_it_joins_iso_codes_and_keeps_hcp_names():
    rehamna = Province.objects.get(code="07.427")
    assert (rehamna.name_fr, rehamna.name_ar, rehamna.region.code) == ("Rehamna", "الرحامنة", "07")
    assert rehamna.iso_code.startswith("MA-")
    assert Province.objects.exclude(iso_code="").count() == 75
    # The map's Figuig feature carries Nador's Arabic name; the HCP name is used.
    assert Province.objects.get(code="02.251").name_ar == "فجيج"


def test_it_shows_names_in_the_active_language(settings):
    from django.utils import translation

    meknes = Province.objects.get(code="03.061")
    with translation.override("ar"):
        assert str(meknes) == "مكناس"
    with translation.override("fr"):
        assert str(meknes) == "Meknès"
    with translation.override("en"):
        assert str(meknes) == "Meknès"
