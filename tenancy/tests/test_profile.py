"""A member's profile: name and email, password change, where they are signed in, logging out."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from tenancy.models import SignIn
from tenancy.services.account import device_label
from tests.factories import PASSWORD, messages_of

pytestmark = pytest.mark.django_db

PROFILE = reverse("tenancy:profile")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"
)


def browser(user_agent: str, username: str = "alice", password: str = PASSWORD) -> Client:
    """A browser that logged in through the login page (as people do, not force_login)."""
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (EDGE_MAC, "Edge on macOS"),
        ("", "Unknown browser"),
    ],
)
def test_a_session_is_named_by_its_browser_and_system(agent, label):
    assert device_label(agent) == label


def test_clicking_your_name_opens_the_profile_with_the_api_tokens_beside_it(world):
    page = browser(FIREFOX_WINDOWS).get(reverse("assessments:dashboard")).content.decode()
    assert f'href="{PROFILE}"' in page.split("Alice Ames")[0].rsplit("<a ", 1)[1]
    profile = browser(FIREFOX_WINDOWS).get(PROFILE)
    assertContains(profile, 'value="alice@example.com"')
    assertContains(profile, f'href="{reverse("tokens:list")}"')


def test_name_and_email_are_saved(world):
    client = browser(FIREFOX_WINDOWS)
    data = {"first_name": "Alicia", "last_name": "Ames-Ng", "email": "alicia@northwind.example"}
    response = client.post(PROFILE, data, follow=True)
    assertRedirects(response, PROFILE)
    assert "Your details are saved." in messages_of(response)
    world.owner.refresh_from_db()
    assert (world.owner.first_name, world.owner.last_name, world.owner.email) == (
        "Alicia",
        "Ames-Ng",
        "alicia@northwind.example",
    )
    assert "Alicia Ames-Ng" in response.content.decode()  # the header follows


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("alice-at-northwind", "Enter a valid email address."),
        ("", "This field is required."),
        ("MARIA@example.com", "Another account uses this email address."),
    ],
)
def test_a_bad_or_taken_email_is_refused_and_nothing_saved(world, email, error):
    before = world.owner.email
    response = browser(FIREFOX_WINDOWS).post(
        PROFILE, {"first_name": "Changed", "last_name": "", "email": email}
    )
    assert response.status_code == 200
    assertContains(response, error)
    world.owner.refresh_from_db()
    assert (world.owner.first_name, world.owner.email) == ("Alice", before)


def test_the_profile_lists_every_browser_signed_in_and_marks_this_one(world):
    browser(SAFARI_IPHONE)
    browser(EDGE_MAC, username="bob")  # someone else's session is not listed
    page = browser(FIREFOX_WINDOWS).get(PROFILE).content.decode()
    listed = page.split('id="sessions"')[1]
    assert 'Firefox on Windows <span class="badge text-bg-success">This browser' in listed
    assert "Safari on iPhone" in listed and "Edge on macOS" not in listed
    assert listed.index("Firefox on Windows") < listed.index("Safari on iPhone")
    assert "Sign out other sessions (1)" in listed


def test_signing_out_one_session_ends_it_and_keeps_this_one(world):
    phone = browser(SAFARI_IPHONE)
    laptop = browser(FIREFOX_WINDOWS)
    bobs = browser(EDGE_MAC, username="bob")
    phone_row = SignIn.objects.get(user=world.owner, user_agent=SAFARI_IPHONE)
    bobs_row = SignIn.objects.get(user=world.teammate)

    # Another member's session is not found, and goes on working.
    url = reverse("tenancy:session-sign-out", args=[bobs_row.pk])
    assert laptop.post(url).status_code == 404
    assert bobs.get(PROFILE).status_code == 200

    response = laptop.post(reverse("tenancy:session-sign-out", args=[phone_row.pk]), follow=True)
    assert "That session is signed out." in messages_of(response)
    assert phone.get(PROFILE)["Location"].startswith(reverse("login"))
    assert laptop.get(PROFILE).status_code == 200
    # An ended session is gone from the list (a second click finds nothing).
    assert laptop.post(reverse("tenancy:session-sign-out", args=[phone_row.pk])).status_code == 404
    # Its own row cannot be signed out from the list: the page's Log out does that.
    own = SignIn.objects.get(user=world.owner)
    mine = laptop.post(reverse("tenancy:session-sign-out", args=[own.pk]), follow=True)
    assert "This is the browser you are using: Log out ends it." in messages_of(mine)
    assert laptop.get(PROFILE).status_code == 200


def test_sign_out_other_sessions_ends_all_but_this_one(world):
    others = [browser(SAFARI_IPHONE), browser(EDGE_MAC)]
    bobs = browser(EDGE_MAC, username="bob")
    laptop = browser(FIREFOX_WINDOWS)
    response = laptop.post(reverse("tenancy:sessions-sign-out-others"), follow=True)
    assert "Signed out of 2 other sessions." in messages_of(response)
    for client in others:
        assert client.get(PROFILE).status_code == 302
    assert laptop.get(PROFILE).status_code == 200
    assert bobs.get(PROFILE).status_code == 200


def test_a_password_change_follows_the_strength_rules(world):
    laptop = browser(FIREFOX_WINDOWS)
    weak = {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    response = laptop.post(reverse("tenancy:password-change"), weak)
    assert response.status_code == 200
    assertContains(response, "This password is too short.")
    assertContains(response, "This password is entirely numeric.")
    wrong = {"old_password": "not it", "new_password1": "x", "new_password2": "x"}
    assertContains(laptop.post(reverse("tenancy:password-change"), wrong), "incorrectly")
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)


def test_a_password_change_keeps_this_browser_and_signs_out_the_others(world):
    phone = browser(SAFARI_IPHONE)
    laptop = browser(FIREFOX_WINDOWS)
    new = "violet-lantern-harbour-42"
    response = laptop.post(
        reverse("tenancy:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assertRedirects(response, PROFILE)
    assert "Your password is changed. Signed out of 1 other session." in messages_of(response)
    world.owner.refresh_from_db()
    assert world.owner.check_password(new)
    assert laptop.get(PROFILE).status_code == 200
    assert phone.get(PROFILE).status_code == 302
    # This browser is still listed (its session got a new key with the new password).
    assert "This browser" in laptop.get(PROFILE).content.decode()
    assert SignIn.objects.filter(user=world.owner).count() == 1


def test_logging_out_says_so_on_the_login_page_and_ends_the_session(world):
    laptop = browser(FIREFOX_WINDOWS)
    key = laptop.session.session_key
    response = laptop.post(reverse("logout"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "You are logged out." in messages_of(response)
    assertContains(response, "You are logged out.")
    assert not Session.objects.filter(session_key=key).exists()
    assert not SignIn.objects.filter(user=world.owner).exists()
    # A second log-out (another tab) says nothing it cannot know.
    again = laptop.post(reverse("logout"), follow=True)
    assert "You are logged out." not in messages_of(again)


def test_sessions_a_password_reset_ended_are_not_listed(world):
    phone = browser(SAFARI_IPHONE)
    laptop = browser(FIREFOX_WINDOWS)
    # A reset by email (no request of these browsers) changes the password.
    world.owner.set_password("quartz-meadow-lantern-7")
    world.owner.save()
    assert phone.get(PROFILE).status_code == 302  # Django ended it
    fresh = browser(EDGE_MAC, password="quartz-meadow-lantern-7")
    listed = fresh.get(PROFILE).content.decode().split('id="sessions"')[1]
    assert "Edge on macOS" in listed
    assert "Firefox on Windows" not in listed and "Safari on iPhone" not in listed
    assert laptop.get(PROFILE).status_code == 302
