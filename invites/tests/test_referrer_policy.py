"""Invite pages send no Referer anywhere, and their form posts still pass the CSRF check."""

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def test_invite_pages_ask_browsers_to_send_no_referrer(client, link):
    for name in ("start", "organisation", "sites"):
        response = client.get(link.url(name), follow=True)
        assert response.status_code == 200
        assert response.headers["Referrer-Policy"] == "no-referrer", name


def _csrf_client(link) -> tuple[Client, str]:
    browser = Client(enforce_csrf_checks=True)
    browser.get(link.url("organisation"))
    return browser, browser.cookies["csrftoken"].value


def _post(browser, link, token, world, **headers):
    return browser.post(
        link.url("organisation-autosave"),
        {"version": world.assessment.version, "csrfmiddlewaretoken": token},
        headers=headers,
    )


def test_a_same_origin_form_post_from_a_no_referrer_page_is_accepted(link, world):
    browser, token = _csrf_client(link)
    response = _post(
        browser, link, token, world, Origin="null", **{"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "null", "Sec-Fetch-Site": "same-site"},
        {"Origin": "https://attacker.example", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_a_null_origin_is_refused_unless_the_browser_says_same_origin(link, world, headers):
    browser, token = _csrf_client(link)
    assert _post(browser, link, token, world, **headers).status_code == 403


def test_the_csrf_token_is_still_required_from_a_no_referrer_page(link, world):
    browser, _token = _csrf_client(link)
    response = _post(
        browser, link, "x" * 64, world, Origin="null", **{"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 403
