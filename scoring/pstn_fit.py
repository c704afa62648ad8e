"""PSTN-model fit per site and overall, and the model recommendation (domain.md §1, §6)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from scoring import ruleset as R
from scoring.inputs import (
    AssessmentInput,
    ContactCentre,
    ExistingSbcs,
    Level,
    OperatingModel,
    Readiness,
    Regulation,
    RoutingComplexity,
    SiteInput,
    Timeline,
    VoiceSkills,
    YesNoUnknown,
)
from scoring.results import (
    FIT_BAND_LABELS,
    MODEL_LABELS,
    Finding,
    FindingTemplate,
    FitBand,
    Model,
    ModelFit,
    Recommendation,
    Scalar,
    SiteRecommendation,
    finding_template,
    from_template_points,
    from_template_values,
    new_finding,
    new_model_fit,
    new_site_recommendation,
)

# Order of R.FIT_POINTS tuples.
MODELS = (
    Model.OPERATOR_CONNECT.value,
    Model.DIRECT_ROUTING.value,
    Model.CALLING_PLANS.value,
    Model.TEAMS_PHONE_MOBILE.value,
)
OC, DR, CP, TPM = range(4)
_LABELS = tuple(MODEL_LABELS[Model(m)] for m in MODELS)

YES, NO, UNKNOWN = YesNoUnknown.YES.value, YesNoUnknown.NO.value, YesNoUnknown.UNKNOWN.value

SELF_MANAGED = "self_managed"
HOSTED = "hosted"
DR_VARIANT_LABELS = {
    SELF_MANAGED: "Direct Routing, self-managed",
    HOSTED: "Direct Routing as a service (hosted SBC)",
}


def _severity(points: int) -> str:
    if points > 0:
        return "info"
    if points > -10:
        return "low"
    if points > -20:
        return "medium"
    return "high"


# Message and recommendation of each fit rule (points in R.FIT_POINTS).
_TEXT: dict[str, tuple[str, str, str]] = {
    "FIT.OPERATING.PRODUCT": (
        "Voice should be a product the company uses.",
        "Prefer an operator-run service (Operator Connect, or Calling Plans where "
        "available): the customer manages no SBC infrastructure.",
        "§1.2",
    ),
    "FIT.OPERATING.PLATFORM": (
        "Voice should be a platform the company operates.",
        "Direct Routing gives full control of SBCs, routing and carriers.",
        "§1.2",
    ),
    "FIT.SKILLS.NONE": (
        "No voice/SBC skills in house.",
        "Avoid running SBCs yourself: Operator Connect, or Direct Routing as a service "
        "where Direct Routing is needed.",
        "§6",
    ),
    "FIT.SKILLS.GENERALIST": (
        "IT generalists, no dedicated voice team.",
        "Self-managed Direct Routing needs SBC, certificate, firmware and SIP skills; "
        "budget training or a managed service.",
        "§1.5",
    ),
    "FIT.SKILLS.DEDICATED": (
        "A dedicated voice/SBC team exists.",
        "The team can own SBCs, certificates, firmware and routing.",
        "§1.5",
    ),
    "FIT.STAFF.NONE": (
        "No staff time available for voice.",
        "Self-managed Direct Routing needs recurring staff time (see what IT owns).",
        "§1.3",
    ),
    "FIT.RISK.LOW": (
        "Low tolerance for operational risk.",
        "Operator Connect carries an operator SLA back-to-back with Microsoft; a Direct "
        "Routing trunk has no Microsoft SLA.",
        "§1.3",
    ),
    "FIT.RISK.HIGH": (
        "High tolerance for operational risk.",
        "Owning the trunk without a Microsoft SLA is acceptable.",
        "§1.3",
    ),
    "FIT.TIMELINE.URGENT": (
        "Calling must go live within 3 months.",
        "Operator Connect enablement takes days; a self-managed Direct Routing build takes "
        "weeks (domain.md marks these durations UNCONFIRMED).",
        "§1.8",
    ),
    "FIT.ROUTING.SIMPLE": (
        "Simple routing: one number plan per country.",
        "Operator or Microsoft routing with tenant dial plans is enough.",
        "§1.2",
    ),
    "FIT.ROUTING.MODERATE": (
        "Moderate routing: translation rules or shared ranges.",
        "Check the operator can implement the translation rules; Direct Routing can.",
        "§1.2",
    ),
    "FIT.ROUTING.COMPLEX": (
        "Complex routing: least-cost routing, PBX ranges, per-site rules.",
        "Routing you control on your own SBCs is Direct Routing.",
        "§1.2",
    ),
    "FIT.CARRIER.KEEP": (
        "The current carrier must be kept.",
        "Direct Routing works with any carrier; Operator Connect only if the carrier is in "
        "the programme (check the Operator Connect directory); Calling Plans replace it.",
        "§1.2",
    ),
    "FIT.CARRIER.MULTI": (
        "Several carriers or least-cost routing are needed.",
        "Multi-carrier routing needs Direct Routing.",
        "§1.9",
    ),
    "FIT.SBC.CERTIFIED": (
        "Certified SBCs are already in place.",
        "Reuse them for Direct Routing if the firmware is on a certified major.minor.",
        "§1.5",
    ),
    "FIT.SBC.NOT_CERTIFIED": (
        "Existing SBCs are not certified for Teams.",
        "Direct Routing needs certified SBCs; Microsoft is not certifying new models, so "
        "plan a replacement.",
        "§1.5",
    ),
    "FIT.PBX.COEXIST": (
        "A third-party PBX must keep running alongside Teams.",
        "Coexistence needs a Direct Routing trunk to the PBX; users may still be on "
        "Operator Connect or Calling Plans.",
        "§1.9",
    ),
    "FIT.CONTACT_CENTRE.CONNECT": (
        "The contact centre uses the Connect model (SBC-connected).",
        "The Connect model needs a certified SBC and Direct Routing.",
        "§1.9",
    ),
    "FIT.CP.COUNTRY.AVAILABLE": (
        "Calling Plans are sold in this country.",
        "Calling Plans are an option here if no PBX, analog or paging needs apply.",
        "§1.7",
    ),
    "FIT.CP.COUNTRY.UNAVAILABLE": (
        "Calling Plans are not sold in this country.",
        "Use Operator Connect (if an operator serves the country) or Direct Routing.",
        "§1.7",
    ),
    "FIT.OC.OPERATOR.YES": (
        "An Operator Connect operator serves this country.",
        "Shortlist operators from the Operator Connect directory.",
        "§1.7",
    ),
    "FIT.OC.OPERATOR.NO": (
        "No Operator Connect operator serves this country.",
        "Use Direct Routing (or Calling Plans where sold) for this site.",
        "§6",
    ),
    "FIT.OC.OPERATOR.UNKNOWN": (
        "Not known whether an Operator Connect operator serves this country.",
        "Check the Microsoft 365 Operator Connect directory for this country.",
        "§1.7",
    ),
    "FIT.TOLL_BYPASS": (
        "Toll-bypass regulation applies.",
        "Use Direct Routing with Location-Based Routing (in India also media bypass); LBR "
        "does not exist on Operator Connect or Calling Plans.",
        "§1.6",
    ),
    "FIT.COMPLIANCE.LBR": (
        "Compliance recording is needed, but users under Location-Based Routing cannot be "
        "recorded.",
        "Confirm recording requirements for this site with the customer's compliance team.",
        "§1.6",
    ),
    "FIT.PAGING": (
        "Overhead paging must interoperate with Teams.",
        "Connect the paging system through an SBC under Direct Routing, or replace it.",
        "§1.9",
    ),
    "FIT.ANALOG": (
        "Analog phones or adapters are in use.",
        "Put ATAs behind a Direct Routing SBC, or use SIP Gateway-compatible ATAs with any model.",
        "§1.9",
    ),
    "FIT.FAX": (
        "Fax lines are in use.",
        "Keep fax on an SBC/ATA (T.38), the PSTN or a cloud-fax service; Teams media is not "
        "documented to carry fax.",
        "§1.9",
    ),
    "FIT.DOOR_PHONES": (
        "Door, elevator or emergency phones are in use.",
        "Keep them on an ATA behind a Direct Routing SBC or on dedicated lines.",
        "§1.9",
    ),
    "FIT.SURVIVABILITY": (
        "Calling must survive an internet outage.",
        "Only Direct Routing with a Survivable Branch Appliance keeps PSTN calling local; "
        "Teams Phone Mobile users fail over to cellular.",
        "§1.5",
    ),
    "FIT.EMERGENCY.DYNAMIC": (
        "Dynamic emergency calling is needed in the US/Canada.",
        "Calling Plans and Operator Connect route it automatically; Direct Routing needs an "
        "ERS provider or ELIN, PIDF-LO and an emergency call routing policy.",
        "§4.3",
    ),
    "FIT.MOBILE_FIRST": (
        "Share of mobile-first workers.",
        "Offer Teams Phone Mobile to mobile-first workers whose operator is in the programme.",
        "§6",
    ),
    "FIT.MOBILE_FIRST.UNKNOWN": (
        "Share of mobile-first workers not known.",
        "Ask how many workers mainly call from a mobile.",
        "§6",
    ),
}


# Finding templates per rule, built on first use: a site's fit findings differ from the
# template only by the site name and values (the engine's speed target, issue #3).
_EMIT_CACHE: dict[str, tuple[tuple[int, FindingTemplate], ...]] = {}
_NOTE_CACHE: dict[tuple[Hashable, ...], FindingTemplate] = {}


_VALUES: dict[tuple[Scalar, ...], tuple[Scalar, ...]] = {}


def _intern(values: tuple[Scalar, ...]) -> tuple[Scalar, ...]:
    """Share equal value tuples (countries, answers, counts) between sites' findings.

    Fewer live objects per site means less garbage-collector work while a large
    assessment is scored; the memo is capped so odd inputs cannot grow it unbounded.
    """
    shared = _VALUES.get(values)
    if shared is not None:
        return shared
    if len(_VALUES) < 4096:
        _VALUES[values] = values
    return values


def _emit(
    out: tuple[list[Finding], ...],
    code: str,
    site: str | None,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    missing: bool = False,
) -> None:
    """Append one finding per model whose fit the rule moves."""
    templates = _EMIT_CACHE.get(code)
    if templates is None:
        message, advice, section = _TEXT[code]
        templates = _EMIT_CACHE[code] = tuple(
            (
                i,
                finding_template(
                    code, None, fields, (), _severity(pts), pts, abs(pts), message, advice,
                    section, missing, MODELS[i],
                ),
            )
            for i, pts in enumerate(R.FIT_POINTS[code])
            if pts
        )  # fmt: skip
    values = _intern(values)
    for i, template in templates:
        out[i].append(from_template_values(template, site, values))


def _note(
    out: tuple[list[Finding], ...],
    i: int,
    code: str,
    site: str | None,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    severity: str,
    missing: bool,
) -> None:
    """Append a zero-point finding to one model's fit (e.g. a constraint's cause)."""
    key = (i, code, severity)
    template = _NOTE_CACHE.get(key)
    if template is None:
        message, advice, section = _TEXT[code]
        template = _NOTE_CACHE[key] = finding_template(
            code, None, fields, (), severity, 0, 0, message, advice, section, missing, MODELS[i]
        )
    out[i].append(from_template_values(template, site, _intern(values)))


def _site_note(code: str, site: str, values: tuple[Scalar, ...], *template_args: Any) -> Finding:
    """A zero-point site note (regulation, emergency addresses) from a cached template."""
    key = (code, *template_args)
    template = _NOTE_CACHE.get(key)
    if template is None:
        fields, severity, message, advice, section, missing = template_args
        template = _NOTE_CACHE[key] = finding_template(
            code, None, fields, (), severity, 0, 0, message, advice, section, missing
        )
    return from_template_values(template, site, _intern(values))


# What a site's recommendation depends on beyond the organisation's answers (see
# recommend_site): the chosen model, both contenders' site-level (message, points), and
# the Calling Plans and Teams Phone Mobile fits when they are good (else False).
type _RecommendationKey = tuple[
    int, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], bool | int, bool | int
]


@dataclass(frozen=True, slots=True)
class OrgFit:
    """Organisation-wide part of every fit, computed once per assessment."""

    findings: tuple[tuple[Finding, ...], ...]  # per model, in MODELS order
    sums: tuple[int, ...]
    # Per model, the org findings' best reasons for (+) and against (-) the model, as
    # (points, text), strongest first; merged with each site's own findings.
    pros: tuple[tuple[tuple[int, str], ...], ...]
    cons: tuple[tuple[tuple[int, str], ...], ...]
    notes: tuple[Finding, ...]  # zero-point organisation findings (missing answers etc.)
    dr_variant: str
    survivability_required: str
    dynamic_emergency_required: str
    compliance_recording: str
    # Memo of site recommendations (see recommend_site); not part of equality.
    recommendations: dict[_RecommendationKey, SiteRecommendation] = field(
        default_factory=dict, compare=False, repr=False
    )


def _org_note(
    code: str,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    severity: str,
    message: str,
    advice: str,
    section: str,
    missing: bool = False,
) -> Finding:
    return new_finding(code, None, fields, values, severity, 0, 0, message, advice, section,
                       missing)  # fmt: skip


# (field, label, section) of organisation answers whose "unknown" lowers what the fit
# can say; each becomes an ORG.<FIELD>.UNKNOWN note.
_ORG_QUESTIONS = (
    ("operating_model", "Whether voice should be a product or a platform", "§5 q25"),
    ("voice_skills", "Voice skills in IT", "§5 q24"),
    ("risk_tolerance", "Tolerance for operational risk", "§1.3"),
    ("timeline", "Go-live timeline", "§1.8"),
    ("routing_complexity", "Call routing complexity", "§1.2"),
    ("keep_current_carrier", "Whether the current carrier must be kept", "§1.2"),
    ("multi_carrier", "Whether several carriers are needed", "§1.9"),
    ("existing_sbcs", "Existing SBCs", "§1.5"),
    ("pbx_coexistence", "PBX coexistence", "§1.9"),
    ("survivability_required", "Branch survivability", "§1.5"),
    ("contact_centre", "Contact-centre integration", "§1.9"),
    ("dynamic_emergency_required", "Dynamic emergency calling", "§4.3"),
)
_UNKNOWNS = frozenset({"unknown", "undecided"})


def org_fit(a: AssessmentInput) -> OrgFit:
    """Score the organisation-wide answers once for every model.

    Args:
        a: The assessment (its sites are not used here).

    Returns:
        Per-model findings and sums, zero-point notes and derived switches.
    """
    out: tuple[list[Finding], ...] = ([], [], [], [])
    if a.operating_model == OperatingModel.PRODUCT:
        _emit(out, "FIT.OPERATING.PRODUCT", None, ("operating_model",), (a.operating_model,))
    elif a.operating_model == OperatingModel.PLATFORM:
        _emit(out, "FIT.OPERATING.PLATFORM", None, ("operating_model",), (a.operating_model,))
    skill_codes: dict[str, str] = {
        VoiceSkills.NONE: "FIT.SKILLS.NONE",
        VoiceSkills.GENERALIST: "FIT.SKILLS.GENERALIST",
        VoiceSkills.DEDICATED: "FIT.SKILLS.DEDICATED",
    }
    skills = skill_codes.get(a.voice_skills)
    if skills:
        _emit(out, skills, None, ("voice_skills",), (a.voice_skills,))
    if a.voice_staff_fte is not None and a.voice_staff_fte == 0:
        _emit(out, "FIT.STAFF.NONE", None, ("voice_staff_fte",), (a.voice_staff_fte,))
    if a.risk_tolerance == Level.LOW:
        _emit(out, "FIT.RISK.LOW", None, ("risk_tolerance",), (a.risk_tolerance,))
    elif a.risk_tolerance == Level.HIGH:
        _emit(out, "FIT.RISK.HIGH", None, ("risk_tolerance",), (a.risk_tolerance,))
    if a.timeline == Timeline.URGENT:
        _emit(out, "FIT.TIMELINE.URGENT", None, ("timeline",), (a.timeline,))
    routing_codes: dict[str, str] = {
        RoutingComplexity.SIMPLE: "FIT.ROUTING.SIMPLE",
        RoutingComplexity.MODERATE: "FIT.ROUTING.MODERATE",
        RoutingComplexity.COMPLEX: "FIT.ROUTING.COMPLEX",
    }
    routing = routing_codes.get(a.routing_complexity)
    if routing:
        _emit(out, routing, None, ("routing_complexity",), (a.routing_complexity,))
    if a.keep_current_carrier == YES:
        _emit(out, "FIT.CARRIER.KEEP", None, ("keep_current_carrier",), (YES,))
    if a.multi_carrier == YES:
        _emit(out, "FIT.CARRIER.MULTI", None, ("multi_carrier",), (YES,))
    if a.existing_sbcs == ExistingSbcs.CERTIFIED:
        _emit(out, "FIT.SBC.CERTIFIED", None, ("existing_sbcs", "sbc_count"),
              (a.existing_sbcs, a.sbc_count))  # fmt: skip
    elif a.existing_sbcs == ExistingSbcs.NOT_CERTIFIED:
        _emit(out, "FIT.SBC.NOT_CERTIFIED", None, ("existing_sbcs", "sbc_count"),
              (a.existing_sbcs, a.sbc_count))  # fmt: skip
    if a.pbx_coexistence == YES:
        _emit(out, "FIT.PBX.COEXIST", None, ("pbx_coexistence",), (YES,))
    if a.contact_centre == ContactCentre.CONNECT:
        _emit(out, "FIT.CONTACT_CENTRE.CONNECT", None, ("contact_centre",), (a.contact_centre,))
    if a.mobile_first_share is None:
        _note(out, TPM, "FIT.MOBILE_FIRST.UNKNOWN", None, ("mobile_first_share",), (None,),
              "low", True)  # fmt: skip
    else:
        pts = round((a.mobile_first_share - R.TPM_PIVOT_PCT) * R.TPM_POINTS_PER_PCT)
        message, advice, section = _TEXT["FIT.MOBILE_FIRST"]
        out[TPM].append(
            new_finding(
                "FIT.MOBILE_FIRST", None, ("mobile_first_share",), (a.mobile_first_share,),
                _severity(pts), pts, abs(pts),
                f"{a.mobile_first_share} % of workers are mobile-first.", advice, section,
                False, MODELS[TPM],
            )
        )  # fmt: skip

    notes: list[Finding] = []
    for question, label, section in _ORG_QUESTIONS:
        value = getattr(a, question)
        if value in _UNKNOWNS:
            notes.append(
                _org_note(
                    f"ORG.{question.upper()}.UNKNOWN", (question,), (value,), "low",
                    f"{label}: not answered.",
                    "Answer it in the workshop: it moves the Operator Connect / Direct "
                    "Routing fit.",
                    section, True,
                )
            )  # fmt: skip
    if a.users_on_skype_server == YES:
        notes.append(
            _org_note(
                "ORG.SKYPE_SERVER", ("users_on_skype_server",), (YES,), "medium",
                "Users are still homed on Skype for Business Server.",
                "Move them online (TeamsOnly) first: Operator Connect and Direct Routing both "
                "need users homed online.",
                "§1.4",
            )
        )  # fmt: skip
    if a.porting_required == YES:
        notes.append(
            _org_note(
                "ORG.PORTING", ("porting_required", "phone_numbers"),
                (YES, a.phone_numbers), "info",
                "Numbers will be ported.",
                "Plan one to three weeks or more per porting batch (UNCONFIRMED duration) and "
                "keep the current carrier until the port completes.",
                "§1.8",
            )
        )  # fmt: skip
    if a.security_desk_notification == YES:
        notes.append(
            _org_note(
                "ORG.EMERGENCY.NOTIFY", ("security_desk_notification",), (YES,), "info",
                "A security desk must be notified of emergency calls.",
                "Configure an emergency calling policy that notifies or conferences in the "
                "security desk (Kari's Law in the US).",
                "§4.3",
            )
        )  # fmt: skip

    dedicated = a.voice_skills == VoiceSkills.DEDICATED
    platform = a.operating_model == OperatingModel.PLATFORM
    # Derived from §1.1 / §6: without in-house SBC skills, Direct Routing is best bought
    # as a service (hosted SBC, S11).
    variant = (
        SELF_MANAGED if dedicated or (platform and a.voice_skills != VoiceSkills.NONE)
        else HOSTED
    )  # fmt: skip
    findings = tuple(tuple(m) for m in out)
    return OrgFit(
        findings,
        tuple(sum(f.points for f in m) for m in findings),
        tuple(_reasons(i, m, True) for i, m in enumerate(findings)),
        tuple(_reasons(i, m, False) for i, m in enumerate(findings)),
        tuple(notes),
        variant,
        a.survivability_required,
        a.dynamic_emergency_required,
        a.compliance_recording,
    )


def _reasons(
    i: int, findings: tuple[Finding, ...] | list[Finding], pro: bool
) -> tuple[tuple[int, str], ...]:
    """The strongest findings for (``pro``) or against a model, as (points, text)."""
    picked = sorted(
        (f for f in findings if (f.points > 0 if pro else f.points < 0)),
        key=lambda f: -abs(f.points),
    )
    return tuple((abs(f.points), f"{f.message} ({f.points:+d} {_LABELS[i]})") for f in picked[:3])


_UNAVAILABLE, _GOOD, _POSSIBLE, _POOR = (
    FitBand.UNAVAILABLE.value,
    FitBand.GOOD.value,
    FitBand.POSSIBLE.value,
    FitBand.POOR.value,
)
_TOLL_BYPASS, _REG_NONE, _REG_OTHER, _REG_UNKNOWN = (
    Regulation.TOLL_BYPASS.value,
    Regulation.NONE.value,
    Regulation.OTHER.value,
    Regulation.UNKNOWN.value,
)
_ADDR_READY, _ADDR_UNKNOWN = Readiness.READY.value, Readiness.UNKNOWN.value


def _band(fit: int, available: bool) -> str:
    if not available:
        return _UNAVAILABLE
    if fit >= R.FIT_GOOD_FROM:
        return _GOOD
    if fit >= R.FIT_POSSIBLE_FROM:
        return _POSSIBLE
    return _POOR


_BAND_LABELS = {k.value: v for k, v in FIT_BAND_LABELS.items()}


_CAP_CACHE: dict[tuple[str, int, tuple[str, ...]], FindingTemplate] = {}


def _cap(code: str, i: int, causes: tuple[str, ...], site: str | None, points: int) -> Finding:
    """A cap finding (model unavailable, or a requirement it cannot meet) for one fit."""
    key = (code, i, causes)
    template = _CAP_CACHE.get(key)
    if template is None:
        if code == "FIT.CAP.UNAVAILABLE":
            message = f"{_LABELS[i]} is not available here ({', '.join(causes)}): fit 0."
            advice = "Use another model for this site."
        else:
            message = (
                f"{_LABELS[i]} cannot meet a requirement here ({', '.join(causes)}): fit "
                f"capped at {R.FIT_CONFLICT_CAP}."
            )
            advice = "Serve this requirement with Direct Routing."
        template = _CAP_CACHE[key] = finding_template(
            code, None, ("findings",), causes, "high", 0, 0, message, advice, "§1.2", False,
            MODELS[i],
        )  # fmt: skip
    return from_template_points(template, site, points)


def _finish(
    i: int,
    site: str | None,
    org_findings: tuple[Finding, ...],
    org_sum: int,
    findings: list[Finding],
    unavailable: list[str] | tuple[str, ...],
    conflicts: list[str] | tuple[str, ...],
) -> ModelFit:
    """Apply caps and the 0..100 clamp as explicit findings; build the ModelFit."""
    raw = R.FIT_BASE + org_sum
    for f in findings:
        raw += f.points
    model = MODELS[i]
    if unavailable:
        if raw:
            findings.append(_cap("FIT.CAP.UNAVAILABLE", i, tuple(unavailable), site, -raw))
        raw = 0
    else:
        if conflicts and raw > R.FIT_CONFLICT_CAP:
            findings.append(
                _cap("FIT.CAP.CONFLICT", i, tuple(conflicts), site, R.FIT_CONFLICT_CAP - raw)
            )
            raw = R.FIT_CONFLICT_CAP
        if raw > 100 or raw < 0:
            target = 100 if raw > 100 else 0
            findings.append(
                new_finding(
                    "FIT.CLAMP", site, ("findings",), (raw,), "info", target - raw, 0,
                    f"Points add up to {raw}; the fit is clamped to {target}.", "", "§1.2",
                    False, model,
                )
            )  # fmt: skip
            raw = target
    available = not unavailable
    band = _band(raw, available)
    return new_model_fit(
        model, _LABELS[i], R.FIT_BASE, raw, band, _BAND_LABELS[band], available,
        org_findings + tuple(findings) if findings else org_findings,
    )  # fmt: skip


def site_fits(site: SiteInput, org: OrgFit) -> tuple[tuple[ModelFit, ...], tuple[Finding, ...]]:
    """Score every PSTN model at one site.

    Args:
        site: The site.
        org: The organisation-wide part, from :func:`org_fit`.

    Returns:
        The four model fits (``MODELS`` order) and the site's zero-point PSTN notes.
    """
    name = site.name
    country = site.country
    out: tuple[list[Finding], ...] = ([], [], [], [])
    notes: list[Finding] = []
    unavailable: tuple[list[str], ...] = ([], [], [], [])
    conflicts: tuple[list[str], ...] = ([], [], [], [])

    if country in R.CALLING_PLAN_COUNTRIES:
        _emit(out, "FIT.CP.COUNTRY.AVAILABLE", name, ("country",), (country,))
    else:
        _note(out, CP, "FIT.CP.COUNTRY.UNAVAILABLE", name, ("country",), (country,), "high", False)
        unavailable[CP].append("FIT.CP.COUNTRY.UNAVAILABLE")

    op = site.operator_available
    if op == YES:
        _emit(out, "FIT.OC.OPERATOR.YES", name, ("operator_available",), (op,))
    elif op == NO:
        _emit(out, "FIT.OC.OPERATOR.NO", name, ("operator_available",), (op,))
        _note(out, OC, "FIT.OC.OPERATOR.NO", name, ("operator_available",), (op,), "high", False)
        unavailable[OC].append("FIT.OC.OPERATOR.NO")
    else:
        _note(out, OC, "FIT.OC.OPERATOR.UNKNOWN", name, ("operator_available",), (op,), "medium",
              True)  # fmt: skip

    regulation = site.regulation
    if regulation == _TOLL_BYPASS or country in R.TOLL_BYPASS_COUNTRIES:
        # §1.6: India's toll-bypass rules are known; apply them even if unanswered.
        _emit(out, "FIT.TOLL_BYPASS", name, ("regulation", "country"), (regulation, country))
        for i in (OC, CP):
            conflicts[i].append("FIT.TOLL_BYPASS")
        if org.compliance_recording == YES:
            _emit(out, "FIT.COMPLIANCE.LBR", name, ("compliance_recording", "regulation"),
                  (YES, regulation))  # fmt: skip
        if regulation == _REG_NONE:
            notes.append(
                _site_note(
                    "SITE.REGULATION.CHECK", name, (regulation, country), ("regulation", "country"),
                    "medium", "This country has toll-bypass rules but the answer says none.",
                    "Verify with local counsel; the rules are applied here.", "§1.6", False,
                )
            )  # fmt: skip
    elif regulation == _REG_OTHER:
        notes.append(
            _site_note(
                "SITE.REGULATION.OTHER", name, (regulation,), ("regulation",), "medium",
                "Other telecom regulation applies.",
                "Check with local counsel which PSTN models are allowed.", "§1.6", False,
            )
        )  # fmt: skip
    elif regulation == _REG_UNKNOWN:
        notes.append(
            _site_note(
                "SITE.REGULATION.UNKNOWN", name, (regulation,), ("regulation",), "low",
                "Telecom regulation not known.",
                "Check for toll-bypass or other telecom regulation in this country.", "§1.6",
                True,
            )
        )  # fmt: skip

    if site.overhead_paging == YES:
        # §1.2 / §1.9: paging interop is Direct Routing's; no other model offers it.
        _emit(out, "FIT.PAGING", name, ("overhead_paging",), (YES,))
        for i in (OC, CP):
            conflicts[i].append("FIT.PAGING")
    if site.analog_devices:
        _emit(out, "FIT.ANALOG", name, ("analog_devices",), (site.analog_devices,))
    if site.fax_lines:
        _emit(out, "FIT.FAX", name, ("fax_lines",), (site.fax_lines,))
    if site.door_elevator_phones:
        _emit(out, "FIT.DOOR_PHONES", name, ("door_elevator_phones",),
              (site.door_elevator_phones,))  # fmt: skip
    surv = site.needs_survivability
    if surv == YES or (surv == UNKNOWN and org.survivability_required == YES):
        _emit(out, "FIT.SURVIVABILITY", name, ("needs_survivability", "survivability_required"),
              (surv, org.survivability_required))  # fmt: skip
        for i in (OC, CP):
            conflicts[i].append("FIT.SURVIVABILITY")
    if country in R.DYNAMIC_EMERGENCY_COUNTRIES and org.dynamic_emergency_required == YES:
        _emit(out, "FIT.EMERGENCY.DYNAMIC", name, ("country", "dynamic_emergency_required"),
              (country, YES))  # fmt: skip
    ready = site.emergency_address_ready
    if ready != _ADDR_READY:
        missing = ready == _ADDR_UNKNOWN
        notes.append(
            _site_note(
                "SITE.EMERGENCY.ADDRESS", name, (ready,), ("emergency_address_ready",),
                "low" if missing else "medium",
                "Emergency addresses not known to be ready." if missing
                else "Emergency addresses are not ready.",
                "Create validated emergency addresses (TAC map search) and map subnets, "
                "switches and Wi-Fi BSSIDs for dynamic location.",
                "§4.3", missing,
            )
        )  # fmt: skip

    of, os_ = org.findings, org.sums
    fits = (
        _finish(0, name, of[0], os_[0], out[0], unavailable[0], conflicts[0]),
        _finish(1, name, of[1], os_[1], out[1], unavailable[1], conflicts[1]),
        _finish(2, name, of[2], os_[2], out[2], unavailable[2], conflicts[2]),
        _finish(3, name, of[3], os_[3], out[3], unavailable[3], conflicts[3]),
    )
    return fits, tuple(notes)


_REASON_TEXT: dict[tuple[str, int, str], str] = {}


def _reason(message: str, points: int, label: str) -> str:
    key = (message, points, label)
    text = _REASON_TEXT.get(key)
    if text is None:
        text = _REASON_TEXT[key] = f"{message} ({points:+d} {label})"
    return text


def _merged(
    org_part: tuple[tuple[int, str], ...], fit: ModelFit, skip: int, pro: bool, n: int
) -> list[str]:
    """Top ``n`` reasons: the org's precomputed ones merged with the site's own findings."""
    label = fit.label
    site_part = [
        (abs(f.points), _reason(f.message, f.points, label))
        for f in fit.findings[skip:]
        if (f.points > 0 if pro else f.points < 0)
    ]
    if not site_part:
        return [text for _, text in org_part[:n]]
    merged = sorted(org_part + tuple(site_part), key=lambda p: -p[0])
    return [text for _, text in merged[:n]]


def recommend_site(fits: tuple[ModelFit, ...], org: OrgFit) -> SiteRecommendation:
    """Pick Operator Connect or Direct Routing for one site.

    A tie goes to Operator Connect: the operator runs the SBCs, so there is less to
    operate (§1.3, §6). Calling Plans and Teams Phone Mobile are named as alternatives
    when their fit is good.

    Args:
        fits: The site's fits in ``MODELS`` order.
        org: The organisation-wide part (for the Direct Routing variant).

    Returns:
        The recommended model, its variant for Direct Routing, reasons and alternatives.
    """
    oc, dr, cp, tpm = fits
    if dr.fit > oc.fit:
        chosen, c, other, o = dr, DR, oc, OC
    else:
        chosen, c, other, o = oc, OC, dr, DR
    # Sites with the same site-level findings get the same (immutable) recommendation;
    # the memo lives with the organisation's answers, so it is per assessment.
    key = (
        c,
        tuple((f.message, f.points) for f in chosen.findings[len(org.findings[c]) :]),
        tuple((f.message, f.points) for f in other.findings[len(org.findings[o]) :]),
        cp.band == _GOOD and cp.fit,
        tpm.band == _GOOD and tpm.fit,
    )
    memo = org.recommendations
    cached = memo.get(key)
    if cached is not None:
        return cached
    reasons = _merged(org.pros[c], chosen, len(org.findings[c]), True, 3) + _merged(
        org.cons[o], other, len(org.findings[o]), False, 2
    )
    alternatives = []
    if cp.band == _GOOD:
        alternatives.append(f"Calling Plans also fit ({cp.fit}).")
    if tpm.band == _GOOD:
        alternatives.append(f"Teams Phone Mobile for mobile-first workers ({tpm.fit}).")
    variant = org.dr_variant if c == DR else None
    label = DR_VARIANT_LABELS[variant] if variant else chosen.label
    rec = memo[key] = new_site_recommendation(
        chosen.model, label, variant, tuple(reasons), tuple(alternatives)
    )
    return rec


def overall_fits(
    org: OrgFit, site_fits_users: list[tuple[tuple[ModelFit, ...], int]]
) -> tuple[ModelFit, ...]:
    """Combine site fits into one fit per model, weighted by users.

    ``fit == base + sum(org findings) + FIT.SITES``, where the ``FIT.SITES`` finding
    carries the users-weighted effect of every site's own facts.

    Args:
        org: The organisation-wide part.
        site_fits_users: Each site's fits and its user count.

    Returns:
        One overall :class:`ModelFit` per model.
    """
    result = []
    total = sum(max(users, 1) for _, users in site_fits_users)
    for i in range(4):
        findings = list(org.findings[i])
        if not site_fits_users:
            result.append(_finish(i, None, (), 0, findings, (), ()))
            continue
        mean = round(sum(fits[i].fit * max(users, 1) for fits, users in site_fits_users) / total)
        available = any(fits[i].available for fits, _ in site_fits_users)
        delta = mean - R.FIT_BASE - org.sums[i]
        findings.append(
            new_finding(
                "FIT.SITES", None, ("sites",), (len(site_fits_users),), "info", delta, 0,
                f"Site facts and constraints across {len(site_fits_users)} site(s), weighted "
                "by users.",
                "See each site's fit for the details.", "§6", False, MODELS[i],
            )
        )  # fmt: skip
        band = _band(mean, available)
        result.append(
            ModelFit(
                MODELS[i], _LABELS[i], R.FIT_BASE, mean, band, _BAND_LABELS[band], available,
                tuple(findings),
            )
        )  # fmt: skip
    return tuple(result)


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


MAIN_REASONS = 4  # reasons given for the main model in the overall recommendation


def recommend_overall(
    org: OrgFit, sites: list[tuple[str, int, SiteRecommendation]]
) -> Recommendation:
    """Turn the per-site recommendations into one model or a mix.

    The main model is the one serving the most users (ties: more sites, then Operator
    Connect); the summary names the sites that need the other model.

    Args:
        org: The organisation-wide part.
        sites: ``(site name, users, recommendation)`` per site, in site order.

    Returns:
        The overall recommendation.
    """
    notes = tuple(
        dict.fromkeys(a.split(" (")[0] + "." for _, _, rec in sites for a in rec.alternatives)
    )
    if not sites:
        return Recommendation(
            "none", None, "No sites", None, (), "Add sites to get a recommendation.", (), ()
        )
    by_model: dict[str, list[str]] = {}
    users: dict[str, int] = {}
    for name, n, rec in sites:
        by_model.setdefault(rec.model, []).append(name)
        users[rec.model] = users.get(rec.model, 0) + n
    order = sorted(by_model, key=lambda m: (-users[m], -len(by_model[m]), MODELS.index(m)))
    main = order[0]
    variant = org.dr_variant if Model.DIRECT_ROUTING.value in by_model else None
    label_of = {
        m: DR_VARIANT_LABELS[org.dr_variant] if m == Model.DIRECT_ROUTING else
        MODEL_LABELS[Model(m)]
        for m in by_model
    }  # fmt: skip
    sites_by_model = tuple((m, tuple(by_model[m])) for m in order)
    if len(order) == 1:
        summary = f"{label_of[main]} for every site."
        kind = "single"
    else:
        others = "; ".join(f"{_names(by_model[m])} → {label_of[m]}" for m in order[1:])
        summary = f"{label_of[main]} everywhere except {others}."
        kind = "mix"
    # Why the main model: the reasons its sites share, most users first (organisation-wide
    # answers repeat at every site); then why each other site differs.
    weight: dict[str, int] = {}
    for _name, n, rec in sites:
        if rec.model == main:
            for reason in rec.reasons:
                weight[reason] = weight.get(reason, 0) + max(n, 1)
    reasons: list[str] = []
    said: set[str] = set()
    for reason in sorted(weight, key=lambda r: -weight[r]):
        claim = reason.split(" (")[0]  # the same answer moves both models: say it once
        if claim not in said and len(reasons) < MAIN_REASONS:
            said.add(claim)
            reasons.append(reason)
    for name, _, rec in sites:
        if rec.model != main and rec.reasons:
            reasons.append(f"{name}: {rec.reasons[0]}")
    return Recommendation(
        kind, main, label_of[main], variant, sites_by_model, summary, tuple(reasons), notes
    )
