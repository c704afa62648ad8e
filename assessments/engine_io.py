"""The one bridge between the ORM and the pure scoring engine (fixed number of queries)."""

from django.db.models import Prefetch
from django.utils import timezone

from assessments.kept_html import Kept
from assessments.models import Assessment, Circuit, Site
from assessments.schema.document import personas_from_answers, site_name_key
from assessments.selectors import CIRCUIT_ORDER
from scoring import (
    AssessmentInput,
    AssessmentResult,
    CircuitInput,
    CustomerInput,
    SiteInput,
    score_assessment,
)
from scoring.countries import CountryOverride as EngineOverride
from scoring.countries import FitOptions
from scoring.inputs import field_names
from tenancy.models import CountryOverride

ORG_FIELDS = tuple(
    name for name in field_names(AssessmentInput) if name not in {"title", "customer", "sites"}
)
_SITE_FIELDS = tuple(
    name
    for name in field_names(SiteInput)
    if name not in {"country", "circuits", "personas", "backhaul_hub"}
)
_CIRCUIT_FIELDS = field_names(CircuitInput)


def circuit_input(circuit: Circuit) -> CircuitInput:
    """Engine input for one circuit."""
    return CircuitInput(**{name: getattr(circuit, name) for name in _CIRCUIT_FIELDS})


def site_input(site: Site, hubs: dict[str, str] | None = None) -> SiteInput:
    """Engine input for one site; uses prefetched circuits when they are there.

    Args:
        site: The site.
        hubs: The names its backhaul hub may resolve to, by :func:`site_name_key` (see
            :func:`backhaul_hubs`); None scores the site on its own line.
    """
    values = {name: getattr(site, name) for name in _SITE_FIELDS}
    return SiteInput(
        country=site.country.code,
        circuits=tuple(circuit_input(c) for c in site.circuits.all()),
        personas=personas_from_answers(vars(site)),
        backhaul_hub=(hubs or {}).get(site_name_key(site.backhaul_hub), ""),
        **values,
    )


def backhaul_hubs(sites: list[Site]) -> dict[str, str]:
    """The sites a branch may backhaul through: their names, by :func:`site_name_key`.

    A hub must be a site of the assessment on its own line: the engine adds a branch's
    load to its hub one level deep (Network Planner's hub and its sites), so a hub that
    itself backhauls would pass nothing on. The forms refuse such answers; a hub renamed
    or deleted since, or such a chain, scores the branch on its own line instead of
    failing the whole assessment.
    """
    return {site_name_key(s.name): s.name for s in sites if not s.backhaul_hub.strip()}


def backhaul_hubs_of(sites: list[tuple[str, str]]) -> dict[str, str]:
    """:func:`backhaul_hubs` from each site's ``(name, backhaul_hub)`` (read as values)."""
    return {site_name_key(name): name for name, hub in sites if not hub.strip()}


def assessment_input(
    assessment: Assessment, sites: list[Site] | None = None, *, hubs: dict[str, str] | None = None
) -> AssessmentInput:
    """Engine input for a whole assessment.

    Args:
        assessment: The assessment (its customer is read; select it with the assessment).
        sites: Its sites with circuits prefetched, if the caller has them already;
            otherwise they are loaded in two queries.
        hubs: The hubs a branch among ``sites`` may resolve to, when ``sites`` are only
            some of the assessment's (see :func:`backhaul_hubs`); by default, ``sites``'.

    Returns:
        The frozen input the engine scores.
    """
    if sites is None:
        sites = list(
            Site.objects.filter(assessment=assessment).prefetch_related(
                Prefetch("circuits", queryset=Circuit.objects.order_by(CIRCUIT_ORDER, "id"))
            )
        )
    customer = assessment.customer
    if hubs is None:
        hubs = backhaul_hubs(sites)
    return AssessmentInput(
        title=assessment.title,
        customer=CustomerInput(
            name=customer.name, industry=customer.industry, country=customer.country.code or ""
        ),
        sites=tuple(site_input(s, hubs) for s in sites),
        **{name: getattr(assessment, name) for name in ORG_FIELDS},
    )


def fit_options(organisation_id: int | None) -> FitOptions:
    """What the fit needs beyond the answers: the partner's country facts, and today's date.

    Args:
        organisation_id: The partner whose corrections of the published country facts
            apply, or None for none (a document scored outside any partner).

    Returns:
        The options the engine scores with (one query for the partner's corrections).
    """
    overrides = {}
    if organisation_id is not None:
        # Plain values: building the rows as models costs more than the query.
        rows = CountryOverride.objects.filter(organisation_id=organisation_id).values_list(
            "country", "operator_connect", "calling_plans", "teams_phone_mobile", "note"
        )
        for code, operator_connect, calling_plans, teams_phone_mobile, note in rows:
            overrides[code] = EngineOverride(
                country=code,
                operator_connect=operator_connect or None,
                calling_plans=calling_plans or None,
                teams_phone_mobile=teams_phone_mobile or None,
                note=note,
            )
    # Certificate renewals a year follow the public maximum lifetime in force today.
    return FitOptions(overrides=overrides, as_of=timezone.localdate())


# Per process: each partner's country facts as read at a version of them (the organisation
# row counts their changes, and is read with the member on every page), for today.
_fit_options: Kept[FitOptions] = Kept(1_000)


def forget_kept_fit_options() -> None:
    """Forget the country facts this process kept (tests that write them behind its back)."""
    _fit_options.clear()


def fit_options_of(assessment: Assessment) -> FitOptions:
    """As :func:`fit_options` for the assessment's partner, read once per version of its facts.

    Stored results are current only for the facts they were scored with, so every page
    checks them: kept while the partner's ``country_facts_version`` holds, they cost no
    query when the organisation came with the assessment (``tenancy.permissions`` and the
    invite links give it); otherwise they are read.
    """
    if not Assessment._meta.get_field("organisation").is_cached(assessment):
        return fit_options(assessment.organisation_id)
    organisation = assessment.organisation
    key = (organisation.pk, organisation.country_facts_version, timezone.localdate())
    return _fit_options.get(key, lambda: fit_options(organisation.pk))


def score(assessment: Assessment, sites: list[Site] | None = None) -> AssessmentResult:
    """Score an assessment as it is stored now, with its partner's country facts."""
    return score_assessment(
        assessment_input(assessment, sites), fit_options(assessment.organisation_id)
    )
