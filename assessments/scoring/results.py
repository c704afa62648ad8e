"""Engine output: frozen dataclasses that convert to plain JSON-able dicts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from assessments.scoring.ruleset import Assumption

type Scalar = str | int | float | bool | None


class Severity(StrEnum):
    """How much a finding matters, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK = {s.value: i for i, s in enumerate(Severity)}


class Grade(StrEnum):
    """Network readiness grade of a site."""

    READY = "ready"
    READY_AFTER_REMEDIATION = "ready_after_remediation"
    NOT_READY = "not_ready"


GRADE_LABELS = {
    Grade.READY: "Ready",
    Grade.READY_AFTER_REMEDIATION: "Ready after remediation",
    Grade.NOT_READY: "Not ready",
}


class Model(StrEnum):
    """A PSTN connectivity model (domain.md §1.1)."""

    OPERATOR_CONNECT = "operator_connect"
    DIRECT_ROUTING = "direct_routing"
    CALLING_PLANS = "calling_plans"
    TEAMS_PHONE_MOBILE = "teams_phone_mobile"


MODEL_LABELS = {
    Model.OPERATOR_CONNECT: "Operator Connect",
    Model.DIRECT_ROUTING: "Direct Routing",
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


@dataclass(frozen=True)
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


_new = object.__new__


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
) -> Finding:
    """Build a :class:`Finding` about three times faster than its generated ``__init__``.

    The engine builds ~30 findings per site and must score 20,000 sites a second
    (issue #3), so it fills the instance dict directly instead of going through the
    frozen dataclass's per-field ``object.__setattr__``. The result is an ordinary,
    equal-comparing ``Finding``.
    """
    f = _new(Finding)
    f.__dict__.update(
        code=code,
        site=site,
        fields=fields,
        values=values,
        severity=severity,
        points=points,
        max_points=max_points,
        message=message,
        recommendation=recommendation,
        section=section,
        missing=missing,
        model=model,
    )
    return f


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SiteRecommendation:
    """The PSTN model recommended for one site, and why."""

    model: str
    label: str
    dr_variant: str | None
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class SiteResult:
    """Everything the engine says about one site."""

    site: str
    country: str
    users: int
    network: NetworkReadiness
    fits: tuple[ModelFit, ...]
    notes: tuple[Finding, ...]  # zero-point PSTN/deployment notes (regulation, emergency)
    recommendation: SiteRecommendation

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


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """The scored assessment."""

    ruleset_version: str
    title: str
    customer: str
    sites: tuple[SiteResult, ...]
    org_findings: tuple[Finding, ...]
    fits: tuple[ModelFit, ...]
    recommendation: Recommendation
    ownership: OwnershipMatrix
    grade_counts: tuple[tuple[str, int], ...]
    assumptions: tuple[Assumption, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain dicts, lists, strings and numbers (JSON-able)."""
        return asdict(self)


def _builder[T](cls: type[T]) -> Callable[..., T]:
    """A positional constructor that skips the frozen ``__init__`` (see :func:`new_finding`).

    Generated like dataclasses generates ``__init__``: one dict literal per call, in
    field order, so it stays in step with the class.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    args = ", ".join(names)
    items = ", ".join(f"{n!r}: {n}" for n in names)
    source = (
        f"def build({args}):\n"
        f"    obj = _new(cls)\n"
        f"    obj.__dict__.update({{{items}}})\n"
        f"    return obj\n"
    )
    namespace: dict[str, Any] = {"_new": _new, "cls": cls}
    exec(source, namespace)  # noqa: S102 - generated from the dataclass's own field names
    build = namespace["build"]
    build.__doc__ = f"Build a {cls.__name__} from positional field values, quickly."
    return build


def finding_template(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """The field dict of a finding known before any site is seen (``site`` left ``None``).

    Args:
        *args: As for :func:`new_finding`.
        **kwargs: As for :func:`new_finding`.

    Returns:
        A dict for :func:`from_template`.
    """
    return dict(new_finding(*args, **kwargs).__dict__)


def from_template(template: dict[str, Any], site: str | None) -> Finding:
    """Build a finding from a template for one site: one dict copy, no per-field work."""
    f = _new(Finding)
    d = f.__dict__
    d.update(template)
    d["site"] = site
    return f


def from_template_values(template: dict[str, Any], site: str | None, values: tuple) -> Finding:
    """Like :func:`from_template`, with the site's own input values."""
    f = _new(Finding)
    d = f.__dict__
    d.update(template)
    d["site"] = site
    d["values"] = values
    return f


# The per-site result objects, built 20,000 times a second by the engine.
new_bandwidth_load = _builder(BandwidthLoad)
new_network_readiness = _builder(NetworkReadiness)
new_model_fit = _builder(ModelFit)
new_site_recommendation = _builder(SiteRecommendation)
new_site_result = _builder(SiteResult)
