"""Network readiness of a site: bandwidth, path quality, QoS, Wi-Fi, egress, resilience."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from scoring import ruleset as R
from scoring.inputs import (
    Breakout,
    Bypass,
    CircuitRole,
    Persona,
    Qos,
    SiteInput,
    WiFi,
    YesNoUnknown,
)
from scoring.results import (
    GRADE_LABELS,
    BandwidthLoad,
    Finding,
    FindingTemplate,
    Grade,
    NetworkReadiness,
    Severity,
    ToFindOut,
    finding_template,
    from_template,
    from_template_points,
    new_bandwidth_load,
    new_finding,
    new_network_readiness,
    new_projection,
    new_to_find_out,
    top_issue,
)

INFO, LOW, MEDIUM, HIGH, CRITICAL = (
    Severity.INFO.value,
    Severity.LOW.value,
    Severity.MEDIUM.value,
    Severity.HIGH.value,
    Severity.CRITICAL.value,
)


def _per_call(
    audio: tuple[int, int], video: tuple[int, int], sharing: tuple[int, int]
) -> dict[str, tuple[float, float]]:
    """Kbps (up, down) of one concurrent call of each persona.

    Audio always, plus the persona's shares of video and screen sharing at the §2.2
    meeting rates.
    """
    return {
        persona: (
            audio[0] + v * video[0] + sh * sharing[0],
            audio[1] + v * video[1] + sh * sharing[1],
        )
        for persona, (v, sh) in R.PERSONA_MIX.items()
    }


# Precomputed once: they only depend on the ruleset.
_REC_PER_CALL = _per_call(R.AUDIO_KBPS_REC, R.VIDEO_MEETING_KBPS_REC, R.SHARING_MEETING_KBPS_REC)
_MIN_PER_CALL = _per_call(R.AUDIO_KBPS_MIN, R.VIDEO_MEETING_KBPS_MIN, R.SHARING_MEETING_KBPS_MIN)
assert set(R.PERSONA_MIX) == {p.value for p in Persona}

_MEASURE_CLIENT = (
    "Run the Microsoft Teams Network Assessment Tool with /qualitycheck from a client on "
    "the site's LAN/Wi-Fi, at several times over at least a week of business hours, and "
    "enter the averages."
)
_MEASURE_EDGE = (
    "Run the Microsoft Teams Network Assessment Tool with /qualitycheck from a PC at the "
    "network edge (next to the internet router), over at least a week of business hours, "
    "and enter the averages."
)
_MEASURE_REORDER = (
    "The Teams Network Assessment Tool does not print reorder; take it from the older "
    "Skype for Business Network Assessment Tool, a packet capture or your WAN monitoring."
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
    "hair-pins, and check the route to the nearest Microsoft front door.",
    "JITTER": "Reduce jitter: mark and honour DSCP for Teams media, relieve congested "
    "links and move clients off busy 2.4 GHz Wi-Fi.",
    "LOSS": "Find the lossy hop (Wi-Fi, LAN, WAN or ISP), fix congestion or faults and "
    "prioritise media with QoS.",
    "REORDER": "Reordering usually comes from load-balanced or multi-path links: pin "
    "Teams media to one path.",
}


_f = new_finding

# Plain strings: enum member access is a descriptor call, too slow for the hot path.
_PRIMARY = CircuitRole.PRIMARY.value
_READY, _REMEDIATION, _NOT_READY, _NOT_ASSESSED = (
    Grade.READY.value,
    Grade.READY_AFTER_REMEDIATION.value,
    Grade.NOT_READY.value,
    Grade.NOT_ASSESSED.value,
)
_YES, _NO = YesNoUnknown.YES.value, YesNoUnknown.NO.value
_GRADE_LABELS = {grade.value: label for grade, label in GRADE_LABELS.items()}

# What each pass code means. A met target earns and loses nothing, so it is not a
# finding; results list it by code in ``NetworkReadiness.passed`` (cheap enough to score
# 20,000 sites a second) and this maps the code to its plain-language message.
PASS_MESSAGES: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class _PathRule:
    """Everything about one §2.1 metric that does not depend on the site."""

    field: str
    ok: str  # pass code
    unknown: FindingTemplate  # not measured
    code: str  # NET.<METRIC>.<SEGMENT>
    weight: int
    target: float
    end: float  # the critical end of the distance scale (see ruleset.CRITICAL_END_FACTOR)
    poor: float | None  # CQD's Poor line (§3.3), when there is one
    can_be_critical: bool
    label: str
    unit: str
    rtt: bool
    advice: str
    bound_by: int | None  # index of the client metric that bounds this edge one
    bounded: str  # pass code when bounded by the client measurement


# Severity by distance (ruleset.JUST_PAST_BELOW ...): (severity, share of the weight lost,
# words). Beyond the critical end a metric is critical and loses its whole weight.
_BANDS = (
    (R.JUST_PAST_BELOW, LOW, 4, "is just past"),
    (R.WELL_PAST_BELOW, MEDIUM, 2, "is well past"),
    (1.0, HIGH, 1, "is far past"),
)


def _band(distance: float) -> tuple[str, int, str]:
    """(severity, divisor of the weight lost, words) of a distance in 0..1."""
    for below, severity, divisor, words in _BANDS:
        if distance < below:
            return severity, divisor, words
    return _BANDS[-1][1:]


_BAND_CODES = {LOW: "SLIGHT", MEDIUM: "MODERATE", HIGH: "HIGH", CRITICAL: "POOR"}


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
    bound_by: int | None,
) -> _PathRule:
    """Precompute one §2.1 metric's rule."""
    code = f"NET.{metric}.{seg}"
    reorder = metric == "REORDER"
    PASS_MESSAGES[code + ".OK"] = f"{seg_label} {label} meets the < {target:g} {unit} target."
    if bound_by is not None:
        PASS_MESSAGES[code + ".BOUNDED"] = (
            f"{seg_label} {label}: not measured on its own, but the client measurement, "
            f"whose path includes it, is under the < {target:g} {unit} target, so it is too."
        )
    if reorder:
        end = target * R.REORDER_END_FACTOR
    elif poor is not None and poor > target:
        end = poor
    else:
        end = target * R.CRITICAL_END_FACTOR
    return _PathRule(
        field,
        code + ".OK",
        finding_template(
            code + ".UNKNOWN",
            None,
            (field,),
            (None,),
            LOW if reorder else MEDIUM,
            0,
            weight,
            f"{seg_label} {label} not measured.",
            measure_advice,
            "§2.1",
            True,
        ),  # fmt: skip
        code,
        weight,
        target,
        end,
        poor,
        not reorder,
        f"{seg_label} {label}",
        unit,
        metric == "RTT",
        _PATH_ADVICE[metric],
        bound_by,
        code + ".BOUNDED",
    )


# An edge round trip or jitter cannot exceed the client's, whose path contains the edge
# segment; loss and reorder are not bounded against the stricter edge targets (a client
# reading of 0.5 % loss says nothing about < 0.1 % at the edge), so they stay unknown.
_BOUNDED_METRICS = frozenset({"RTT", "JITTER"})
_METRICS = (
    ("RTT", "rtt_ms", "round-trip time", "ms", R.POOR_RTT_MS, R.W_RTT),
    ("JITTER", "jitter_ms", "jitter", "ms", R.POOR_JITTER_MS, R.W_JITTER),
    ("LOSS", "loss_pct", "packet loss", "%", R.POOR_LOSS_PCT, R.W_LOSS),
    ("REORDER", "reorder_pct", "packet reorder", "%", None, R.W_REORDER),
)
_PATH_RULES = tuple(
    _path_rule(
        seg,
        seg_label,
        f"{prefix}_{suffix}",
        metric,
        label,
        unit,
        target,
        poor,
        weight,
        _MEASURE_REORDER if metric == "REORDER" else measure,
        i if seg == "EDGE" and metric in _BOUNDED_METRICS else None,
    )  # fmt: skip
    for seg, prefix, seg_label, measure, *targets in _SEGMENTS
    for i, ((metric, suffix, label, unit, poor, weight), target) in enumerate(
        zip(_METRICS, targets, strict=True)
    )
)
_PATH_VALUES = attrgetter(*(rule.field for rule in _PATH_RULES))


def _path_miss(rule: _PathRule, site: str, value: float) -> Finding:
    """The finding of a metric past its target, graded by how far past (ruleset)."""
    half = round(value / 2, 1)  # one way, to a tenth of a millisecond
    one_way = f" (≈ {half:g} ms one way, target < {rule.target / 2:g} ms)" if rule.rtt else ""
    head = f"{rule.label} {value:g} {rule.unit}{one_way}"
    poor = rule.poor
    cqd = (
        f" The Call Quality Dashboard rates a stream's audio Poor above {poor:g} {rule.unit}."
        if poor is not None
        else ""
    )
    weight = rule.weight
    if rule.can_be_critical and value > rule.end:
        if poor is not None and poor == rule.end:
            text = f"{head} is beyond the {poor:g} {rule.unit} at which the Call Quality "
            text += "Dashboard rates a stream's audio Poor."
        else:
            text = f"{head} is more than {R.CRITICAL_END_FACTOR:g} times the < "
            text += f"{rule.target:g} {rule.unit} target.{cqd}"
        severity, lost = CRITICAL, weight
    else:
        distance = min(1.0, math.log(value / rule.target) / math.log(rule.end / rule.target))
        severity, divisor, words = _band(distance)
        lost = -(-weight // divisor)  # a quarter, half or all of the weight, rounded up
        text = f"{head} {words} the < {rule.target:g} {rule.unit} target."
        if severity == HIGH and poor is not None and poor > rule.target:
            text += cqd
    code = f"{rule.code}.{_BAND_CODES[severity]}"
    return _f(
        code, site, (rule.field,), (value,), severity, -lost, weight, text, rule.advice, "§2.1"
    )


def _path(out: list[Finding], passed: list[str], site: str, values: Sequence[float | None]) -> int:
    """Score the eight §2.1 metrics; append findings and passes; return the weight known."""
    known = 0
    append = out.append
    for rule, value in zip(_PATH_RULES, values, strict=True):
        if value is None:
            bound = None if rule.bound_by is None else values[rule.bound_by]
            if bound is not None and bound < rule.target:
                passed.append(rule.bounded)
                known += rule.weight
            else:
                append(from_template(rule.unknown, site))
            continue
        known += rule.weight
        if value < rule.target:
            passed.append(rule.ok)
        else:
            append(_path_miss(rule, site, value))
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
        0, _BW_WEIGHT[d],
        f"No primary circuit entered: {d}stream capacity unknown.",
        "Enter the site's primary internet/WAN circuit with its down- and upstream capacity "
        "in Mbps.",
        "§3.1", True,
    )
    for d in ("up", "down")
}  # fmt: skip
_ENTER_LOAD = "Enter how many people work at the site and how many Teams Rooms it has."
_BW_NO_LOAD = {
    d: finding_template(
        f"NET.BW.{d.upper()}.UNKNOWN", None, ("users", "teams_rooms"), (0, 0), MEDIUM,
        0, _BW_WEIGHT[d], "No users or Teams Rooms entered: real-time load unknown.",
        _ENTER_LOAD,
        "§3.1", True,
    )
    for d in ("up", "down")
}  # fmt: skip


def circuit_size_mbps(need_mbps: float) -> int:
    """The smallest circuit size that is sold (``ruleset.CIRCUIT_SIZES_MBPS``) ≥ ``need_mbps``.

    Args:
        need_mbps: The capacity the load needs.

    Returns:
        A sold size in Mbps; past the largest, the need rounded up to a whole 10 Gbps.
    """
    i = bisect_left(R.CIRCUIT_SIZES_MBPS, need_mbps)
    if i < len(R.CIRCUIT_SIZES_MBPS):
        return R.CIRCUIT_SIZES_MBPS[i]
    return math.ceil(need_mbps / 10_000) * 10_000


def _mbps_words(mbps: float) -> str:
    """``1000`` → ``1 Gbps``, ``300`` → ``300 Mbps``."""
    return f"{mbps / 1000:g} Gbps" if mbps >= 1000 else f"{mbps:g} Mbps"


_SIZE_WORDS = {size: _mbps_words(size) for size in R.CIRCUIT_SIZES_MBPS}
_SHARE_WORDS = f"{R.ALLOWED_SHARE:.0%}"


_SIZES_WORDS = tuple(_SIZE_WORDS.values())


def _raise_advice(need_mbps: float, direction: str) -> str:
    """Advice to move to a circuit size that is sold, with the exact need beside it.

    The finding's message states today's capacity; the advice names what to buy.
    """
    i = bisect_left(R.CIRCUIT_SIZES_MBPS, need_mbps)  # circuit_size_mbps, inlined
    size_words = (
        _SIZES_WORDS[i] if i < len(_SIZES_WORDS) else _mbps_words(circuit_size_mbps(need_mbps))
    )
    return (
        f"Move to a {size_words} {direction}stream circuit (the peak load needs "
        f"{need_mbps:.0f} Mbps at the {_SHARE_WORDS} reserved for real-time media)"
    )


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
                _raise_advice(need_mbps, direction)
                + ", or reserve more of the circuit for real-time media.",
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
                _raise_advice(need_mbps, direction) + ".",
                "§2.2",
            )
        )  # fmt: skip
        return weight
    out.append(
        _f(
            code + ".CRITICAL", site, fields, values, CRITICAL, -weight, weight,
            f"The whole {cap_mbps:g} Mbps {direction}stream is below the minimum-quality "
            f"peak load of {min_kbps / 1000:.1f} Mbps.",
            _raise_advice(need_mbps, direction) + " before moving calls to Teams.",
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
        "validate the markings survive to the egress with a capture.",
        True,
    ),
    Qos.NONE: (
        "NET.QOS.NONE", MEDIUM, R.W_QOS, "Teams media is not prioritised (no QoS).",
        "Enable QoS markers in the Teams admin centre, mark audio EF 46, video AF41 34 and "
        "sharing AF21 18, and honour them on LAN, Wi-Fi and WAN.",
        True,
    ),
    Qos.UNKNOWN: (
        "NET.QOS.UNKNOWN", LOW, R.W_QOS, "Not known whether Teams media is prioritised.",
        "Check whether DSCP marks (EF 46 / AF41 34 / AF21 18) are set and honoured end to end.",
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
        "the WLAN vendor's voice design guide.",
        True,
    ),
    WiFi.UNMANAGED: (
        "NET.WIFI.UNMANAGED", HIGH, R.W_WIFI, "Unmanaged / consumer-grade Wi-Fi.",
        "Deploy managed Wi-Fi with 5 GHz coverage, WMM/QoS and band steering designed for "
        "voice.",
        True,
    ),
    WiFi.UNKNOWN: (
        "NET.WIFI.UNKNOWN", LOW, R.W_WIFI, "Wi-Fi design not known.",
        "Check the Wi-Fi: 5 GHz coverage, WMM, band steering and channel plan.",
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
        "SD-WAN local breakout.",
        True,
    ),
    Breakout.UNKNOWN: (
        "NET.BREAKOUT.UNKNOWN", LOW, R.W_BREAKOUT, "Internet breakout not known.",
        "Find out whether the site breaks out to the internet locally or backhauls to a hub.",
        False,
    ),
}  # fmt: skip


def _bypass_table(kind: str, severity: str, weight: int) -> dict[str, _ChoiceRow]:
    noun = "proxy" if kind == "PROXY" else "VPN"
    advice = (
        "Let Teams media bypass the proxy: external DNS, direct UDP to the Optimize endpoints."
        if kind == "PROXY"
        else "Split-tunnel the Microsoft 365 Optimize endpoints outside the VPN."
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
            f"Check whether a {noun} sits in the path of Teams media.", False,
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
        "(Microsoft 365 endpoint ID 11).",
        True,
    ),
    YesNoUnknown.UNKNOWN: (
        "NET.FIREWALL.UNKNOWN", MEDIUM, R.W_FIREWALL, "Not known whether UDP 3478–3481 is open.",
        "Run the Teams Network Assessment Tool connectivity check (no switch) from the site, "
        "or check the firewall rules for UDP 3478–3481.",
        False,
    ),
}  # fmt: skip

# SD-WAN carries no points (ruleset: Microsoft states no requirement for it, §4.1); "no"
# is advice, "don't know" is nothing to find out.
PASS_MESSAGES["NET.SDWAN.OK"] = "SD-WAN moves calls between circuits automatically."
_SDWAN_ADVICE = finding_template(
    "NET.SDWAN.NONE", None, ("sdwan",), ("no",), INFO, 0, 0,
    "No SD-WAN: moving between circuits is not automatic (advice only, no points: Microsoft "
    "sets no SD-WAN requirement).",
    "Where the site has a second circuit, consider SD-WAN (or dual-WAN routing) with local "
    "breakout so calls move across without people noticing.",
    "§2.5",
)  # fmt: skip


def _choice_templates(
    field: str, weight: int, section: str, table: Mapping[str, _ChoiceRow]
) -> tuple[str, dict[str, tuple[FindingTemplate | str, int]]]:
    """Turn a choice table into ``{value: (finding template, weight known)}``.

    ``table[value]`` is ``(code, severity, points lost, message, advice, known)``. An
    unknown answer loses no points: it is a finding about missing data, worth its weight
    in completeness once answered.
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
                    code, None, (field,), (value,), severity, -lost if known else 0, weight,
                    message, advice, section, not known,
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

_CONCURRENCY_ASSUMED = finding_template(
    "NET.BW.CONCURRENCY.ASSUMED", None, ("peak_concurrency",), (None,), INFO, 0, 0,
    f"Peak concurrency not given: {R.DEFAULT_PEAK_CONCURRENCY_PCT} % of on-site users assumed "
    "(a planning assumption until the site's own figure is entered).",
    "Enter the share of users in a call at the busiest hour, e.g. from CQD or your current "
    "PBX reports.",
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


_DEFAULT_REC = _REC_PER_CALL[R.DEFAULT_PERSONA]
_DEFAULT_MIN = _MIN_PER_CALL[R.DEFAULT_PERSONA]


def site_load(site: SiteInput, branches: Sequence[tuple[str, BandwidthLoad]] = ()) -> BandwidthLoad:
    """Compute a site's peak real-time load and its circuits' capacity.

    Args:
        site: The site.
        branches: (name, load) of the sites that backhaul to this one: their own
            recommended and minimum load is added to this site's link (§3.1: Network
            Planner adds a remote site's load to the hub's link).

    Returns:
        The load at recommended and minimum quality (§2.2) by persona and Teams Rooms,
        plus the branches', the audio-only load used for the failover check, and the
        summed capacity of primary and backup circuits.
    """
    assumed = site.peak_concurrency is None
    pct = R.DEFAULT_PEAK_CONCURRENCY_PCT if site.peak_concurrency is None else site.peak_concurrency
    share = pct / 100
    personas = site.personas
    if not personas:
        # §3.1 Network Planner's default split: 80 % of users are office workers on
        # site; the 20 % remote workers load their own connection. (Inlined: the engine
        # scores 20,000 sites a second.)
        calls = site.users * R.OFFICE_WORKER_SHARE * share
        rec_up, rec_down = calls * _DEFAULT_REC[0], calls * _DEFAULT_REC[1]
        min_up, min_down = calls * _DEFAULT_MIN[0], calls * _DEFAULT_MIN[1]
    else:
        calls = rec_up = rec_down = min_up = min_down = 0.0
        for persona, users in personas:
            persona_calls = users * share
            calls += persona_calls
            rec = _REC_PER_CALL[persona]
            low = _MIN_PER_CALL[persona]
            rec_up += persona_calls * rec[0]
            rec_down += persona_calls * rec[1]
            min_up += persona_calls * low[0]
            min_down += persona_calls * low[1]
    rooms = site.teams_rooms * R.ROOM_PEAK_CONCURRENCY
    room_up, room_down = rooms * R.ROOM_KBPS_REC[0], rooms * R.ROOM_KBPS_REC[1]
    rec_up += room_up
    rec_down += room_down
    min_up += rooms * R.ROOM_KBPS_MIN[0]
    min_down += rooms * R.ROOM_KBPS_MIN[1]
    # A room on the backup circuit is budgeted as one more audio call (derived).
    failover = (calls + rooms) * R.AUDIO_KBPS_REC[0], (calls + rooms) * R.AUDIO_KBPS_REC[1]
    # One level: a branch's own load (a hub's branches are not passed on up a chain).
    b_rec_up = b_rec_down = 0.0
    names: tuple[str, ...] = ()
    if branches:
        for _, branch in branches:
            b_rec_up += branch.rec_up_kbps - branch.backhauled_up_kbps
            b_rec_down += branch.rec_down_kbps - branch.backhauled_down_kbps
            min_up += branch.min_up_kbps
            min_down += branch.min_down_kbps
        names = tuple([name for name, _ in branches])
    p_up = p_down = b_up = b_down = 0.0
    for c in site.circuits:
        if c.role == _PRIMARY:
            p_up += c.up_mbps
            p_down += c.down_mbps
        else:
            b_up += c.up_mbps
            b_down += c.down_mbps
    return new_bandwidth_load(
        pct, assumed, calls, rec_up + b_rec_up, rec_down + b_rec_down, min_up, min_down,
        failover[0], failover[1], p_up, p_down, b_up, b_down, R.ALLOWED_SHARE, personas,
        room_up, room_down, b_rec_up, b_rec_down, names,
    )  # fmt: skip


# "Scored over what is known": the points lost on known items, rescaled to the known
# weight. One adjustment finding per (known, lost) pair, cached.
_SCALE_TEMPLATES: dict[tuple[int, int], FindingTemplate] = {}


def _scale(known: int, lost: int) -> FindingTemplate:
    """The finding that rescales the points lost to the share of the weight known."""
    template = _SCALE_TEMPLATES.get((known, lost))
    if template is None:
        # Round half up, in integers: 100 × (known − lost) / known.
        scaled = (200 * (known - lost) + known) // (2 * known)
        template = _SCALE_TEMPLATES[(known, lost)] = finding_template(
            "NET.KNOWN.SCALE", None, ("completeness",), (known,), INFO,
            scaled - (100 - lost), 0,
            f"Scored over what is known ({known} % of the checks): the {lost} points lost "
            f"there count as {100 - scaled} of 100.",
            "Find out the unknowns listed: each one answered is scored, good or bad.",
            "§2.1",
        )  # fmt: skip
    return template


_TO_FIND_OUT: dict[tuple[str, ...], tuple[ToFindOut, ...]] = {}
_TO_FIND_OUT_MAX = 512


def _to_find_out(findings: Sequence[Finding]) -> tuple[ToFindOut, ...]:
    """The unknowns as "to find out" entries: one per way of finding out, largest first."""
    missing = [f for f in findings if f.missing]
    # A missing finding's message names its code and variant (it comes from a template).
    key = tuple([f.message for f in missing])
    done = _TO_FIND_OUT.get(key)
    if done is not None:
        return done
    by_how: dict[str, tuple[list[str], int, list[str], Finding]] = {}
    for f in missing:
        topic = _cause_words(f.code)
        entry = by_how.get(f.recommendation)
        if entry is None:
            by_how[f.recommendation] = ([topic], f.max_points, list(f.fields), f)
        else:
            topics, weight, fields, first = entry
            if topic not in topics:
                topics.append(topic)
            fields.extend(x for x in f.fields if x not in fields)
            by_how[f.recommendation] = (topics, weight + f.max_points, fields, first)
    entries = [
        new_to_find_out(_sentence(_join(topics)), how, weight, tuple(fields), first.source)
        for how, (topics, weight, fields, first) in by_how.items()
        if weight > 0
    ]
    entries.sort(key=_WEIGHT_FIRST)
    done = tuple(entries)
    # Bounded: a long-running process must not grow with every mix of unknowns it meets
    # (and a large cache costs the garbage collector on every full pass).
    if len(_TO_FIND_OUT) < _TO_FIND_OUT_MAX:
        _TO_FIND_OUT[key] = done
    return done


def _join(topics: list[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    return topics[0] if len(topics) == 1 else ", ".join(topics[:-1]) + " and " + topics[-1]


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def _weight_first(entry: ToFindOut) -> int:
    return -entry.weight


_WEIGHT_FIRST = _weight_first


def score_network(
    site: SiteInput, branches: Sequence[tuple[str, BandwidthLoad]] = ()
) -> NetworkReadiness:
    """Score the network readiness of one site, over what is known.

    Each item (weights in ``ruleset``) that misses its target loses points, graded by how
    far it misses; an unknown item loses nothing but lowers the completeness (the weight
    known, 0-100) and is listed "to find out". The points lost are rescaled to the known
    weight (a finding, ``NET.KNOWN.SCALE``), then high and critical findings cap the
    score. ``score == 100 + sum(points)`` holds exactly. Below ``ruleset.ASSESSED_FROM``
    % known the grade is "Not assessed", unless a critical finding makes it Not ready.

    Args:
        site: The site to score.
        branches: (name, load) of the sites that backhaul to this one (see
            :func:`site_load`).

    Returns:
        Score, grade, completeness and confidence, the load computed, every finding, what
        to find out and the projection after the listed fixes.
    """
    name = site.name
    out: list[Finding] = []
    passed: list[str] = []
    known = 0
    load = site_load(site, branches)
    has_load = load.concurrent_calls > 0 or site.teams_rooms > 0 or bool(branches)
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

    # Resilience §4.1; SD-WAN is advice only.
    known += _failover(out, passed, name, site, load, has_load)
    if site.sdwan == _YES:
        passed.append("NET.SDWAN.OK")
    elif site.sdwan == _NO:
        append(from_template(_SDWAN_ADVICE, name))

    lost = -sum(map(_POINTS, out))
    raw = 100 - lost
    if 0 < known < 100 and lost:
        scale = _scale(known, lost)
        if scale[5]:  # points
            append(from_template(scale, name))
            raw += scale[5]
    severities = set(map(_SEVERITY, out))
    critical = CRITICAL in severities
    if critical and raw > R.CAP_CRITICAL:
        causes = tuple([f.code for f in out if f.severity == CRITICAL])
        out.append(from_template_points(_cap(CRITICAL, causes), name, R.CAP_CRITICAL - raw))
    elif HIGH in severities and raw > R.CAP_HIGH:
        causes = tuple([f.code for f in out if f.severity == HIGH])
        out.append(from_template_points(_cap(HIGH, causes), name, R.CAP_HIGH - raw))
    score = 100 + sum(map(_POINTS, out))
    grade = _grade(score, known, critical)
    if known >= R.CONFIDENCE_HIGH_FROM:
        level = "high"
    elif known >= R.CONFIDENCE_MEDIUM_FROM:
        level = "medium"
    else:
        level = "low"
    # Adjustments (the scale, caps) have no weight of their own: not fixes.
    fixes = tuple([f.code for f in out if f.points < 0 and f.max_points])
    # After the listed fixes nothing known loses points: 100 over what is known.
    after = _READY if known >= R.ASSESSED_FROM else _NOT_ASSESSED
    projection = (
        new_projection(100, after, _GRADE_LABELS[after], fixes) if fixes else _NO_FIXES[after]
    )
    return new_network_readiness(
        100, score, grade, _GRADE_LABELS[grade], known, level, load, tuple(out),
        tuple(passed), top_issue(out), known, _to_find_out(out), projection,
    )  # fmt: skip


# A site with nothing to fix keeps today's grade, over what is known: shared projections.
_NO_FIXES = {
    grade: new_projection(100, grade, _GRADE_LABELS[grade], ()) for grade in (_READY, _NOT_ASSESSED)
}


def _grade(score: int, known: int, critical: bool) -> str:
    """The grade of a score over ``known`` % of the weight (see :func:`score_network`)."""
    if known < R.ASSESSED_FROM and not critical:
        return _NOT_ASSESSED
    if score >= R.READY_FROM:
        return _READY
    if score >= R.NOT_READY_BELOW:
        return _REMEDIATION
    return _NOT_READY


_POINTS = attrgetter("points")
_SEVERITY = attrgetter("severity")


_W, _HALF = R.W_FAILOVER, R.W_FAILOVER // 2
_FAILOVER_FIELDS = ("circuits.role", "lte_backup")
# The backup is known; the load it must carry is the bandwidth's unknown (same advice, so
# "to find out" lists it once): nothing more to weigh here.
_FAILOVER_NO_LOAD = finding_template(
    "NET.FAILOVER.UNVERIFIED", None, ("users", "teams_rooms"), (0, 0), LOW, 0, 0,
    "A backup circuit exists but the load it must carry is unknown.",
    _ENTER_LOAD, "§4.1", True,
)  # fmt: skip
PASS_MESSAGES["NET.FAILOVER.OK"] = (
    "The secondary/backup circuits alone carry peak audio calls if the primary fails."
)
# Without a backup circuit, by the LTE/5G answer: (template, weight known).
_FAILOVER_BY_LTE: dict[str, tuple[FindingTemplate, int]] = {
    YesNoUnknown.YES: (
        finding_template(
            "NET.FAILOVER.UNVERIFIED", None, _FAILOVER_FIELDS, (0, "yes"), LOW, 0, _W - _HALF,
            "An LTE/5G backup exists but its capacity is not entered.",
            "Enter the LTE/5G backup as a circuit with its capacity, so it can be checked "
            "against the calls it must carry.",
            "§4.1", True,
        ),
        _HALF,  # that a backup exists is known; whether it carries the calls is not
    ),
    YesNoUnknown.NO: (
        finding_template(
            "NET.FAILOVER.NONE", None, _FAILOVER_FIELDS, (0, "no"), MEDIUM, -_W, _W,
            "Single circuit, no backup: the site loses Teams and PSTN calling on an outage.",
            "Add a secondary circuit or an LTE/5G backup sized for peak audio calls, or plan "
            "failover to mobile (Teams Phone Mobile).",
            "§4.1",
        ),
        _W,
    ),
    YesNoUnknown.UNKNOWN: (
        finding_template(
            "NET.FAILOVER.UNKNOWN", None, _FAILOVER_FIELDS, (0, "unknown"), MEDIUM, 0, _W,
            "No backup circuit entered and LTE/5G backup unknown.",
            "Enter any secondary or backup circuit, or answer the LTE/5G backup question.",
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
                f"Size the backup circuit to at least {need:.1f} Mbps each way.",
                "§4.1",
            )
        )  # fmt: skip
        return _W
    template, known = _FAILOVER_BY_LTE[site.lte_backup]
    out.append(from_template(template, name))
    return known
