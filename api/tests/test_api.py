"""The JSON API: bearer tokens, scoring a document, importing, exporting and scoring stored ones."""

import json

from django.urls import reverse

import pytest

from api.models import ApiToken
from assessments.models import Assessment, Change

pytestmark = pytest.mark.django_db


def _auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_json(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **extra)


def test_score_without_a_token_is_401(client, document):
    response = post_json(client, reverse("api:score"), document)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error"]


def test_score_with_an_unknown_token_is_401(client, document, world):
    response = post_json(client, reverse("api:score"), document, **_auth("tpr_not-a-real-token"))
    assert response.status_code == 401


def test_a_revoked_token_no_longer_works(client, document, world):
    token, raw = ApiToken.issue(user=world.owner, name="old")
    token.revoke()
    assert post_json(client, reverse("api:score"), document, **_auth(raw)).status_code == 401


def test_tokens_are_stored_hashed_and_long(world):
    token, raw = ApiToken.issue(user=world.owner, name="x")
    assert raw.startswith("tpr_") and len(raw) >= 40
    assert raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_score_returns_the_same_results_as_the_engine(client, token, document):
    response = post_json(client, reverse("api:score"), document, **_auth(token))
    assert response.status_code == 200
    body = response.json()
    assert body["format"] == "teams-readiness-result"
    assert body["ruleset_version"]
    names = [s["site"] for s in body["sites"]]
    assert names == ["Stuttgart HQ", "Lyon Office"]
    site = body["sites"][0]
    assert 0 <= site["network"]["score"] <= 100
    # The world's sites give little beyond users and circuits: too little to grade.
    assert site["network"]["grade"] == "not_assessed"
    assert 0 < site["network"]["completeness"] < 50
    assert site["network"]["to_find_out"][0]["how"]
    assert all("code" in f and "section" in f for f in site["network"]["findings"])
    assert all(f["source"]["url"].startswith("https://") for f in site["network"]["findings"])
    assert {f["model"] for f in site["fits"]} >= {"operator_connect", "direct_routing"}
    assert body["recommendation"]["label"]
    assert body["ownership"]["rows"]


def test_score_stores_nothing(client, token, document):
    before = Assessment.objects.count()
    post_json(client, reverse("api:score"), document, **_auth(token))
    assert Assessment.objects.count() == before


def test_bad_json_is_400_with_a_reason(client, token):
    response = post_json(client, reverse("api:score"), "{not json", **_auth(token))
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_an_invalid_document_names_the_field(client, token, document):
    document["sites"][1]["client_loss_pct"] = -5
    response = post_json(client, reverse("api:score"), document, **_auth(token))
    assert response.status_code == 400
    assert "sites[1].client_loss_pct: -5 is less than the minimum of 0" in response.json()["errors"]


def test_a_document_of_another_kind_is_refused(client, token):
    response = post_json(client, reverse("api:score"), {"format": "other"}, **_auth(token))
    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("format:")


def test_get_on_score_is_405(client, token):
    assert client.get(reverse("api:score"), **_auth(token)).status_code == 405


def test_import_creates_an_assessment_in_the_tokens_organisation(client, token, document, world):
    document["meta"]["title"] = "Imported by API"
    response = post_json(client, reverse("api:assessment-create"), document, **_auth(token))
    assert response.status_code == 201
    created = Assessment.objects.get(pk=response.json()["id"])
    assert created.organisation == world.org
    assert created.owner == world.owner
    assert created.title == "Imported by API"
    assert sorted(created.sites.values_list("name", flat=True)) == ["Lyon Office", "Stuttgart HQ"]
    hq = created.sites.get(name="Stuttgart HQ")
    assert sorted(hq.circuits.values_list("role", flat=True)) == ["backup", "primary"]
    assert Change.objects.filter(assessment=created, action="import").exists()


def test_an_invalid_import_saves_nothing(client, token, document):
    document["sites"][0]["users"] = "many"
    before = (Assessment.objects.count(),)
    response = post_json(client, reverse("api:assessment-create"), document, **_auth(token))
    assert response.status_code == 400
    assert (Assessment.objects.count(),) == before


def test_export_round_trips_through_import(client, token, world):
    exported = client.get(
        reverse("api:assessment-document", args=[world.assessment.pk]), **_auth(token)
    ).json()
    created = post_json(client, reverse("api:assessment-create"), exported, **_auth(token)).json()
    again = client.get(
        reverse("api:assessment-document", args=[created["id"]]), **_auth(token)
    ).json()
    for doc in (exported, again):
        doc["meta"].pop("exported_at")
    assert again == exported


def test_results_of_a_stored_assessment(client, token, world):
    response = client.get(
        reverse("api:assessment-results", args=[world.assessment.pk]), **_auth(token)
    )
    assert response.status_code == 200
    assert response.json()["customer"] == "Contoso Manufacturing"


@pytest.mark.parametrize("name", ["api:assessment-document", "api:assessment-results"])
def test_another_organisations_assessment_is_404(client, token, world, name):
    response = client.get(reverse(name, args=[world.other_assessment.pk]), **_auth(token))
    assert response.status_code == 404


def test_token_page_shows_a_new_token_once_and_revokes_it(client, world):
    client.force_login(world.owner)
    response = client.post(reverse("tokens:list"), {"name": "CRM sync"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("tpr_")
    assert raw in response.content.decode()
    listing = client.get(reverse("tokens:list")).content.decode()
    assert "CRM sync" in listing and raw not in listing
    token = ApiToken.objects.get(name="CRM sync")
    client.post(reverse("tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert not token.active


def test_nobody_revokes_someone_elses_token(client, world):
    token, _raw = ApiToken.issue(user=world.owner, name="mine")
    client.force_login(world.teammate)
    response = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.active
