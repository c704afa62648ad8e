"""The engine's entry points: score one site, some sites, or a whole assessment."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace

from scoring import ruleset as R
from scoring.countries import NO_OPTIONS, FitOptions
from scoring.inputs import AssessmentInput, SiteInput
from scoring.network import score_network, site_load
from scoring.ownership import SiteSize, ownership_for_sites, site_dr_sbcs
from scoring.pstn_fit import (
    OrgFit,
    org_fit,
    overall_fits_of,
    recommend_overall,
    recommend_site,
    site_fits,
)
from scoring.results import (
    AssessmentResult,
    BandwidthLoad,
    EstateResult,
    SitePart,
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


def score_sites(
    assessment: AssessmentInput,
    names: Collection[str] | None = None,
    options: FitOptions = NO_OPTIONS,
    *,
    org: OrgFit | None = None,
) -> tuple[SiteResult, ...]:
    """Score some of an assessment's sites, each exactly as :func:`score_assessment` would.

    A site's result depends on its own input, the organisation's answers and options, and
    the loads of the sites that backhaul to it; ``assessment.sites`` must hold those
    branches of every site named (the other sites are not needed).

    Args:
        assessment: The organisation-wide answers and the sites (those to score, and the
            branches of any hub among them).
        names: The names of the sites to score; ``None`` scores every site.
        options: Per-country overrides and the other inputs beyond the answers.
        org: The organisation-wide part already computed from ``assessment`` and
            ``options`` (:func:`scoring.pstn_fit.org_fit`), to compute it once.

    Returns:
        The results of the named sites, in the order of ``assessment.sites``.
    """
    fit = org if org is not None else org_fit(assessment, options)
    hubs = _branches(assessment.sites)
    return tuple(
        _score_site(s, fit, hubs) for s in assessment.sites if names is None or s.name in names
    )


def site_part(result: SiteResult, site: SiteInput, assessment: AssessmentInput) -> SitePart:
    """What the estate-level result needs of one site's result (see :class:`SitePart`).

    Args:
        result: The site's result.
        site: The site's input (for the SBCs it would add to a Direct Routing build).
        assessment: The organisation's answers (the survivability answer sizes SBCs).

    Returns:
        The site's part, small enough to store and read back for every site of an estate.
    """
    network = result.network
    return SitePart(
        result.site, result.country, result.users, network.score, network.grade,
        tuple((f.fit, f.availability) for f in result.fits), result.recommendation,
        site_dr_sbcs(site, assessment),
    )  # fmt: skip


def aggregate(
    assessment: AssessmentInput,
    parts: Sequence[SitePart],
    options: FitOptions = NO_OPTIONS,
    *,
    org: OrgFit | None = None,
) -> EstateResult:
    """The estate-level result from every site's part: fits, recommendation, ownership.

    Args:
        assessment: The organisation-wide answers, title and customer (its ``sites`` are
            not read).
        parts: Every site's part, in site order (the recommendation names sites in it).
        options: As for :func:`score_assessment`.
        org: The organisation-wide part, if already computed.

    Returns:
        What :func:`score_assessment` returns beside the site results.
    """
    fit = org if org is not None else org_fit(assessment, options)
    fits = overall_fits_of(fit, [(p.fits, p.users) for p in parts])
    recommendation = recommend_overall(fit, [(p.site, p.users, p.recommendation) for p in parts])
    ownership = ownership_for_sites(
        assessment,
        [SiteSize(p.site, p.users, p.country, p.grade, p.dr_sbcs) for p in parts],
        {model: list(names) for model, names in recommendation.sites_by_model},
        gateways=recommendation.gateways,
        as_of=options.as_of,
    )
    summary = estate_summary(parts)
    return EstateResult(
        R.RULESET_VERSION,
        assessment.title,
        assessment.customer.name,
        fit.notes,
        fits,
        recommendation,
        ownership,
        summary.grade_counts(),
        R.ASSUMPTIONS,
        summary,
    )


def score_assessment(
    assessment: AssessmentInput, options: FitOptions = NO_OPTIONS
) -> AssessmentResult:
    """Score a whole assessment.

    The sites are scored by :func:`score_sites` and the estate-level result aggregated from
    their parts by :func:`aggregate`, so a caller that stores parts and rescores only the
    sites a change touched gets an equal result.

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
    sites = score_sites(assessment, None, options, org=org)
    parts = [site_part(r, s, assessment) for r, s in zip(sites, assessment.sites, strict=True)]
    return aggregate(assessment, parts, options, org=org).with_sites(sites)


def _digest(*values: object) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def org_inputs_key(assessment: AssessmentInput, options: FitOptions = NO_OPTIONS) -> str:
    """A key of what every site's result depends on beyond its own inputs.

    The organisation's answers, the partner's country overrides and the ruleset version;
    not the title, customer or sites, and not the date (it only sizes certificate
    renewals in the estate-level ownership matrix).

    Args:
        assessment: The organisation-wide answers (its sites are not read).
        options: The options sites are scored with.

    Returns:
        A hex digest: equal keys and equal site inputs give equal site results.
    """
    answers = replace(
        assessment,
        title="",
        sites=(),
        customer=_NO_ANSWERS.customer,
        # Cost-only answers (scoring.costs): they move no site's result.
        teams_phone_licences=_NO_ANSWERS.teams_phone_licences,
        teams_phone_licences_count=None,
        auto_attendants_queues=None,
        it_hourly_cost=None,
    )
    overrides = sorted((options.overrides or {}).items())
    return _digest(R.RULESET_VERSION, answers, overrides)


def site_inputs_keys(
    assessment: AssessmentInput, names: Collection[str] | None, org_key: str
) -> dict[str, str]:
    """A key of everything each named site's result depends on (see :func:`score_sites`).

    Args:
        assessment: The answers and sites: the named sites and their branches at least.
        names: The sites to key; ``None`` keys every site.
        org_key: :func:`org_inputs_key` of the assessment and options.

    Returns:
        A hex digest per site name: equal keys, equal results.
    """
    branches: dict[str, list[SiteInput]] = {}
    for site in assessment.sites:
        if site.backhaul_hub:
            branches.setdefault(site.backhaul_hub, []).append(site)
    # The hub a site backhauls to does not move its own result (only the hub's, which
    # carries the load): the key leaves it out, so a hub renamed keeps its branches' keys.
    return {
        site.name: _digest(
            org_key,
            replace(site, backhaul_hub=""),
            [replace(b, backhaul_hub="") for b in branches.get(site.name, ())],
        )
        for site in assessment.sites
        if names is None or site.name in names
    }
