"""The customer's side of an invite link: a guided questionnaire, sites, measurements, submit.

Every view is wrapped in ``invite_required`` (invites/access.py), which puts the
invite and its assessment on the request. Objects are always looked up within
``request.assessment``. Saving goes through the same services as the staff screens, with
the contact as the actor, so versions merge and the activity log records every change.
"""

import contextlib
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import presenters, questions, selectors, windows
from assessments.forms import CircuitFormSet, circuit_rows
from assessments.models import Site
from assessments.readiness_text import is_fix
from assessments.selectors import is_measured, unmeasured_q
from assessments.services import assessments as site_services
from assessments.services.versioning import Actor, StaleEditError
from assessments.views.common import (
    CSV_TYPE,
    Saved,
    delete_versioned,
    file_download,
    save_form,
    with_version,
)
from imports.forms import MeasurementPasteForm, NatUploadForm, SiteImportForm
from imports.models import PendingSiteImport
from imports.selectors import pending_import_of
from imports.services import measurements as measurement_services
from imports.services import site_lists as import_services
from imports.uploads import confirm_upload, receive_upload
from invites import services
from invites.access import invite_required
from invites.forms import (
    CustomerSiteForm,
    OrganisationAnswersForm,
    VoiceAnswersForm,
    answers_form_class,
    circuit_formset_for_customer,
    prepare_for_customer,
)
from invites.models import Invite, InviteSection
from invites.paging import PER_PAGE, site_page
from scoring.results import is_issue, issue_order

IMPORT_ROWS_SHOWN = 300
TOP_FINDINGS = 3


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    section: str | None
    url_name: str


STEPS = [
    Step("organisation", "About your organisation", InviteSection.ORGANISATION, "organisation"),
    Step("voice", "How you want to run voice", InviteSection.VOICE, "voice"),
    Step("sites", "Your sites", InviteSection.SITES, "sites"),
    Step("measurements", "Network measurements", InviteSection.MEASUREMENTS, "measurements"),
    Step("review", "Review and submit", None, "review"),
]
STEP_KEYS = {s.key for s in STEPS}
ANSWER_STEPS = ("organisation", "voice")  # the steps asked as topics of the catalogue

# The time-left estimate: a question takes about 20 seconds to read and answer; a site
# about two minutes to describe and one to type its figures for; review and submit a
# minute. A rough guide, shown rounded up to whole minutes.
SECONDS_PER_QUESTION = 20
SECONDS_PER_SITE = {"sites": 120, "measurements": 60}
SECONDS_FOR_REVIEW = 60
SITES_ASSUMED = 3  # before any site is entered


def steps_for(invite: Invite) -> list[Step]:
    """The steps this invite opens, in order (review is always there)."""
    return [s for s in STEPS if s.section is None or s.section in invite.sections]


@dataclass(frozen=True)
class Screen:
    """One screen of the questionnaire: a topic of an answers step, or a whole other step."""

    step: Step
    topic: int  # index among the step's topics (0 for steps that are one screen)
    title: str  # the topic's title, "" for a step that is one screen
    seconds: int  # about how long it takes


def screens_for(invite: Invite, site_count: int) -> list[Screen]:
    """The invite's screens in order: one per topic of the catalogue, one per other step.

    Args:
        invite: The link; its sections decide the steps.
        site_count: The assessment's sites, for the time the site steps take.

    Returns:
        Every screen, the first one first.
    """
    screens = []
    sites = site_count or SITES_ASSUMED
    for step in steps_for(invite):
        if step.key in ANSWER_STEPS:
            for i, (title, names) in enumerate(questions.customer_groups(step.key)):
                screens.append(Screen(step, i, title, SECONDS_PER_QUESTION * len(names)))
        else:
            seconds = SECONDS_PER_SITE.get(step.key, 0) * sites or SECONDS_FOR_REVIEW
            screens.append(Screen(step, 0, "", seconds))
    return screens


def _topic_of(request: HttpRequest, step: str) -> int:
    """The topic asked for in the query string (1-based there), within the step's topics."""
    count = len(questions.customer_groups(step))
    try:
        topic = int(request.GET.get("topic", "1")) - 1
    except ValueError:
        topic = 0
    return min(max(topic, 0), count - 1)


def _screen_url(request: HttpRequest, screen: Screen) -> str:
    url = _url(request, screen.step.url_name)
    return url + f"?topic={screen.topic + 1}" if screen.topic else url


def _actor(request: HttpRequest) -> Actor:
    return Actor(label=request.invite.actor_label)


def _url(request: HttpRequest, name: str, *args) -> str:
    return reverse(f"invite:{name}", args=[request.invite_token, *args])


def _site_count(request: HttpRequest, known: int | None = None) -> int:
    """The assessment's sites, counted once a request (the progress bar and a pager ask).

    Args:
        request: The invite's request.
        known: The count as a page already read it (with other figures, in one query).
    """
    if known is not None:
        request.invite_site_count = known
    elif getattr(request, "invite_site_count", None) is None:
        request.invite_site_count = request.assessment.sites.count()
    return request.invite_site_count


def _progress(request: HttpRequest, current: str, topic: int) -> dict:
    """Where the contact is: screen "3 of 9", minutes left, and the screens around it."""
    screens = screens_for(request.invite, _site_count(request))
    at = next(
        (i for i, s in enumerate(screens) if s.step.key == current and s.topic == topic), None
    )
    if at is None:
        return {"screen_count": len(screens)}
    seconds = sum(s.seconds for s in screens[at:])
    return {
        "screen": screens[at],
        "screen_number": at + 1,
        "screen_count": len(screens),
        "minutes_left": max(1, -(-seconds // 60)),  # rounded up
        "topic_count": sum(1 for s in screens if s.step.key == current),
        "next_screen": screens[at + 1] if at + 1 < len(screens) else None,
        "prev_screen": screens[at - 1] if at else None,
        "next_screen_url": _screen_url(request, screens[at + 1]) if at + 1 < len(screens) else "",
        "prev_screen_url": _screen_url(request, screens[at - 1]) if at else "",
    }


def _context(request: HttpRequest, current: str, topic: int = 0, **extra) -> dict:
    invite: Invite = request.invite
    steps = steps_for(invite)
    keys = [s.key for s in steps]
    index = keys.index(current) if current in keys else None
    return {
        **(_progress(request, current, topic) if current else {}),
        "brand": request.assessment.organisation,
        "invite": invite,
        "assessment": request.assessment,
        "token": request.invite_token,
        "steps": steps,
        "current": current,
        "step_number": index + 1 if index is not None else None,
        "step_count": len(steps),
        "next_step": steps[index + 1] if index is not None and index + 1 < len(steps) else None,
        "prev_step": steps[index - 1] if index else None,
        "resumed": request.GET.get("resumed") == "1",
        "contact": request.assessment.owner,
        **extra,
    }


def _next_url(request: HttpRequest, current: str) -> str:
    steps = steps_for(request.invite)
    keys = [s.key for s in steps]
    following = steps[keys.index(current) + 1] if current in keys else steps[-1]
    return _url(request, following.url_name)


# --- Start and resume ---------------------------------------------------------------------


@invite_required(locked="allow")
def start(request: HttpRequest) -> HttpResponse:
    """The link itself: resumes where the contact stopped, or welcomes them the first time."""
    if not services.customer_can_edit(request.assessment):
        return redirect("invite:results", token=request.invite_token)
    steps = {s.key: s for s in steps_for(request.invite)}
    last = request.invite.last_step
    if last in steps:
        return redirect(_url(request, steps[last].url_name) + "?resumed=1")
    return render(request, "invite/start.html", _context(request, ""))


# --- Organisation and voice answers (autosaved) -------------------------------------------


def _save_answers(request: HttpRequest, form) -> Saved:
    """Validate and save a step's answers."""
    return save_form(
        form,
        lambda version, changes: site_services.assessment_update(
            assessment=request.assessment,
            base_version=version,
            changes=changes,
            actor=_actor(request),
        ),
    )


def _bound_groups(form, step: str) -> list[tuple[str, list]]:
    """The step's question groups (title, bound fields), as the catalogue groups them."""
    return [
        (title, [form[n] for n in names if n in form.fields])
        for title, names in questions.customer_groups(step)
        if any(n in form.fields for n in names)
    ]


# One form class per topic of an answers step, built once: a screen's form holds only its
# topic's questions, so saving one screen never touches the answers of another.
TOPIC_FORMS = {
    (step, i): answers_form_class(names)
    for step in ANSWER_STEPS
    for i, (_title, names) in enumerate(questions.customer_groups(step))
}
STEP_FORMS = {"organisation": OrganisationAnswersForm, "voice": VoiceAnswersForm}


def _topic_form(request: HttpRequest, step: str, topic: int):
    """The form of the topic a screen asks, or of the whole step for a post naming no topic.

    Every screen names its topic; a post without one (an older page still open) answers the
    whole step, as the single page did, so that nothing it holds is lost.
    """
    if request.method == "POST" and "topic" not in request.GET:
        return STEP_FORMS[step]
    return TOPIC_FORMS[(step, topic)]


def _answers_view(step: str):
    @invite_required(section=step, step=step)
    def view(request: HttpRequest) -> HttpResponse:
        assessment = request.assessment
        topic = _topic_of(request, step)
        form_class = _topic_form(request, step, topic)
        form = form_class(request.POST or None, instance=assessment)
        if request.method == "POST":
            saved = _save_answers(request, form)
            if saved.ok:
                if "topic" in request.GET and topic + 1 < len(questions.customer_groups(step)):
                    return redirect(_url(request, step) + f"?topic={topic + 2}")
                return redirect(_next_url(request, step))
            if saved.conflict is not None:
                assessment.refresh_from_db()
                data = with_version(request.POST, "", saved.conflict.current_version)
                form = form_class(data, instance=assessment)
                form.is_valid()
                messages.error(request, _conflict_text(saved.conflict))
        return render(
            request,
            "invite/answers.html",
            _context(
                request,
                step,
                topic,
                form=form,
                groups=_bound_groups(form, step),
                autosave_url=_url(request, f"{step}-autosave") + f"?topic={topic + 1}",
                # Names its topic even on the step's first screen (its URL has none).
                action=_url(request, step) + f"?topic={topic + 1}",
            ),
            status=400 if form.is_bound and form.errors else 200,
        )

    view.__name__ = step
    return view


def _answers_autosave(step: str):
    @require_POST
    @invite_required(section=step)
    def view(request: HttpRequest) -> HttpResponse:
        assessment = request.assessment
        form_class = _topic_form(request, step, _topic_of(request, step))
        form = form_class(request.POST, instance=assessment)
        saved = _save_answers(request, form)
        assessment.refresh_from_db()
        stored = form_class(instance=assessment)
        return render(
            request,
            "invite/_autosave.html",
            {
                "form": form,
                "status": saved.status,
                "conflict": saved.conflict,
                "refreshed": [stored[name] for name in saved.refresh if name in stored.fields],
                "version": saved.version(assessment.version),
                "version_id": "id_version",
            },
        )

    view.__name__ = f"{step}_autosave"
    return view


organisation = _answers_view("organisation")
organisation_autosave = _answers_autosave("organisation")
voice = _answers_view("voice")
voice_autosave = _answers_autosave("voice")


def _conflict_text(conflict: StaleEditError) -> str:
    if not conflict.conflicts:
        return "Someone else changed this while you were working. Nothing was saved."
    parts = [f"{c.by} changed “{c.label}” to “{c.theirs_shown}”" for c in conflict.conflicts]
    return (
        "Not saved, because someone else answered the same question meanwhile: "
        + "; ".join(parts)
        + ". Their answer is shown now; change it again if yours is right."
    )


# --- Sites ---------------------------------------------------------------------------------


def _site_of(request: HttpRequest, site_pk: int) -> Site:
    """A site of the invite's own assessment, or 404."""
    return get_object_or_404(Site, pk=site_pk, assessment=request.assessment)


def _chain(request: HttpRequest, site: Site) -> dict:
    """The sites before and after ``site`` in the list's order, and its place ("2 of 10").

    Three small queries whatever the number of sites, so that the contact can go from one
    site to the next without returning to the list.
    """
    sites = request.assessment.sites.all()  # ordered by position, then id
    after = Q(position__gt=site.position) | Q(position=site.position, pk__gt=site.pk)
    before = Q(position__lt=site.position) | Q(position=site.position, pk__lt=site.pk)
    return {
        "next_site": sites.filter(after).only("pk", "name").first(),
        "prev_site": sites.filter(before).only("pk", "name").order_by("-position", "-pk").first(),
        "site_number": sites.filter(before).count() + 1,
        "site_total": _site_count(request),
    }


def _after_site_saved(request: HttpRequest, site: Site, page: str, done: str) -> HttpResponse:
    """Where a saved site goes: the next site's ``page`` when asked ("then=next"), else ``done``.

    From the last site, "next" carries on to the step after ``page``'s step.
    """
    if request.POST.get("then") != "next":
        return redirect(done)
    following = _chain(request, site)["next_site"]
    if following is not None:
        return redirect(_url(request, page, following.pk))
    return redirect(_next_url(request, "sites" if page == "site-update" else "measurements"))


@invite_required(section=InviteSection.SITES, step="sites")
def sites(request: HttpRequest) -> HttpResponse:
    """The contact's sites, a page of 25 at a time with their lines (a large estate pages)."""
    pager = site_page(
        selectors.site_list(assessment=request.assessment),
        request.GET.get("page"),
        count=_site_count(request),
    )
    return render(
        request, "invite/sites.html", _context(request, "sites", sites=pager.sites, pager=pager)
    )


def _circuits(request: HttpRequest, site: Site):
    initial = [
        {n: getattr(c, n) for n in ("role", "kind", "down_mbps", "up_mbps", "provider")}
        for c in (site.circuits.order_by(selectors.CIRCUIT_ORDER, "id") if site.pk else [])
    ]
    data = request.POST if request.method == "POST" else None
    return circuit_formset_for_customer(CircuitFormSet(data, initial=initial, prefix="circuits"))


def _site_page(request: HttpRequest, site: Site, form, circuits, *, status: int = 200):
    return render(
        request,
        "invite/site_form.html",
        _context(
            request,
            "sites",
            site=site,
            form=form,
            circuits=circuits,
            groups=_bound_groups(form, "sites"),
            autosave_url=_url(request, "site-autosave", site.pk) if site.pk else "",
            **(_chain(request, site) if site.pk else {}),
        ),
        status=status,
    )


@invite_required(section=InviteSection.SITES, step="sites")
def site_create(request: HttpRequest) -> HttpResponse:
    site = Site(assessment=request.assessment)
    form = CustomerSiteForm(request.POST or None, instance=site)
    circuits = _circuits(request, site)
    if request.method == "POST":
        if form.is_valid() and circuits.is_valid():
            try:
                site = site_services.site_create(
                    assessment=request.assessment,
                    fields=form.changes(),
                    circuits=circuit_rows(circuits),
                    actor=_actor(request),
                )
            except (ValidationError, IntegrityError) as exc:
                form.add_error(None, _plain_error(exc))
            else:
                messages.success(request, f"Site “{site.name}” added.")
                if "add_another" in request.POST:
                    return redirect(_url(request, "site-create"))
                return redirect(_url(request, "sites"))
        return _site_page(request, site, form, circuits, status=400)
    return _site_page(request, site, form, circuits)


def _plain_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return "This could not be saved. Check the answers and try again."


def _save_site(request: HttpRequest, site: Site, form, circuits) -> Saved:
    return save_form(
        form,
        lambda version, changes: site_services.site_update(
            site=site,
            base_version=version,
            changes=changes,
            circuits=circuit_rows(circuits),
            actor=_actor(request),
        ),
        valid=circuits.is_valid(),
        refused=(ValidationError, IntegrityError),
        explain=_plain_error,
    )


def _list_url_at(request: HttpRequest, name: str, site: Site) -> str:
    """The list ``name`` at the page that shows ``site`` (or where it was, once removed)."""
    before = request.assessment.sites.filter(
        Q(position__lt=site.position) | Q(position=site.position, pk__lt=site.pk)
    ).count()
    page = before // PER_PAGE + 1
    url = _url(request, name)
    return f"{url}?page={page}#site-{site.pk}" if page > 1 else f"{url}#site-{site.pk}"


@invite_required(section=InviteSection.SITES, step="sites")
def site_update(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = _site_of(request, site_pk)
    form = CustomerSiteForm(request.POST or None, instance=site)
    circuits = _circuits(request, site)
    if request.method == "POST":
        saved = _save_site(request, site, form, circuits)
        if saved.ok:
            messages.success(request, f"Site “{site.name}” saved.")
            done = _list_url_at(request, "sites", site)
            return _after_site_saved(request, site, "site-update", done)
        if saved.conflict is not None:
            messages.error(request, _conflict_text(saved.conflict))
            site.refresh_from_db()
            data = with_version(request.POST, "", saved.conflict.current_version)
            form = CustomerSiteForm(data, instance=site)
            form.is_valid()
        return _site_page(request, site, form, circuits, status=400)
    return _site_page(request, site, form, circuits)


@require_POST
@invite_required(section=InviteSection.SITES)
def site_autosave(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = _site_of(request, site_pk)
    form = CustomerSiteForm(request.POST, instance=site)
    circuits = _circuits(request, site)
    saved = _save_site(request, site, form, circuits)
    site.refresh_from_db()
    stored = CustomerSiteForm(instance=site)
    return render(
        request,
        "invite/_autosave.html",
        {
            "form": form,
            "circuits": circuits,
            "status": saved.status,
            "conflict": saved.conflict,
            "refreshed": [stored[name] for name in saved.refresh if name in stored.fields],
            "circuits_changed": "circuits" in saved.refresh,
            "version": saved.version(site.version),
            "version_id": "id_version",
        },
    )


@require_POST
@invite_required(section=InviteSection.SITES)
def site_delete(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = _site_of(request, site_pk)
    back = _list_url_at(request, "sites", site).split("#", 1)[0]  # its page, as it was
    removed = delete_versioned(
        request,
        lambda version: site_services.site_delete(
            site=site, base_version=version, actor=_actor(request)
        ),
    )
    if not removed:
        messages.error(
            request,
            f"“{site.name}” was not removed: someone changed it since you opened this page. "
            "Check it, then remove it again if you still want to.",
        )
    else:
        messages.success(request, f"Site “{site.name}” removed.")
    return redirect(back)


# --- Site list upload (the same parsing and preview as staff get) -------------------------


@invite_required(section=InviteSection.SITES, step="sites")
def sites_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = SiteImportForm(request.POST if posted else None, request.FILES if posted else None)
    if (
        posted
        and form.is_valid()
        and receive_upload(form, assessment=request.assessment, invite=request.invite)
    ):
        return redirect(_url(request, "sites-upload-preview"))
    return render(
        request,
        "invite/sites_upload.html",
        _context(
            request,
            "sites",
            form=form,
            max_rows=import_services.MAX_ROWS,
            columns=[
                (c, import_services.accepted_values(c))
                for c in import_services.all_columns()
                if not c.key.startswith(("client_", "edge_", "measure"))
            ][:24],
        ),
        status=400 if form.errors else 200,
    )


@invite_required(section=InviteSection.SITES)
def sites_upload_template(request: HttpRequest) -> HttpResponse:
    columns, rows = import_services.template_table()
    return file_download(
        import_services.write_csv(columns, rows), "site-list-template.csv", CSV_TYPE
    )


def _pending_upload(request: HttpRequest) -> PendingSiteImport | None:
    """This link's own upload waiting for confirmation, or None (each link has one)."""
    return pending_import_of(assessment=request.assessment, invite=request.invite)


def _blank_clears(data) -> bool:
    """The contact chose that empty cells erase saved answers (``blanks=clear``)."""
    return data.get("blanks") == "clear"


def _preview_url(request: HttpRequest, blank_clears: bool) -> str:
    return _url(request, "sites-upload-preview") + ("?blanks=clear" if blank_clears else "")


def _nothing_waiting(request: HttpRequest) -> HttpResponse:
    messages.info(request, "There is no uploaded list waiting to be saved: upload a file first.")
    return redirect(_url(request, "sites-upload"))


@invite_required(section=InviteSection.SITES, step="sites")
def sites_upload_preview(request: HttpRequest) -> HttpResponse:
    pending = _pending_upload(request)
    if pending is None:
        return _nothing_waiting(request)
    blank_clears = _blank_clears(request.GET)
    plan = import_services.plan_import(
        assessment=request.assessment, payload=pending.payload, blank_clears=blank_clears
    )
    return render(
        request,
        "invite/sites_preview.html",
        _context(
            request,
            "sites",
            plan=plan,
            file_name=pending.file_name,
            rows=plan.rows[:IMPORT_ROWS_SHOWN],
            rows_hidden=max(0, len(plan.rows) - IMPORT_ROWS_SHOWN),
            problems=plan.errors[:IMPORT_ROWS_SHOWN],
            problems_hidden=max(0, plan.problem_count - IMPORT_ROWS_SHOWN),
            counts=plan.counts,
            blank_clears=blank_clears,
            upload=str(pending.pk),
        ),
    )


@invite_required(section=InviteSection.SITES)
def sites_upload_rejected(request: HttpRequest) -> HttpResponse:
    """The rows of this link's own upload that cannot be saved, with why, as CSV."""
    pending = _pending_upload(request)
    if pending is None:
        return _nothing_waiting(request)
    plan = import_services.plan_import(
        assessment=request.assessment,
        payload=pending.payload,
        blank_clears=_blank_clears(request.GET),
    )
    return file_download(
        import_services.rejected_rows_csv(payload=pending.payload, plan=plan),
        import_services.rejected_rows_file_name(pending.file_name),
        CSV_TYPE,
    )


@require_POST
@invite_required(section=InviteSection.SITES)
def sites_upload_confirm(request: HttpRequest) -> HttpResponse:
    pending = _pending_upload(request)
    if pending is None:
        return _nothing_waiting(request)
    blank_clears = _blank_clears(request.POST)
    outcome = confirm_upload(request, pending, actor=_actor(request), again="save")
    if outcome is None:
        return redirect(_preview_url(request, blank_clears))
    summary = outcome.summary(skipped="row{s} with problems left out")
    messages.success(request, f"Saved “{pending.file_name}”: {summary}.")
    return redirect(_url(request, "sites"))


@require_POST
@invite_required(section=InviteSection.SITES)
def sites_upload_discard(request: HttpRequest) -> HttpResponse:
    import_services.pending_import_discard(assessment=request.assessment, invite=request.invite)
    messages.info(request, "Upload cancelled: nothing was saved.")
    return redirect(_url(request, "sites"))


# --- Measurements --------------------------------------------------------------------------


@invite_required(section=InviteSection.MEASUREMENTS, step="measurements")
def measurements(request: HttpRequest) -> HttpResponse:
    """A page of the sites with whether each is measured; the chain starts at the first not."""
    everything = request.assessment.sites.all()  # ordered by position, then id
    pager = site_page(everything, request.GET.get("page"), count=_site_count(request))
    site_list = pager.sites
    # The chain starts at the first site still without figures (or the first site), on
    # whichever page it is: found by the database, not by reading every site.
    start = (everything.filter(unmeasured_q()).first() or everything.first()) if site_list else None
    return render(
        request,
        "invite/measurements.html",
        _context(
            request,
            "measurements",
            sites=[(s, measurement_services.site_figures(s)) for s in site_list],
            start=start,
            pager=pager,
        ),
    )


def _measurement_page(request: HttpRequest, site: Site, *, nat_form=None, paste_form=None):
    errors = (nat_form and nat_form.errors) or (paste_form and paste_form.errors)
    return render(
        request,
        "invite/measurements_site.html",
        _context(
            request,
            "measurements",
            site=site,
            figures=measurement_services.site_figures(site),
            latency_notes=measurement_services.latency_notes_by_site([site]).get(site.pk, []),
            runs=site.measurement_imports.all()[:5],
            nat_form=prepare_for_customer(nat_form or NatUploadForm()),
            paste_form=prepare_for_customer(paste_form or _typed_figures_form()),
            **_chain(request, site),
        ),
        status=400 if errors else 200,
    )


def _typed_figures_form(data=None) -> MeasurementPasteForm:
    """The "type the figures" form; its date may be left empty (then it is today).

    Its help says so, so the date must not be marked required: a contact who types the
    figures the tool showed today has nothing to add.
    """
    form = MeasurementPasteForm(data)
    form.fields["measured_on"].required = False
    return form


@invite_required(section=InviteSection.MEASUREMENTS, step="measurements")
def measurements_site(request: HttpRequest, site_pk: int) -> HttpResponse:
    return _measurement_page(request, _site_of(request, site_pk))


@require_POST
@invite_required(section=InviteSection.MEASUREMENTS)
def measurement_upload(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = _site_of(request, site_pk)
    form = NatUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary, record = measurement_services.nat_upload_apply(
                site=site,
                upload=upload,
                actor=_actor(request),
                **{k: form.cleaned_data[k] for k in ("segment", "measured_where", "measured_on")},
            )
        except measurement_services.MeasurementFileError as exc:
            form.add_error("file", str(exc))
        except import_services.ImportFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form.add_error("file", "The figures are outside what we accept: " + _plain_error(exc))
        else:
            messages.success(
                request,
                f"Results for “{site.name}” read from “{upload.name}” "
                f"({summary.samples:,} samples) and saved.",
            )
            if note := measurement_services.latency_note(record):
                messages.info(request, note)
            for note in measurement_services.summary_notes(summary):
                messages.warning(request, note)
            here = _url(request, "measurements-site", site.pk)
            return _after_site_saved(request, site, "measurements-site", here)
    return _measurement_page(request, site, nat_form=form)


@require_POST
@invite_required(section=InviteSection.MEASUREMENTS)
def measurement_figures(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = _site_of(request, site_pk)
    form = _typed_figures_form(request.POST)
    if form.is_valid():
        try:
            measurement_services.measurement_paste(
                site=site,
                segment=form.cleaned_data["segment"],
                figures=form.figures(),
                measured_on=form.cleaned_data["measured_on"] or timezone.localdate(),
                measured_where=form.cleaned_data["measured_where"],
                tool=form.cleaned_data["tool"],
                actor=_actor(request),
            )
        except ValidationError as exc:
            form.add_error(None, _plain_error(exc))
        else:
            messages.success(request, f"Figures for “{site.name}” saved.")
            here = _url(request, "measurements-site", site.pk)
            return _after_site_saved(request, site, "measurements-site", here)
    return _measurement_page(request, site, paste_form=form)


# --- Review, submit, results --------------------------------------------------------------


def _answer_rows(form) -> list[tuple[str, str, bool]]:
    """(question, answer as read, unknown?) for each field of a bound-to-instance form."""
    rows = []
    for bound in form:
        if bound.name == "version":
            continue
        value = bound.value()
        field = bound.field
        # Choices read in the customer's wording, as the form asked them.
        choices = getattr(field, "choices", None)
        shown = presenters.display(form._meta.model, bound.name, value, blank="", choices=choices)
        unknown = value in (None, "", "unknown", "undecided")
        rows.append((str(field.label), shown, unknown))
    return rows


@invite_required(step="review")
def review(request: HttpRequest) -> HttpResponse:
    invite: Invite = request.invite
    assessment = request.assessment
    sections = []
    if InviteSection.ORGANISATION in invite.sections:
        sections.append(
            ("organisation", _answer_rows(OrganisationAnswersForm(instance=assessment)))
        )
    if InviteSection.VOICE in invite.sections:
        sections.append(("voice", _answer_rows(VoiceAnswersForm(instance=assessment))))
    # The first page of sites is listed and the rest counted (a large estate's review is a
    # summary, not a list of thousands): two queries whatever the number of sites.
    every_site = assessment.sites.all()
    site_list = list(every_site[:PER_PAGE])
    site_counts = every_site.aggregate(
        total=Count("id"), unmeasured=Count("id", filter=unmeasured_q())
    )
    _site_count(request, known=site_counts["total"])
    others = [
        i
        for i in assessment.invites.exclude(pk=invite.pk)
        if i.is_active and i.submitted_at is None
    ]
    return render(
        request,
        "invite/review.html",
        _context(
            request,
            "review",
            sections=sections,
            titles={s.key: s.title for s in STEPS},
            sites=[(s, is_measured(s)) for s in site_list],
            site_total=site_counts["total"],
            unmeasured_count=site_counts["unmeasured"],
            measured_count=site_counts["total"] - site_counts["unmeasured"],
            sites_more=site_counts["total"] - len(site_list),
            other_contacts=others,
        ),
    )


@require_POST
@invite_required()
def submit(request: HttpRequest) -> HttpResponse:
    # PermissionError: another contact submitted a moment ago; the results page says so.
    with contextlib.suppress(PermissionError):
        services.assessment_submit(invite=request.invite)
    return redirect("invite:results", token=request.invite_token)


def _top_findings(findings, limit: int) -> list:
    return sorted(filter(is_issue, findings), key=issue_order)[:limit]


def _top_fixes(findings, limit: int) -> list:
    """The problems measured or answered at a site, most severe first.

    Unknowns are left to the site's "to find out" list: they are questions to answer, not
    things to fix, and must not read as faults.
    """
    return sorted(filter(is_fix, findings), key=issue_order)[:limit]


def sees_sites(invite: Invite) -> bool:
    """Whether the invite's sections show the sites (the review and results pages agree)."""
    return InviteSection.SITES in invite.sections or InviteSection.MEASUREMENTS in invite.sections


# The results page reads at most this many sites' stored results (a page's work stays
# bounded); the others are counted and left to the partner's full results.
RESULT_SITES = 200
SITES_NAMED = 3  # sites named in a next action ("Leeds, Derby and York")


@dataclass(frozen=True)
class NextActions:
    """The three things a contact does after submitting: measure, fix, call.

    Attributes:
        unmeasured: Sites without any network figure, the first few (to measure next).
        unmeasured_count: How many sites have no figure at all.
        fix: The most severe problem found across the sites (or the organisation), or None.
        fix_sites: The sites that have that same problem, the first few.
        fix_site_count: How many sites have it.
    """

    unmeasured: list[str]
    unmeasured_count: int
    fix: object | None
    fix_sites: list[str]
    fix_site_count: int

    @property
    def unmeasured_more(self) -> int:
        """Sites without figures beyond those named."""
        return self.unmeasured_count - len(self.unmeasured)

    @property
    def fix_sites_more(self) -> int:
        """Sites with the same problem beyond those named."""
        return self.fix_site_count - len(self.fix_sites)


def next_actions(sites: list[Site], site_results: dict, org_findings) -> NextActions:
    """What to measure and what to fix first, from the stored results (never a rescore).

    Args:
        sites: The sites shown, in the list's order.
        site_results: Their stored results by site id (sites still being scored are absent).
        org_findings: The organisation's findings, for when no site has a problem to fix.

    Returns:
        The contact's next actions.
    """
    unmeasured = [s.name for s in sites if not is_measured(s)]
    fixes = [
        (f, s.name)
        for s in sites
        if s.pk in site_results
        for f in site_results[s.pk].network.findings
        if is_fix(f)
    ]
    fixes.sort(key=lambda pair: issue_order(pair[0]))  # stable: the list's order within ties
    if fixes:
        top = fixes[0][0]
        named = list(dict.fromkeys(name for f, name in fixes if f.code == top.code))
        return NextActions(
            unmeasured[:SITES_NAMED], len(unmeasured), top, named[:SITES_NAMED], len(named)
        )
    org = sorted(filter(is_issue, org_findings), key=issue_order)[:1]
    return NextActions(unmeasured[:SITES_NAMED], len(unmeasured), org[0] if org else None, [], 0)


@invite_required(locked="allow", step="")
def results(request: HttpRequest) -> HttpResponse:
    """After submit: three next actions first (measure, fix, call), each site's detail folded.

    Reads the stored results (the same ones the staff pages show), never scores the estate
    again. A contact invited only to organisation-wide sections sees the organisation's
    findings and the recommendation, never the sites (their names, grades and findings).
    """
    assessment = request.assessment
    if services.customer_can_edit(assessment):
        return redirect(_url(request, "review"))
    stored = windows.estate(assessment)
    estate = windows.estate_result(stored)
    show_sites = sees_sites(request.invite)
    site_list = (
        list(selectors.site_list(assessment=assessment)[:RESULT_SITES]) if show_sites else []
    )
    by_site = windows.stored_results(assessment, [s.pk for s in site_list])
    site_results = [
        (by_site[s.pk], _top_fixes(by_site[s.pk].network.findings, TOP_FINDINGS))
        for s in site_list
        if s.pk in by_site
    ]
    site_total = assessment.sites.count() if show_sites else 0
    return render(
        request,
        "invite/results.html",
        _context(
            request,
            "",
            result=estate,
            updating=stored.updating,
            sees_sites=show_sites,
            site_results=site_results,
            sites_not_shown=max(0, site_total - len(site_results)),
            actions=next_actions(site_list, by_site, estate.org_findings)
            if show_sites
            else next_actions([], {}, estate.org_findings),
            org_findings=_top_findings(estate.org_findings, TOP_FINDINGS),
            counts=dict(estate.grade_counts) if show_sites else {},
        ),
    )
