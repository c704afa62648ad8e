"""Hostile values found by hand (issue 12): each answers 4xx or a refusal, never a server error.

Digit-like text passes ``str.isdigit()`` but not ``int()``: "²" raises, "٣" would read as 3,
and 5,000 digits exceed Python's 4,300-digit limit. Every view that reads an id, an index
or a version from a request must refuse them without raising.
"""

from django.test import Client
from django.urls import reverse

import pytest

from assessments.models import Change, Scenario, Site
from assessments.parsing import MAX_ID, parse_int
from tests.factories import invite_issue

pytestmark = pytest.mark.django_db

DIGIT_LIKE = ["²", "٣", "9" * 5_000, "1" + "0" * 19, "-1", " 1", "1_0"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0012", 12),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("²", None),
        ("٣", None),
        ("9" * 5_000, None),
        ("0" * 5_000 + "7", 7),
        ("", None),
        (" 1", None),
        ("1_0", None),
        ("-1", None),
        ("1.0", None),
        (None, None),
        (True, None),
        (7, 7),
    ],
)
def test_parse_int_reads_ascii_digits_only_and_never_raises(value, expected):
    assert parse_int(value) == expected


def test_parse_int_applies_the_bounds():
    assert parse_int("0", minimum=1) is None
    assert parse_int("5", maximum=4) is None
    assert parse_int("4", minimum=1, maximum=4) == 4


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_the_pipeline_owner_filter_refuses_digit_like_text(world, value):
    client = _client(world.manager)
    for name in ("assessments:pipeline", "assessments:pipeline-csv"):
        response = client.get(reverse(name), {"owner": value})
        assert response.status_code == 400, (name, response.status_code)
        assert "owner" in response.content.decode()


@pytest.fixture
def invite(world):
    return invite_issue(world.assessment, by=world.owner)


@pytest.mark.parametrize("value", DIGIT_LIKE)
@pytest.mark.parametrize("action", ["invite-revoke", "invite-resend"])
def test_invite_revoke_and_resend_refuse_digit_like_ids(world, invite, value, action):
    before = Change.objects.count()
    url = reverse(f"invites:{action}", args=[world.assessment.pk])
    response = _client(world.owner).post(url, {"invite": value})
    assert response.status_code == 404
    assert Change.objects.count() == before
    invite.invite.refresh_from_db()
    assert invite.invite.revoked_at is None


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_a_what_if_change_removal_refuses_digit_like_positions(world, value):
    scenario = Scenario.objects.create(
        assessment=world.assessment,
        name="Backups",
        changes=[{"scope": "sites", "field": "lte_backup", "value": "yes", "sites": []}],
    )
    url = reverse("assessments:scenario-change-remove", args=[world.assessment.pk, scenario.pk])
    response = _client(world.owner).post(url, {"index": value}, follow=True)
    assert response.status_code == 200
    assert "not in this scenario" in response.content.decode()
    scenario.refresh_from_db()
    assert len(scenario.changes) == 1


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_bulk_set_refuses_digit_like_site_ids(world, value):
    url = reverse("assessments:site-bulk-set", args=[world.assessment.pk])
    response = _client(world.owner).post(
        url, {"sites": [world.hq.pk, value], "field": "qos", "value": "none"}, follow=True
    )
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert set(world.assessment.sites.values_list("qos", flat=True)) == {"unknown"}


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_what_if_site_lists_refuse_digit_like_site_ids(world, value):
    scenario = Scenario.objects.create(assessment=world.assessment, name="Backups")
    url = reverse("assessments:scenario-change-add", args=[world.assessment.pk, scenario.pk])
    response = _client(world.owner).post(
        url, {"target": "sites:lte_backup", "value": "yes", "sites": [value]}, follow=True
    )
    assert response.status_code == 200
    assert "That change was not added" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.changes == []


@pytest.mark.parametrize("value", DIGIT_LIKE)
def test_the_invite_site_removal_refuses_a_digit_like_version(world, invite, value):
    client = Client(raise_request_exception=False)
    url = reverse("invite:site-delete", args=[invite.token, world.branch.pk])
    response = client.post(url, {"version": value}, follow=True)
    assert response.status_code == 200
    assert "was not removed" in response.content.decode()
    assert Site.objects.filter(pk=world.branch.pk).exists()


# NUL: PostgreSQL refuses it in any text ("A string literal cannot contain NUL"), so a
# search for it used to fail mid-query; the pipeline CSV even answered 200 with a cut file.
@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("assessments:customer-list", "owner"),
        ("assessments:pipeline", "manager"),
        ("assessments:pipeline-csv", "manager"),
        ("assessments:dashboard", "owner"),
    ],
)
def test_a_nul_in_a_search_is_refused_with_a_message(world, name, who):
    response = _client(getattr(world, who)).get(reverse(name), {"q": "Contoso\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_a_form_post_is_refused_before_any_view_reads_it(world):
    before = Change.objects.count()
    url = reverse("invites:invite-revoke", args=[world.assessment.pk])
    response = _client(world.owner).post(url, {"invite": "1\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert Change.objects.count() == before


def test_htmx_and_api_requests_get_the_refusal_as_json(world):
    url = reverse("assessments:site-row-save", args=[world.assessment.pk, world.hq.pk])
    response = _client(world.owner).post(url, {"name": "a\x00b"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "NUL character" in response.json()["error"]
    assert Site.objects.get(pk=world.hq.pk).name == "Stuttgart HQ"


def test_a_search_longer_than_the_box_takes_is_refused(world):
    response = _client(world.owner).get(reverse("assessments:customer-list"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "Search for at most 100 characters" in response.content.decode()
