"""Re-sending an invite asks first: the old link keeps working until the sender confirms."""

from django.core import mail
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def _resend(staff, world, link, **extra):
    url = reverse("invites:invite-resend", args=[world.assessment.pk])
    return staff.post(url, {"invite": link.invite.pk, **extra})


def test_resend_without_confirming_asks_and_keeps_the_old_link(client, login, link, world):
    staff = login(world.owner)
    page = _resend(staff, world, link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Their current link stops working at once" in body
    assert 'name="confirmed" value="yes"' in body
    assert len(mail.outbox) == 0
    staff.logout()
    assert client.get(link.url("start")).status_code == 200  # still the customer's way in


def test_resend_once_confirmed_makes_a_new_link(client, login, link, world):
    staff = login(world.owner)
    page = _resend(staff, world, link, confirmed="yes")
    assert "The previous link of this contact no longer works." in page.content.decode()
    assert len(mail.outbox) == 1
    staff.logout()
    assert client.get(link.url("start")).status_code == 404


def test_the_invite_list_asks_in_the_browser_before_re_sending(login, link, world):
    page = login(world.owner).get(reverse("invites:invites", args=[world.assessment.pk]))
    assert 'data-confirm="Send ' in page.content.decode()
    assert "current link stops working" in page.content.decode()
