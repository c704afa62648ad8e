"""What-if scenarios: apply changed answers to the engine input, compare, and promote."""

import dataclasses
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from assessments import engine_io, presenters, questions, selectors
from assessments.countries import country_name
from assessments.models import (
    Assessment,
    AssessmentScore,
    Scenario,
    Site,
    SiteScore,
    Undo,
    UndoKind,
)
from assessments.schema.document import site_name_key
from assessments.services import scores
from assessments.services.assessments import (
    assessment_update,
    circuits_plain,
    site_create,
    site_update,
    sorted_circuits,
)
from assessments.services.versioning import Actor, plain, record_change
from scoring import AssessmentInput, AssessmentResult, SiteResult, score_assessment
from scoring.countries import FitOptions
from scoring.decode import estate_result_from_dict, site_result_from_dict
from scoring.engine import aggregate, org_inputs_key, score_sites, site_part
from scoring.inputs import CircuitInput, SiteInput, circuit_order
from scoring.pstn_fit import org_fit
from scoring.results import EstateResult

# Answers a scenario may change: those a plan would change, not the facts of a site.
SITE_FIELDS = questions.scenario_fields(Site)
ORG_FIELDS = questions.scenario_fields(Assessment)


def field_for(scope: str, name: str):
    """A form field that cleans a value of ``name`` as the edit pages do (their widget aside).

    Args:
        scope: "organisation" for an organisation answer, "sites" for a site answer.
        name: The answer's field name.

    Returns:
        A new form field, from the question catalogue.

    Raises:
        KeyError: ``name`` is not a question of that scope.
    """
    model = Assessment if scope == "organisation" else Site
    return questions.question(model, name).form_field()


@transaction.atomic
def scenario_create(*, assessment: Assessment, name: str, actor: Actor) -> Scenario:
    """Start an empty what-if scenario of an assessment (logged in its activity log).

    Args:
        assessment: The assessment it varies.
        name: What the scenario is called.
        actor: Who starts it (a staff user).

    Returns:
        The new scenario.
    """
    scenario = Scenario(assessment=assessment, name=name.strip(), created_by=actor.user)
    scenario.full_clean()
    scenario.save()
    # A scenario never changes the stored answers: nothing to rescore.
    record_change(
        assessment=assessment,
        obj=scenario,
        action="create",
        changed={},
        actor=actor,
        rescore=False,
    )
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor: Actor) -> None:
    """Delete a scenario (the assessment is untouched); logged in the activity log.

    Args:
        scenario: The scenario.
        actor: Who deletes it.
    """
    record_change(
        assessment=scenario.assessment,
        obj=scenario,
        action="delete",
        changed={},
        actor=actor,
        rescore=False,
    )
    scenario.delete()


def scenario_add_change(
    *, scenario: Scenario, scope: str, field: str, value: Any, sites: list[int]
) -> Scenario:
    """Add (or replace) one change; a later change to the same thing wins.

    Raises:
        ValidationError: The scenario has ``MAX_CHANGES`` changes already.
    """
    if isinstance(value, dict):  # a circuit or a new site: its parts as JSON values
        value = {k: plain(v) for k, v in value.items()}
    change = {"scope": scope, "field": field, "value": plain(value), "sites": sorted(sites)}
    if change in scenario.changes:
        return scenario  # the same change again: nothing to save
    kept = [
        c
        for c in scenario.changes
        if (c["scope"], c["field"], c["sites"]) != (scope, field, change["sites"])
    ]
    if len(kept) >= MAX_CHANGES:
        raise ValidationError(
            f"A scenario holds at most {MAX_CHANGES} changes: remove one or start another."
        )
    scenario.changes = [*kept, change]
    scenario.save(update_fields=["changes", "updated_at"])
    return scenario


def scenario_remove_change(*, scenario: Scenario, index: int) -> Scenario:
    """Drop the change at ``index`` (ignored when out of range)."""
    if 0 <= index < len(scenario.changes):
        scenario.changes = scenario.changes[:index] + scenario.changes[index + 1 :]
        scenario.save(update_fields=["changes", "updated_at"])
    return scenario


def _engine_value(scope: str, name: str, value: Any) -> Any:
    """A stored JSON value as the engine input holds it (dates stay ISO text: unused)."""
    field = field_for(scope, name)
    cleaned = field.clean("" if value is None else value)
    if hasattr(cleaned, "code"):
        return cleaned.code
    return float(cleaned) if name == "voice_staff_fte" and cleaned is not None else cleaned


# Change kinds beyond the answers: a circuit of a role set at chosen sites, and a site
# that exists only in the scenario. ``LTE`` is a cellular backup circuit with the LTE/5G
# backup answer set to yes, the way a site with one is entered on the grid.
CIRCUITS = "circuits"
NEW_SITE = "new_site"
LTE = "lte"
CIRCUIT_ROLES = ("primary", "secondary", "backup", LTE)
# A scenario is a plan a person reads: a bound on its size keeps every view's work bounded.
MAX_CHANGES = 100


def _circuit_of(role: str, value: dict) -> CircuitInput:
    return CircuitInput(
        down_mbps=float(value["down_mbps"]),
        up_mbps=float(value["up_mbps"]),
        role="backup" if role == LTE else role,
        kind="cellular" if role == LTE else value["kind"],
    )


def _with_circuit(circuits: tuple, role: str, value: dict) -> tuple:
    """``circuits`` with those of the change's role replaced by the one it sets."""
    new = _circuit_of(role, value)
    kept = [c for c in circuits if c.role != new.role]
    return tuple(sorted([*kept, new], key=lambda c: circuit_order(c.role)))


def added_site_input(value: dict) -> SiteInput:
    """The engine input of a site that exists only in a scenario (everything else unknown).

    It has its own internet line (no hub): its primary circuit is the one the change gives.
    """
    return SiteInput(
        name=value["name"],
        country=value["country"],
        users=int(value["users"]),
        circuits=(_circuit_of("primary", value),),
    )


def apply_changes(
    current: AssessmentInput, changes: list[dict], site_ids: dict[str, int]
) -> AssessmentInput:
    """The engine input with a scenario's changes applied (the stored data untouched).

    Args:
        current: The assessment as stored, as engine input.
        changes: The scenario's changes.
        site_ids: Site name → id, to find the sites a change names.

    Returns:
        A new input; the engine validates it as it would any other. Sites added by the
        scenario come after the stored ones; one whose name a stored site has taken since
        is left out (the stored site is the one people mean).
    """
    taken = {site_name_key(s.name) for s in current.sites}
    added = [
        added_site_input(c["value"])
        for c in changes
        if c["scope"] == NEW_SITE and site_name_key(c["value"]["name"]) not in taken
    ]
    every = (*current.sites, *added)
    org: dict[str, Any] = {}
    per_site: dict[str, dict[str, Any]] = {}
    for change in changes:
        scope = change["scope"]
        if scope == NEW_SITE:
            continue
        if scope == "organisation":
            org[change["field"]] = _engine_value(scope, change["field"], change["value"])
            continue
        value = (
            change["value"]
            if scope == CIRCUITS
            else _engine_value(scope, change["field"], change["value"])
        )
        for site in every:
            if change["sites"] and site_ids.get(site.name) not in change["sites"]:
                continue
            over = per_site.setdefault(site.name, {})
            if scope == CIRCUITS:
                circuits = over.get("circuits", site.circuits)
                over["circuits"] = _with_circuit(circuits, change["field"], value)
                if change["field"] == LTE:
                    over["lte_backup"] = "yes"
            else:
                over[change["field"]] = value
    sites = tuple(
        dataclasses.replace(site, **per_site[site.name]) if site.name in per_site else site
        for site in every
    )
    return dataclasses.replace(current, sites=sites, **org)


def scenario_compare(
    *, assessment: Assessment, scenario: Scenario
) -> tuple[AssessmentResult, AssessmentResult, list[Site]]:
    """Score the assessment as stored and as the scenario would have it."""
    sites = list(selectors.site_list(assessment=assessment))
    current_input = engine_io.assessment_input(assessment, sites)
    what_if = apply_changes(current_input, scenario.changes, {s.name: s.pk for s in sites})
    options = engine_io.fit_options(assessment.organisation_id)
    return score_assessment(current_input, options), score_assessment(what_if, options), sites


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The estate as a scenario would have it, and some sites' results with its changes.

    Attributes:
        estate: The estate-level result with the changes (fits, recommendation, ownership).
        rows: Every site's (name, score, grade) with the changes, in site order (a chart).
        sites: The results of the sites asked for, with the changes, by site id.
        added: The results of the sites that exist only in the scenario.
    """

    estate: EstateResult
    rows: list[tuple[str, int, str]]
    sites: dict[int, SiteResult]
    added: list[SiteResult] = dataclasses.field(default_factory=list)


def _outcome_key(assessment: Assessment, scenario: Scenario, options: FitOptions) -> str:
    """A digest of everything the scenario's estate result depends on (two queries).

    The changes; the stored scores (the estate's and the latest site's scoring time,
    and how many sites are scored: every change to a site or the assessment rescores
    what it touches); the organisation's answers, the partner's country facts and the
    ruleset (``org_inputs_key``); the title and customer shown with it; and the date the
    certificate renewals are counted at.
    """
    row = AssessmentScore.objects.filter(pk=assessment.pk).values_list("scored_at").first()
    sites = SiteScore.objects.filter(assessment_id=assessment.pk).aggregate(
        latest=Max("scored_at"), count=Count("pk")
    )
    answers = engine_io.assessment_input(assessment, [])
    parts = (
        scenario.changes,
        row,
        sites["latest"],
        sites["count"],
        org_inputs_key(answers, options),
        answers.title,
        answers.customer.name,
        options.as_of,
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _score_outcome(assessment: Assessment, scenario: Scenario, options: FitOptions) -> dict:
    """Score the whole estate with the scenario's changes: its estate result and site rows."""
    sites = list(selectors.site_list(assessment=assessment))
    current = engine_io.assessment_input(assessment, sites)
    what_if = apply_changes(current, scenario.changes, {s.name: s.pk for s in sites})
    org = org_fit(what_if, options)
    results = score_sites(what_if, None, options, org=org)
    parts = [site_part(r, s, what_if) for r, s in zip(results, what_if.sites, strict=True)]
    estate = aggregate(what_if, parts, options, org=org)
    stored = {s.name for s in current.sites}
    return {
        "estate": estate.to_dict(),
        "rows": [[p.site, p.score, p.grade] for p in parts],
        # Kept whole: the page lists them, and they are few (a scenario's changes are).
        "added": [r.to_dict() for r in results if r.site not in stored],
    }


def scenario_sites(
    *, assessment: Assessment, scenario: Scenario, site_ids: list[int], options: FitOptions
) -> dict[int, SiteResult]:
    """Some sites' results with the scenario's changes, scored now (their branches loaded).

    A site's result depends on its own answers, the organisation's and the loads of the
    sites that backhaul to it: those are loaded with the changes applied, and nothing else.

    Args:
        assessment: The assessment (its customer selected with it).
        scenario: The scenario.
        site_ids: The sites, e.g. a page of the what-if window.
        options: The partner's country facts and the date, as the estate is scored with.

    Returns:
        Their results with the changes, by site id.
    """
    if not site_ids:
        return {}
    loaded, subset = scores.site_inputs(assessment, set(site_ids))
    what_if = apply_changes(subset, scenario.changes, {s.name: pk for pk, s in loaded.items()})
    wanted = {loaded[pk].name: pk for pk in site_ids if pk in loaded}
    return {wanted[r.site]: r for r in score_sites(what_if, wanted, options)}


def scenario_outcome(*, assessment: Assessment, scenario: Scenario, site_ids: list[int]) -> Outcome:
    """The scenario's estate result, kept with the scenario, and some sites' results.

    The estate result is scored when missing or stale (the scenario's changes, the
    assessment's stored scores, the country facts or the ruleset moved since) and kept,
    so a view reads it rather than scoring the estate; only ``site_ids`` are scored each
    time. Read the stored scores first (:func:`scores.stored_scores`): a rescore they
    need changes the key.

    Args:
        assessment: The assessment (its customer selected with it).
        scenario: The scenario (its kept outcome is updated in place when stale).
        site_ids: The sites shown, whose what-if results are scored now.

    Returns:
        The outcome.
    """
    options = engine_io.fit_options(assessment.organisation_id)
    key = _outcome_key(assessment, scenario, options)  # read before scoring: never too new
    if scenario.outcome_key != key or not scenario.outcome:
        scenario.outcome = _score_outcome(assessment, scenario, options)
        scenario.outcome_key = key
        # Not ``save()``: viewing a scenario is not changing it (``updated_at`` orders them).
        Scenario.objects.filter(pk=scenario.pk).update(outcome=scenario.outcome, outcome_key=key)
    return Outcome(
        estate=estate_result_from_dict(scenario.outcome["estate"]),
        rows=[(name, score, grade) for name, score, grade in scenario.outcome["rows"]],
        sites=scenario_sites(
            assessment=assessment, scenario=scenario, site_ids=site_ids, options=options
        ),
        added=[site_result_from_dict(r) for r in scenario.outcome.get("added", [])],
    )


@dataclasses.dataclass(frozen=True)
class PlannedChange:
    """One line of what promoting a scenario writes, as people read it.

    Attributes:
        field: The answer's label ("Wi-Fi", "Internet lines", "New site").
        old: Its value now.
        new: The value the scenario writes.
        sites: The sites it is written at, by name; empty for an organisation answer.
    """

    field: str
    old: str
    new: str
    sites: list[str]


@dataclasses.dataclass
class _Plan:
    """What promoting writes: organisation answers, each site's answers and lines, new sites."""

    org: dict[str, Any]
    sites: list[tuple[Site, dict[str, Any], list[dict[str, Any]] | None]]
    added: list[dict[str, Any]]


def _new_lines(current: list[dict[str, Any]], role: str, value: dict) -> list[dict[str, Any]]:
    """A site's circuit rows (as stored) with those of the change's role replaced."""
    new = _circuit_of(role, value)
    # A line made bigger is usually the same provider's: the replaced one's is kept.
    provider = next((r["provider"] for r in current if r["role"] == new.role), "")
    row = {"role": new.role, "kind": new.kind, "down_mbps": new.down_mbps}
    row |= {"up_mbps": new.up_mbps, "provider": provider}
    return sorted_circuits([*(r for r in current if r["role"] != new.role), row])


def _plan(assessment: Assessment, changes: list[dict]) -> _Plan:
    org = {
        c["field"]: field_for("organisation", c["field"]).clean(c["value"] or "")
        for c in changes
        if c["scope"] == "organisation"
    }
    taken = set(assessment.sites.values_list("name", flat=True))
    added = [
        c["value"]
        for c in changes
        if c["scope"] == NEW_SITE
        and site_name_key(c["value"]["name"]) not in {site_name_key(n) for n in taken}
    ]
    per_site = [c for c in changes if c["scope"] in ("sites", CIRCUITS)]
    sites = []
    if per_site:
        for site in assessment.sites.order_by("pk").prefetch_related("circuits"):
            fields: dict[str, Any] = {}
            lines: list[dict[str, Any]] | None = None
            for c in per_site:
                if c["sites"] and site.pk not in c["sites"]:
                    continue
                if c["scope"] == CIRCUITS:
                    lines = _new_lines(lines or circuits_plain(site), c["field"], c["value"])
                    if c["field"] == LTE:
                        fields["lte_backup"] = "yes"
                else:
                    field = field_for("sites", c["field"])
                    fields[c["field"]] = field.clean("" if c["value"] is None else c["value"])
            if fields or lines is not None:
                sites.append((site, fields, lines))
    return _Plan(org=org, sites=sites, added=added)


def promote_plan(*, scenario: Scenario) -> list[PlannedChange]:
    """Exactly what promoting the scenario would write now, field by field, old and new.

    Sites that get the same field from the same old value to the same new one share a
    line; answers that already hold the scenario's value are left out (nothing changes).

    Args:
        scenario: The scenario (its assessment's current answers are read).

    Returns:
        The lines, organisation answers first, then site answers, then new sites.
    """
    assessment = scenario.assessment
    plan = _plan(assessment, scenario.changes)
    lines: list[PlannedChange] = []
    for name, value in plan.org.items():
        old, new = plain(getattr(assessment, name)), plain(value)
        if old != new:
            lines.append(
                PlannedChange(
                    presenters.label(Assessment, name),
                    presenters.display(Assessment, name, old),
                    presenters.display(Assessment, name, new),
                    [],
                )
            )
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for site, fields, circuits in plan.sites:
        pairs = [(n, plain(getattr(site, n)), plain(v)) for n, v in fields.items()]
        if circuits is not None:
            pairs.append(("circuits", circuits_plain(site), circuits))
        for name, old, new in pairs:
            if old != new:
                key = (
                    presenters.label(Site, name),
                    presenters.display(Site, name, old),
                    presenters.display(Site, name, new),
                )
                grouped.setdefault(key, []).append(site.name)
    lines += [PlannedChange(*key, names) for key, names in grouped.items()]
    for value in plan.added:
        lines.append(
            PlannedChange(
                "New site",
                "not there yet",
                f"{country_name(value['country'])}, {value['users']} users, "
                f"{value['down_mbps']}/{value['up_mbps']} Mbps",
                [value["name"]],
            )
        )
    return lines


@transaction.atomic
def scenario_promote(*, scenario: Scenario, actor: Actor) -> Undo:
    """Write the scenario's changes into the assessment, through the versioned services.

    Every write is kept (its old and new values and the version it left) so that
    :func:`assessments.services.undo.promote_undo` can take the promotion back.

    Returns:
        The undo entry of the promotion.
    """
    # As other writers of sites lock it (``lock_sites_of``), so a grid edit can finish.
    assessment = Assessment.objects.select_for_update(no_key=True).get(pk=scenario.assessment_id)
    plan = _plan(assessment, scenario.changes)
    writes: list[dict[str, Any]] = []
    if plan.org:
        saved = assessment_update(
            assessment=assessment, base_version=assessment.version, changes=plan.org, actor=actor
        )
        if saved.changed:
            writes.append(
                {"type": "assessment", "id": assessment.pk, "version": saved.version}
                | {"changed": saved.changed}
            )
    for site, fields, circuits in plan.sites:
        saved = site_update(
            site=site, base_version=site.version, changes=fields, actor=actor, circuits=circuits
        )
        if saved.changed:
            writes.append(
                {"type": "site", "id": site.pk, "version": saved.version, "changed": saved.changed}
            )
    created = []
    for value in plan.added:
        site = site_create(
            assessment=assessment,
            fields={"name": value["name"], "country": value["country"], "users": value["users"]},
            circuits=[
                {"role": "primary", "kind": value["kind"], "provider": ""}
                | {"down_mbps": value["down_mbps"], "up_mbps": value["up_mbps"]}
            ],
            actor=actor,
        )
        created.append({"id": site.pk, "version": site.version, "name": site.name})
    scenario.promoted_at = timezone.now()
    scenario.save(update_fields=["promoted_at", "updated_at"])
    # The answers it changed are logged one by one above; this entry says why.
    record_change(
        assessment=assessment,
        obj=scenario,
        action="promote",
        changed={},
        actor=actor,
        rescore=False,
    )
    return Undo.objects.create(
        assessment=assessment,
        kind=UndoKind.PROMOTE,
        label=f"“{scenario.name}” promoted"[:160],
        payload={"scenario": scenario.pk, "writes": writes, "created": created},
        user=actor.user,
    )
