"""The engine's entry points: score one site or a whole assessment."""

from __future__ import annotations

from scoring import ruleset as R
from scoring.countries import NO_OPTIONS, FitOptions
from scoring.inputs import AssessmentInput, SiteInput
from scoring.network import score_network, site_load
from scoring.ownership import ownership_matrix
from scoring.pstn_fit import (
    OrgFit,
    org_fit,
    overall_fits,
    recommend_overall,
    recommend_site,
    site_fits,
)
from scoring.results import (
    AssessmentResult,
    BandwidthLoad,
    SiteResult,
    estate_summary,
    new_site_result,
)

_NO_ANSWERS = AssessmentInput()


type _Branches = dict[str, list[tuple[str, BandwidthLoad]]]


def _branches(sites: tuple[SiteInput, ...]) -> _Branches:
    """The sites that backhaul to each hub, with their own load (§3.1), by hub name."""
    hubs: _Branches = {}
    for site in sites:
        if site.backhaul_hub:
            hubs.setdefault(site.backhaul_hub, []).append((site.name, site_load(site)))
    return hubs


def _score_site(site: SiteInput, org: OrgFit, hubs: _Branches) -> SiteResult:
    network = score_network(site, hubs.get(site.name, ()))
    fits = site_fits(site, org)
    return new_site_result(
        site.name, site.country, site.users, network, fits.fits, fits.notes,
        recommend_site(fits),
    )  # fmt: skip


def score_site(
    site: SiteInput,
    assessment: AssessmentInput | None = None,
    options: FitOptions = NO_OPTIONS,
) -> SiteResult:
    """Score one site: network readiness, PSTN-model fits and the recommended model.

    Args:
        site: The site to score.
        assessment: The organisation-wide answers the fits depend on; ``None`` scores as
            if every answer were "don't know". Its ``sites`` are not used.
        options: Per-country overrides and other inputs beyond the answers.

    Returns:
        The site's result.
    """
    answers = assessment or _NO_ANSWERS
    return _score_site(site, org_fit(answers, options), _branches(answers.sites))


def score_assessment(
    assessment: AssessmentInput, options: FitOptions = NO_OPTIONS
) -> AssessmentResult:
    """Score a whole assessment.

    Args:
        assessment: Organisation-wide answers and every site.
        options: Per-country overrides (a partner's operator footprint), whether the
            carrier to keep is in the Operator Connect programme, and the date
            certificate lifetimes are counted at.

    Returns:
        Per-site results, overall fits and recommendation, the ownership matrix, the
        ruleset version and the assumptions used. Deterministic: the same input always
        gives an equal result.
    """
    org = org_fit(assessment, options)
    hubs = _branches(assessment.sites)
    sites = tuple(_score_site(s, org, hubs) for s in assessment.sites)
    fits = overall_fits(org, [(r.fits, r.users) for r in sites])
    recommendation = recommend_overall(org, [(r.site, r.users, r.recommendation) for r in sites])
    grades = {r.site: r.network.grade for r in sites}
    ownership = ownership_matrix(
        assessment,
        grades,
        {model: list(names) for model, names in recommendation.sites_by_model},
        recommendation.dr_variant,
        gateways=recommendation.gateways,
        as_of=options.as_of,
    )
    summary = estate_summary(sites)
    return AssessmentResult(
        R.RULESET_VERSION,
        assessment.title,
        assessment.customer.name,
        sites,
        org.notes,
        fits,
        recommendation,
        ownership,
        summary.grade_counts(),
        R.ASSUMPTIONS,
        summary,
    )
