"""Every page of the portal, staff and customer, fits a 375 px phone and passes axe-core.

The pages are listed from the URLconf (the permission matrix's list), so a new page is
measured the day it is added; only what cannot render alone as a page is skipped, each
with its reason. The partner has a wide logo uploaded: a logo once made every staff page
wider than the phone. Each page is measured at 375 px (``scrollWidth`` of the document,
which counts anything that makes the page scroll sideways) and checked with axe-core at
375 and 1366 px.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

import pytest
from PIL import Image

from assessments.services.versioning import Actor
from imports.services import site_lists as import_services
from proposals.links import link_create
from proposals.services import proposal_issue, proposal_render
from tests.browser.conftest import login
from tests.browser.test_customer_journey import assert_accessible
from tests.factories import PASSWORD
from tests.test_permission_matrix import ALL, API, API_OBJECT, OWN_TOKEN, PUBLIC, ROWS, Scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 375
DESKTOP = 1366

_POST_ONLY = "accepts only a form's POST: it answers with a redirect or a fragment, no page"
_FILE = "a file download, not a page"
SKIPS = {
    "logout": _POST_ONLY,
    "healthz": "a load balancer's probe (plain text)",
    "tenancy:brand-css": "the partner's stylesheet, not a page",
    "tenancy:brand-logo-public": "the partner's logo image",
    "tenancy:brand-logo": "the partner's logo image",
    "tokens:revoke": _POST_ONLY,
    "tenancy:member-update": _POST_ONLY,
    "tenancy:branding-preview": "the branding preview PDF",
    "password_reset_confirm": "needs a reset link from an email (the 'link not valid' page "
    "is the password reset page's own template)",
    "assessments:assessment-delete": _POST_ONLY,
    "assessments:assessment-clone": _POST_ONLY,
    "assessments:questionnaire-autosave": _POST_ONLY,
    "assessments:live-summary": "a fragment swapped into the sites grid",
    "assessments:site-row": "a fragment swapped into the sites grid",
    "assessments:site-row-save": _POST_ONLY,
    "assessments:site-row-create": _POST_ONLY,
    "assessments:site-bulk-set": _POST_ONLY,
    "assessments:site-grid-paste": _POST_ONLY,
    "assessments:site-grid-undo": _POST_ONLY,
    "assessments:site-delete": _POST_ONLY,
    "assessments:site-clone": _POST_ONLY,
    "assessments:undo": _POST_ONLY,
    "assessments:scenario-change-add": _POST_ONLY,
    "assessments:scenario-change-remove": _POST_ONLY,
    "assessments:scenario-promote": _POST_ONLY,
    "assessments:scenario-circuit-add": _POST_ONLY,
    "assessments:scenario-site-add": _POST_ONLY,
    "assessments:scenario-delete": _POST_ONLY,
    "assessments:pipeline-csv": _FILE,
    "imports:site-import-template-csv": _FILE,
    "imports:site-import-template-xlsx": _FILE,
    "imports:site-import-commit": _POST_ONLY,
    "imports:site-import-rejected": _FILE,
    "imports:site-import-discard": _POST_ONLY,
    "imports:site-export-csv": _FILE,
    "imports:site-export-xlsx": _FILE,
    "imports:measurement-upload": _POST_ONLY,
    "imports:measurement-paste": _POST_ONLY,
    "invites:invite-revoke": _POST_ONLY,
    "invites:invite-resend": "its confirmation page answers a POST from the invites page",
    "invites:assessment-reopen": _POST_ONLY,
    "invites:invite-reminders": _POST_ONLY,
    "proposals:proposal-status": "a fragment polled by the proposal page",
    "proposals:proposal-preview": "the draft PDF",
    "proposals:proposal-preview-prepare": _POST_ONLY,
    "proposals:proposal-preview-status": "a fragment polled by the proposal page",
    "proposals:proposal-issue": _POST_ONLY,
    "proposals:proposal-story": _POST_ONLY,
    "proposals:proposal-retry": _POST_ONLY,
    "proposals:proposal-download": "the issued PDF",
    "proposals:proposal-annex": "an annex file (XLSX or CSV)",
    "proposals:proposal-annex-retry": _POST_ONLY,
    "invite:organisation-autosave": _POST_ONLY,
    "invite:voice-autosave": _POST_ONLY,
    "invite:site-autosave": _POST_ONLY,
    "invite:site-delete": _POST_ONLY,
    "invite:sites-upload-template": _FILE,
    "invite:sites-upload-rejected": _FILE,
    "invite:sites-upload-confirm": _POST_ONLY,
    "invite:sites-upload-discard": _POST_ONLY,
    "invite:measurement-upload": _POST_ONLY,
    "invite:measurement-figures": _POST_ONLY,
    "invite:submit": _POST_ONLY,
    "invite:results": "measured once the questionnaire is closed (see the end of the walk)",
    "deals:saved-filter-save": _POST_ONLY,
    "tenancy:password-change": "answers the profile page's password form (POST)",
    "tenancy:session-sign-out": _POST_ONLY,
    "tenancy:sessions-sign-out-others": _POST_ONLY,
    "service-worker": "a script, not a page",
    "deals:saved-filter-delete": _POST_ONLY,
    "proposals:proposal-link-create": _POST_ONLY,
    "proposals:proposal-link-revoke": _POST_ONLY,
    "proposal-link:decide": _POST_ONLY,
    "proposal-link:download": "a PDF file, not a page",
    "proposal-link:brand-css": "a stylesheet, not a page",
    "proposal-link:view": "measured through a real link to a rendered version (at the end)",
}
# Where the page the URL names answers at another address by design (e.g. the start page
# resumes where the contact stopped); only the page's own path is compared otherwise.
REDIRECTS = {"invite:start"}


def wide_logo() -> bytes:
    """A 600 × 120 PNG: a wide wordmark, as partners upload them."""
    out = io.BytesIO()
    Image.new("RGB", (600, 120), (20, 60, 140)).save(out, "PNG")
    return out.getvalue()


def visitor_for(name: str) -> str:
    """Who opens the page: the contact for invite pages, else a member allowed to see it."""
    row = ROWS[name]
    if name.startswith("invite:"):
        return "invitee"
    if row is PUBLIC:
        return "anonymous"
    if row is OWN_TOKEN:
        return "owner"
    return "admin"  # an admin may open every member page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The outermost elements that reach past the phone's edge, to name in a failure.
WIDE_ELEMENTS = """(limit) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= limit + 0.5 || !box.width) continue;
    const parent = el.parentElement.getBoundingClientRect();
    if (parent.right > limit + 0.5 && el.parentElement !== document.body) continue;
    const classes = typeof el.className === 'string' ? el.className.trim() : '';
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (classes ? '.' + classes.split(/\\s+/).join('.') : '') +
      ' (' + Math.round(box.right) + ' px)');
    if (out.length === 5) break;
  }
  return out;
}"""


def check(page, url: str, label: str, *, widths=(PHONE, DESKTOP), axe: bool = True) -> list[str]:
    """Open ``url`` at each width: the document fits 375 px and axe finds nothing serious."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{label}: {response}"
        if width == PHONE:
            measured = page_width(page)
            if measured > PHONE:
                wide = ", ".join(page.evaluate(WIDE_ELEMENTS, PHONE))
                problems.append(f"{label} is {measured} px wide at {PHONE} px: {wide}")
        try:
            if axe:
                assert_accessible(page, f"{label} at {width} px")
        except AssertionError as exc:
            problems.append(str(exc))
    return problems


def test_every_page_fits_a_phone_and_passes_axe(new_page, live_server, world):
    scene = Scene(world)
    # A long brand name beside a wide logo: the hardest header to fit.
    world.org.company_name = "Northwind Voice Partners International"
    world.org.logo.save("wordmark.png", ContentFile(wide_logo()), save=True)
    # Waiting uploads, so both previews show rows rather than "upload a file first".
    csv = b"Site,Country,City,Users\nMilan,IT,Milan,40\nStuttgart HQ,DE,Stuttgart,900\n"
    parsed = import_services.parse_site_file(data=csv, file_name="sites.csv")
    import_services.pending_import_create(
        assessment=world.assessment, file_name="sites.csv", parsed=parsed, user=world.admin
    )
    invite = world.assessment.invites.get()
    import_services.pending_import_create(
        assessment=world.assessment, file_name="sites.csv", parsed=parsed, invite=invite
    )

    pages = {visitor: new_page(PHONE, 800) for visitor in ("anonymous", "owner", "admin")}
    login(pages["owner"], live_server, world.owner.username, PASSWORD)
    login(pages["admin"], live_server, world.admin.username, PASSWORD)
    pages["invitee"] = pages["anonymous"]

    measured, problems, staff_pages = [], [], []
    issued = False
    # The customer's pages first: an issued proposal closes the questionnaire.
    for name in sorted(ALL, key=lambda n: (not n.startswith("invite:"), n)):
        if name in SKIPS or ROWS[name] in (API, API_OBJECT):
            continue
        if not issued and not name.startswith("invite:"):
            for _ in range(2):  # two versions, so the proposal page lists and compares them
                proposal_issue(assessment=world.assessment, user=world.owner)
            issued = True
        visitor = visitor_for(name)
        kwargs = scene.kwargs(name, visitor)
        url = live_server.url + reverse(name, kwargs=kwargs)
        page = pages[visitor]
        problems += check(page, url, name)
        if name not in REDIRECTS and page.url.split("?")[0] != url:
            problems.append(f"{name} answered with {page.url}, not its own page")
        measured.append(name)
        if not name.startswith("invite:"):
            staff_pages.append((page, url, name))

    # A page that only a state shows: the link that does not work.
    problems += check(pages["anonymous"], live_server.url + "/i/" + "x" * 43 + "/", "bad link")

    # The questionnaire is closed now (a proposal was issued): the results page.
    results = live_server.url + reverse("invite:results", args=[scene.invite_x])
    problems += check(pages["invitee"], results, "invite:results")
    assert "/results/" in pages["invitee"].url

    # The customer's web view of a rendered version, through a real link.
    latest = world.assessment.proposals.order_by("-number").first()
    proposal_render(proposal_id=latest.pk)
    shared = link_create(
        proposal=latest,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        expires_at=timezone.now() + timedelta(days=7),
        actor=Actor.for_user(world.owner),
    )
    view = live_server.url + reverse("proposal-link:view", args=[shared.token])
    problems += check(pages["anonymous"], view, "proposal-link:view")

    # Without a logo, the staff pages again at 375 px (the phone walk covers the customer's
    # pages without one).
    world.org.logo.delete(save=True)
    for page, url, name in staff_pages:
        problems += check(page, url, f"{name} without a logo", widths=(PHONE,), axe=False)

    assert not problems, "\n".join(problems)
    assert len(measured) > 40, measured


def test_every_url_is_measured_or_skipped_for_a_reason():
    stale = sorted(set(SKIPS) - set(ALL))
    assert not stale, f"Skipped URLs that no longer exist: {stale}"
    assert all(reason.strip() for reason in SKIPS.values())
