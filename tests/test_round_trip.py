"""Nothing a user typed is lost: every form, submitted unchanged, leaves every stored row as it was.

Each case loads a page of a fully answered record, collects what a browser would send
from the rendered HTML alone (tests/html_forms.py: value attributes as the browser reads
them, checked boxes, selected options, textarea contents with CR LF line breaks), posts
it, and compares a snapshot of every row a form can write: the records and their
children, versions, timestamps and the activity log included.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

import pytest

from tests.answered import answer_everything, snapshot
from tests.factories import messages_of
from tests.html_forms import find_form, submission

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """One form: the page it is on, how to find it, and what the user does before sending."""

    page: Callable  # (world, token) -> URL of the page
    find: Callable  # (world, token) -> find_form keyword arguments
    user: str | None = "owner"  # a world member, or None for the invite link
    submitter: str | None = None
    # What a user picks on forms that start empty (the sites to change, a field, a value).
    changes: Callable = lambda world: {}
    # 302: saved (nothing to save); 400: refused, with a message, as it must be.
    status: int = 302
    message: str = ""
    htmx: dict = field(default_factory=dict)


def _site(world, token):
    return reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])


def _invite(name: str, *site: bool):
    def url(world, token):
        return reverse(f"invite:{name}", args=[token, *([world.hq.pk] if site else [])])

    return url


CASES = {
    "questionnaire": Case(
        page=lambda w, t: reverse("assessments:questionnaire", args=[w.assessment.pk]),
        find=lambda w, t: {"containing": "pbx_contract_end"},
        message="Organisation answers saved.",
    ),
    "site form": Case(
        page=_site,
        find=lambda w, t: {"containing": "circuits-TOTAL_FORMS"},
        submitter="save",
        message="Site “Stuttgart HQ” saved.",
    ),
    "site measurement figures": Case(
        page=_site,
        find=lambda w, t: {"id": "paste"},
        status=400,
        message="",
    ),
    "grid row": Case(
        page=lambda w, t: reverse("assessments:site-grid", args=[w.assessment.pk]),
        find=lambda w, t: {"id": f"row-{w.hq.pk}-form"},
        message="Site “Stuttgart HQ” saved.",
    ),
    "bulk set": Case(
        page=lambda w, t: reverse("assessments:site-grid", args=[w.assessment.pk]),
        find=lambda w, t: {"id": "bulk-form"},
        # Tick the site and choose the answer it already has.
        changes=lambda w: {"sites": [str(w.hq.pk)], "field": "wifi", "value": "enterprise_5ghz"},
        message="Wi-Fi set on 1 site(s).",
    ),
    "customer": Case(
        page=lambda w, t: reverse("assessments:customer-update", args=[w.customer.pk]),
        find=lambda w, t: {"containing": "contact_email"},
        message="Customer “Contoso Manufacturing” saved.",
    ),
    "assessment details": Case(
        page=lambda w, t: reverse("assessments:assessment-update", args=[w.assessment.pk]),
        find=lambda w, t: {"containing": "owner"},
        message="Assessment details saved.",
    ),
    "scenario change": Case(
        page=lambda w, t: reverse(
            "assessments:scenario", args=[w.assessment.pk, w.assessment.scenarios.get().pk]
        ),
        find=lambda w, t: {"containing": "target"},
        # Add again a change the scenario has, typed into the date picker.
        changes=lambda w: {"target": "organisation:pbx_contract_end", "value": "2028-01-31"},
    ),
    "branding": Case(
        user="admin",
        page=lambda w, t: reverse("tenancy:organisation-settings"),
        find=lambda w, t: {"containing": "legal_footer"},
        message="Branding saved: customer pages and new proposals use it.",
    ),
    "member role": Case(
        user="admin",
        page=lambda w, t: reverse("tenancy:member-list"),
        find=lambda w, t: {
            "action": reverse("tenancy:member-update", args=[w.teammate.membership.pk]),
            "containing": "role",
        },
        message="Nothing changed for Bob Berg.",
    ),
    # The organisation step asks one topic per screen: each screen's form on its own.
    "invite: organisation, telephony": Case(
        user=None,
        page=_invite("organisation"),
        find=lambda w, t: {"containing": "pbx_contract_end"},
    ),
    "invite: organisation, features": Case(
        user=None,
        page=lambda w, t: _invite("organisation")(w, t) + "?topic=2",
        find=lambda w, t: {"containing": "routing_complexity"},
    ),
    "invite: organisation, numbers": Case(
        user=None,
        page=lambda w, t: _invite("organisation")(w, t) + "?topic=3",
        find=lambda w, t: {"containing": "notes"},
    ),
    "invite: voice": Case(
        user=None, page=_invite("voice"), find=lambda w, t: {"containing": "voice_staff_fte"}
    ),
    "invite: site": Case(
        user=None,
        page=_invite("site-update", True),
        find=lambda w, t: {"containing": "circuits-TOTAL_FORMS"},
        message="Site “Stuttgart HQ” saved.",
    ),
    "invite: measurement file": Case(
        user=None,
        page=_invite("measurements-site", True),
        find=lambda w, t: {"containing": "nat-segment"},
        status=400,
        message="",
    ),
    "invite: measurement figures": Case(
        user=None,
        page=_invite("measurements-site", True),
        find=lambda w, t: {"containing": "paste-segment"},
        status=400,
    ),
}


@pytest.fixture
def answered(world):
    return world, answer_everything(world)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_form_submitted_unchanged_changes_nothing(client, answered, case):
    world, token = answered
    if case.user:
        client.force_login(getattr(world, case.user))
    page_url = case.page(world, token)
    page = client.get(page_url)
    assert page.status_code == 200
    form = find_form(page.content.decode(), **case.find(world, token))
    data = submission(form, submitter=case.submitter, **case.changes(world))
    before = snapshot()

    response = client.post(form.attrs.get("action") or page_url, data, follow=False)

    assert response.status_code == case.status, messages_of(response) or response.content[:2000]
    assert snapshot() == before
    if case.message:
        shown = client.get(response["Location"]) if response.status_code == 302 else response
        assert case.message in " ".join(messages_of(shown))


def test_the_assessment_details_keep_an_owner_who_lost_access(client, answered):
    world, _token = answered
    world.owner.is_active = False
    world.owner.save()
    client.force_login(world.manager)
    url = reverse("assessments:assessment-update", args=[world.assessment.pk])
    page = client.get(url).content.decode()
    before = snapshot()
    data = submission(find_form(page, containing="owner"), title="Rollout 2028")

    response = client.post(url, data)

    assert response.status_code == 302, messages_of(response)
    world.assessment.refresh_from_db()
    assert world.assessment.title == "Rollout 2028"
    assert world.assessment.owner == world.owner
    assert snapshot()["Assessment"] != before["Assessment"]


def test_a_scenario_date_is_picked_in_a_date_input(client, answered):
    world, _token = answered
    client.force_login(world.owner)
    scenario = world.assessment.scenarios.get()
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    form = find_form(page.content.decode(), containing="target")
    [control] = [
        c
        for c in form.controls
        if c.attrs.get("data-bulk-value") == "organisation:pbx_contract_end"
    ]
    assert control.kind == "date"
