"""Invite links: token entropy and hashing, expiry, revocation, re-send, sections, staff page."""

import base64
import hashlib
import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment, Change, Status
from invites import services
from invites.models import Invite, InviteSection

pytestmark = pytest.mark.django_db

INVALID_TEXT = "This link is not valid any more"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_token_carries_256_random_bits_and_only_its_hash_is_stored(link):
    raw = base64.urlsafe_b64decode(link.token + "=")
    assert len(raw) * 8 >= 128
    assert len(raw) == 32
    invite = Invite.objects.get(pk=link.invite.pk)
    assert invite.token_hash == hashlib.sha256(link.token.encode()).hexdigest()
    stored = " ".join(str(v) for v in Invite.objects.filter(pk=invite.pk).values().get().values())
    assert link.token not in stored


def test_tokens_do_not_repeat():
    assert len({services.new_token() for _ in range(500)}) == 500


def test_the_link_opens_its_assessment_in_the_partners_branding(client, link, world):
    response = client.get(link.url("start"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hello Priya Patel" in text
    assert "Contoso Manufacturing" in text
    assert world.org.display_name in text
    assert reverse("tenancy:brand-css", args=[world.org.slug]) in text
    # No staff navigation on customer pages.
    assert reverse("assessments:customer-list") not in text
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_unknown_and_malformed_links_get_one_neutral_page(client, world):
    urls = [
        reverse("invite:start", args=[services.new_token()]),  # well-formed, unknown
        reverse("invite:start", args=["short"]),  # malformed
        reverse("invite:sites", args=["x" * 43]),
    ]
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        body = _main(response)
        assert INVALID_TEXT in body
        assert "Ask your contact for a new one." in body
        page = response.content.decode()
        assert "Contoso" not in page and world.org.display_name not in page
        pages.append(body)
    assert len(set(pages)) == 1


def _with_contact_details(world):
    world.org.company_name = "Northwind Voice Partners"
    world.org.contact_email = "hello@northwind.example"
    world.org.contact_phone = "+44 20 7946 0000"
    world.org.website = "https://northwind.example"
    world.org.save()


def test_an_expired_link_names_the_partner_and_how_to_reach_it(client, make_invite, world):
    _with_contact_details(world)
    expired = make_invite(name="Old Link")
    when = timezone.now() - timedelta(days=1)
    Invite.objects.filter(pk=expired.invite.pk).update(expires_at=when)
    response = client.get(expired.url("start"))
    assert response.status_code == 404
    body = _main(response)
    assert INVALID_TEXT in body
    assert "This link expired on" in body
    assert "Ask Northwind Voice Partners for a new one" in body
    assert 'href="mailto:hello@northwind.example"' in body
    assert 'href="tel:+442079460000"' in body and "+44 20 7946 0000" in body
    assert 'href="https://northwind.example"' in body
    assert "Alice Ames" in body and world.owner.email in body  # the sales engineer to ask
    # The customer and what was assessed stay unnamed: a link may have been forwarded.
    assert "Contoso" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_revoked_link_says_the_partner_withdrew_it(client, make_invite, world):
    _with_contact_details(world)
    revoked = make_invite(name="Gone Link")
    services.invite_revoke(invite=revoked.invite, actor=services.Actor.for_user(world.owner))
    response = client.get(revoked.url("organisation"))
    assert response.status_code == 404
    body = _main(response)
    assert "Northwind Voice Partners withdrew this link." in body
    assert "hello@northwind.example" in body
    assert "Contoso" not in response.content.decode()


def test_every_customer_page_names_the_partner_and_its_contact(client, link, world):
    _with_contact_details(world)
    for step in ("start", "organisation", "sites"):
        page = client.get(link.url(step)).content.decode()
        footer = page[page.index("<footer") :]
        assert "Northwind Voice Partners" in footer, step
        assert "hello@northwind.example" in footer and "+44 20 7946 0000" in footer, step
        assert "Alice Ames" in footer, step


def test_posting_to_an_unknown_link_changes_nothing(client, world):
    before = Change.objects.count()
    response = client.post(
        reverse("invite:organisation-autosave", args=[services.new_token()]),
        {"version": world.assessment.version, "current_telephony": "teams"},
    )
    assert response.status_code == 404
    assert Change.objects.count() == before


def test_an_expired_link_stops_working_at_its_expiry(client, link):
    assert client.get(link.url("start")).status_code == 200
    Invite.objects.filter(pk=link.invite.pk).update(expires_at=timezone.now())
    assert client.get(link.url("start")).status_code == 404


def test_the_owner_revokes_a_link_and_it_stops_working(client, login, link, world):
    staff = login(world.owner)
    response = staff.post(
        reverse("invites:invite-revoke", args=[world.assessment.pk]),
        {"invite": link.invite.pk},
        follow=True,
    )
    assert "no longer works" in response.content.decode()
    assert "Revoked" in response.content.decode()
    staff.logout()
    assert client.get(link.url("start")).status_code == 404
    assert Change.objects.filter(object_type="invite", action="revoke").count() == 1


def test_resend_issues_a_new_link_and_the_old_one_dies(client, login, link, world):
    staff = login(world.owner)
    response = staff.post(
        reverse("invites:invite-resend", args=[world.assessment.pk]),
        {"invite": link.invite.pk, "confirmed": "yes"},
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    new_url = re.search(r"http://\S+/i/[A-Za-z0-9_-]{43}/", mail.outbox[0].body).group(0)
    assert new_url in response.content.decode()  # shown once to the SE
    staff.logout()
    assert client.get(link.url("start")).status_code == 404
    path = new_url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200


def test_resend_revives_a_revoked_or_expired_invite(link, world):
    actor = services.Actor.for_user(world.owner)
    services.invite_revoke(invite=link.invite, actor=actor)
    Invite.objects.filter(pk=link.invite.pk).update(expires_at=timezone.now() - timedelta(1))
    issued = services.invite_resend(invite=link.invite, actor=actor, send=False)
    assert services.invite_resolve(issued.token).pk == link.invite.pk
    assert services.invite_resolve(link.token) is None


def test_the_owner_invites_a_contact_sees_the_link_once_and_it_is_emailed(client, login, world):
    staff = login(world.owner)
    url = reverse("invites:invites", args=[world.assessment.pk])
    response = staff.post(
        url,
        {
            "contact_name": "Noor Network",
            "email": "noor@contoso.example",
            "sections": ["sites", "measurements"],
            "valid_days": "10",
        },
    )
    assert response.status_code == 200
    invite = Invite.objects.get(email="noor@contoso.example")
    assert invite.sections == ["sites", "measurements"]
    assert invite.created_by == world.owner
    assert timedelta(days=9) < invite.expires_at - timezone.now() <= timedelta(days=10)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["noor@contoso.example"]
    assert message.reply_to == [world.owner.email]
    assert "Northwind Voice" in message.from_email
    link_url = re.search(r"http://\S+/i/[A-Za-z0-9_-]{43}/", message.body).group(0)
    assert "Hello Noor Network" in message.body
    assert "Your sites" in message.body and "Network measurements" in message.body
    assert "About your organisation" not in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert link_url in html and world.org.primary_colour in html
    assert link_url in response.content.decode()
    assert Invite.objects.get(pk=invite.pk).sent_at is not None
    # Shown once: the list does not carry it again.
    again = staff.get(url)
    assert link_url not in again.content.decode()
    assert "Noor Network" in again.content.decode()


def test_inviting_a_contact_to_a_draft_moves_it_to_with_customer(make_invite, world):
    Assessment.objects.filter(pk=world.assessment.pk).update(status=Status.DRAFT)
    world.assessment.refresh_from_db()
    make_invite()
    world.assessment.refresh_from_db()
    assert world.assessment.status == Status.WITH_CUSTOMER


def test_the_invite_form_explains_what_is_wrong(login, world):
    staff = login(world.owner)
    response = staff.post(
        reverse("invites:invites", args=[world.assessment.pk]),
        {"contact_name": "", "email": "not-an-email", "valid_days": "400"},
    )
    form = response.context["form"]
    assert set(form.errors) == {"contact_name", "email", "sections", "valid_days"}
    assert not Invite.objects.exists()
    assert mail.outbox == []


def test_a_failed_email_keeps_the_invite_and_shows_the_link(login, world, settings):
    settings.MAILERS = {"default": {"BACKEND": "invites.tests.broken_mail.BrokenBackend"}}
    staff = login(world.owner)
    response = staff.post(
        reverse("invites:invites", args=[world.assessment.pk]),
        {
            "contact_name": "Noor",
            "email": "noor@contoso.example",
            "sections": ["sites"],
            "valid_days": "5",
        },
    )
    text = response.content.decode()
    assert "could not be sent" in text
    assert re.search(r"/i/[A-Za-z0-9_-]{43}/", text)
    assert Invite.objects.get().sent_at is None


def test_last_use_is_recorded_and_shown(client, login, link, world):
    assert Invite.objects.get(pk=link.invite.pk).last_used_at is None
    client.get(link.url("sites"))
    invite = Invite.objects.get(pk=link.invite.pk)
    assert invite.last_used_at is not None
    page = login(world.owner).get(reverse("invites:invites", args=[world.assessment.pk]))
    assert "ago" in page.content.decode()


@pytest.mark.parametrize(
    "name, args",
    [
        ("organisation", []),
        ("voice", []),
        ("sites", []),
        ("site-create", []),
        ("sites-upload", []),
        ("measurements", []),
    ],
)
def test_only_the_invited_sections_open(client, make_invite, name, args):
    section_of = {
        "organisation": "organisation",
        "voice": "voice",
        "sites": "sites",
        "site-create": "sites",
        "sites-upload": "sites",
        "measurements": "measurements",
    }
    allowed = make_invite(sections=[section_of[name]])
    others = [s for s in InviteSection.values if s != section_of[name]]
    denied = make_invite(name="Other", sections=others)
    assert client.get(allowed.url(name, *args)).status_code == 200
    response = client.get(denied.url(name, *args))
    assert response.status_code == 404
    assert "not in your invitation" in response.content.decode()


def test_a_sites_only_contact_cannot_post_organisation_answers(client, make_invite, world):
    only_sites = make_invite(sections=["sites"])
    version = world.assessment.version
    response = client.post(
        only_sites.url("organisation-autosave"),
        {"version": version, "current_telephony": "teams"},
    )
    assert response.status_code == 404
    world.assessment.refresh_from_db()
    assert world.assessment.current_telephony == "unknown"
    assert world.assessment.version == version


def test_the_progress_lists_only_the_invited_steps(client, make_invite):
    only_sites = make_invite(sections=["sites"])
    text = client.get(only_sites.url("sites")).content.decode()
    assert "1 of 2" in text and "minute" in text
    assert "About your organisation" not in text
    assert "Review and submit" in text
