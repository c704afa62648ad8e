"""PSTN-model fit per site and overall, and the recommended designs (domain.md §1, §6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scoring import ruleset as R
from scoring.countries import NO_OPTIONS, UNKNOWN, YES, FitOptions, country_facts, data_label
from scoring.fit_rules import (
    DR,
    DRH,
    LIMITS,
    MODELS,
    OC,
    ORG_RULES,
    OWNERSHIP_ORDER,
    SITE_RULES,
    TPM,
    FitRule,
    OrgFacts,
    SiteFacts,
    site_facts,
    value_of,
)
from scoring.inputs import AssessmentInput, Readiness, Regulation, SiteInput
from scoring.results import (
    FIT_BAND_LABELS,
    MODEL_LABELS,
    Finding,
    FitBand,
    Gateway,
    Model,
    ModelFit,
    Recommendation,
    Scalar,
    SiteDesign,
    SiteRecommendation,
    new_finding,
    new_model_fit,
    new_site_recommendation,
)

_LABELS = tuple(MODEL_LABELS[Model(m)] for m in MODELS)
AVAILABLE, UNAVAILABLE_, UNKNOWN_ = "available", "unavailable", "unknown"

SELF_MANAGED = "self_managed"
HOSTED = "hosted"
DR_VARIANT_LABELS = {SELF_MANAGED: _LABELS[DR], HOSTED: _LABELS[DRH]}
_VARIANT = {DR: SELF_MANAGED, DRH: HOSTED}


def _severity(points: int) -> str:
    if points > 0:
        return "info"
    if points > -10:
        return "low"
    if points > -20:
        return "medium"
    return "high"


def _apply[F: (OrgFacts, SiteFacts)](
    out: tuple[list[Finding], ...], rule: FitRule[F], facts: F, site: str | None
) -> None:
    """Append the rule's finding to every model whose fit it moves (or notes it on)."""
    values: tuple[Scalar, ...] = tuple(value_of(facts, name) for name in rule.fields)
    for i, pts in enumerate(rule.points):
        if pts or i in rule.note_on:
            severity = "medium" if rule.missing else _severity(pts)
            out[i].append(
                new_finding(
                    rule.code, site, rule.fields, values, severity, pts, abs(pts),
                    rule.message, rule.advice, rule.section, rule.missing, MODELS[i],
                )
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class OrgFit:
    """Organisation-wide part of every fit, computed once per assessment."""

    answers: AssessmentInput
    options: FitOptions
    findings: tuple[tuple[Finding, ...], ...]  # per model, in MODELS order
    sums: tuple[int, ...]
    notes: tuple[Finding, ...]  # zero-point organisation findings (missing answers etc.)


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
    """A zero-point note about the organisation: a site note without a site."""
    return _site_note(code, None, fields, values, severity, message, advice, section, missing)


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


def _org_notes(a: AssessmentInput) -> list[Finding]:
    notes: list[Finding] = []
    for question, label, section in _ORG_QUESTIONS:
        value = getattr(a, question)
        if value in _UNKNOWNS:
            notes.append(
                _org_note(
                    f"ORG.{question.upper()}.UNKNOWN", (question,), (value,), "low",
                    f"{label}: not answered.",
                    "Answer it in the workshop: it moves the fit of each PSTN model.",
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
                "Plan one to three weeks or more per porting batch (ask the carrier for its "
                "dates) and keep the current carrier until the port completes.",
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
    return notes


def org_fit(a: AssessmentInput, options: FitOptions = NO_OPTIONS) -> OrgFit:
    """Score the organisation-wide answers once for every model.

    Args:
        a: The assessment (its sites are not used here).
        options: Country overrides and other inputs beyond the answers.

    Returns:
        Per-model findings and sums, and zero-point notes.
    """
    out: tuple[list[Finding], ...] = ([], [], [], [], [])
    facts = OrgFacts(a, options)
    for rule in ORG_RULES:
        if rule.when(facts):
            _apply(out, rule, facts, None)
    if a.mobile_first_share is None:
        out[TPM].append(
            new_finding(
                "FIT.MOBILE_FIRST.UNKNOWN", None, ("mobile_first_share",), (None,), "low", 0, 0,
                "Share of mobile-first workers not known.",
                "Ask how many workers mainly call from a mobile.", "§6", True, MODELS[TPM],
            )
        )  # fmt: skip
    else:
        pts = round((a.mobile_first_share - R.TPM_PIVOT_PCT) * R.TPM_POINTS_PER_PCT)
        out[TPM].append(
            new_finding(
                "FIT.MOBILE_FIRST", None, ("mobile_first_share",), (a.mobile_first_share,),
                _severity(pts), pts, abs(pts),
                f"{a.mobile_first_share} % of workers are mobile-first.",
                "Offer Teams Phone Mobile to mobile-first workers whose operator is in the "
                "programme.",
                "§6", False, MODELS[TPM],
            )
        )  # fmt: skip
    findings = tuple(tuple(m) for m in out)
    return OrgFit(
        a,
        options,
        findings,
        tuple(sum(f.points for f in m) for m in findings),
        tuple(_org_notes(a)),
    )


_BAND_LABELS = {k.value: v for k, v in FIT_BAND_LABELS.items()}


def _band(fit: int, available: bool) -> str:
    if not available:
        return FitBand.UNAVAILABLE.value
    if fit >= R.FIT_GOOD_FROM:
        return FitBand.GOOD.value
    if fit >= R.FIT_POSSIBLE_FROM:
        return FitBand.POSSIBLE.value
    return FitBand.POOR.value


def _finish(
    i: int,
    site: str | None,
    org_findings: tuple[Finding, ...],
    org_sum: int,
    findings: list[Finding],
    because: tuple[str, ...],
    availability: str,
) -> tuple[ModelFit, int]:
    """Apply the unavailable cap and the 0..100 clamp as findings; the fit and its raw."""
    raw = R.FIT_BASE + org_sum + sum(f.points for f in findings)
    fit = raw
    model = MODELS[i]
    if because:
        if fit:
            findings.append(
                new_finding(
                    "FIT.CAP.UNAVAILABLE", site, ("findings",), because, "high", -fit, 0,
                    f"{_LABELS[i]} is not available here: fit 0.",
                    "Use another model for this site.", "§1.2", False, model,
                )
            )  # fmt: skip
        fit = 0
    elif fit > 100 or fit < 0:
        target = 100 if fit > 100 else 0
        findings.append(
            new_finding(
                "FIT.CLAMP", site, ("findings",), (fit,), "info", target - fit, 0,
                f"Points add up to {fit}; the fit is clamped to {target}.", "", "§1.2",
                False, model,
            )
        )  # fmt: skip
        fit = target
    available = not because
    band = _band(fit, available)
    return (
        new_model_fit(
            model, _LABELS[i], R.FIT_BASE, fit, band, _BAND_LABELS[band], available,
            org_findings + tuple(findings), availability, because,
        ),
        max(0, min(100, raw)),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class SiteFits:
    """One site's fits with what the recommendation needs beyond them."""

    facts: SiteFacts
    fits: tuple[ModelFit, ...]
    raw: tuple[int, ...]  # each fit before the unavailable cap (what would change it)
    unlocks: tuple[tuple[str, ...], ...]  # per model, what would make it available
    notes: tuple[Finding, ...]


def _site_note(
    code: str,
    site: str | None,
    fields: tuple[str, ...],
    values: tuple[Scalar, ...],
    severity: str,
    message: str,
    advice: str,
    section: str,
    missing: bool = False,
) -> Finding:
    return new_finding(code, site, fields, values, severity, 0, 0, message, advice, section,
                       missing)  # fmt: skip


def _site_notes(f: SiteFacts) -> list[Finding]:
    """Zero-point notes: regulation, emergency calling, survivability caveats."""
    s = f.site
    name, country, regulation = s.name, s.country, s.regulation
    notes: list[Finding] = []
    if f.toll_bypass and regulation == Regulation.NONE:
        notes.append(
            _site_note(
                "SITE.REGULATION.CHECK", name, ("regulation", "country"), (regulation, country),
                "medium", "This country has toll-bypass rules but the answer says none.",
                "Verify with local counsel; the rules are applied here.", "§1.6",
            )
        )  # fmt: skip
    elif regulation == Regulation.OTHER:
        notes.append(
            _site_note(
                "SITE.REGULATION.OTHER", name, ("regulation",), (regulation,), "medium",
                "Other telecom regulation applies.",
                "Check with local counsel which PSTN models are allowed.", "§1.6",
            )
        )  # fmt: skip
    elif regulation == Regulation.UNKNOWN and not f.toll_bypass:
        notes.append(
            _site_note(
                "SITE.REGULATION.UNKNOWN", name, ("regulation",), (regulation,), "low",
                "Telecom regulation not known.",
                "Check for toll-bypass or other telecom regulation in this country.", "§1.6",
                True,
            )
        )  # fmt: skip
    if f.dispatchable:
        answer = f.org.dynamic_emergency_required
        notes.append(
            _site_note(
                "SITE.EMERGENCY.DISPATCHABLE", name, ("country", "dynamic_emergency_required"),
                (country, answer), "info" if answer == YES else "medium",
                "Dynamic emergency calling with a dispatchable location is required here "
                "whatever the answer (US: Kari's Law and RAY BAUM'S Act).",
                "Configure dynamic emergency calling: validated addresses, the LIS (subnets, "
                "switches, BSSIDs), direct 911 dialling and notification of a security desk.",
                "§4.3",
            )
        )  # fmt: skip
    if f.survivability:
        notes.append(
            _site_note(
                "SITE.SBA.EMERGENCY", name, ("needs_survivability",), (s.needs_survivability,),
                "medium",
                "In survivability (SBA) mode emergency calls carry no location and emergency "
                "call routing policies do not apply.",
                "Tell the site; keep the emergency number routable on the SBC's normal routes "
                "and give responders the building's address another way.",
                "§1.5, §4.3",
            )
        )  # fmt: skip
    ready = s.emergency_address_ready
    if ready != Readiness.READY:
        missing = ready == Readiness.UNKNOWN
        notes.append(
            _site_note(
                "SITE.EMERGENCY.ADDRESS", name, ("emergency_address_ready",), (ready,),
                "low" if missing else "medium",
                "Emergency addresses not known to be ready." if missing
                else "Emergency addresses are not ready.",
                "Create validated emergency addresses (TAC map search) and map subnets, "
                "switches and Wi-Fi BSSIDs for dynamic location.",
                "§4.3", missing,
            )
        )  # fmt: skip
    return notes


def site_fits(site: SiteInput, org: OrgFit) -> SiteFits:
    """Score every PSTN model at one site: availability first, then the points.

    Args:
        site: The site.
        org: The organisation-wide part, from :func:`org_fit`.

    Returns:
        The fits (``MODELS`` order), their raw values, unlocks and the site's notes.
    """
    facts = site_facts(site, org.answers, country_facts(site.country, org.options))
    name = site.name
    out: tuple[list[Finding], ...] = ([], [], [], [], [])
    for rule in SITE_RULES:
        if rule.when(facts):
            _apply(out, rule, facts, name)
    because: tuple[list[str], ...] = ([], [], [], [], [])
    unlocks: tuple[list[str], ...] = ([], [], [], [], [])
    for limit in LIMITS:
        if limit.when(facts):
            values: tuple[Scalar, ...] = tuple(value_of(facts, n) for n in limit.fields)
            for i in limit.models:
                because[i].append(limit.code)
                unlocks[i].append(limit.unlock)
                out[i].append(
                    new_finding(
                        limit.code, name, limit.fields, values, "high", 0, 0, limit.message,
                        limit.advice, limit.section, False, MODELS[i],
                    )
                )  # fmt: skip
    unknown = {OC: facts.operator == UNKNOWN, TPM: facts.mobile == UNKNOWN}
    fits: list[ModelFit] = []
    raws: list[int] = []
    for i in range(len(MODELS)):
        availability = UNAVAILABLE_ if because[i] else UNKNOWN_ if unknown.get(i) else AVAILABLE
        fit, raw = _finish(i, name, org.findings[i], org.sums[i], out[i], tuple(because[i]),
                           availability)  # fmt: skip
        fits.append(fit)
        raws.append(raw)
    return SiteFits(
        facts,
        tuple(fits),
        tuple(raws),
        tuple(tuple(u) for u in unlocks),
        tuple(_site_notes(facts)),
    )


def choose(fits: tuple[ModelFit, ...]) -> int:
    """The index of the model to recommend: availability before preference.

    An unavailable model is never chosen. Among the others the highest fit wins; a tie
    goes to an available model over an unknown one, then to the model that leaves IT
    less to own (``fit_rules.OWNERSHIP_ORDER``). Self-managed Direct Routing is never
    limited, so there is always a choice.

    Args:
        fits: A site's fits in ``MODELS`` order.

    Returns:
        The index into ``MODELS``.
    """
    candidates = [i for i in OWNERSHIP_ORDER if fits[i].availability != UNAVAILABLE_]
    return max(
        candidates,
        key=lambda i: (fits[i].fit, fits[i].availability == AVAILABLE, -OWNERSHIP_ORDER.index(i)),
    )


def _reason(f: Finding, label: str) -> str:
    return f"{f.message} ({f.points:+d} {label})"


def _top(fit: ModelFit, pro: bool, n: int) -> list[str]:
    picked = sorted(
        (f for f in fit.findings if (f.points > 0 if pro else f.points < 0)),
        key=lambda f: -abs(f.points),
    )
    return [_reason(f, fit.label) for f in picked[:n]]


_GATEWAY_KINDS = (
    # (purpose, gateway kind, label) of the devices a site may have, §1.9.
    ("paging", "sbc", "SBC gateway for overhead paging"),
    ("fax", "sbc", "SBC gateway for fax lines (T.38)"),
    ("door_phones", "sbc", "ATA behind an SBC gateway for door, lift and emergency phones"),
    ("analog", "ata", "SIP Gateway-compatible ATAs for analog phones"),
)


def _design(f: SiteFacts, c: int) -> SiteDesign:
    """The site's design: the users' model, the gateways beside it, its requirements."""
    s = f.site
    india = f.toll_bypass and s.country == "IN"
    if c == OC and india:
        label = "Operator Connect for India"
    elif c == DR and f.toll_bypass:
        label = "Direct Routing with Location-Based Routing"
    else:
        label = _LABELS[c]
    # A hosting partner runs the gateways of its customers' sites; otherwise IT does.
    owner = "partner" if c == DRH else "customer_it"
    counts = {
        "paging": 1 if s.overhead_paging == YES else 0,
        "fax": s.fax_lines,
        "door_phones": s.door_elevator_phones,
        "analog": s.analog_devices,
    }
    gateways = [
        Gateway("ata" if purpose == "analog" and c != DR else kind, purpose,
                "ATAs behind the site's SBC" if purpose == "analog" and c == DR else text,
                counts[purpose], owner)
        for purpose, kind, text in _GATEWAY_KINDS
        if counts[purpose]
    ]  # fmt: skip
    if f.survivability and c == DR:
        gateways.append(
            Gateway(
                "sba", "survivability", "Survivable Branch Appliance on the site's SBC", 1, owner
            )  # fmt: skip
        )
    requirements: list[str] = []
    if f.toll_bypass:
        requirements.append(
            "An Indian operator's Operator Connect for India licence; wired numbers with "
            "Location-Based Routing for India; users TeamsOnly."
            if c == OC
            else "Location-Based Routing with the gateway on the site's network"
            + ("; media bypass (India)." if india else ".")
        )
    if f.dispatchable:
        requirements.append(
            "Dynamic emergency calling with a dispatchable location (Kari's Law, RAY BAUM'S Act)."
        )
    if f.survivability:
        requirements.append("Emergency calls in survivability (SBA) mode carry no location.")
    summary = f"{label} for {s.users} user(s)"
    if gateways:
        summary += " + " + "; ".join(
            f"{g.label}" + (f" ({g.devices})" if g.purpose != "survivability" else "")
            for g in gateways
        )
    return SiteDesign(MODELS[c], label, s.users, tuple(gateways), tuple(requirements),
                      summary + ".")  # fmt: skip


def recommend_site(sf: SiteFits) -> SiteRecommendation:
    """Recommend a design for one site (see :func:`choose` for the rule).

    Args:
        sf: The site's fits, from :func:`site_fits`.

    Returns:
        The recommended model and design, reasons, alternatives and, when no available
        model fits well, what would change that.
    """
    fits = sf.fits
    c = choose(fits)
    chosen = fits[c]
    others = [i for i in OWNERSHIP_ORDER if i != c and fits[i].availability != UNAVAILABLE_]
    runner = max(others, key=lambda i: fits[i].fit) if others else None
    reasons = _top(chosen, True, 3)
    if runner is not None:
        reasons += _top(fits[runner], False, 2)
    alternatives = tuple(
        f"{fits[i].label} also fit{'' if fits[i].label.endswith('s') else 's'} ({fits[i].fit})."
        if i != TPM
        else f"Teams Phone Mobile for mobile-first workers ({fits[i].fit})."
        for i in OWNERSHIP_ORDER
        if i != c and fits[i].band == FitBand.GOOD
    )
    status = "fits" if chosen.fit >= R.FIT_POSSIBLE_FROM else "poor_fit"
    change: list[str] = []
    if status == "poor_fit":
        for i in OWNERSHIP_ORDER:
            unlocks = [u for u in sf.unlocks[i] if u]
            if fits[i].availability == UNAVAILABLE_ and sf.raw[i] > chosen.fit and unlocks:
                given = "; ".join(u[0].lower() + u[1:].rstrip(".") for u in unlocks)
                change.append(f"{_LABELS[i]} would fit {sf.raw[i]} with {given}.")
        change += [
            f"{_LABELS[c]}: {f.message} ({f.points:+d}) {f.recommendation}"
            for f in sorted(chosen.findings, key=lambda f: f.points)[:2]
            if f.points < 0
        ]
    design = _design(sf.facts, c)
    return new_site_recommendation(
        MODELS[c], design.users_label, _VARIANT.get(c), tuple(reasons), alternatives,
        chosen.fit, status, tuple(change), design,
    )  # fmt: skip


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
    return overall_fits_of(
        org,
        [(tuple((f.fit, f.availability) for f in fits), users) for fits, users in site_fits_users],
    )


def overall_fits_of(
    org: OrgFit, site_fits_users: Sequence[tuple[tuple[tuple[int, str], ...], int]]
) -> tuple[ModelFit, ...]:
    """:func:`overall_fits` from what it reads of each site: each model's fit and availability.

    Args:
        org: The organisation-wide part.
        site_fits_users: Per site, ``(fit, availability)`` per model in ``MODELS`` order,
            and its user count (a stored ``SitePart``'s ``fits`` and ``users``).

    Returns:
        One overall :class:`ModelFit` per model.
    """
    result = []
    total = sum(max(users, 1) for _, users in site_fits_users)
    for i in range(len(MODELS)):
        findings = list(org.findings[i])
        if not site_fits_users:
            result.append(_finish(i, None, (), 0, findings, (), AVAILABLE)[0])
            continue
        mean = round(sum(fits[i][0] * max(users, 1) for fits, users in site_fits_users) / total)
        states = {fits[i][1] for fits, _ in site_fits_users}
        availability = (
            AVAILABLE if AVAILABLE in states else UNKNOWN_ if UNKNOWN_ in states else UNAVAILABLE_
        )
        available = availability != UNAVAILABLE_
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
        because = () if available else ("FIT.SITES",)
        result.append(
            ModelFit(
                MODELS[i], _LABELS[i], R.FIT_BASE, mean, band, _BAND_LABELS[band], available,
                tuple(findings), availability, because,
            )
        )  # fmt: skip
    return tuple(result)


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


MAIN_REASONS = 4  # reasons given for the main model in the overall recommendation


def _org_gateways(org: OrgFit, models: set[str]) -> list[tuple[str | None, Gateway]]:
    """Gateways the organisation needs once, whatever the sites: the PBX trunk (§1.9)."""
    if org.answers.pbx_coexistence != YES:
        return []
    owner = "customer_it" if MODELS[DR] in models or MODELS[DRH] not in models else "partner"
    return [(None, Gateway("sbc", "pbx", "SBC pair for the trunk to the PBX", 2, owner))]


def recommend_overall(
    org: OrgFit, sites: Sequence[tuple[str, int, SiteRecommendation]]
) -> Recommendation:
    """Turn the per-site designs into one model or a mix.

    The main model is the one serving the most users (ties: more sites, then the
    ownership order); the summary names the sites that need another model, and the
    chart highlights the main model.

    Args:
        org: The organisation-wide part.
        sites: ``(site name, users, recommendation)`` per site, in site order.

    Returns:
        The overall recommendation.
    """
    notes = tuple(
        dict.fromkeys(a.split(" (")[0] + "." for _, _, rec in sites for a in rec.alternatives)
    )
    country = data_label(org.options)
    if not sites:
        return Recommendation(
            "none", None, "No sites", None, (), "Add sites to get a recommendation.", (), (),
            None, None, "none", (), (), country,
        )  # fmt: skip
    by_model: dict[str, list[str]] = {}
    users: dict[str, int] = {}
    for name, n, rec in sites:
        by_model.setdefault(rec.model, []).append(name)
        users[rec.model] = users.get(rec.model, 0) + n
    rank = {MODELS[i]: k for k, i in enumerate(OWNERSHIP_ORDER)}
    order = sorted(by_model, key=lambda m: (-users[m], -len(by_model[m]), rank[m]))
    main = order[0]
    variant = (
        SELF_MANAGED if MODELS[DR] in by_model else HOSTED if MODELS[DRH] in by_model else None
    )
    label_of = {m: MODEL_LABELS[Model(m)] for m in by_model}
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
        claim = reason.split(" (")[0]  # the same answer moves several models: say it once
        if claim not in said and len(reasons) < MAIN_REASONS:
            said.add(claim)
            reasons.append(reason)
    for name, _, rec in sites:
        if rec.model != main and rec.reasons:
            reasons.append(f"{name}: {rec.reasons[0]}")
    total = sum(max(n, 1) for _, n, _ in sites)
    fit = round(sum(rec.fit * max(n, 1) for _, n, rec in sites) / total)
    poor = [(name, rec) for name, _, rec in sites if rec.status == "poor_fit"]
    if poor:
        summary += (
            f" No available model fits {_names([n for n, _ in poor])} well; see what would "
            "change that."
        )
    change = tuple(f"{name}: {item}" for name, rec in poor for item in rec.what_would_change)
    gateways = [
        (name, g) for name, _, rec in sites if rec.design for g in rec.design.gateways
    ] + _org_gateways(org, set(by_model))
    return Recommendation(
        kind, main, label_of[main], variant, sites_by_model, summary, tuple(reasons), notes,
        main, fit, "poor_fit" if poor else "fits", change, tuple(gateways), country,
    )  # fmt: skip
