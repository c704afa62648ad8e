"""What-if scenarios: apply changed answers to the engine input, compare, and promote."""

import dataclasses
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from assessments import engine_io, questions, selectors
from assessments.models import Assessment, AssessmentScore, Scenario, Site, SiteScore
from assessments.services import scores
from assessments.services.assessments import assessment_update, site_update
from assessments.services.versioning import Actor, plain, record_change
from scoring import AssessmentInput, AssessmentResult, SiteResult, score_assessment
from scoring.countries import FitOptions
from scoring.decode import estate_result_from_dict
from scoring.engine import aggregate, org_inputs_key, score_sites, site_part
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
    """Add (or replace) one change; a later change to the same thing wins."""
    change = {"scope": scope, "field": field, "value": plain(value), "sites": sorted(sites)}
    if change in scenario.changes:
        return scenario  # the same change again: nothing to save
    kept = [
        c
        for c in scenario.changes
        if (c["scope"], c["field"], c["sites"]) != (scope, field, change["sites"])
    ]
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


def apply_changes(
    current: AssessmentInput, changes: list[dict], site_ids: dict[str, int]
) -> AssessmentInput:
    """The engine input with a scenario's changes applied (the stored data untouched).

    Args:
        current: The assessment as stored, as engine input.
        changes: The scenario's changes.
        site_ids: Site name → id, to find the sites a change names.

    Returns:
        A new input; the engine validates it as it would any other.
    """
    org: dict[str, Any] = {}
    per_site: dict[str, dict[str, Any]] = {}
    for change in changes:
        value = _engine_value(change["scope"], change["field"], change["value"])
        if change["scope"] == "organisation":
            org[change["field"]] = value
            continue
        for site in current.sites:
            if not change["sites"] or site_ids.get(site.name) in change["sites"]:
                per_site.setdefault(site.name, {})[change["field"]] = value
    sites = tuple(
        dataclasses.replace(site, **per_site[site.name]) if site.name in per_site else site
        for site in current.sites
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
    """

    estate: EstateResult
    rows: list[tuple[str, int, str]]
    sites: dict[int, SiteResult]


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
    return {"estate": estate.to_dict(), "rows": [[p.site, p.score, p.grade] for p in parts]}


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
    )


@transaction.atomic
def scenario_promote(*, scenario: Scenario, actor: Actor) -> None:
    """Write the scenario's changes into the assessment, through the versioned services."""
    assessment = Assessment.objects.select_for_update().get(pk=scenario.assessment_id)
    org = {
        c["field"]: field_for("organisation", c["field"]).clean(c["value"] or "")
        for c in scenario.changes
        if c["scope"] == "organisation"
    }
    if org:
        assessment_update(
            assessment=assessment, base_version=assessment.version, changes=org, actor=actor
        )
    for site in assessment.sites.order_by("pk"):
        changes = {
            c["field"]: field_for("sites", c["field"]).clean(
                "" if c["value"] is None else c["value"]
            )
            for c in scenario.changes
            if c["scope"] == "sites" and (not c["sites"] or site.pk in c["sites"])
        }
        if changes:
            site_update(site=site, base_version=site.version, changes=changes, actor=actor)
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
