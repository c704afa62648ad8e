"""Every URL of the project × every kind of visitor, with the outcome each must get.

Visitors: anonymous; organisation A's owner SE, a teammate SE, a manager and an admin;
organisation B's SE (the outsider); a customer contact invited to assessment X (A's), and
one invited to another assessment (B's). Outcomes: "ok" (allowed: 2xx/3xx, or a refusal of
the empty form), "login" (302 to the login page), 401, 403, 404. A server error fails.

Every URL name must have a row in ROWS: adding a URL without deciding who may use it fails
``test_every_url_has_a_row``.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest

from api.models import ApiToken
from assessments.models import Scenario
from assessments.services.assessments import site_create
from assessments.services.undo import site_remove
from assessments.services.versioning import Actor
from deals.models import SavedFilter
from invites.models import InviteSection
from invites.services import invite_create
from proposals.models import Proposal
from tests.factories import sign_in_of

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "owner", "teammate", "manager", "admin", "outsider", "invitee", "other"]

# What each kind of URL allows, visitor by visitor (same order as VISITORS).
PUBLIC = dict.fromkeys(VISITORS, "ok")
MEMBER = {
    **dict.fromkeys(VISITORS, "ok"),
    "anonymous": "login",
    "invitee": "login",
    "other": "login",
}
OBJECT = {**MEMBER, "outsider": "404"}
OWNER_OR_MANAGER = {**OBJECT, "teammate": "403"}
# Found through a queryset of what the member may edit: a teammate finds nothing there.
OWNER_OR_MANAGER_FINDS = {**OBJECT, "teammate": "404"}
MANAGER = {**MEMBER, "owner": "403", "teammate": "403", "outsider": "403"}
ADMIN = {**MANAGER, "manager": "403"}
# A manager's saved pipeline view: another manager of the same partner finds nothing.
OWN_VIEW = {**MANAGER, "admin": "404"}
OWN_TOKEN = {**MEMBER, "teammate": "404", "manager": "404", "admin": "404", "outsider": "404"}
API = {**dict.fromkeys(VISITORS, "ok"), "anonymous": "401", "invitee": "401", "other": "401"}
API_OBJECT = {**API, "outsider": "404"}
# Invite pages: the link is the credential. Staff sessions do not open them (they try a
# made-up token); the other invitee tries its own link with X's objects.
INVITE = {**dict.fromkeys(VISITORS, "404"), "invitee": "ok", "other": "ok-not-x"}
INVITE_OBJECT = {**INVITE, "other": "404"}
# A customer's proposal link: the link is the credential ("invitee" holds it); everyone else
# tries a made-up token.
PROPOSAL_LINK = {**dict.fromkeys(VISITORS, "404"), "invitee": "ok"}
# A reminder's signed "stop reminders" link: the signature is the credential ("invitee"
# holds X's); everyone else tries a tampered one.
REMINDER_STOP = {**dict.fromkeys(VISITORS, "404"), "invitee": "ok"}

ROWS = {
    "login": PUBLIC,
    "logout": dict.fromkeys(VISITORS, "login"),  # logging out lands on the login page
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "healthz": PUBLIC,
    "service-worker": PUBLIC,
    "tenancy:brand-css": PUBLIC,
    "tenancy:brand-logo-public": PUBLIC,
    "assessments:dashboard": MEMBER,
    "assessments:customer-list": MEMBER,
    "assessments:customer-create": MEMBER,
    "assessments:assessment-create": MEMBER,
    "tokens:list": MEMBER,
    "tenancy:profile": MEMBER,
    "tenancy:password-change": MEMBER,
    "tenancy:session-sign-out": OWN_TOKEN,  # the owner's own other session
    "tenancy:sessions-sign-out-others": MEMBER,
    "tenancy:brand-logo": MEMBER,
    # Every member reads the price book (its figures are in every proposal); a non-admin's
    # save is refused with 403 (costs/tests/test_price_book_pages.py).
    "costs:price-book": MEMBER,
    "costs:price-book-history": MEMBER,
    "tokens:revoke": OWN_TOKEN,
    "assessments:customer-update": OBJECT,
    "assessments:assessment-detail": OBJECT,
    "assessments:assessment-update": OBJECT,
    "assessments:assessment-clone": OBJECT,
    "assessments:assessment-delete": OWNER_OR_MANAGER,
    "assessments:results": OBJECT,
    "assessments:site-result": OBJECT,
    "assessments:scenarios": OBJECT,
    "assessments:scenario": OBJECT,
    "assessments:scenario-change-add": OBJECT,
    "assessments:scenario-change-remove": OBJECT,
    "assessments:scenario-promote": OBJECT,
    "assessments:scenario-circuit-add": OBJECT,
    "assessments:scenario-site-add": OBJECT,
    "assessments:undo": OBJECT,
    "assessments:scenario-delete": OBJECT,
    "proposals:proposal": OBJECT,
    "proposals:proposal-status": OBJECT,
    "proposals:proposal-preview": OBJECT,
    "proposals:proposal-preview-prepare": OBJECT,
    "proposals:proposal-preview-status": OBJECT,
    "proposals:proposal-issue": OBJECT,
    "proposals:proposal-retry": OBJECT,
    "proposals:proposal-download": OBJECT,
    "proposals:proposal-annex": OBJECT,
    "proposals:proposal-annex-retry": OBJECT,
    "proposals:proposal-compare": OBJECT,
    "proposals:proposal-link-create": OWNER_OR_MANAGER,
    "proposals:proposal-story": OWNER_OR_MANAGER_FINDS,
    "proposals:proposal-link-revoke": OWNER_OR_MANAGER,
    "proposal-link:view": PROPOSAL_LINK,
    "proposal-link:download": PROPOSAL_LINK,
    "proposal-link:decide": PROPOSAL_LINK,
    "proposal-link:brand-css": PROPOSAL_LINK,
    "assessments:pipeline": MANAGER,
    "assessments:pipeline-csv": MANAGER,
    "deals:deal": OBJECT,
    "deals:saved-filter-save": MANAGER,
    "deals:saved-filter-delete": OWN_VIEW,
    "assessments:questionnaire": OBJECT,
    "assessments:questionnaire-autosave": OBJECT,
    "assessments:site-grid": OBJECT,
    "assessments:site-row-create": OBJECT,
    "assessments:site-bulk-set": OBJECT,
    "assessments:site-grid-paste": OBJECT,
    "assessments:site-grid-undo": OBJECT,
    "assessments:site-row": OBJECT,
    "assessments:live-summary": OBJECT,
    "assessments:site-row-save": OBJECT,
    "assessments:site-create": OBJECT,
    "assessments:site-update": OBJECT,
    "assessments:site-clone": OBJECT,
    "assessments:site-delete": OBJECT,
    "imports:site-import": OBJECT,
    "imports:site-import-template-csv": OBJECT,
    "imports:site-import-template-xlsx": OBJECT,
    "imports:site-import-preview": OBJECT,
    "imports:site-import-commit": OBJECT,
    "imports:site-import-rejected": OBJECT,
    "imports:site-import-discard": OBJECT,
    "imports:site-export-csv": OBJECT,
    "imports:site-export-xlsx": OBJECT,
    "imports:site-measurements": OBJECT,
    "imports:measurement-upload": OBJECT,
    "imports:measurement-paste": OBJECT,
    "tenancy:organisation-settings": ADMIN,
    "tenancy:country-facts": ADMIN,
    "tenancy:branding-preview": ADMIN,
    "tenancy:member-list": ADMIN,
    "tenancy:organisation-activity": ADMIN,
    "tenancy:member-update": ADMIN,
    "invites:invites": OBJECT,
    "invites:invite-revoke": OBJECT,
    "invites:invite-resend": OBJECT,
    "invites:assessment-reopen": OBJECT,
    "invites:invite-reminders": OBJECT,
    "invites:reminder-policy": ADMIN,
    "invites:reminders-stop": REMINDER_STOP,
    "assessments:activity": OBJECT,
    "api:score": API,
    "api:assessment-create": API,
    "api:assessment-document": API_OBJECT,
    "api:assessment-results": API_OBJECT,
    "invite:start": INVITE,
    "invite:organisation": INVITE,
    "invite:organisation-autosave": INVITE,
    "invite:voice": INVITE,
    "invite:voice-autosave": INVITE,
    "invite:sites": INVITE,
    "invite:site-create": INVITE,
    "invite:sites-upload": INVITE,
    "invite:sites-upload-template": INVITE,
    "invite:sites-upload-preview": INVITE,
    "invite:sites-upload-rejected": INVITE,
    "invite:sites-upload-confirm": INVITE,
    "invite:sites-upload-discard": INVITE,
    "invite:site-update": INVITE_OBJECT,
    "invite:site-autosave": INVITE_OBJECT,
    "invite:site-delete": INVITE_OBJECT,
    "invite:measurements": INVITE,
    "invite:measurements-site": INVITE_OBJECT,
    "invite:measurement-upload": INVITE_OBJECT,
    "invite:measurement-figures": INVITE_OBJECT,
    "invite:review": INVITE,
    "invite:submit": INVITE,
    "invite:results": INVITE,
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da"
    "63f8cfc0f01f0005000201a5d6e1c10000000049454e44ae426082"
)
# Django's own support admin has its own permission system (staff users only).
EXCLUDED_NAMESPACES = {"admin"}


def _patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(filter(None, [namespace, p.namespace])) if p.namespace else namespace
            yield from _patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


ALL = {
    name: pattern
    for name, pattern in _patterns(get_resolver().url_patterns)
    if name.split(":")[0] not in EXCLUDED_NAMESPACES
}


def test_every_url_has_a_row():
    missing = sorted(set(ALL) - set(ROWS))
    stale = sorted(set(ROWS) - set(ALL))
    assert not missing, f"Decide who may use these URLs and add their rows: {missing}"
    assert not stale, f"These rows name URLs that no longer exist: {stale}"


class Scene:
    """The world plus what the visitors need: API tokens, invites, a proposal."""

    def __init__(self, world):
        self.world = world
        self.tokens = {
            who: ApiToken.issue(user=user, name="matrix")[1]
            for who, user in {
                "owner": world.owner,
                "teammate": world.teammate,
                "manager": world.manager,
                "admin": world.admin,
                "outsider": world.outsider,
            }.items()
        }
        expires = timezone.now() + timedelta(days=7)
        sections = list(InviteSection.values)
        self.invite_x = invite_create(
            assessment=world.assessment, contact_name="Xena", email="x@example.com",
            sections=sections, expires_at=expires, actor=Actor.for_user(world.owner), send=False,
        ).token  # fmt: skip
        self.invite_other = invite_create(
            assessment=world.other_assessment, contact_name="Yves", email="y@example.com",
            sections=sections, expires_at=expires, actor=Actor.for_user(world.outsider),
            send=False,
        ).token  # fmt: skip
        self.owner_token_pk = ApiToken.objects.get(user=world.owner).pk
        self.owner_sign_in_pk = sign_in_of(world.owner).pk
        self.scenario = Scenario.objects.create(
            assessment=world.assessment,
            name="Backups",
            changes=[{"scope": "sites", "field": "lte_backup", "value": "yes", "sites": []}],
        )
        # A site removed, so that there is a removal to take back.
        spare = site_create(
            assessment=world.assessment,
            fields={"name": "Spare room", "country": "DE"},
            actor=Actor.for_user(world.owner),
        )
        self.undo_pk = site_remove(
            site=spare, base_version=None, actor=Actor.for_user(world.owner)
        ).pk
        self.saved_pk = SavedFilter.objects.create(
            organisation=world.org, user=world.manager, name="Won", query="stage=won"
        ).pk
        for org in (world.org, world.other_org):  # both partners have a logo to serve
            org.logo.save("logo.png", ContentFile(PNG), save=True)

    def prepare(self, name: str) -> dict:
        """State some URLs need to do their job, and the form they post."""
        w = self.world
        if name in {"invites:invite-revoke", "invites:invite-resend", "invites:invite-reminders"}:
            from invites.models import Invite

            return {"invite": Invite.objects.get(assessment=w.assessment).pk}
        if name == "proposals:proposal-link-revoke":
            return {"link": self.proposal_link()[0].pk}
        if name.startswith("proposals:proposal-") and name != "proposals:proposal-issue":
            from proposals.services import proposal_issue, proposal_render

            for _ in range(2):  # two versions, so there is something to compare
                proposal = proposal_issue(assessment=w.assessment, user=w.owner)
            if name == "proposals:proposal-download":
                proposal_render(proposal_id=proposal.pk)
            if name == "proposals:proposal-annex":
                from proposals.services import annex_render

                annex_render(annex_id=proposal.annexes.get(kind="xlsx").pk)
            return {"version": proposal.number}
        return {}

    def proposal_link(self):
        """A customer link to a ready version of X's proposal (a small real PDF, not rendered)."""
        import hashlib
        import io

        from pypdf import PdfWriter

        from proposals.links import link_create, link_expiry
        from proposals.services import proposal_issue

        if not hasattr(self, "_proposal_link"):
            proposal = proposal_issue(assessment=self.world.assessment, user=self.world.owner)
            writer, out = PdfWriter(), io.BytesIO()
            writer.add_blank_page(width=595, height=842)
            writer.write(out)
            data = out.getvalue()
            proposal.pdf.save("proposal.pdf", ContentFile(data), save=False)
            proposal.sha256, proposal.size, proposal.status = (
                hashlib.sha256(data).hexdigest(), len(data), "ready",
            )  # fmt: skip
            proposal.save(update_fields=["pdf", "sha256", "size", "status", "updated_at"])
            shared = link_create(
                proposal=proposal, contact_name="Xena", email="x@example.com",
                expires_at=link_expiry(7), actor=Actor.for_user(self.world.owner),
            )  # fmt: skip
            self._proposal_link = (shared.link, shared.token)
        return self._proposal_link

    def kwargs(self, name: str, visitor: str) -> dict:
        w = self.world
        converters = ALL[name].pattern.converters
        values = {
            "pk": w.customer.pk if name.endswith("customer-update") else w.assessment.pk,
            "site_pk": w.hq.pk,
            "member_pk": w.teammate.membership.pk,
            "token_pk": self.owner_token_pk,
            "sign_in_pk": self.owner_sign_in_pk,
            "scenario_pk": self.scenario.pk,
            "undo_pk": self.undo_pk,
            "saved_pk": self.saved_pk,
            "slug": w.org.slug,
            "uidb64": "MQ",
        }
        if name.startswith("invite:"):
            values["token"] = {"invitee": self.invite_x, "other": self.invite_other}.get(
                visitor, "made-up-token-" + "x" * 30
            )
        elif name.startswith("proposal-link:"):
            made_up = "made-up-token-" + "x" * 29
            values["token"] = self.proposal_link()[1] if visitor == "invitee" else made_up
        elif name == "invites:reminders-stop":
            from invites.models import Invite
            from invites.reminders import stop_url

            signed = stop_url(Invite.objects.get(assessment=w.assessment)).rstrip("/")
            signed = signed.rsplit("/", 1)[1]
            values["signed"] = signed if visitor == "invitee" else signed[:-2] + "xx"
        elif name == "password_reset_confirm":
            values["token"] = "set-password"
        unknown = set(converters) - set(values)
        assert not unknown, f"{name}: teach Scene.kwargs which object fills {sorted(unknown)}"
        return {key: values[key] for key in converters}

    def client(self, visitor: str) -> Client:
        client = Client(raise_request_exception=False)
        user = {
            "owner": self.world.owner,
            "teammate": self.world.teammate,
            "manager": self.world.manager,
            "admin": self.world.admin,
            "outsider": self.world.outsider,
        }.get(visitor)
        if user is not None:
            client.force_login(user)
        return client


def outcome(response) -> str:
    code = response.status_code
    assert code < 500, f"server error {code}"
    if code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if code in (401, 403, 404):
        return str(code)
    return "ok"


@pytest.fixture
def scene(world):
    return Scene(world)


def _cases():
    for name in sorted(ROWS):
        for visitor in VISITORS:
            yield pytest.param(name, visitor, id=f"{name}-{visitor}")


@pytest.mark.parametrize("name, visitor", list(_cases()))
def test_permission_matrix(scene, name, visitor):
    if name not in ALL:
        pytest.fail(f"{name} has a row but no URL")
    expected = ROWS[name][visitor]
    url = reverse(name, kwargs=scene.kwargs(name, visitor))
    form = scene.prepare(name)
    client = scene.client(visitor)
    headers = {}
    if name.startswith("api:") and visitor in scene.tokens:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {scene.tokens[visitor]}"
    response = client.get(url, **headers)
    if response.status_code == 405:  # a POST-only view: post its form (empty for most)
        response = client.post(url, form, **headers)
    got = outcome(response)
    if expected == "ok-not-x":
        assert got == "ok", (name, visitor, got)
        body = response.content.decode("utf-8", "replace")
        assert scene.world.customer.name not in body
        assert scene.world.branch.name not in body
    else:
        assert got == expected, f"{name} for {visitor}: got {got}, expected {expected}"
    if (
        visitor in {"outsider", "other"}
        and got == "ok"
        and not name.startswith(("api:", "invite:"))
    ):
        body = response.content.decode("utf-8", "replace")
        assert scene.world.customer.name not in body, f"{name} shows A's customer to {visitor}"


def test_a_version_of_another_organisations_proposal_is_404(client, world):
    from proposals.services import proposal_issue

    proposal_issue(assessment=world.assessment, user=world.owner)
    assert Proposal.objects.filter(assessment=world.assessment).count() == 1
    client.force_login(world.outsider)
    url = reverse("proposals:proposal-download", args=[world.assessment.pk])
    assert client.get(url + "?version=1").status_code == 404
