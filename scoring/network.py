"""Network readiness of a site: bandwidth, path quality, QoS, Wi-Fi, egress, resilience."""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter

from scoring import ruleset as R
from scoring.inputs import Breakout, Bypass, CircuitRole, Qos, SiteInput, WiFi, YesNoUnknown
from scoring.results import (
    GRADE_LABELS,
    BandwidthLoad,
    Finding,
    FindingTemplate,
    Grade,
    NetworkReadiness,
    Severity,
    finding_template,
    from_template,
    from_template_points,
    new_bandwidth_load,
    new_finding,
    new_network_readiness,
    top_issue,
)

INFO, LOW, MEDIUM, HIGH, CRITICAL = (
    Severity.INFO.value,
    Severity.LOW.value,
    Severity.MEDIUM.value,
    Severity.HIGH.value,
    Severity.CRITICAL.value,
)

# Per concurrent call, in kbps (up, down): audio always, plus the assumed shares of video
# and screen sharing at the §2.2 meeting rates. Precomputed once: they only depend on the
# ruleset.
_REC_PER_CALL = tuple(
    R.AUDIO_KBPS_REC[i]
    + R.VIDEO_CALL_SHARE * R.VIDEO_MEETING_KBPS_REC[i]
    + R.SHARING_CALL_SHARE * R.SHARING_MEETING_KBPS_REC[i]
    for i in (0, 1)
)
_MIN_PER_CALL = tuple(
    R.AUDIO_KBPS_MIN[i]
    + R.VIDEO_CALL_SHARE * R.VIDEO_MEETING_KBPS_MIN[i]
    + R.SHARING_CALL_SHARE * R.SHARING_MEETING_KBPS_MIN[i]
    for i in (0, 1)
)

_MEASURE_CLIENT = (
    "Run the Microsoft Teams Network Assessment Tool with /qualitycheck from a client on "
    "the site's LAN/Wi-Fi, at several times over at least a week of business hours, and "
    "enter the averages (domain.md §3.2)."
)
_MEASURE_EDGE = (
    "Run the Microsoft Teams Network Assessment Tool with /qualitycheck from a PC at the "
    "network edge (next to the internet router), over at least a week of business hours, "
    "and enter the averages (domain.md §3.2)."
)
_MEASURE_REORDER = (
    "The Teams Network Assessment Tool does not print reorder; take it from the older "
    "Skype for Business Network Assessment Tool, a packet capture or your WAN monitoring "
    "(domain.md §3.2)."
)

# (segment, field prefix, label, measure advice, targets...) for the §2.1 table.
_SEGMENTS = (
    (
        "CLIENT",
        "client",
        "Client → Microsoft edge",
        _MEASURE_CLIENT,
        R.CLIENT_RTT_MAX_MS,
        R.CLIENT_JITTER_MAX_MS,
        R.CLIENT_LOSS_MAX_PCT,
        R.CLIENT_REORDER_MAX_PCT,
    ),
    (
        "EDGE",
        "edge",
        "Customer edge → Microsoft edge",
        _MEASURE_EDGE,
        R.EDGE_RTT_MAX_MS,
        R.EDGE_JITTER_MAX_MS,
        R.EDGE_LOSS_MAX_PCT,
        R.EDGE_REORDER_MAX_PCT,
    ),
)

_PATH_ADVICE = {
    "RTT": "Reduce latency: break out to the internet locally, avoid VPN and proxy "
    "hair-pins, and check the route to the nearest Microsoft front door (domain.md §2.5).",
    "JITTER": "Reduce jitter: mark and honour DSCP for Teams media, relieve congested "
    "links and move clients off busy 2.4 GHz Wi-Fi (domain.md §2.3, §2.6).",
    "LOSS": "Find the lossy hop (Wi-Fi, LAN, WAN or ISP), fix congestion or faults and "
    "prioritise media with QoS (domain.md §2.3).",
    "REORDER": "Reordering usually comes from load-balanced or multi-path links: pin "
    "Teams media to one path (domain.md §2.1).",
}


_f = new_finding

# Plain strings: enum member access is a descriptor call, too slow for the hot path.
_PRIMARY = CircuitRole.PRIMARY.value
_READY, _REMEDIATION, _NOT_READY = (
    Grade.READY.value,
    Grade.READY_AFTER_REMEDIATION.value,
    Grade.NOT_READY.value,
)
_GRADE_LABELS = {grade.value: label for grade, label in GRADE_LABELS.items()}

# What each pass code means. A met target earns and loses nothing, so it is not a
# finding; results list it by code in ``NetworkReadiness.passed`` (cheap enough to score
# 20,000 sites a second) and this maps the code to its plain-language message.
PASS_MESSAGES: dict[str, str] = {}


# (fields, pass code, unknown template, high code, poor code, high severity, weight, target,
# poor threshold, label, unit, is round-trip time, advice): see _path_rule.
type _PathRule = tuple[
    tuple[str, ...], str, FindingTemplate, str, str, str, int, float, float | None, str, str,
    bool, str,
]  # fmt: skip


def _path_rule(
    seg: str,
    seg_label: str,
    field: str,
    metric: str,
    label: str,
    unit: str,
    target: float,
    poor: float | None,
    weight: int,
    measure_advice: str,
) -> _PathRule:
    """Precompute everything about one §2.1 metric that does not depend on the site."""
    code = f"NET.{metric}.{seg}"
    reorder = metric == "REORDER"
    fields = (field,)
    PASS_MESSAGES[code + ".OK"] = f"{seg_label} {label} meets the < {target:g} {unit} target."
    return (
        fields,
        code + ".OK",
        finding_template(
            code + ".UNKNOWN",
            None,
            fields,
            (None,),
            LOW if reorder else MEDIUM,
            -weight,
            weight,
            f"{seg_label} {label} not measured.",
            measure_advice,
            "§2.1",
            True,
        ),
        code + ".HIGH",
        code + ".POOR",
        MEDIUM if reorder else HIGH,
        weight,
        target,
        poor,
        f"{seg_label} {label}",
        unit,
        metric == "RTT",
        _PATH_ADVICE[metric],
    )


_PATH_RULES = tuple(
    _path_rule(
        seg, seg_label, f"{prefix}_{suffix}", metric, label, unit, target, poor, weight, advice
    )  # fmt: skip
    for seg, prefix, seg_label, measure, rtt, jitter, loss, reorder in _SEGMENTS
    for metric, suffix, label, unit, target, poor, weight, advice in (
        ("RTT", "rtt_ms", "round-trip time", "ms", rtt, R.POOR_RTT_MS, R.W_RTT, measure),
        ("JITTER", "jitter_ms", "jitter", "ms", jitter, R.POOR_JITTER_MS, R.W_JITTER, measure),
        ("LOSS", "loss_pct", "packet loss", "%", loss, R.POOR_LOSS_PCT, R.W_LOSS, measure),
        (
            "REORDER",
            "reorder_pct",
            "packet reorder",
            "%",
            reorder,
            None,
            R.W_REORDER,
            _MEASURE_REORDER,
        ),
    )
)
_PATH_VALUES = attrgetter(*(rule[0][0] for rule in _PATH_RULES))


def _path(
    out: list[Finding], passed: list[str], site: str, values: tuple[float | None, ...]
) -> int:
    """Score the eight §2.1 metrics; append findings and passes; return the weight known."""
    known = 0
    append = out.append
    for rule, value in zip(_PATH_RULES, values, strict=True):
        fields, ok, unknown, high, poor_code, high_sev, weight, target, poor = rule[:9]
        if value is None:
            append(from_template(unknown, site))
            continue
        known += weight
        if value < target:
            passed.append(ok)
            continue
        label, unit, rtt, advice = rule[9:]
        half = round(value / 2, 1)  # one way, to a tenth of a millisecond
        one_way = f" (≈ {half:g} ms one way, target < {target / 2:g} ms)" if rtt else ""
        if poor is not None and value > poor:
            append(
                _f(
                    poor_code, site, fields, (value,), CRITICAL, -weight, weight,
                    f"{label} {value:g} {unit}{one_way} misses the < {target:g} {unit} target "
                    f"and is beyond the {poor:g} {unit} at which the Call Quality Dashboard "
                    "rates audio Poor (§3.3).",
                    advice, "§2.1",
                )
            )  # fmt: skip
        else:
            append(
                _f(
                    high, site, fields, (value,), high_sev, -weight, weight,
                    f"{label} {value:g} {unit}{one_way} misses the < {target:g} {unit} target.",
                    advice, "§2.1",
                )
            )  # fmt: skip
    return known


_BW_FIELDS = {
    d: (f"circuits.{d}_mbps", "users", "peak_concurrency", "teams_rooms") for d in ("up", "down")
}
_BW_WEIGHT = {"up": R.W_BW_UP, "down": R.W_BW_DOWN}
_BW_OK = {d: f"NET.BW.{d.upper()}.OK" for d in ("up", "down")}
for _d, _code in _BW_OK.items():
    PASS_MESSAGES[_code] = (
        f"{R.ALLOWED_SHARE:.0%} of the primary {_d}stream carries the peak real-time load at "
        "recommended quality."
    )
_BW_NO_CIRCUIT = {
    d: finding_template(
        f"NET.BW.{d.upper()}.UNKNOWN", None, (f"circuits.{d}_mbps",), (None,), MEDIUM,
        -_BW_WEIGHT[d], _BW_WEIGHT[d],
        f"No primary circuit entered: {d}stream capacity unknown.",
        "Enter the site's primary internet/WAN circuit with its down- and upstream capacity "
        "in Mbps (domain.md §3.1).",
        "§3.1", True,
    )
    for d in ("up", "down")
}  # fmt: skip
_BW_NO_LOAD = {
    d: finding_template(
        f"NET.BW.{d.upper()}.UNKNOWN", None, ("users", "teams_rooms"), (0, 0), MEDIUM,
        -_BW_WEIGHT[d], _BW_WEIGHT[d], "No users or Teams Rooms entered: real-time load unknown.",
        "Enter how many people work at the site and how many Teams Rooms it has "
        "(domain.md §2.2, §3.1).",
        "§3.1", True,
    )
    for d in ("up", "down")
}  # fmt: skip


def _bandwidth_direction(
    out: list[Finding],
    passed: list[str],
    site: str,
    direction: str,
    cap_mbps: float,
    has_primary: bool,
    has_load: bool,
    rec_kbps: float,
    min_kbps: float,
    users: int,
    concurrency: int | None,
    rooms: int,
) -> int:
    """Score one direction of the primary circuits against the §2.2/§3.1 load."""
    if not has_primary:
        out.append(from_template(_BW_NO_CIRCUIT[direction], site))
        return 0
    if not has_load:
        out.append(from_template(_BW_NO_LOAD[direction], site))
        return 0
    weight = _BW_WEIGHT[direction]
    allowed_kbps = cap_mbps * 1000 * R.ALLOWED_SHARE
    # The inputs behind the load (§2.2 / §3.1); the computed loads are in ``load``.
    values = (cap_mbps, users, concurrency, rooms)
    if allowed_kbps >= rec_kbps:
        passed.append(_BW_OK[direction])
        return weight
    code = f"NET.BW.{direction.upper()}"
    fields = _BW_FIELDS[direction]
    share = f"{R.ALLOWED_SHARE:.0%}"
    need_mbps = rec_kbps / 1000 / R.ALLOWED_SHARE
    if allowed_kbps >= min_kbps:
        half = weight // 2
        out.append(
            _f(
                code + ".REDUCED", site, fields, values, MEDIUM, -half, weight,
                f"{share} of {cap_mbps:g} Mbps {direction}stream carries peak calls only at "
                f"minimum quality ({min_kbps / 1000:.1f} of {rec_kbps / 1000:.1f} Mbps "
                "recommended).",
                f"Raise the circuit to at least {need_mbps:.0f} Mbps {direction}stream, or "
                "reserve more of it for real-time media (domain.md §3.1).",
                "§2.2",
            )
        )  # fmt: skip
        return weight
    if cap_mbps * 1000 >= min_kbps:
        out.append(
            _f(
                code + ".SHORT", site, fields, values, HIGH, -weight, weight,
                f"{share} of {cap_mbps:g} Mbps {direction}stream cannot carry peak calls even "
                f"at minimum quality ({min_kbps / 1000:.1f} Mbps).",
                f"Raise the circuit to at least {need_mbps:.0f} Mbps {direction}stream "
                "(domain.md §2.2, §3.1).",
                "§2.2",
            )
        )  # fmt: skip
        return weight
    out.append(
        _f(
            code + ".CRITICAL", site, fields, values, CRITICAL, -weight, weight,
            f"The whole {cap_mbps:g} Mbps {direction}stream is below the minimum-quality "
            f"peak load of {min_kbps / 1000:.1f} Mbps.",
            f"Raise the circuit to at least {need_mbps:.0f} Mbps {direction}stream before "
            "moving calls to Teams (domain.md §2.2, §3.1).",
            "§2.2",
        )
    )  # fmt: skip
    return weight


# A choice answer's row: (code, severity, points lost, message, advice, known).
type _ChoiceRow = tuple[str, str, int, str, str, bool]

_QOS: dict[str, _ChoiceRow] = {
    Qos.END_TO_END: (
        "NET.QOS.OK", INFO, 0, "Teams media is DSCP-marked and honoured end to end.", "", True
    ),
    Qos.PARTIAL: (
        "NET.QOS.PARTIAL", LOW, R.W_QOS // 2,
        "QoS is only partly in place (LAN only, or not validated end to end).",
        "Mark audio EF 46, video AF41 34 and sharing AF21 18 on clients and routers and "
        "validate the markings survive to the egress with a capture (domain.md §2.3).",
        True,
    ),
    Qos.NONE: (
        "NET.QOS.NONE", MEDIUM, R.W_QOS, "Teams media is not prioritised (no QoS).",
        "Enable QoS markers in the Teams admin centre, mark audio EF 46, video AF41 34 and "
        "sharing AF21 18, and honour them on LAN, Wi-Fi and WAN (domain.md §2.3).",
        True,
    ),
    Qos.UNKNOWN: (
        "NET.QOS.UNKNOWN", LOW, R.W_QOS, "Not known whether Teams media is prioritised.",
        "Check whether DSCP marks (EF 46 / AF41 34 / AF21 18) are set and honoured end to end "
        "(domain.md §2.3).",
        False,
    ),
}  # fmt: skip

_WIFI: dict[str, _ChoiceRow] = {
    WiFi.ENTERPRISE_5GHZ: (
        "NET.WIFI.OK", INFO, 0, "Managed 5 GHz Wi-Fi with WMM/QoS.", "", True
    ),
    WiFi.WIRED_ONLY: ("NET.WIFI.WIRED", INFO, 0, "Wired only: no Wi-Fi risk.", "", True),
    WiFi.MANAGED_24GHZ: (
        "NET.WIFI.24GHZ", MEDIUM, R.W_WIFI // 2, "Wi-Fi is mostly 2.4 GHz, prone to interference.",
        "Move clients to 5 GHz with band steering, WMM and non-overlapping channels; follow "
        "the WLAN vendor's voice design guide (domain.md §2.6).",
        True,
    ),
    WiFi.UNMANAGED: (
        "NET.WIFI.UNMANAGED", HIGH, R.W_WIFI, "Unmanaged / consumer-grade Wi-Fi.",
        "Deploy managed Wi-Fi with 5 GHz coverage, WMM/QoS and band steering designed for "
        "voice (domain.md §2.6).",
        True,
    ),
    WiFi.UNKNOWN: (
        "NET.WIFI.UNKNOWN", LOW, R.W_WIFI, "Wi-Fi design not known.",
        "Check the Wi-Fi: 5 GHz coverage, WMM, band steering and channel plan "
        "(domain.md §2.6).",
        False,
    ),
}  # fmt: skip

_BREAKOUT: dict[str, _ChoiceRow] = {
    Breakout.LOCAL: (
        "NET.BREAKOUT.LOCAL", INFO, 0, "Local internet breakout, Microsoft's preferred model.",
        "", True,
    ),
    Breakout.BACKHAUL: (
        "NET.BREAKOUT.BACKHAUL", MEDIUM, R.W_BREAKOUT,
        "Internet traffic is backhauled to a hub, adding latency to every call.",
        "Break Teams (Optimize category) traffic out to the internet locally, e.g. with "
        "SD-WAN local breakout (domain.md §2.5).",
        True,
    ),
    Breakout.UNKNOWN: (
        "NET.BREAKOUT.UNKNOWN", LOW, R.W_BREAKOUT, "Internet breakout not known.",
        "Find out whether the site breaks out to the internet locally or backhauls to a hub "
        "(domain.md §2.5).",
        False,
    ),
}  # fmt: skip


def _bypass_table(kind: str, severity: str, weight: int) -> dict[str, _ChoiceRow]:
    noun = "proxy" if kind == "PROXY" else "VPN"
    advice = (
        "Let Teams media bypass the proxy: external DNS, direct UDP to the Optimize "
        "endpoints (domain.md §2.5)."
        if kind == "PROXY"
        else "Split-tunnel the Microsoft 365 Optimize endpoints outside the VPN (domain.md §2.5)."
    )
    return {
        Bypass.NOT_PRESENT: (f"NET.{kind}.OK", INFO, 0, f"No {noun} in the media path.", "", True),
        Bypass.BYPASSED: (f"NET.{kind}.OK", INFO, 0, f"Teams media bypasses the {noun}.", "", True),
        Bypass.THROUGH: (
            f"NET.{kind}.THROUGH", severity, weight,
            f"Teams media goes through the {noun}.", advice, True,
        ),
        Bypass.UNKNOWN: (
            f"NET.{kind}.UNKNOWN", LOW, weight, f"Not known whether Teams media crosses a {noun}.",
            f"Check whether a {noun} sits in the path of Teams media (domain.md §2.5).", False,
        ),
    }  # fmt: skip


_PROXY = _bypass_table("PROXY", MEDIUM, R.W_PROXY)
_VPN = _bypass_table("VPN", HIGH, R.W_VPN)

_FIREWALL: dict[str, _ChoiceRow] = {
    YesNoUnknown.YES: (
        "NET.FIREWALL.OK", INFO, 0, "UDP 3478–3481 is open to the Teams media ranges.", "", True
    ),
    YesNoUnknown.NO: (
        "NET.FIREWALL.BLOCKED", HIGH, R.W_FIREWALL,
        "UDP 3478–3481 to Teams is blocked: media falls back to TCP/HTTPS with degraded quality.",
        "Open UDP 3478–3481 to 13.107.64.0/18, 52.112.0.0/14 and 52.122.0.0/15 "
        "(Microsoft 365 endpoint ID 11) (domain.md §2.4).",
        True,
    ),
    YesNoUnknown.UNKNOWN: (
        "NET.FIREWALL.UNKNOWN", MEDIUM, R.W_FIREWALL, "Not known whether UDP 3478–3481 is open.",
        "Run the Teams Network Assessment Tool connectivity check (no switch) from the site, "
        "or check the firewall rules for UDP 3478–3481 (domain.md §2.4, §3.2).",
        False,
    ),
}  # fmt: skip

_SDWAN: dict[str, _ChoiceRow] = {
    YesNoUnknown.YES: ("NET.SDWAN.OK", INFO, 0, "SD-WAN with failover.", "", True),
    YesNoUnknown.NO: (
        "NET.SDWAN.NONE", LOW, R.W_SDWAN, "No SD-WAN: circuit failover is not automatic.",
        "Consider SD-WAN (or dual-WAN routing) with local breakout so calls fail over "
        "between circuits automatically (domain.md §4.1, §2.5).",
        True,
    ),
    YesNoUnknown.UNKNOWN: (
        "NET.SDWAN.UNKNOWN", LOW, R.W_SDWAN, "Not known whether SD-WAN failover is in place.",
        "Find out how the site fails over between circuits (domain.md §4.1).", False,
    ),
}  # fmt: skip


def _choice_templates(
    field: str, weight: int, section: str, table: Mapping[str, _ChoiceRow]
) -> tuple[str, dict[str, tuple[FindingTemplate | str, int]]]:
    """Turn a choice table into ``{value: (finding template, weight known)}``.

    ``table[value]`` is ``(code, severity, points lost, message, advice, known)``.
    """
    result: dict[str, tuple[FindingTemplate | str, int]] = {}
    for value, (code, severity, lost, message, advice, known) in table.items():
        if known and not lost:
            # A pass: recorded by code only (see NetworkReadiness.passed).
            PASS_MESSAGES[code] = message
            result[value] = (code, weight)
        else:
            result[value] = (
                finding_template(
                    code, None, (field,), (value,), severity, -lost, weight, message, advice,
                    section, not known,
                ),
                weight if known else 0,
            )  # fmt: skip
    return field, result


# QoS §2.3, Wi-Fi §2.6, egress §2.5, firewall §2.4, SD-WAN §4.1, in finding order.
_CHOICES = (
    _choice_templates("qos", R.W_QOS, "§2.3", _QOS),
    _choice_templates("wifi", R.W_WIFI, "§2.6", _WIFI),
    _choice_templates("internet_breakout", R.W_BREAKOUT, "§2.5", _BREAKOUT),
    _choice_templates("proxy", R.W_PROXY, "§2.5", _PROXY),
    _choice_templates("vpn", R.W_VPN, "§2.5", _VPN),
    _choice_templates("firewall_media_ports", R.W_FIREWALL, "§2.4", _FIREWALL),
)
_CHOICE_VALUES = attrgetter(*(field for field, _ in _CHOICES))
_SDWAN_T = _choice_templates("sdwan", R.W_SDWAN, "§4.1", _SDWAN)[1]

_CONCURRENCY_ASSUMED = finding_template(
    "NET.BW.CONCURRENCY.ASSUMED", None, ("peak_concurrency",), (None,), INFO, 0, 0,
    f"Peak concurrency not given: {R.DEFAULT_PEAK_CONCURRENCY_PCT} % of on-site users assumed "
    "(an UNCONFIRMED planning assumption).",
    "Enter the share of users in a call at the busiest hour, e.g. from CQD or your current "
    "PBX reports (domain.md §3.1).",
    "§3.1",
)  # fmt: skip

_CAP_TEMPLATES: dict[tuple[str, tuple[str, ...]], FindingTemplate] = {}
# Plain words for the findings that cap a score (the codes stay in ``values``).
_CAUSE_TOPICS = {
    "BW": "bandwidth",
    "RTT": "round-trip time",
    "JITTER": "jitter",
    "LOSS": "packet loss",
    "REORDER": "packet reorder",
    "QOS": "QoS",
    "WIFI": "Wi-Fi",
    "BREAKOUT": "internet breakout",
    "PROXY": "proxy",
    "VPN": "VPN",
    "FIREWALL": "firewall ports",
    "FAILOVER": "backup circuit",
    "SDWAN": "SD-WAN",
}
_CAUSE_PLACES = {
    "CLIENT": "client",
    "EDGE": "customer edge",
    "UP": "upstream",
    "DOWN": "downstream",
}


def _cause_words(code: str) -> str:
    """``NET.JITTER.CLIENT.POOR`` → ``client jitter`` (the code itself if unknown)."""
    parts = code.split(".")
    topic = _CAUSE_TOPICS.get(parts[1]) if len(parts) > 2 else None
    if topic is None:
        return code
    place = _CAUSE_PLACES.get(parts[2]) if len(parts) > 3 else None
    return f"{place} {topic}" if place else topic


def _cap(severity: str, causes: tuple[str, ...]) -> FindingTemplate:
    """The template of the cap a high or critical finding puts on the score (cached)."""
    key = (severity, causes)
    template = _CAP_TEMPLATES.get(key)
    if template is None:
        if severity == CRITICAL:
            code, cap, grade = "NET.CAP.CRITICAL", R.CAP_CRITICAL, "Not ready"
        else:
            code, cap, grade = "NET.CAP.HIGH", R.CAP_HIGH, "Ready after remediation"
        template = _CAP_TEMPLATES[key] = finding_template(
            code, None, ("findings",), causes, severity, 0, 0,
            f"Score capped at {cap} ({grade}) by: {', '.join(map(_cause_words, causes))}.",
            _CAP_ADVICE, "§2.1",
        )  # fmt: skip
    return template


_CAP_ADVICE = "Fix the findings that cap the score; the score then reflects every other item."


def site_load(site: SiteInput) -> BandwidthLoad:
    """Compute a site's peak real-time load and its circuits' capacity.

    Args:
        site: The site.

    Returns:
        The load at recommended and minimum quality (§2.2), the audio-only load used for
        the failover check, and the summed capacity of primary and backup circuits.
    """
    assumed = site.peak_concurrency is None
    pct = R.DEFAULT_PEAK_CONCURRENCY_PCT if site.peak_concurrency is None else site.peak_concurrency
    # §3.1: only the office-worker share of users is on site; remote workers load
    # their own connection.
    calls = site.users * R.OFFICE_WORKER_SHARE * pct / 100
    rooms = site.teams_rooms * R.ROOM_PEAK_CONCURRENCY
    room_kbps = rooms * R.TEAMS_ROOM_KBPS
    # A room on the backup circuit is budgeted as one more audio call (derived).
    failover = (calls + rooms) * R.AUDIO_KBPS_REC[0], (calls + rooms) * R.AUDIO_KBPS_REC[1]
    p_up = p_down = b_up = b_down = 0.0
    for c in site.circuits:
        if c.role == _PRIMARY:
            p_up += c.up_mbps
            p_down += c.down_mbps
        else:
            b_up += c.up_mbps
            b_down += c.down_mbps
    return new_bandwidth_load(
        pct, assumed, calls,
        calls * _REC_PER_CALL[0] + room_kbps, calls * _REC_PER_CALL[1] + room_kbps,
        calls * _MIN_PER_CALL[0] + room_kbps, calls * _MIN_PER_CALL[1] + room_kbps,
        failover[0], failover[1], p_up, p_down, b_up, b_down, R.ALLOWED_SHARE,
    )  # fmt: skip


def score_network(site: SiteInput) -> NetworkReadiness:
    """Score the network readiness of one site.

    The site starts at 100 points; each item (weights in ``ruleset``) loses its weight
    when it misses its domain.md target or is unknown, and caps apply for high and
    critical findings. ``score == 100 + sum(points)`` holds exactly.

    Args:
        site: The site to score.

    Returns:
        Score, grade, confidence, the load computed and every finding.
    """
    name = site.name
    out: list[Finding] = []
    passed: list[str] = []
    known = 0
    load = site_load(site)
    has_load = site.users > 0 or site.teams_rooms > 0
    has_primary = load.primary_up_mbps > 0

    # Bandwidth, §2.2 / §3.1.
    if has_load and load.concurrency_assumed:
        out.append(from_template(_CONCURRENCY_ASSUMED, name))
    known += _bandwidth_direction(
        out, passed, name, "up", load.primary_up_mbps, has_primary, has_load,
        load.rec_up_kbps, load.min_up_kbps, site.users, site.peak_concurrency, site.teams_rooms,
    )  # fmt: skip
    known += _bandwidth_direction(
        out, passed, name, "down", load.primary_down_mbps, has_primary, has_load,
        load.rec_down_kbps, load.min_down_kbps, site.users, site.peak_concurrency,
        site.teams_rooms,
    )  # fmt: skip

    # Path quality, §2.1, per segment.
    known += _path(out, passed, name, _PATH_VALUES(site))

    # QoS §2.3, Wi-Fi §2.6, egress §2.5, firewall §2.4.
    append = out.append
    for (_, table), value in zip(_CHOICES, _CHOICE_VALUES(site), strict=True):
        template, weight = table[value]
        if isinstance(template, str):
            passed.append(template)
        else:
            append(from_template(template, name))
        known += weight

    # Resilience §4.1.
    known += _failover(out, passed, name, site, load, has_load)
    template, weight = _SDWAN_T[site.sdwan]
    if isinstance(template, str):
        passed.append(template)
    else:
        append(from_template(template, name))
    known += weight

    raw = 100 + sum(map(_POINTS, out))
    severities = set(map(_SEVERITY, out))
    if CRITICAL in severities and raw > R.CAP_CRITICAL:
        causes = tuple([f.code for f in out if f.severity == CRITICAL])
        out.append(from_template_points(_cap(CRITICAL, causes), name, R.CAP_CRITICAL - raw))
    elif HIGH in severities and raw > R.CAP_HIGH:
        causes = tuple([f.code for f in out if f.severity == HIGH])
        out.append(from_template_points(_cap(HIGH, causes), name, R.CAP_HIGH - raw))
    score = 100 + sum(map(_POINTS, out))
    if score >= R.READY_FROM:
        grade = _READY
    elif score >= R.NOT_READY_BELOW:
        grade = _REMEDIATION
    else:
        grade = _NOT_READY
    if known >= R.CONFIDENCE_HIGH_FROM:
        level = "high"
    elif known >= R.CONFIDENCE_MEDIUM_FROM:
        level = "medium"
    else:
        level = "low"
    return new_network_readiness(
        100, score, grade, _GRADE_LABELS[grade], known, level, load, tuple(out),
        tuple(passed), top_issue(out),
    )  # fmt: skip


_POINTS = attrgetter("points")
_SEVERITY = attrgetter("severity")


_W, _HALF = R.W_FAILOVER, R.W_FAILOVER // 2
_FAILOVER_FIELDS = ("circuits.role", "lte_backup")
_FAILOVER_NO_LOAD = finding_template(
    "NET.FAILOVER.UNVERIFIED", None, ("users", "teams_rooms"), (0, 0), LOW, -_HALF, _W,
    "A backup circuit exists but the load it must carry is unknown.",
    "Enter the site's users and Teams Rooms (domain.md §3.1).", "§4.1", True,
)  # fmt: skip
PASS_MESSAGES["NET.FAILOVER.OK"] = (
    "The secondary/backup circuits alone carry peak audio calls if the primary fails."
)
# Without a backup circuit, by the LTE/5G answer: (template, weight known).
_FAILOVER_BY_LTE: dict[str, tuple[FindingTemplate, int]] = {
    YesNoUnknown.YES: (
        finding_template(
            "NET.FAILOVER.UNVERIFIED", None, _FAILOVER_FIELDS, (0, "yes"), LOW, -_HALF, _W,
            "An LTE/5G backup exists but its capacity is not entered.",
            "Enter the LTE/5G backup as a circuit with its capacity so the engine can check it "
            "carries the calls (domain.md §4.1).",
            "§4.1", True,
        ),
        0,
    ),
    YesNoUnknown.NO: (
        finding_template(
            "NET.FAILOVER.NONE", None, _FAILOVER_FIELDS, (0, "no"), MEDIUM, -_W, _W,
            "Single circuit, no backup: the site loses Teams and PSTN calling on an outage.",
            "Add a secondary circuit or an LTE/5G backup sized for peak audio calls, or plan "
            "failover to mobile (Teams Phone Mobile) (domain.md §4.1).",
            "§4.1",
        ),
        _W,
    ),
    YesNoUnknown.UNKNOWN: (
        finding_template(
            "NET.FAILOVER.UNKNOWN", None, _FAILOVER_FIELDS, (0, "unknown"), MEDIUM, -_W, _W,
            "No backup circuit entered and LTE/5G backup unknown.",
            "Enter any secondary or backup circuit, or answer the LTE/5G backup question "
            "(domain.md §4.1).",
            "§4.1", True,
        ),
        0,
    ),
}  # fmt: skip


def _failover(
    out: list[Finding],
    passed: list[str],
    name: str,
    site: SiteInput,
    load: BandwidthLoad,
    has_load: bool,
) -> int:
    """Does a secondary/backup circuit alone carry the calls if the primary fails (§4.1)?"""
    if load.backup_up_mbps > 0:
        if not has_load:
            # The backup is known; the missing users already cost confidence in bandwidth.
            out.append(from_template(_FAILOVER_NO_LOAD, name))
            return _W
        values = (load.backup_up_mbps, load.backup_down_mbps)
        share = R.ALLOWED_SHARE
        if (
            load.backup_up_mbps * 1000 * share >= load.failover_up_kbps
            and load.backup_down_mbps * 1000 * share >= load.failover_down_kbps
        ):
            passed.append("NET.FAILOVER.OK")
            return _W
        need = max(load.failover_up_kbps, load.failover_down_kbps) / 1000 / share
        out.append(
            _f(
                "NET.FAILOVER.UNDERSIZED", name, ("circuits.up_mbps", "circuits.down_mbps"),
                values, MEDIUM, -_HALF, _W,
                "The secondary/backup circuits are too small to carry peak audio calls "
                f"({load.failover_down_kbps / 1000:.1f} Mbps at {share:.0%}) if the primary "
                "fails.",
                f"Size the backup circuit to at least {need:.1f} Mbps each way "
                "(domain.md §2.2, §4.1).",
                "§4.1",
            )
        )  # fmt: skip
        return _W
    template, known = _FAILOVER_BY_LTE[site.lte_backup]
    out.append(from_template(template, name))
    return known
