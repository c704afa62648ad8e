"""Every threshold, weight and assumption the engine uses, with its domain.md source."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from scoring.countries import country_data

# Bump on any change that can move a score, a grade, a fit or an effort figure, so a
# stored result always says which rules produced it (DESIGN.md "Rules are versioned").
# MAJOR: rules or finding codes change meaning; MINOR: weights/thresholds/assumptions
# change; PATCH: wording only.
RULESET_VERSION = "2.1.0"
# 2.1.0: self-managed Direct Routing counts a pair of SBCs per Direct Routing region in the
# ownership matrix, as the cost of ownership sizes them; cost of ownership (prices only
# Resource Accounts beyond Microsoft's free allotment).
# 2.0.0: availability before preference, hosted Direct Routing as its own model, site
# designs with gateways, India's two compliant answers, US/Canada dispatchable location,
# country facts from scoring/data/countries.json, certificate lifetimes by date.
# Also: readiness over what is known (completeness, "Not assessed", to find out,
# a projection after the fixes), severity by distance, personas and hub backhaul.


@dataclass(frozen=True, slots=True)
class Assumption:
    """A figure domain.md marks UNCONFIRMED (or does not give), used by the engine.

    ``note`` is what a customer reads: what is assumed, with the figure, and how to confirm it.
    """

    name: str
    value: float
    unit: str
    note: str
    section: str


# --------------------------------------------------------------------------------------
# Path quality, domain.md §2.1 (S19, S26). Targets are strict: "< 100 ms" means 100 ms
# misses. One-way latency is derived as RTT / 2, so the one-way rows of §2.1 (50 ms /
# 30 ms) are the same test as the RTT rows and are cited in the messages only.
# Burst loss (200 ms windows) is not collected by the portal's measurement fields.
# --------------------------------------------------------------------------------------
CLIENT_RTT_MAX_MS = 100.0  # §2.1 client → Microsoft edge RTT < 100 ms (one way < 50 ms)
CLIENT_JITTER_MAX_MS = 30.0  # §2.1 client jitter < 30 ms in any 15 s interval
CLIENT_LOSS_MAX_PCT = 1.0  # §2.1 client packet loss < 1 % in any 15 s interval
CLIENT_REORDER_MAX_PCT = 0.05  # §2.1 client packet reorder < 0.05 %
EDGE_RTT_MAX_MS = 60.0  # §2.1 customer edge → Microsoft edge RTT < 60 ms (one way < 30 ms)
EDGE_JITTER_MAX_MS = 15.0  # §2.1 edge jitter < 15 ms in any 15 s interval
EDGE_LOSS_MAX_PCT = 0.1  # §2.1 edge packet loss < 0.1 % in any 15 s interval
EDGE_REORDER_MAX_PCT = 0.01  # §2.1 edge packet reorder < 0.01 %

# Beyond these, CQD classifies an audio stream as Poor (§3.3, S21): strictly greater
# than. A site whose path averages past them is a blocker (critical finding), except
# where the line is the target itself (client jitter: see CRITICAL_END_FACTOR). They
# apply to both segments, since the edge segment is part of every call's path.
POOR_RTT_MS = 500.0  # §3.3 round trip > 500 ms
POOR_LOSS_PCT = 10.0  # §3.3 packet loss rate > 0.1 (10 %)
POOR_JITTER_MS = 30.0  # §3.3 jitter > 30 ms

# --------------------------------------------------------------------------------------
# Bandwidth, domain.md §2.2 (S18) per endpoint in kbps (up, down), and §3.1 Network
# Planner (S24, S25, S26).
# --------------------------------------------------------------------------------------
AUDIO_KBPS_MIN = (10, 10)  # §2.2 audio 1:1 and meeting, minimum
AUDIO_KBPS_REC = (58, 58)  # §2.2 audio, recommended
VIDEO_MEETING_KBPS_MIN = (150, 200)  # §2.2 video meeting, minimum
VIDEO_MEETING_KBPS_REC = (2_500, 4_000)  # §2.2 video meeting, recommended
SHARING_MEETING_KBPS_MIN = (250, 250)  # §2.2 screen sharing meeting, minimum
SHARING_MEETING_KBPS_REC = (2_500, 2_500)  # §2.2 screen sharing meeting, recommended
TEAMS_ROOM_KBPS = 10_000  # §2.2 / S31: room account bandwidth policy no lower than 10 Mbps
ALLOWED_SHARE = 0.30  # §3.1 Network Planner "allowed bandwidth" default: 30 % of each link
OFFICE_WORKER_SHARE = 0.80  # §3.1 Network Planner persona split 80 % office / 20 % remote

# A Teams Room in a meeting is one meeting endpoint that sends and receives video and
# content: audio + video meeting + screen sharing meeting at the §2.2 rates (S18), i.e.
# 5.1 / 6.6 Mbps recommended. The 10 Mbps of S31 is the floor of the room account's
# bandwidth *policy* (a ceiling the room may use), not the load a room puts on the link.
ROOM_KBPS_REC = tuple(
    AUDIO_KBPS_REC[i] + VIDEO_MEETING_KBPS_REC[i] + SHARING_MEETING_KBPS_REC[i] for i in (0, 1)
)
ROOM_KBPS_MIN = tuple(
    AUDIO_KBPS_MIN[i] + VIDEO_MEETING_KBPS_MIN[i] + SHARING_MEETING_KBPS_MIN[i] for i in (0, 1)
)

# UNCONFIRMED (§3.1: "concurrency factors are UNCONFIRMED assumptions to be set in
# config"; Network Planner's per-persona bit-rates are not published).
DEFAULT_PEAK_CONCURRENCY_PCT = 20  # share of on-site users in a call at the busiest hour
VIDEO_CALL_SHARE = 0.50  # office worker: share of concurrent calls with video
SHARING_CALL_SHARE = 0.20  # office worker: share of concurrent calls with screen sharing
HEAVY_VIDEO_CALL_SHARE = 1.0  # heavy video: every call with video
HEAVY_SHARING_CALL_SHARE = 0.50  # heavy video: half the calls share a screen
ROOM_PEAK_CONCURRENCY = 0.50  # share of Teams Rooms in a meeting at the busiest hour

# Personas (§3.1 Network Planner: office worker, remote worker, Teams Rooms system, plus
# custom ones): (share of calls with video, share with screen sharing) on top of audio,
# at the §2.2 meeting rates. Remote workers load their own connection, not the site's;
# Teams Rooms are counted per room (``SiteInput.teams_rooms``).
PERSONA_MIX: dict[str, tuple[float, float]] = {
    "audio_only": (0.0, 0.0),  # calling only (a contact centre agent, a shop floor)
    "office_worker": (VIDEO_CALL_SHARE, SHARING_CALL_SHARE),  # Network Planner's default
    "heavy_video": (HEAVY_VIDEO_CALL_SHARE, HEAVY_SHARING_CALL_SHARE),
}
DEFAULT_PERSONA = "office_worker"

# --------------------------------------------------------------------------------------
# Network readiness weights (portal policy, not Microsoft figures). They sum to 100. An
# item that misses its target loses points; an item that is not known loses nothing: it
# lowers the data completeness instead, and the score is taken over what is known.
# SD-WAN carries no weight: Microsoft states no requirement for it (§4.1), so its absence
# is advice, never points lost. Its 4 points went to packet loss, the impairment audio
# suffers most from (CQD rates a stream Poor above 10 % loss, §3.3).
# --------------------------------------------------------------------------------------
W_BW_UP = 10  # §2.2 / §3.1 primary circuit(s) upstream
W_BW_DOWN = 10  # §2.2 / §3.1 primary circuit(s) downstream
W_RTT = 4  # §2.1, per segment
W_JITTER = 4  # §2.1, per segment
W_LOSS = 7  # §2.1, per segment
W_REORDER = 2  # §2.1, per segment
W_QOS = 10  # §2.3
W_WIFI = 6  # §2.6
W_BREAKOUT = 5  # §2.5
W_PROXY = 4  # §2.5
W_VPN = 5  # §2.5
W_FIREWALL = 6  # §2.4
W_FAILOVER = 10  # §4.1 secondary / backup circuit carries the calls

NETWORK_WEIGHTS = (
    W_BW_UP + W_BW_DOWN + 2 * (W_RTT + W_JITTER + W_LOSS + W_REORDER)
    + W_QOS + W_WIFI + W_BREAKOUT + W_PROXY + W_VPN + W_FIREWALL + W_FAILOVER
)  # fmt: skip
assert NETWORK_WEIGHTS == 100, NETWORK_WEIGHTS

# Grade bands (portal policy). A critical finding caps the score at the top of "not
# ready", a high finding at the top of "ready after remediation", so the grade is a
# pure function of the score and the cap is itself a finding.
READY_FROM = 85
NOT_READY_BELOW = 50
CAP_CRITICAL = NOT_READY_BELOW - 1
CAP_HIGH = READY_FROM - 1

# "Not assessed" (portal policy): below half of the weight known, a score over what is
# known says too little to grade the site, unless what is known already caps it at Not
# ready (a critical finding rules the site out whatever the unknowns turn out to be).
ASSESSED_FROM = 50

# Confidence: share of the network weight whose inputs are known (portal policy); it is
# the data completeness, banded.
CONFIDENCE_HIGH_FROM = 80
CONFIDENCE_MEDIUM_FROM = 50

# Severity by distance past a §2.1 target (portal policy). The distance is measured on a
# log scale from the target (0) to the critical end (1), because these impairments are
# felt in ratios (2 % loss is twice 1 %). The critical end is CQD's Poor line (§3.3)
# where it lies above the target; where it does not (client jitter: both 30 ms) or where
# CQD gives none (reorder), it is CRITICAL_END_FACTOR times the target.
JUST_PAST_BELOW = 0.2  # first fifth of the way: low severity, a quarter of the weight
WELL_PAST_BELOW = 1 / 3  # up to a third: medium, half the weight; beyond: high, all of it
CRITICAL_END_FACTOR = 2.0  # client jitter: 60 ms (twice the < 30 ms target)
REORDER_END_FACTOR = 10.0  # reorder has no CQD line: 10 × target, and never critical

# Circuit sizes that are sold, in Mbps, for advice ("a 1 Gbps circuit", not "502 Mbps").
# Common access and DIA tiers (portal policy, not a Microsoft figure).
CIRCUIT_SIZES_MBPS = (
    10, 20, 30, 50, 100, 200, 300, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000,
)  # fmt: skip

# --------------------------------------------------------------------------------------
# PSTN-model fit (portal policy; each rule cites the fact it rests on, §1 and §6).
# Every model starts at FIT_BASE; findings add or remove points; a hard constraint caps
# the fit. Result is clamped to 0..100 by an explicit finding.
# --------------------------------------------------------------------------------------
FIT_BASE = 50
FIT_GOOD_FROM = 70
FIT_POSSIBLE_FROM = 40

# §1.7 (S15, S40): Calling Plan markets, from the one country data file
# (scoring/data/countries.json, with its source and date); 36 as of 2024-08-05.
CALLING_PLAN_COUNTRIES = frozenset(
    code for code, row in country_data()["countries"].items() if row.get("calling_plans") == "yes"
)
assert len(CALLING_PLAN_COUNTRIES) == 36

# §1.6 (S14): countries treated as toll-bypass regulated even when the site's answer is
# "unknown" (from the data file).
TOLL_BYPASS_COUNTRIES = frozenset(
    code for code, row in country_data()["countries"].items() if row.get("toll_bypass")
)

# §4.3 (S16, S36): a dispatchable location is the law (US: Kari's Law, RAY BAUM'S Act);
# Calling Plans, OC and TPM partners route dynamic emergency calls there automatically.
DYNAMIC_EMERGENCY_COUNTRIES = frozenset(
    code for code, row in country_data()["countries"].items() if row.get("dispatchable_location")
)

# --------------------------------------------------------------------------------------
# What IT owns (§1.3, §4.2). SBC counts and every effort figure below are UNCONFIRMED
# assumptions: domain.md gives who owns what, not how long it takes.
# --------------------------------------------------------------------------------------
SBCS_PER_ROUTE = 2  # §4.2 "deploy ≥ 2 SBCs per route" (derived best practice)
HOURS_PER_FTE_YEAR = 1_600  # UNCONFIRMED: productive hours of one full-time person a year
# Maximum lifetime of a public TLS certificate from each date (CA/Browser Forum ballot
# SC-081: 200 days from 15 March 2026, 100 from 15 March 2027, 47 from 15 March 2029).
# An SBC's certificate is renewed ceil(365 / lifetime) times a year.
CERT_MAX_LIFETIME: tuple[tuple[date, int], ...] = (
    (date(2026, 3, 15), 200),
    (date(2027, 3, 15), 100),
    (date(2029, 3, 15), 47),
)


def cert_lifetime_days(as_of: date | None = None) -> int:
    """The public certificate lifetime in force on ``as_of`` (the first period if None).

    Args:
        as_of: The date; ``None`` for the first period (results stay deterministic).

    Returns:
        Maximum lifetime in days.
    """
    days = CERT_MAX_LIFETIME[0][1]
    for start, lifetime in CERT_MAX_LIFETIME:
        if as_of is not None and as_of >= start:
            days = lifetime
    return days


def cert_renewals_per_year(as_of: date | None = None) -> int:
    """Renewals a year of one certificate at the lifetime in force on ``as_of``.

    Args:
        as_of: The date; ``None`` for the first period.

    Returns:
        ``ceil(365 / lifetime)``: 2 at 200 days, 4 at 100, 8 at 47.
    """
    return math.ceil(365 / cert_lifetime_days(as_of))


CERT_RENEWALS_PER_SBC_YEAR = cert_renewals_per_year()

# Effort assumptions, UNCONFIRMED: (day-one hours, recurring hours a year) per unit.
EFFORT_HOURS: dict[str, tuple[float, float]] = {
    "sbc_per_sbc": (16, 8),  # build + patch OS/VM, backups
    "certificate_per_renewal": (4, 3),  # CSR, CA order, install, trust-store checks
    "firmware_per_sbc": (2, 12),  # ~4 certified updates a year, test and roll out
    "trunk_per_carrier": (24, 8),  # contract, trunk build; yearly review and changes
    "routing_base": (24, 16),  # voice routing policies, PSTN usages, translation rules
    "routing_complex_extra": (40, 32),  # least-cost routing, PBX ranges, per-site rules
    "numbers_per_100": (2, 1.5),  # porting / assignment; moves, adds, changes
    "emergency_per_site": (3, 1),  # addresses, LIS (subnets, BSSIDs), tests
    "emergency_dr_extra": (24, 12),  # ERS / ELIN, PIDF-LO, emergency routing policy
    "monitoring_per_sbc": (4, 26),  # SBC health, SIP OPTIONS, NER, alerts
    "monitoring_service": (2, 12),  # service health, operator/CQD reports
    "troubleshooting_per_100_users_dr": (0, 6),  # first line; vendor/MS escalation
    "troubleshooting_per_100_users_service": (0, 2),  # first line; operator/MS escalation
    "policies_base": (16, 12),  # calling, caller ID, emergency, dial plans
    "qos_per_site": (4, 4),  # DSCP policies, validation
    "remediation_per_site": (40, 4),  # network remediation of a site not graded ready
}

# Each effort figure in words, for the assumptions a customer reads (EFFORT_HOURS' keys).
EFFORT_WORDS = {
    "sbc_per_sbc": "Running each SBC (its server or virtual machine, patches, backups)",
    "certificate_per_renewal": "Renewing each SBC certificate (request, order, install, check)",
    "firmware_per_sbc": "Keeping each SBC on certified firmware (about four updates a year)",
    "trunk_per_carrier": "Each carrier trunk (contract, build, yearly review and changes)",
    "routing_base": "Voice routing policies, PSTN usages and number translation rules",
    "routing_complex_extra": "Complex routing on top (least-cost routes, PBX ranges, site rules)",
    "numbers_per_100": "Every 100 phone numbers (porting, assignment, moves and changes)",
    "emergency_per_site": "Emergency calling at each site (addresses, subnets and Wi-Fi, tests)",
    "emergency_dr_extra": "Emergency routing run by your own SBCs (Direct Routing only)",
    "monitoring_per_sbc": "Monitoring each SBC (health, SIP checks, alerts)",
    "monitoring_service": "Watching the calling service (service health, call quality reports)",
    "troubleshooting_per_100_users_dr": "First-line troubleshooting per 100 users on own SBCs",
    "troubleshooting_per_100_users_service": "First-line troubleshooting per 100 users, operated",
    "policies_base": "Teams calling policies (caller ID, emergency, dial plans)",
    "qos_per_site": "QoS at each site (DSCP policies and their validation)",
    "remediation_per_site": "Network remediation of each site not yet graded ready",
}
# How a customer confirms an effort figure (from experience, not from Microsoft); the
# proposal's appendix says it once above the list.
CONFIRM_EFFORT = "An estimate from typical projects: compare it with your team's own records."


def _hours(hours: float) -> str:
    return f"{hours:g} hour{'' if hours == 1 else 's'}"


def _effort_note(name: str, day_one: float, recurring: float) -> str:
    """An effort figure in words: what it covers, hours a year and to set up, how to confirm."""
    setup = f", after {_hours(day_one)} to set up" if day_one else ""
    return f"{EFFORT_WORDS[name]}: {_hours(recurring)} a year{setup}. {CONFIRM_EFFORT}"


def _pct(share: float) -> str:
    return f"{share * 100:g} %"


# The figures the engine assumes where Microsoft gives none, each said as a customer reads
# it (the proposal's appendix, the results page): what is assumed, and how to confirm it.
ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "default_peak_concurrency_pct",
        DEFAULT_PEAK_CONCURRENCY_PCT,
        "% of on-site users",
        f"Where a site does not give its busiest hour, {DEFAULT_PEAK_CONCURRENCY_PCT} % of its "
        "users are assumed to be in a call at once. To confirm, read the peak from your phone "
        "system's or Teams' call reports and enter it for the site.",
        "§3.1",
    ),
    Assumption(
        "video_call_share",
        VIDEO_CALL_SHARE,
        "ratio",
        f"Office workers: {_pct(VIDEO_CALL_SHARE)} of calls at the busiest hour are assumed to use "
        "video. To confirm, check the share of video calls in your Teams usage reports.",
        "§3.1",
    ),
    Assumption(
        "sharing_call_share",
        SHARING_CALL_SHARE,
        "ratio",
        f"Office workers: {_pct(SHARING_CALL_SHARE)} of calls are assumed to share a screen. To "
        "confirm, check screen sharing in your Teams usage reports.",
        "§3.1",
    ),
    Assumption(
        "heavy_video_call_share",
        HEAVY_VIDEO_CALL_SHARE,
        "ratio",
        f"Heavy video users: {_pct(HEAVY_VIDEO_CALL_SHARE)} of their calls are assumed to use "
        "video. To confirm, check those teams' calls in your Teams usage reports.",
        "§3.1",
    ),
    Assumption(
        "heavy_sharing_call_share",
        HEAVY_SHARING_CALL_SHARE,
        "ratio",
        f"Heavy video users: {_pct(HEAVY_SHARING_CALL_SHARE)} of their calls are assumed to "
        "share a screen. To confirm, check those teams' calls in your Teams usage reports.",
        "§3.1",
    ),
    Assumption(
        "room_peak_concurrency",
        ROOM_PEAK_CONCURRENCY,
        "ratio",
        f"{_pct(ROOM_PEAK_CONCURRENCY)} of Teams Rooms are assumed to be in a meeting at the "
        "busiest hour, each sending video and shared content. To confirm, check room use in "
        "the Teams Rooms Pro portal or your booking system.",
        "§2.2",
    ),
    Assumption(
        "sbcs_per_route",
        SBCS_PER_ROUTE,
        "SBCs",
        f"Each route through your own SBCs has at least {SBCS_PER_ROUTE} of them, so that one can "
        "fail or be updated while calls go on (Microsoft's advice for high availability).",
        "§4.2",
    ),
    Assumption(
        "cert_renewals_per_sbc_year",
        CERT_RENEWALS_PER_SBC_YEAR,
        "renewals",
        f"Each SBC's certificate is renewed {CERT_RENEWALS_PER_SBC_YEAR} times a year, as public "
        "certificates may last 200 days now, 100 days from March 2027 and 47 days from March "
        "2029 (CA/Browser Forum).",
        "§1.5",
    ),
    Assumption(
        "hours_per_fte_year",
        HOURS_PER_FTE_YEAR,
        "hours",
        f"One full-time person is assumed to give {HOURS_PER_FTE_YEAR:,} productive hours a year. "
        "To confirm, use your own figure for staff planning.",
        "§1.3",
    ),
) + tuple(
    Assumption(
        f"effort_{name}",
        recurring,
        "hours a year",
        _effort_note(name, day_one, recurring),
        "§1.3",
    )
    for name, (day_one, recurring) in EFFORT_HOURS.items()
)

# PSTN-fit points, text, condition and source of every rule: scoring/fit_rules.py.
# Teams Phone Mobile (§1.1, §6 "mobile-centric workforce → TPM for those users"):
# points = (mobile_first_share - TPM_PIVOT_PCT) * TPM_POINTS_PER_PCT, rounded.
TPM_PIVOT_PCT = 50
TPM_POINTS_PER_PCT = 0.6
