"""The JSON API under hostile documents: a 400 that says what and where, and nothing stored.

The schema is not the only rule: a document the forms would refuse (an unknown country,
text longer than a field holds, two site names differing only in case) is refused too;
text no database can store and bodies that would cost unbounded work never reach it.
"""

import json

from django.test import Client
from django.urls import reverse

import pytest

from assessments.models import Assessment, Customer, Site

pytestmark = pytest.mark.django_db

ENDPOINTS = ["api:score", "api:assessment-create"]


def stored() -> tuple:
    return Assessment.objects.count(), Customer.objects.count(), Site.objects.count()


def post(token: str, name: str, body) -> object:
    client = Client(raise_request_exception=False)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        reverse(name),
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def refused(token: str, body, *, says: str) -> None:
    """Both endpoints answer 400 naming the problem; nothing is stored."""
    for name in ENDPOINTS:
        before = stored()
        response = post(token, name, body)
        assert response.status_code == 400, (name, response.status_code, response.content[:300])
        answer = response.json()
        assert says in " ".join([answer["error"], *answer.get("errors", [])]), answer
        assert stored() == before


def test_a_country_that_passes_the_schema_but_does_not_exist_is_refused(token, document):
    document["sites"][1]["country"] = "XX"
    refused(token, document, says="sites[1].country: Value 'XX' is not a valid choice.")


def test_a_customer_country_that_does_not_exist_is_refused(token, document):
    document["meta"]["customer"]["country"] = "XX"
    refused(token, document, says="meta.customer.country: Value 'XX' is not a valid choice.")


@pytest.mark.parametrize("text", ["Lyon\x00Office", "Lyon \ud800"])
def test_nul_and_lone_surrogates_are_refused_with_where_they_are(token, document, text):
    document["sites"][1]["city"] = text
    body = json.dumps(document)  # ensure_ascii: "\u0000" and "\ud800" escapes, as JSON sends
    refused(token, body, says="sites[1].city: contains a NUL character or an unpaired surrogate")


def test_a_lone_surrogate_in_a_key_is_refused(token, document):
    document["answers"]["\ud800"] = "x"
    refused(token, json.dumps(document), says="a key contains a NUL character")


def test_deep_nesting_is_refused_without_a_server_error(token):
    refused(token, "[" * 100_000 + "]" * 100_000, says="nested deeper than 32 levels")
    refused(token, "[" * 100_000, says="not valid JSON")


def test_moderate_nesting_beyond_any_document_is_refused(token, document):
    deep: list = []
    for _ in range(200):
        deep = [deep]
    document["sites"][0]["notes"] = deep
    refused(token, document, says="nested deeper than 32 levels")


@pytest.mark.parametrize("number", ["9" * 5_000, "1" + "0" * 50, "1" * 400 + ".5", "1e999"])
def test_huge_numbers_are_refused(token, document, number):
    body = json.dumps(document).replace('"users": 850', f'"users": {number}', 1)
    assert number in body
    refused(token, body, says="not valid JSON")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_numbers(token, document, constant):
    body = json.dumps(document).replace('"users": 850', f'"users": {constant}', 1)
    refused(token, body, says=f"{constant} is not a JSON number")


def test_two_site_names_differing_only_in_case_are_refused(token, document):
    document["sites"][1]["name"] = "STUTTGART hq"
    refused(token, document, says="sites[1].name: 'STUTTGART hq' is already used by sites[0]")


def test_two_site_names_differing_only_in_surrounding_spaces_are_refused(token, document):
    document["sites"][1]["name"] = " Stuttgart HQ "
    refused(token, document, says="is already used by sites[0]")


def test_a_note_longer_than_the_forms_allow_is_refused(token, document):
    document["sites"][0]["notes"] = "n" * 4_000_000
    refused(token, document, says="sites[0].notes")


def test_a_refusal_never_echoes_a_huge_value_back(token, document):
    document["sites"][0]["city"] = "c" * 100_000
    response = post(token, "api:score", document)
    assert response.status_code == 400
    assert len(response.content) < 2_000


def test_site_names_are_stored_without_surrounding_spaces(token, document):
    document["sites"][1]["name"] = "  Lyon Office  "
    response = post(token, "api:assessment-create", document)
    assert response.status_code == 201
    created = Assessment.objects.get(pk=response.json()["id"])
    assert sorted(created.sites.values_list("name", flat=True)) == ["Lyon Office", "Stuttgart HQ"]
