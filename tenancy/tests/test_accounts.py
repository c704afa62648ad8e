"""Logging in: lockout after repeated failures, password reset by email, session expiry."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_wrong_passwords_lock_the_login_even_with_the_right_one(client, world):
    for _ in range(2):
        response = _login(client, "alice", "wrong password")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    locked = _login(client, "alice", "wrong password")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    # The right password does not get through while the lockout lasts.
    assert _login(client, "alice", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_lockout_does_not_lock_out_other_users(client, world):
    for _ in range(3):
        _login(client, "alice", "wrong password")
    response = _login(client, "bob", PASSWORD)
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_success_resets_the_count(client, world):
    _login(client, "alice", "wrong password")
    _login(client, "alice", "wrong password")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.logout()
    _login(client, "alice", "wrong password")
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, world):
    world.owner.email = "alice@northwind.example"
    world.owner.save()
    response = client.post(reverse("password_reset"), {"email": "alice@northwind.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@northwind.example"]
    assert "reset the password" in message.body
    link = re.search(r"http\S+/accounts/reset/\S+/", message.body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "a-much-better-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    world.owner.refresh_from_db()
    assert world.owner.check_password(new)


def test_password_reset_does_not_say_whether_an_address_exists(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_or_bad_reset_link_says_so(client, world):
    page = client.get("/accounts/reset/MQ/bad-token/", follow=True)
    assert "does not work any more" in page.content.decode()


def test_login_page_offers_the_reset(client):
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
