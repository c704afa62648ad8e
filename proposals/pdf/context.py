"""The proposal context: everything the PDF templates show, composed section by section."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NotRequired, TypedDict

from django.utils.safestring import SafeString

from proposals.pdf.brand import FONT_FAMILIES, Branding, brand_css, safe_branding
from proposals.pdf.sections import (
    appendix,
    costs,
    cover,
    large,
    next_steps,
    ownership,
    readiness,
    resilience,
    sites,
    sources,
    story,
    summary,
)


class ProposalSnapshot(TypedDict):
    """What an issued proposal freezes; a draft preview builds the same shape in memory.

    Attributes:
        document: The assessment document (``assessment_export``): answers, sites, circuits.
        results: The scoring result (``result_payload``).
        ruleset_version: The ruleset that produced ``results``.
        branding: The branding used.
        thresholds: Every threshold the rules used, with its domain.md section.
        number: The version number, or ``None`` for a draft.
        issued_at: ISO timestamp of issue, or ``None`` for a draft.
        issued_by: Who issued it (name), or who previews a draft.
        story: The cover letter and next steps as prepared (``letter``, ``steps``); absent
            in versions issued before they existed.
    """

    document: dict[str, Any]
    results: dict[str, Any]
    ruleset_version: str
    branding: Branding
    thresholds: list[dict[str, Any]]
    number: int | None
    issued_at: str | None
    issued_by: str
    story: NotRequired[dict[str, Any]]


class ProposalContext(TypedDict):
    """Everything the templates under ``templates/pdf/proposal/`` read.

    Attributes:
        draft: True for a preview that has not been issued (watermarked).
        customer_name: The customer's name (cover, header, file name).
        assessment_title: The assessment's title.
        number: Version number, ``None`` for a draft.
        issued_at: When it was issued (``None`` for a draft).
        issued_by: Who issued (or previews) it.
        date: The date printed on the cover.
        branding: The partner's branding.
        brand_css: CSS custom properties built from the validated branding values.
        ruleset_version: The scoring ruleset version.
        recommendation: The overall recommendation (label, summary, kind, mix, notes, fit,
            status, what would change it, the gateways by site).
        reasons: Three or four plain-language reasons that drove it.
        figures: Key figures: sites, users, average readiness, grade counts, countries.
        deciding_question: The question the ownership section asks plainly.
        operating_answer: What the customer answered to it, in words.
        fit_chart: SVG bars of each model's fit, the recommended model's bar marked.
        fit_models: Each model's fit and availability (why it is unavailable, or unknown).
        grade_chart: SVG donut of sites by grade.
        readiness_charts: SVG bars of site readiness, split so each fits on a page.
        readiness_bars: The same bars as table rows, when a name needs shaping (or ``[]``).
        sites: One row per site for the readiness table.
        one_model: The model recommended at every site, when there are several sites and
            all share it (the readiness table then says it once); otherwise empty.
        remediation: Sites not graded ready, with their findings and what to do.
        common_fixes: Advice repeated word for word at several sites, printed once
            (``ref``, ``text``, ``found``, ``sites``, ``section``); findings point to it
            by ``ref``.
        common_checks: Items to verify that recur at several sites (``ref``, ``text``,
            ``sites``), when ``compact``.
        compact: True from :data:`~.sections.sites.COMPACT_FROM_SITES` sites needing work:
            each site gives its recurring medium and minor fixes and items to verify by
            reference.
        ownership: The day one / day 500 comparison of the two main models and the
            who-owns-what table of every model.
        costs: Each model's one-off, yearly and three-year cost from the partner's price
            book as frozen in the snapshot, the cumulative chart, break-even, the figures
            of the recommended design line by line and the assumptions (see
            :func:`~.sections.costs.section`).
        resilience: Sites lacking a secondary circuit, LTE backup or SD-WAN, and the plan.
        resilience_plans: The distinct plans (``ref`` letter, ``text``, ``sites``); each
            site of ``resilience`` refers to one by ``ref``.
        next_steps: Provisioning and support steps for the recommended model.
        answers: Organisation answers as (question, answer) pairs.
        site_answers: Site answers as three tables (people and PSTN, network, measurements).
        thresholds: Thresholds used, with value and source.
        sources: The domain.md sections cited and the Microsoft documents behind them.
        country_data: The country facts the recommendation used (``label``: their date and
            overrides) and the sources of the data file (``sources``).
        assumptions: Planning assumptions the figures rest on.
        story: The executive story (:func:`~.sections.story.section`): the letter, the
            chart of grades today and after the fixes, the cost summary, the next steps.
        annex: Whether the per-site detail is in the site annex (``needed``), the number
            of sites (``sites``) and of those given in detail here (``detail``); see
            :func:`~.sections.large.bound`.
    """

    draft: bool
    customer_name: str
    assessment_title: str
    number: int | None
    issued_at: datetime | None
    issued_by: str
    date: datetime
    branding: Branding
    brand_css: str
    ruleset_version: str
    recommendation: dict[str, Any]
    reasons: list[str]
    figures: dict[str, Any]
    deciding_question: str
    operating_answer: str
    fit_chart: SafeString
    fit_models: list[dict[str, Any]]
    grade_chart: SafeString
    readiness_charts: list[SafeString]
    readiness_bars: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    one_model: str
    remediation: list[dict[str, Any]]
    common_fixes: list[dict[str, Any]]
    common_checks: list[dict[str, Any]]
    compact: bool
    ownership: dict[str, Any]
    costs: dict[str, Any]
    resilience: list[dict[str, Any]]
    resilience_plans: list[dict[str, Any]]
    next_steps: list[dict[str, Any]]
    answers: list[tuple[str, str]]
    site_answers: list[dict[str, Any]]
    thresholds: list[dict[str, Any]]
    sources: list[dict[str, str]]
    country_data: dict[str, Any]
    assumptions: list[str]
    story: dict[str, Any]
    annex: dict[str, Any]


def build_context(snapshot: ProposalSnapshot, *, draft: bool = False) -> ProposalContext:
    """Build the proposal context from a snapshot: a pure function of its input.

    Each section of the proposal builds its own part (``proposals/pdf/sections/``, one
    module per template of ``templates/pdf/proposal/``); the figures and the readiness
    table's rows are built once here because several sections read them.

    Args:
        snapshot: A stored proposal's frozen values, or a draft built in memory.
        draft: True for a preview; the pages are marked "Draft".

    Returns:
        The context the templates read.
    """
    document, results = snapshot["document"], snapshot["results"]
    branding = safe_branding(snapshot["branding"])
    font = FONT_FAMILIES[branding["font"]]  # the charts' text in the brand's font, too
    estate = summary.estate(results)
    figures = summary.key_figures(estate, results)
    rows = readiness.site_rows(results, document)
    thresholds = snapshot.get("thresholds") or []
    context = ProposalContext(  # type: ignore[typeddict-item]  # ``annex`` is set by bound()
        **cover.section(snapshot, draft=draft),
        branding=branding,
        brand_css=brand_css(branding),
        ruleset_version=snapshot["ruleset_version"],
        **summary.section(results, document, figures, font=font),
        **readiness.section(rows, estate, font=font),
        **sites.section(results, rows),
        **ownership.section(results),
        # A large estate's sites' own SBCs are summed up: the workbook gives each.
        **costs.section(results, font=font, annex=large.needs_annex(len(rows))),
        **resilience.section(document, results),
        **next_steps.section(results, figures, branding),
        # A large estate's site answers are in the annex: not worked out here for nothing.
        **appendix.section(
            document, results, thresholds, with_sites=not large.needs_annex(len(rows))
        ),
        **sources.section(results, thresholds),
        **story.section(dict(snapshot), results, font=font),
    )
    bounded = large.bound(context)
    story.in_words(bounded)  # the matrices are in an appendix: the body speaks in words
    return bounded  # type: ignore[return-value]
