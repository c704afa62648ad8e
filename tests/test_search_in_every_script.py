"""Search boxes find names in any script and case, accents optional, on SQLite and PostgreSQL."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from assessments.models import Customer, Site
from assessments.services.assessments import assessment_clone, customer_update
from assessments.services.versioning import Actor
from imports.tests.conftest import commit, csv_bytes
from portal.search import fold
from tests.factories import AssessmentFactory, CustomerFactory, SiteFactory

PIPELINE = reverse("assessments:pipeline")
CUSTOMERS = reverse("assessments:customer-list")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("київ", "Київ"),
        ("КИЇВ", "Київ"),
        ("αθηνα", "ΑΘΉΝΑ"),  # Greek capitals and the tonos accent
        ("σοφοκλης", "ΣΟΦΟΚΛΗΣ"),  # final sigma ς and capital Σ fold alike
        ("istanbul", "İstanbul"),  # Turkish dotted capital İ
        ("diyarbakir", "DİYARBAKIR"),
        ("diyarbakir", "Diyarbakır"),  # Turkish dotless ı
        ("sao paulo", "São Paulo"),
        ("zurich", "Zürich"),
        ("strasse", "Straße"),
        ("ｔｏｋｙｏ", "Tokyo"),  # full-width letters typed on a Japanese keyboard
    ],
)
def test_a_name_and_what_people_type_for_it_fold_alike(typed, stored):
    assert fold(typed) == fold(stored)


def test_folding_keeps_what_tells_names_apart():
    assert fold("Київ") != fold("Київська")
    assert fold("Lyon") != fold("Lyons")
    assert fold("") == fold(None) == ""


def _pipeline_customers(client, q) -> list[str]:
    response = client.get(PIPELINE, {"q": q})
    assert response.status_code == 200
    return [a.customer.name for a in response.context["page"].object_list]


def _listed_customers(client, q) -> list[str]:
    response = client.get(CUSTOMERS, {"q": q})
    assert response.status_code == 200
    return [c.name for c in response.context["page"].object_list]


@pytest.fixture
def scripts(world):
    """Customers named in Ukrainian, Greek, Turkish and Portuguese, one assessment each."""
    names = ["Київстар", "ΑΘΉΝΑ Ασφαλιστική", "İstanbul Lojistik", "São Paulo Alimentos"]
    for name in names:
        AssessmentFactory(customer=CustomerFactory(organisation=world.org, name=name))
    # Another organisation's customer of the same name is never found.
    CustomerFactory(organisation=world.other_org, name="Київстар Fabrikam")
    return names


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("київ", "Київстар"),
        ("КИЇВСТАР", "Київстар"),
        ("αθηνα", "ΑΘΉΝΑ Ασφαλιστική"),
        ("ασφαλιστικη", "ΑΘΉΝΑ Ασφαλιστική"),
        ("ISTANBUL", "İstanbul Lojistik"),
        ("istanbul lojistik", "İstanbul Lojistik"),
        ("sao paulo", "São Paulo Alimentos"),
        ("SÃO PAULO", "São Paulo Alimentos"),
    ],
)
def test_pipeline_and_customer_list_find_names_in_any_script(world, login, scripts, typed, found):
    assert _pipeline_customers(login(world.manager), typed) == [found]
    assert _listed_customers(login(world.owner), typed) == [found]


def test_a_search_matches_the_phrase_not_scattered_words(world, login, scripts):
    # "paulo são" is not a part of "São Paulo Alimentos": the boxes search a phrase.
    assert _listed_customers(login(world.owner), "paulo são") == []


def test_a_renamed_customer_is_found_by_its_new_name(world, login):
    customer_update(
        customer=world.customer,
        base_version=world.customer.version,
        changes={"name": "Ωμέγα Βιομηχανία"},
        actor=Actor.for_user(world.owner),
    )
    client = login(world.manager)
    assert _pipeline_customers(client, "ωμεγα") == ["Ωμέγα Βιομηχανία"]
    assert _pipeline_customers(client, "contoso") == []


def _grid_rows(client, world, **params) -> list[int]:
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    page = client.get(url, params).content.decode()
    return [int(pk) for pk in re.findall(r'<tr id="row-(\d+)" data-row>', page)]


def test_the_sites_grid_finds_names_and_cities_in_any_script(world, login):
    kyiv = SiteFactory(assessment=world.assessment, name="Офіс Київ", country="UA", city="Київ")
    athens = SiteFactory(
        assessment=world.assessment, name="Γραφείο Αθήνας", country="GR", city="ΑΘΉΝΑ"
    )
    izmir = SiteFactory(assessment=world.assessment, name="İzmir Depo", country="TR", city="İzmir")
    sao = SiteFactory(assessment=world.assessment, name="Filial", country="BR", city="São Paulo")
    client = login(world.owner)
    assert _grid_rows(client, world, q="київ") == [kyiv.pk]
    assert _grid_rows(client, world, q="ОФІС київ") == [kyiv.pk]  # every word, name or city
    assert _grid_rows(client, world, q="αθηνα") == [athens.pk]
    assert _grid_rows(client, world, q="IZMIR depo") == [izmir.pk]
    assert _grid_rows(client, world, q="sao paulo") == [sao.pk]
    assert _grid_rows(client, world, q="zurich") == []


def test_a_jump_finds_a_site_named_in_another_script(world, login):
    athens = SiteFactory(assessment=world.assessment, name="Γραφείο Αθήνας", country="GR")
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    response = login(world.owner).get(url, {"jump": "γραφειο αθηνας"})
    assert response.status_code == 302
    assert f"site={athens.pk}#row-{athens.pk}" in response["Location"]


def test_sites_added_in_bulk_are_searchable(world, login):
    """An import and a clone write their sites in bulk: their search keys are filled too."""
    client = login(world.owner)
    data = csv_bytes(
        [
            ["Site", "Country", "City", "Users", "Down", "Up"],
            ["Харків склад", "UA", "Харків", "40", "100", "20"],
            ["Ankara Şube", "TR", "ANKARA", "25", "50", "10"],
        ]
    )
    url = reverse("imports:site-import", args=[world.assessment.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("sites.csv", data)}, follow=True)
    commit(client, preview)
    kharkiv = Site.objects.get(assessment=world.assessment, name="Харків склад")
    ankara = Site.objects.get(assessment=world.assessment, name="Ankara Şube")
    assert _grid_rows(client, world, q="харків") == [kharkiv.pk]
    assert _grid_rows(client, world, q="ankara sube") == [ankara.pk]

    copy = assessment_clone(
        source=world.assessment,
        customer=world.customer,
        title="Copy",
        owner=world.owner,
        actor=Actor.for_user(world.owner),
    )
    assert list(copy.sites.filter(search_city="харків").values_list("name", flat=True)) == [
        "Харків склад"
    ]


def test_a_save_of_the_name_alone_refreshes_its_search_key(world):
    world.hq.name = "Штутгарт"
    world.hq.save(update_fields=["name"])
    assert Site.objects.get(pk=world.hq.pk).search_name == "штутгарт"
    assert Customer.objects.get(pk=world.customer.pk).search_name == "contoso manufacturing"
