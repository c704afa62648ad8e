"""Engine output: frozen dataclasses that convert to plain JSON-able dicts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from scoring.ruleset import Assumption
from scoring.sources import Source, source_for

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

type Scalar = str | int | float | bool | None


class Severity(StrEnum):
    """How much a finding matters, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK = {s.value: i for i, s in enumerate(Severity)}
# The order findings are listed in everywhere (pages, PDF, customer results): most severe
# first.
SEVERITY_ORDER: tuple[str, ...] = tuple(s.value for s in reversed(Severity))
_SEVERITY_FIRST = {s: i for i, s in enumerate(SEVERITY_ORDER)}


class Grade(StrEnum):
    """Network readiness grade of a site."""

    READY = "ready"
    READY_AFTER_REMEDIATION = "ready_after_remediation"
    NOT_READY = "not_ready"
    # Too little is known to grade the site (below ``ruleset.ASSESSED_FROM`` % of the
    # weight known): a grey "needs data" state, never a reason to paint a site red.
    NOT_ASSESSED = "not_assessed"


GRADE_LABELS = {
    Grade.READY: "Ready",
    Grade.READY_AFTER_REMEDIATION: "Ready after remediation",
    Grade.NOT_READY: "Not ready",
    Grade.NOT_ASSESSED: "Not assessed",
}


class Model(StrEnum):
    """A PSTN connectivity model (domain.md §1.1)."""

    OPERATOR_CONNECT = "operator_connect"
    DIRECT_ROUTING = "direct_routing"  # self-managed: the customer runs the SBCs
    DIRECT_ROUTING_HOSTED = "direct_routing_hosted"  # as a service: a partner runs them
    CALLING_PLANS = "calling_plans"
    TEAMS_PHONE_MOBILE = "teams_phone_mobile"


MODEL_LABELS = {
    Model.OPERATOR_CONNECT: "Operator Connect",
    Model.DIRECT_ROUTING: "Direct Routing, self-managed",
    Model.DIRECT_ROUTING_HOSTED: "Direct Routing as a service",
    Model.CALLING_PLANS: "Calling Plans",
    Model.TEAMS_PHONE_MOBILE: "Teams Phone Mobile",
}


class FitBand(StrEnum):
    """How well a PSTN model fits."""

    GOOD = "good"
    POSSIBLE = "possible"
    POOR = "poor"
    UNAVAILABLE = "unavailable"


FIT_BAND_LABELS = {
    FitBand.GOOD: "Good fit",
    FitBand.POSSIBLE: "Possible",
    FitBand.POOR: "Poor fit",
    FitBand.UNAVAILABLE: "Not available",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One explained reason a score moved (or could not be earned).

    Attributes:
        code: Stable identifier, e.g. ``"NET.LOSS.CLIENT.HIGH"``.
        site: Site name, or ``None`` for an organisation-wide finding.
        fields: Input field names that caused it.
        values: Their values, in the same order.
        severity: One of :class:`Severity`.
        points: Signed points this finding adds to its score.
        max_points: Weight at stake for the rule (0 for adjustments and caps).
        message: What was found, in plain language.
        recommendation: What to do about it, in plain language.
        section: The domain.md section the rule rests on, e.g. ``"§2.1"``.
        missing: True when the finding is about missing data.
        model: For fit findings, the PSTN model whose fit it moves; else ``None``.
        source: The Microsoft page the rule rests on (title and URL), from ``section``.
    """

    code: str
    site: str | None
    fields: tuple[str, ...]
    values: tuple[Scalar, ...]
    severity: str
    points: int
    max_points: int
    message: str
    recommendation: str
    section: str
    missing: bool = False
    model: str | None = None
    source: Source | None = None

    def __post_init__(self) -> None:
        if self.source is None:
            # As the fast builders do: the page behind the section, unless one is given.
            object.__setattr__(self, "source", _source(self.section))


type FindingLike = Finding | Mapping[str, Any]  # a result's finding, or its JSON form


def _rank_parts(finding: FindingLike) -> tuple[str, int, bool]:
    if isinstance(finding, Finding):
        return finding.severity, finding.points, finding.missing
    return finding["severity"], finding["points"], finding["missing"]


# A finding about other findings (the cap a critical reading puts on the score names them
# in its ``fields``): the readings it restates come first, so the top issue is "client
# packet loss 12 %", not "score capped by client packet loss".
_RESTATES = ("findings",)


def _restates(finding: FindingLike) -> bool:
    fields = finding.fields if isinstance(finding, Finding) else finding["fields"]
    return tuple(fields) == _RESTATES


def issue_order(finding: FindingLike) -> tuple[int, bool, int, bool]:
    """Sort key of the one order findings are listed in, on every page and in the PDF.

    Most severe first (:data:`SEVERITY_ORDER`), then findings before a summary of them
    (a cap), then the most points lost, then measured problems before unknowns; ties keep
    the engine's order (rule order), as sorts are stable. Works on a :class:`Finding` and
    on its JSON form (a stored snapshot).

    Args:
        finding: A finding, or the dict ``to_plain`` made of one.

    Returns:
        A key for ``sorted`` / ``min``.
    """
    severity, points, missing = _rank_parts(finding)
    return _SEVERITY_FIRST[severity], _restates(finding), points, missing


def is_issue(finding: FindingLike) -> bool:
    """Whether a finding is a problem at the site: it cost points or the data is missing."""
    _severity, points, missing = _rank_parts(finding)
    return points < 0 or missing


def top_issue[F: FindingLike](findings: Iterable[F]) -> F | None:
    """The finding that matters most among ``findings`` (first by :func:`issue_order`).

    Args:
        findings: A site's network findings (dataclasses or their JSON form).

    Returns:
        The top problem, or ``None`` when every check passed.
    """
    # One pass, each finding read once: the engine calls this for every site it scores.
    best, best_key = None, None
    for finding in findings:
        if finding.__class__ is Finding:
            severity, points, missing = finding.severity, finding.points, finding.missing
        else:
            severity, points, missing = _rank_parts(finding)
        if points < 0 or missing:
            key = (_SEVERITY_FIRST[severity], _restates(finding), points, missing)
            if best_key is None or key < best_key:
                best, best_key = finding, key
    return best


# ``object.__new__`` without ``__init__``. It returns an instance of a class made at run
# time by :func:`_shadow`, which no static type can name, so the builders below hold it as
# ``Any`` and hand it back typed as the frozen class it has become.
_new: Callable[[type], Any] = object.__new__


_SCALARS = frozenset({str, int, float, bool, type(None)})
# A dataclass's field names and a getter of their values: a tuple of them, or the value
# itself when the class has a single field (``attrgetter`` with one name).
type _Getter = tuple[tuple[str, ...], Callable[[object], Any]]
_GETTERS: dict[type, _Getter] = {}


def _getter(cls: type[DataclassInstance]) -> _Getter:
    names = tuple(f.name for f in fields(cls))
    return _GETTERS.setdefault(cls, (names, attrgetter(*names)))


def to_plain(obj: Any, _memo: dict[int, Any] | None = None) -> Any:
    """Convert a result (or any part of it) to plain JSON-able values.

    Dataclasses become dicts in field order and tuples become lists; like
    ``dataclasses.asdict`` but without deep-copying every leaf. Organisation-wide
    findings repeat in every site's fits; each is converted once and the same dict is
    reused, so treat the output as read-only (or ``copy.deepcopy`` it).

    Args:
        obj: A result dataclass, or a tuple/list/dict of them, or a scalar.

    Returns:
        The same data as dicts, lists and scalars.
    """
    memo: dict[int, Any] = {} if _memo is None else _memo
    cls = obj.__class__
    if cls in _SCALARS:
        return obj
    if cls is tuple or cls is list:
        return [to_plain(item, memo) for item in obj]
    if cls is dict:
        return {key: to_plain(value, memo) for key, value in obj.items()}
    if hasattr(cls, "__dataclass_fields__"):
        key = id(obj)
        done = memo.get(key)
        if done is not None:
            return done
        names, get = _GETTERS.get(cls) or _getter(cls)
        values = get(obj) if len(names) > 1 else (get(obj),)
        done = memo[key] = {
            name: value if value.__class__ in _SCALARS else to_plain(value, memo)
            for name, value in zip(names, values, strict=True)
        }
        return done
    return obj  # StrEnum members and other scalar subclasses


def _shadow(cls: type) -> type:
    """A plain class with ``cls``'s slot layout, for building frozen instances fast.

    A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``,
    about 1.8 µs for a finding; the engine builds ~20 findings per site and must score
    20,000 sites a second (issue #3). Instead the builders below fill an instance of
    this identical-layout class with ordinary (interpreter-specialised) slot stores and
    then set ``__class__`` to the frozen class: Python allows ``__class__`` assignment
    between classes with the same slots. The result is an ordinary frozen instance of
    ``cls`` (equal, hashable, immutable); scoring/tests/test_scoring_results.py checks it.
    """
    return type(f"_{cls.__name__}Builder", (), {"__slots__": cls.__dict__["__slots__"]})


_FindingBuilder = _shadow(Finding)


def new_finding(
    code: str,
    site: str | None,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    severity: str,
    points: int,
    max_points: int,
    message: str,
    recommendation: str,
    section: str,
    missing: bool = False,
    model: str | None = None,
    source: Source | None = None,
) -> Finding:
    """Build a :class:`Finding` quickly (positional, same fields as the class).

    ``source`` defaults to the page behind ``section`` (:func:`scoring.sources.source_for`).
    """
    f = _new(_FindingBuilder)
    f.code = code
    f.site = site
    f.fields = fields
    f.values = values
    f.severity = severity
    f.points = points
    f.max_points = max_points
    f.message = message
    f.recommendation = recommendation
    f.section = section
    f.missing = missing
    f.model = model
    f.source = source if source is not None else _source(section)
    f.__class__ = Finding
    finding: Finding = f
    return finding


type FindingTemplate = tuple[
    str, None, tuple[str, ...], tuple[Scalar, ...], str, int, int, str, str, str, bool, str | None,
    Source | None,
]  # fmt: skip

_SOURCES: dict[str, Source | None] = {}


def _source(section: str) -> Source | None:
    """The source of a section, cached: findings are built 20,000 sites a second."""
    try:
        return _SOURCES[section]
    except KeyError:
        found = _SOURCES[section] = source_for(section)
        return found


def finding_template(
    code: str,
    site: None,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    severity: str,
    points: int,
    max_points: int,
    message: str,
    recommendation: str,
    section: str,
    missing: bool = False,
    model: str | None = None,
    source: Source | None = None,
) -> FindingTemplate:
    """The fields of a finding known before any site is seen, for :func:`from_template`.

    ``source`` defaults to the page behind ``section``.
    """
    return (
        code, site, fields, values, severity, points, max_points, message, recommendation,
        section, missing, model, source if source is not None else _source(section),
    )  # fmt: skip


def from_template(t: FindingTemplate, site: str | None) -> Finding:
    """Build a template's finding for one site."""
    f = _new(_FindingBuilder)
    (f.code, f.site, f.fields, f.values, f.severity, f.points, f.max_points, f.message,
     f.recommendation, f.section, f.missing, f.model, f.source) = t  # fmt: skip
    f.site = site
    f.__class__ = Finding
    finding: Finding = f
    return finding


def from_template_values(
    t: FindingTemplate, site: str | None, values: tuple[Scalar, ...]
) -> Finding:
    """Like :func:`from_template`, with the site's own input values."""
    f = _new(_FindingBuilder)
    (f.code, f.site, f.fields, f.values, f.severity, f.points, f.max_points, f.message,
     f.recommendation, f.section, f.missing, f.model, f.source) = t  # fmt: skip
    f.site = site
    f.values = values
    f.__class__ = Finding
    finding: Finding = f
    return finding


def from_template_points(t: FindingTemplate, site: str | None, points: int) -> Finding:
    """Like :func:`from_template`, with points that depend on the site (caps, clamps)."""
    f = _new(_FindingBuilder)
    (f.code, f.site, f.fields, f.values, f.severity, f.points, f.max_points, f.message,
     f.recommendation, f.section, f.missing, f.model, f.source) = t  # fmt: skip
    f.site = site
    f.points = points
    f.__class__ = Finding
    finding: Finding = f
    return finding


@dataclass(frozen=True, slots=True)
class BandwidthLoad:
    """The real-time load computed for a site and the capacity it was checked against."""

    concurrency_pct: float
    concurrency_assumed: bool
    concurrent_calls: float
    rec_up_kbps: float
    rec_down_kbps: float
    min_up_kbps: float
    min_down_kbps: float
    failover_up_kbps: float
    failover_down_kbps: float
    primary_up_mbps: float
    primary_down_mbps: float
    backup_up_mbps: float
    backup_down_mbps: float
    allowed_share: float
    # Added in ruleset 2: what the load is made of. ``personas`` is (persona, on-site
    # users) as entered, empty for Network Planner's default split (80 % of the site's
    # users office workers on site); ``backhauled_*`` the recommended load of the sites that reach
    # the internet through this one (already inside ``rec_*``), named in
    # ``backhauled_sites``.
    personas: tuple[tuple[str, int], ...] = ()
    room_up_kbps: float = 0.0
    room_down_kbps: float = 0.0
    backhauled_up_kbps: float = 0.0
    backhauled_down_kbps: float = 0.0
    backhauled_sites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ToFindOut:
    """Something not known yet at a site, and how to find it out.

    Attributes:
        topic: What is unknown, in plain words ("Customer edge packet loss").
        how: How to find it out (a tool, a question to ask, a page to read).
        weight: Points of completeness it adds once known.
        fields: The inputs that answer it (for linking to the questions; not for display).
        source: The page that explains the target it is checked against.
    """

    topic: str
    how: str
    weight: int
    fields: tuple[str, ...]
    source: Source | None


@dataclass(frozen=True, slots=True)
class Projection:
    """The site's readiness once the listed fixes are made (unknowns still unknown).

    Attributes:
        score: The score over what is known after the fixes.
        grade: The grade after the fixes (:class:`Grade` value).
        grade_label: Its label.
        fixes: Codes of the findings whose recommendations the projection assumes done.
    """

    score: int
    grade: str
    grade_label: str
    fixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NetworkReadiness:
    """Network readiness of one site: ``score == base + sum(f.points for f in findings)``.

    ``findings`` holds every item that lost points, is unknown, or informs (assumptions,
    caps); ``passed`` holds the codes of items that met their target (0 points each; see
    ``network.PASS_MESSAGES`` for their wording).
    """

    base: int
    score: int
    grade: str
    grade_label: str
    confidence: int
    confidence_level: str
    load: BandwidthLoad
    findings: tuple[Finding, ...]
    passed: tuple[str, ...]
    top_issue: Finding | None  # the first problem in issue order (:func:`top_issue`)
    # Added in ruleset 2: known apart from unknown. ``completeness`` is the share of the
    # weight answered or measured (equal to ``confidence``); ``to_find_out`` lists the
    # unknowns, largest first; ``projection`` is the score after the listed fixes.
    completeness: int = 0
    to_find_out: tuple[ToFindOut, ...] = ()
    projection: Projection | None = None


@dataclass(frozen=True, slots=True)
class ModelFit:
    """Fit of one PSTN model: ``fit == base + sum(f.points for f in findings)``."""

    model: str
    label: str
    base: int
    fit: int
    band: str
    band_label: str
    available: bool
    findings: tuple[Finding, ...]
    # "available", "unavailable" or "unknown" (offered here is not known; may be
    # recommended, with a finding saying what to check), and why it is unavailable.
    availability: str = "available"
    unavailable_because: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gateway:
    """A device beside the users' model at one site (domain.md §1.9).

    ``kind`` is ``"sbc"`` (a Direct Routing gateway: paging, fax, door/lift phones, a PBX
    trunk), ``"sba"`` (a Survivable Branch Appliance on the site's SBC) or ``"ata"``
    (analog adapters registered through SIP Gateway, no SBC); ``owner`` is who runs it.
    """

    kind: str
    purpose: str
    label: str
    devices: int
    owner: str


@dataclass(frozen=True, slots=True)
class SiteDesign:
    """A site's design: the users' model plus the gateways and requirements it needs."""

    users_model: str
    users_label: str
    users: int
    gateways: tuple[Gateway, ...]
    requirements: tuple[str, ...]  # facts the design must meet whatever the model
    summary: str


@dataclass(frozen=True, slots=True)
class SiteRecommendation:
    """The PSTN design recommended for one site, and why."""

    model: str
    label: str
    dr_variant: str | None
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...]
    fit: int = 0
    status: str = "fits"  # "fits", or "poor_fit" when no available model fits well
    what_would_change: tuple[str, ...] = ()
    design: SiteDesign | None = None


@dataclass(frozen=True, slots=True)
class SiteResult:
    """Everything the engine says about one site."""

    site: str
    country: str
    users: int
    network: NetworkReadiness
    fits: tuple[ModelFit, ...]
    notes: tuple[Finding, ...]  # zero-point PSTN/deployment notes (regulation, emergency)
    recommendation: SiteRecommendation

    def to_dict(self) -> dict[str, Any]:
        """Return the site's result as plain dicts, lists, strings and numbers (JSON-able)."""
        plain: dict[str, Any] = to_plain(self)
        return plain

    def fit(self, model: str) -> ModelFit:
        """Return the fit of ``model`` at this site.

        Args:
            model: A :class:`Model` value.

        Returns:
            The site's :class:`ModelFit` for that model.
        """
        return next(f for f in self.fits if f.model == model)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The overall recommendation: one model, or a mix naming the sites of each."""

    kind: str  # "single" | "mix" | "none"
    model: str | None  # the main model (most users)
    label: str
    dr_variant: str | None
    sites_by_model: tuple[tuple[str, tuple[str, ...]], ...]
    summary: str
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    # The fit the summary's chart highlights: always the main model, so the headline and
    # the chart never disagree (None with no sites).
    chart_model: str | None = None
    # Users-weighted fit of the recommended design (each site's chosen model's fit).
    fit: int | None = None
    status: str = "fits"  # "fits", "poor_fit" (some site has no good fit) or "none"
    what_would_change: tuple[str, ...] = ()
    gateways: tuple[tuple[str | None, Gateway], ...] = ()  # (site, or None for org-wide)
    country_data: str = ""  # which country facts (data file date, overrides) were used


@dataclass(frozen=True, slots=True)
class OwnershipCell:
    """Who owns one responsibility under one model, and the effort it costs IT."""

    model: str
    owner: str
    owner_label: str
    day_one: str
    day_500: str
    day_one_hours: float
    hours_per_year: float
    section: str


@dataclass(frozen=True, slots=True)
class OwnershipRow:
    """One responsibility across every model."""

    item: str
    label: str
    cells: tuple[OwnershipCell, ...]


@dataclass(frozen=True, slots=True)
class OwnershipSummary:
    """Tailored totals for customer IT under one model."""

    model: str
    label: str
    sbc_count: int
    certificate_renewals_per_year: int
    carrier_contracts: int
    sites_needing_remediation: int
    day_one_hours: float
    hours_per_year: float
    fte: float


@dataclass(frozen=True, slots=True)
class OwnershipMatrix:
    """What IT owns, day one and day 500, under each model (domain.md §1.3)."""

    models: tuple[str, ...]
    rows: tuple[OwnershipRow, ...]
    summaries: tuple[OwnershipSummary, ...]
    plan: OwnershipSummary
    assumptions: tuple[str, ...]
    # What IT owns for the design's gateways beside the users' model (in ``plan`` too).
    gateways: OwnershipSummary | None = None


@dataclass(frozen=True, slots=True)
class EstateSummary:
    """The figures every page, the PDF, the API and the pipeline show for the estate.

    ``not_ready`` counts the sites *graded* Not ready (below 50), as the grade legend says;
    sites needing remediation are ``ready_after_remediation``.
    """

    site_count: int
    user_count: int
    average_readiness: int | None  # mean score of the graded sites, rounded; None if none
    ready: int
    ready_after_remediation: int
    not_ready: int
    not_assessed: int = 0  # sites with too little known to grade; not in the average

    def grade_counts(self) -> tuple[tuple[str, int], ...]:
        """Sites per grade, in grade order (``AssessmentResult.grade_counts``)."""
        return (
            (Grade.READY.value, self.ready),
            (Grade.READY_AFTER_REMEDIATION.value, self.ready_after_remediation),
            (Grade.NOT_READY.value, self.not_ready),
            (Grade.NOT_ASSESSED.value, self.not_assessed),
        )


@dataclass(frozen=True, slots=True)
class SitePart:
    """What the estate-level result needs of one site's result (stored beside each site).

    The overall fits, the recommendation, the ownership matrix and the estate summary are
    computed from these alone, so an estate can be re-aggregated from stored parts after
    rescoring only the sites a change touched.

    Attributes:
        site: The site's name.
        country: Its country (ISO code).
        users: Its users.
        score: Its network readiness score.
        grade: Its network grade (:class:`Grade` value).
        fits: ``(fit, availability)`` of each PSTN model, in ``fit_rules.MODELS`` order.
        recommendation: The site's recommended design.
        dr_sbcs: SBCs the site adds to a self-managed Direct Routing build beyond the
            region's pair (``ownership.site_dr_sbcs``).
    """

    site: str
    country: str
    users: int
    score: int
    grade: str
    fits: tuple[tuple[int, str], ...]
    recommendation: SiteRecommendation
    dr_sbcs: int

    def to_dict(self) -> dict[str, Any]:
        """Return the part as plain JSON-able values (:func:`site_part_from_dict` reverses it)."""
        plain: dict[str, Any] = to_plain(self)
        return plain


def _gateway_from_dict(d: Mapping[str, Any]) -> Gateway:
    return Gateway(d["kind"], d["purpose"], d["label"], d["devices"], d["owner"])


def site_recommendation_from_dict(d: Mapping[str, Any]) -> SiteRecommendation:
    """Rebuild a :class:`SiteRecommendation` from its plain form (``to_plain``).

    Args:
        d: The dict ``to_plain`` made of a site recommendation.

    Returns:
        An equal recommendation.
    """
    design = d.get("design")
    return _new_site_recommendation(
        d["model"], d["label"], d["dr_variant"], tuple(d["reasons"]), tuple(d["alternatives"]),
        d["fit"], d["status"], tuple(d["what_would_change"]),
        None if design is None else SiteDesign(
            design["users_model"], design["users_label"], design["users"],
            tuple(_gateway_from_dict(g) for g in design["gateways"]),
            tuple(design["requirements"]), design["summary"],
        ),
    )  # fmt: skip


def site_part_from_dict(d: Mapping[str, Any]) -> SitePart:
    """Rebuild a :class:`SitePart` from :meth:`SitePart.to_dict` (a stored part).

    Built with the fast builders: a save reads back every site's part of an estate.

    Args:
        d: The stored dict.

    Returns:
        An equal part.
    """
    return _new_site_part(
        d["site"], d["country"], d["users"], d["score"], d["grade"],
        tuple(map(tuple, d["fits"])),
        site_recommendation_from_dict(d["recommendation"]), d["dr_sbcs"],
    )  # fmt: skip


def _site_parts(site: SiteResult | SitePart | Mapping[str, Any]) -> tuple[int, int, str]:
    if isinstance(site, SiteResult):
        return site.users, site.network.score, site.network.grade
    if isinstance(site, SitePart):
        return site.users, site.score, site.grade
    return site.get("users", 0), site["network"]["score"], site["network"]["grade"]


def estate_summary(sites: Iterable[SiteResult | SitePart | Mapping[str, Any]]) -> EstateSummary:
    """Summarise the sites' results: counts, users, average readiness, sites per grade.

    Args:
        sites: Site results, their stored parts, or their JSON form (a stored snapshot's
            ``sites``).

    Returns:
        The summary the engine puts in ``AssessmentResult.summary``.
    """
    users = total = graded = 0
    scores = 0
    counts = dict.fromkeys(Grade, 0)
    for site in sites:
        site_users, score, grade = _site_parts(site)
        users += site_users
        total += 1
        counts[Grade(grade)] += 1
        # A site too little is known about has no readiness to average in (its score
        # over almost nothing would pull the estate's figure either way).
        if grade != Grade.NOT_ASSESSED:
            scores += score
            graded += 1
    return EstateSummary(
        site_count=total,
        user_count=users,
        # Python's round() (half to even), as every page has always shown it.
        average_readiness=round(scores / graded) if graded else None,
        ready=counts[Grade.READY],
        ready_after_remediation=counts[Grade.READY_AFTER_REMEDIATION],
        not_ready=counts[Grade.NOT_READY],
        not_assessed=counts[Grade.NOT_ASSESSED],
    )


@dataclass(frozen=True, slots=True)
class EstateResult:
    """The estate-level part of a scored assessment: everything but the per-site results.

    What :func:`scoring.engine.aggregate` computes from the sites' :class:`SitePart`; an
    :class:`AssessmentResult` is this plus the site results.
    """

    ruleset_version: str
    title: str
    customer: str
    org_findings: tuple[Finding, ...]
    fits: tuple[ModelFit, ...]
    recommendation: Recommendation
    ownership: OwnershipMatrix
    grade_counts: tuple[tuple[str, int], ...]
    assumptions: tuple[Assumption, ...]
    summary: EstateSummary

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain dicts, lists, strings and numbers (JSON-able)."""
        plain: dict[str, Any] = to_plain(self)
        return plain

    def with_sites(self, sites: tuple[SiteResult, ...]) -> AssessmentResult:
        """The whole assessment's result: this estate result with its sites' results."""
        estate = {f.name: getattr(self, f.name) for f in fields(EstateResult)}
        return AssessmentResult(**estate, sites=sites)


@dataclass(frozen=True, slots=True)
class AssessmentResult(EstateResult):
    """The scored assessment: the estate result and every site's result."""

    sites: tuple[SiteResult, ...]


def _builder[T: DataclassInstance](cls: type[T]) -> Callable[..., T]:
    """A positional constructor for a frozen slotted result class (see :func:`_shadow`).

    Generated like dataclasses generates ``__init__``, from the class's own fields, so it
    stays in step with the class.
    """
    names = [f.name for f in fields(cls)]
    body = "".join(f"    obj.{n} = {n}\n" for n in names)
    source = (
        f"def build({', '.join(names)}):\n"
        f"    obj = _new(shadow)\n{body}"
        f"    obj.__class__ = cls\n"
        f"    return obj\n"
    )
    namespace: dict[str, Any] = {"_new": _new, "shadow": _shadow(cls), "cls": cls}
    exec(source, namespace)  # noqa: S102 - generated from the dataclass's own field names
    build: Callable[..., T] = namespace["build"]
    build.__doc__ = f"Build a {cls.__name__} from positional field values, quickly."
    return build


# The per-site result objects, built 20,000 times a second by the engine.
new_bandwidth_load = _builder(BandwidthLoad)
new_network_readiness = _builder(NetworkReadiness)
new_to_find_out = _builder(ToFindOut)
new_projection = _builder(Projection)
new_model_fit = _builder(ModelFit)
new_site_recommendation = _builder(SiteRecommendation)
new_site_result = _builder(SiteResult)
_new_site_recommendation = _builder(SiteRecommendation)
_new_site_part = _builder(SitePart)
