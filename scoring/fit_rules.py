"""Every PSTN-fit rule in one place: its condition, points per model, text and source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring.countries import NO, UNKNOWN, YES, CountryFacts, FitOptions
from scoring.inputs import (
    AssessmentInput,
    ContactCentre,
    ExistingSbcs,
    Level,
    OperatingModel,
    Regulation,
    RoutingComplexity,
    SiteInput,
    Timeline,
    VoiceSkills,
)
from scoring.results import Model

# The order of every per-model tuple below, and of ``fits`` in a result.
MODELS: tuple[str, ...] = (
    Model.OPERATOR_CONNECT.value,
    Model.DIRECT_ROUTING.value,
    Model.DIRECT_ROUTING_HOSTED.value,
    Model.CALLING_PLANS.value,
    Model.TEAMS_PHONE_MOBILE.value,
)
OC, DR, DRH, CP, TPM = range(5)

# The tie rule (docs/scoring.md): among equal fits an available model beats an unknown
# one, then the model that leaves customer IT less to own (§1.3): Operator Connect (the
# operator runs SBCs, numbers and can manage emergency addresses), Calling Plans (IT
# registers emergency addresses), Teams Phone Mobile (IT manages SIMs), Direct Routing as
# a service (IT configures the tenant side), self-managed Direct Routing (IT runs it all).
OWNERSHIP_ORDER: tuple[int, ...] = (OC, CP, TPM, DRH, DR)

type Points = tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class OrgFacts:
    """What an organisation rule reads: the answers and the fit options."""

    org: AssessmentInput
    options: FitOptions


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """What a site rule reads: the site, the answers and the country's facts, resolved."""

    site: SiteInput
    org: AssessmentInput
    country: CountryFacts
    operator: str  # Operator Connect offered here: the site's answer, else the country's
    mobile: str  # Teams Phone Mobile offered here (the country's facts)
    toll_bypass: bool  # answered, or known for the country (§1.6)
    survivability: bool  # the site's answer, else the organisation's
    dispatchable: bool  # a dispatchable location is the law here (§4.3)


def site_facts(site: SiteInput, org: AssessmentInput, country: CountryFacts) -> SiteFacts:
    """Resolve a site's facts once for every rule.

    Args:
        site: The site.
        org: The organisation's answers.
        country: The country's facts (data file plus overrides).

    Returns:
        The resolved facts.
    """
    surv = site.needs_survivability
    return SiteFacts(
        site,
        org,
        country,
        site.operator_available if site.operator_available != UNKNOWN else country.operator_connect,
        country.teams_phone_mobile,
        site.regulation == Regulation.TOLL_BYPASS or country.toll_bypass,
        surv == YES or (surv == UNKNOWN and org.survivability_required == YES),
        country.dispatchable_location,
    )


@dataclass(frozen=True, slots=True)
class FitRule[F]:
    """A rule that moves fits: when ``when(facts)``, add ``points`` (per ``MODELS``)."""

    code: str
    points: Points
    message: str
    advice: str
    section: str
    fields: tuple[str, ...]
    when: Callable[[F], bool]
    missing: bool = False
    note_on: tuple[int, ...] = ()  # models a zero-point rule is noted on (missing data)


@dataclass(frozen=True, slots=True)
class Limit:
    """A hard limit: when ``when(facts)``, ``models`` are unavailable at the site.

    ``unlock`` says what would make them available again (shown when nothing fits); empty
    when nothing can (a law).
    """

    code: str
    models: tuple[int, ...]
    message: str
    advice: str
    unlock: str
    section: str
    fields: tuple[str, ...]
    when: Callable[[SiteFacts], bool]


def value_of(facts: OrgFacts | SiteFacts, name: str) -> str | int | float | bool | None:
    """An input value a finding names: the site's field, else the organisation's."""
    if isinstance(facts, SiteFacts) and hasattr(facts.site, name):
        value: str | int | float | bool | None = getattr(facts.site, name)
        return value
    org_value: str | int | float | bool | None = getattr(facts.org, name)
    return org_value


def _keep(f: OrgFacts, in_programme: str) -> bool:
    return f.org.keep_current_carrier == YES and f.org.carrier_in_operator_connect == in_programme


# Organisation answers (each once per assessment). Points: (OC, DR, DR hosted, CP, TPM).
ORG_RULES: tuple[FitRule[OrgFacts], ...] = (
    FitRule(
        "FIT.OPERATING.PRODUCT", (15, -10, 5, 10, 0),
        "Voice should be a product the company uses.",
        "Prefer an operator-run service (Operator Connect, Calling Plans, or Direct Routing "
        "as a service): the customer manages no SBC infrastructure.",
        "§1.2", ("operating_model",), lambda f: f.org.operating_model == OperatingModel.PRODUCT,
    ),
    FitRule(
        "FIT.OPERATING.PLATFORM", (-5, 15, 5, -5, 0),
        "Voice should be a platform the company operates.",
        "Direct Routing gives full control of SBCs, routing and carriers.",
        "§1.2", ("operating_model",), lambda f: f.org.operating_model == OperatingModel.PLATFORM,
    ),
    # Hosted Direct Routing does not take the penalties of running SBCs yourself (§1.1 S11:
    # the partner runs the SBCs, certificates and firmware).
    FitRule(
        "FIT.SKILLS.NONE", (10, -20, 5, 10, 0),
        "No voice/SBC skills in house.",
        "Avoid running SBCs yourself: Operator Connect, or Direct Routing as a service "
        "where Direct Routing is needed.",
        "§6", ("voice_skills",), lambda f: f.org.voice_skills == VoiceSkills.NONE,
    ),
    FitRule(
        "FIT.SKILLS.GENERALIST", (5, -5, 5, 5, 0),
        "IT generalists, no dedicated voice team.",
        "Self-managed Direct Routing needs SBC, certificate, firmware and SIP skills; "
        "budget training or a managed service.",
        "§1.5", ("voice_skills",), lambda f: f.org.voice_skills == VoiceSkills.GENERALIST,
    ),
    FitRule(
        "FIT.SKILLS.DEDICATED", (0, 10, 0, 0, 0),
        "A dedicated voice/SBC team exists.",
        "The team can own SBCs, certificates, firmware and routing.",
        "§1.5", ("voice_skills",), lambda f: f.org.voice_skills == VoiceSkills.DEDICATED,
    ),
    FitRule(
        "FIT.STAFF.NONE", (5, -10, 0, 5, 0),
        "No staff time available for voice.",
        "Self-managed Direct Routing needs recurring staff time (see what IT owns).",
        "§1.3", ("voice_staff_fte",), lambda f: f.org.voice_staff_fte == 0,
    ),
    FitRule(
        "FIT.RISK.LOW", (10, -10, 5, 10, 0),
        "Low tolerance for operational risk.",
        "Operator Connect carries an operator SLA back-to-back with Microsoft, a hosting "
        "partner its own SLA; a self-run Direct Routing trunk has no Microsoft SLA.",
        "§1.3", ("risk_tolerance",), lambda f: f.org.risk_tolerance == Level.LOW,
    ),
    FitRule(
        "FIT.RISK.HIGH", (0, 5, 0, 0, 0),
        "High tolerance for operational risk.",
        "Owning the trunk without a Microsoft SLA is acceptable.",
        "§1.3", ("risk_tolerance",), lambda f: f.org.risk_tolerance == Level.HIGH,
    ),
    FitRule(
        "FIT.TIMELINE.URGENT", (10, -10, 0, 5, 0),
        "Calling must go live within 3 months.",
        "Operator Connect enablement takes days; a self-managed Direct Routing build takes "
        "weeks, a hosting partner's onboarding days to weeks (typical durations: ask each "
        "provider for its dates).",
        "§1.8", ("timeline",), lambda f: f.org.timeline == Timeline.URGENT,
    ),
    FitRule(
        "FIT.TIMELINE.PORTING", (-5, 0, 0, -5, 0),
        "Numbers must be ported, and calling is urgent.",
        "A port takes one to three weeks or more per batch whatever the model, so a fast "
        "enablement saves less time; start porting first.",
        "§1.8", ("timeline", "porting_required"),
        lambda f: f.org.timeline == Timeline.URGENT and f.org.porting_required == YES,
    ),
    FitRule(
        "FIT.ROUTING.SIMPLE", (5, 0, 0, 5, 0),
        "Simple routing: one number plan per country.",
        "Operator or Microsoft routing with tenant dial plans is enough.",
        "§1.2", ("routing_complexity",),
        lambda f: f.org.routing_complexity == RoutingComplexity.SIMPLE,
    ),
    FitRule(
        "FIT.ROUTING.MODERATE", (0, 5, 5, -5, 0),
        "Moderate routing: translation rules or shared ranges.",
        "Check the operator can implement the translation rules; Direct Routing can.",
        "§1.2", ("routing_complexity",),
        lambda f: f.org.routing_complexity == RoutingComplexity.MODERATE,
    ),
    FitRule(
        "FIT.ROUTING.COMPLEX", (-10, 15, 10, -15, 0),
        "Complex routing: least-cost routing, PBX ranges, per-site rules.",
        "Routing on SBCs is Direct Routing, run by IT or by a hosting partner.",
        "§1.2", ("routing_complexity",),
        lambda f: f.org.routing_complexity == RoutingComplexity.COMPLEX,
    ),
    FitRule(
        "FIT.CARRIER.KEEP", (0, 10, 0, -30, 0),
        "The current carrier must be kept.",
        "Direct Routing works with any carrier; Calling Plans replace it (Microsoft is the "
        "carrier); Operator Connect only if the carrier is in the programme.",
        "§1.2", ("keep_current_carrier",), lambda f: f.org.keep_current_carrier == YES,
    ),
    FitRule(
        "FIT.CARRIER.OC.YES", (10, 0, 0, 0, 0),
        "The carrier to keep is in the Operator Connect programme.",
        "Keep it through Operator Connect: the carrier runs the SBCs.",
        "§1.2", ("keep_current_carrier", "carrier_in_operator_connect"),
        lambda f: _keep(f, YES),
    ),
    FitRule(
        "FIT.CARRIER.OC.NO", (-20, 0, 0, 0, 0),
        "The carrier to keep is not in the Operator Connect programme.",
        "Keep it through Direct Routing, or agree to change carrier for Operator Connect.",
        "§1.2", ("keep_current_carrier", "carrier_in_operator_connect"),
        lambda f: _keep(f, NO),
    ),
    FitRule(
        "FIT.CARRIER.OC.UNKNOWN", (0, 0, 0, 0, 0),
        "Not known whether the carrier to keep is in the Operator Connect programme.",
        "Look the carrier up in the Operator Connect directory: if it is there, Operator "
        "Connect keeps it.",
        "§1.2", ("keep_current_carrier", "carrier_in_operator_connect"),
        lambda f: _keep(f, UNKNOWN), missing=True, note_on=(OC,),
    ),
    FitRule(
        "FIT.CARRIER.MULTI", (-10, 15, 10, -15, 0),
        "Several carriers or least-cost routing are needed.",
        "Multi-carrier routing needs Direct Routing (self-run or hosted).",
        "§1.9", ("multi_carrier",), lambda f: f.org.multi_carrier == YES,
    ),
    FitRule(
        "FIT.SBC.CERTIFIED", (0, 10, 0, 0, 0),
        "Certified SBCs are already in place.",
        "Reuse them for Direct Routing if the firmware is on a certified major.minor.",
        "§1.5", ("existing_sbcs", "sbc_count"),
        lambda f: f.org.existing_sbcs == ExistingSbcs.CERTIFIED,
    ),
    FitRule(
        "FIT.SBC.NOT_CERTIFIED", (0, -5, 0, 0, 0),
        "Existing SBCs are not certified for Teams.",
        "Direct Routing needs certified SBCs; Microsoft is not certifying new models, so "
        "plan a replacement.",
        "§1.5", ("existing_sbcs", "sbc_count"),
        lambda f: f.org.existing_sbcs == ExistingSbcs.NOT_CERTIFIED,
    ),
    FitRule(
        "FIT.PBX.COEXIST", (-5, 15, 10, -10, 0),
        "A third-party PBX must keep running alongside Teams.",
        "Coexistence needs a Direct Routing trunk to the PBX (a gateway in the design); "
        "users may still be on Operator Connect or Calling Plans.",
        "§1.9", ("pbx_coexistence",), lambda f: f.org.pbx_coexistence == YES,
    ),
    FitRule(
        "FIT.CONTACT_CENTRE.CONNECT", (-10, 15, 10, -10, 0),
        "The contact centre uses the Connect model (SBC-connected).",
        "The Connect model needs a certified SBC and Direct Routing.",
        "§1.9", ("contact_centre",), lambda f: f.org.contact_centre == ContactCentre.CONNECT,
    ),
)  # fmt: skip


# Site facts. Legacy devices do not cap a users' model any more: the design adds a
# gateway for them (§1.9), and the points say what that gateway costs each model.
SITE_RULES: tuple[FitRule[SiteFacts], ...] = (
    FitRule(
        "FIT.CP.COUNTRY.AVAILABLE", (0, 0, 0, 10, 0),
        "Calling Plans are sold in this country.",
        "Calling Plans are an option here: Microsoft is the carrier.",
        "§1.7", ("country",), lambda f: f.country.calling_plans == YES,
    ),
    FitRule(
        "FIT.OC.OPERATOR.YES", (10, 0, 0, 0, 0),
        "An Operator Connect operator serves this country.",
        "Shortlist operators from the Operator Connect directory.",
        "§1.7", ("operator_available", "country"), lambda f: f.operator == YES,
    ),
    FitRule(
        "FIT.OC.OPERATOR.NO", (0, 10, 10, 0, 0),
        "No Operator Connect operator serves this country.",
        "Use Direct Routing (or Calling Plans where sold) for this site.",
        "§6", ("operator_available", "country"), lambda f: f.operator == NO,
    ),
    FitRule(
        "FIT.OC.OPERATOR.UNKNOWN", (0, 0, 0, 0, 0),
        "Not known whether an Operator Connect operator serves this country.",
        "Check the Microsoft 365 Operator Connect directory for this country.",
        "§1.7", ("operator_available", "country"), lambda f: f.operator == UNKNOWN,
        missing=True, note_on=(OC,),
    ),
    FitRule(
        "FIT.TPM.UNKNOWN", (0, 0, 0, 0, 0),
        "Not known whether a Teams Phone Mobile operator serves this country.",
        "Ask the mobile operator whether it offers Teams Phone Mobile here.",
        "§1.7", ("country",), lambda f: f.mobile == UNKNOWN, missing=True,
        note_on=(TPM,),
    ),
    FitRule(
        "FIT.TOLL_BYPASS", (0, 20, 0, 0, 0),
        "Toll-bypass regulation applies.",
        "Use Direct Routing with Location-Based Routing (in India also media bypass), or "
        "in India Operator Connect for India.",
        "§1.6", ("regulation", "country"), lambda f: f.toll_bypass,
    ),
    FitRule(
        "FIT.OC.INDIA", (-5, 0, 0, 0, 0),
        "Operator Connect for India needs an Indian operator's licence.",
        "Buy the Indian operator's licence beside Teams Phone; wired numbers are assigned "
        "with Location-Based Routing for India; users must be TeamsOnly.",
        "§1.6", ("country",),
        lambda f: f.toll_bypass and f.country.country == "IN" and f.operator != NO,
    ),
    FitRule(
        "FIT.COMPLIANCE.LBR", (-10, -10, 0, 0, 0),
        "Compliance recording is needed, but users under Location-Based Routing cannot be "
        "recorded.",
        "Confirm recording requirements for this site with the customer's compliance team.",
        "§1.6", ("compliance_recording", "regulation"),
        lambda f: f.toll_bypass and f.org.compliance_recording == YES,
    ),
    FitRule(
        "FIT.PAGING", (-5, 15, 5, -5, -5),
        "Overhead paging must interoperate with Teams.",
        "Connect the paging system through an SBC gateway under Direct Routing (beside any "
        "users' model), or replace it.",
        "§1.9", ("overhead_paging",), lambda f: f.site.overhead_paging == YES,
    ),
    FitRule(
        "FIT.ANALOG", (0, 10, 0, 0, 0),
        "Analog phones or adapters are in use.",
        "Register SIP Gateway-compatible ATAs with any model, or put ATAs behind a Direct "
        "Routing SBC.",
        "§1.9", ("analog_devices",), lambda f: f.site.analog_devices > 0,
    ),
    FitRule(
        "FIT.FAX", (-5, 5, 0, -5, -5),
        "Fax lines are in use.",
        "Keep fax on an SBC gateway (T.38), the PSTN or a cloud-fax service; Teams media is "
        "not documented to carry fax.",
        "§1.9", ("fax_lines",), lambda f: f.site.fax_lines > 0,
    ),
    FitRule(
        "FIT.DOOR_PHONES", (-5, 5, 0, -5, -5),
        "Door, elevator or emergency phones are in use.",
        "Keep them on an ATA behind an SBC gateway or on dedicated lines.",
        "§1.9", ("door_elevator_phones",), lambda f: f.site.door_elevator_phones > 0,
    ),
    FitRule(
        "FIT.SURVIVABILITY", (0, 15, 0, 0, 10),
        "Calling must survive an internet outage.",
        "Only Direct Routing with a Survivable Branch Appliance on an SBC at the site keeps "
        "PSTN calling local; Teams Phone Mobile users fail over to cellular.",
        "§1.5", ("needs_survivability", "survivability_required"), lambda f: f.survivability,
    ),
    FitRule(
        "FIT.EMERGENCY.DYNAMIC", (0, -10, -5, 0, 0),
        "Dynamic emergency calling with a dispatchable location is required here.",
        "Calling Plans and Operator Connect route it automatically; Direct Routing needs an "
        "ERS provider or ELIN, PIDF-LO and an emergency call routing policy (a hosting "
        "partner may provide them).",
        "§4.3", ("country", "dynamic_emergency_required"),
        lambda f: f.dispatchable,
    ),
)  # fmt: skip


def _india_oc(f: SiteFacts) -> bool:
    """Operator Connect for India is the one compliant Operator Connect (§1.6)."""
    return f.country.country == "IN"


LIMITS: tuple[Limit, ...] = (
    Limit(
        "FIT.CP.COUNTRY.UNAVAILABLE", (CP,),
        "Calling Plans are not sold in this country.",
        "Use Operator Connect (if an operator serves the country) or Direct Routing.",
        "Calling Plans arriving in this country (re-check the market list).",
        "§1.7", ("country",), lambda f: f.country.calling_plans != YES,
    ),
    Limit(
        "FIT.OC.OPERATOR.NONE", (OC,),
        "No Operator Connect operator serves this country.",
        "Use Direct Routing (or Calling Plans where sold) for this site.",
        "An Operator Connect operator covering this country (your operator's footprint).",
        "§6", ("operator_available", "country"), lambda f: f.operator == NO,
    ),
    Limit(
        "FIT.TPM.NONE", (TPM,),
        "No Teams Phone Mobile operator serves this country.",
        "Use another model for this site.",
        "A Teams Phone Mobile operator in this country.",
        "§1.7", ("country",), lambda f: f.mobile == NO,
    ),
    Limit(
        "FIT.TPM.NOT_MOBILE_FIRST", (TPM,),
        "Fewer than half the workers are known to be mobile-first.",
        "Offer Teams Phone Mobile to the mobile-first workers beside the site's model.",
        "Most of the site's workers being mobile-first.",
        "§6", ("mobile_first_share",),
        lambda f: f.org.mobile_first_share is None or f.org.mobile_first_share < 50,
    ),
    Limit(
        "FIT.TOLL_BYPASS.NON_COMPLIANT", (OC, DRH, CP, TPM),
        "Toll-bypass rules allow only Direct Routing with Location-Based Routing here.",
        "Use Direct Routing with Location-Based Routing and an SBC at the site.",
        "Lifting the toll-bypass constraint (confirm with local counsel).",
        "§1.6", ("regulation", "country"), lambda f: f.toll_bypass and not _india_oc(f),
    ),
    Limit(
        "FIT.TOLL_BYPASS.INDIA", (DRH, CP, TPM),
        "In India only Direct Routing with Location-Based Routing or Operator Connect for "
        "India are compliant.",
        "Use one of the two; Location-Based Routing needs the gateway on the site's network.",
        "",  # nothing lifts it: Indian regulation
        "§1.6", ("country",), lambda f: f.toll_bypass and _india_oc(f),
    ),
    Limit(
        "FIT.SURVIVABILITY.SBA", (OC, DRH, CP),
        "Survivability needs a Survivable Branch Appliance on an SBC at the site.",
        "Use self-managed Direct Routing with an SBA at this site.",
        "Dropping the survivability requirement for this site, or mobile-first workers on "
        "Teams Phone Mobile.",
        "§1.5", ("needs_survivability", "survivability_required"), lambda f: f.survivability,
    ),
)  # fmt: skip

ORG_RULES_BY_CODE = {r.code: r for r in ORG_RULES}
SITE_RULES_BY_CODE = {r.code: r for r in SITE_RULES}
LIMITS_BY_CODE = {limit.code: limit for limit in LIMITS}
