"""The proposal context: everything the PDF templates show, built from a frozen snapshot."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any, TypedDict

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from assessments import charts, presenters, questions
from assessments.countries import country_name
from assessments.models import Assessment, Site
from scoring import ruleset
from scoring.inputs import circuit_order
from scoring.results import MODEL_LABELS, Grade, estate_summary, issue_order, to_plain, top_issue
from tenancy.models import Font

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
FONT_FAMILIES = {
    Font.INTER: "'Inter', sans-serif",
    Font.SOURCE_SANS: "'Source Sans 3', sans-serif",
    Font.MERRIWEATHER: "'Merriweather', serif",
}
DEFAULT_BRANDING = {"primary_colour": "#1F4E79", "accent_colour": "#2E8540", "font": Font.INTER}
# A readiness chart is one SVG image, and an image cannot break across pages.
CHART_SITES_PER_IMAGE = 30
# Past this many sites the bars stop being readable; the table and the donut carry it.
CHART_MAX_SITES = 60
SEVERITY_LABELS = {
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "info": "Note",
}

# The domain.md sections the rules cite, with the Microsoft documentation behind each.
SOURCES: dict[str, tuple[str, str, str]] = {
    "§1.1": ("PSTN connectivity options", "PSTN connectivity options", "pstn-connectivity"),
    "§1.2": (
        "Microsoft's comparison of the models",
        "PSTN connectivity options",
        "pstn-connectivity",
    ),
    "§1.3": (
        "Responsibility (ownership) matrix",
        "PSTN connectivity options; Plan Direct Routing",
        "pstn-connectivity",
    ),
    "§1.4": ("Licensing and identity prerequisites", "Plan Direct Routing", "direct-routing-plan"),
    "§1.5": (
        "Direct Routing technical requirements",
        "Plan Direct Routing; SBCs certified for Direct Routing",
        "direct-routing-plan",
    ),
    "§1.6": (
        "Location-Based Routing and India",
        "Plan Location-Based Routing",
        "location-based-routing-plan",
    ),
    "§1.7": (
        "Calling Plan and operator availability",
        "Microsoft Teams Calling Plans",
        "calling-plans-for-office-365",
    ),
    "§1.8": (
        "Typical setup time",
        "Plan for Operator Connect (durations are estimates)",
        "operator-connect-plan",
    ),
    "§1.9": (
        "Special endpoints and integrations",
        "Plan SIP Gateway; Direct Routing and analog devices",
        "direct-routing-analog-devices",
    ),
    "§2.1": (
        "Network performance targets",
        "Prepare your organization's network for Teams",
        "prepare-network",
    ),
    "§2.2": (
        "Bandwidth per endpoint",
        "Prepare your organization's network for Teams",
        "prepare-network",
    ),
    "§2.3": (
        "QoS: DSCP markings and ports",
        "Implement Quality of Service in Teams",
        "qos-in-teams",
    ),
    "§2.4": ("Firewall ports and endpoints", "Microsoft 365 URLs and IP address ranges", ""),
    "§2.5": (
        "Proxy, VPN and local breakout",
        "Microsoft 365 network connectivity principles",
        "prepare-network",
    ),
    "§2.6": ("Wi-Fi", "Prepare your organization's network for Teams", "prepare-network"),
    "§3.1": ("Network Planner", "Use the Network Planner for Teams", "network-planner"),
    "§3.2": ("Network Assessment Tool", "Teams Network Assessment Tool", "prepare-network"),
    "§3.3": (
        "Call Quality Dashboard: poor streams",
        "Stream classification in Call Quality Dashboard",
        "stream-classification-in-call-quality-dashboard",
    ),
    "§3.4": (
        "CQD health targets",
        "Quality of Experience Review guide",
        "quality-of-experience-review-guide",
    ),
    "§4.1": (
        "Site connectivity and resilience",
        "Prepare your organization's network for Teams",
        "prepare-network",
    ),
    "§4.2": ("Direct Routing high availability", "Plan Direct Routing", "direct-routing-plan"),
    "§4.3": (
        "Emergency calling",
        "Plan and configure dynamic emergency calling",
        "configure-dynamic-emergency-calling",
    ),
    "§6": ("Decision hints", "PSTN connectivity options", "pstn-connectivity"),
}
LEARN = "https://learn.microsoft.com/microsoftteams/"


class Branding(TypedDict):
    """The partner's branding as frozen when the proposal was issued.

    Attributes:
        company_name: The partner's name as customers see it.
        primary_colour: ``#RRGGBB``; white text sits on it (cover, headings bar).
        accent_colour: ``#RRGGBB`` for rules and highlights.
        font: A :class:`~assessments.models.Font` value.
        contact_email: Partner contact, may be blank.
        contact_phone: Partner contact, may be blank.
        website: Partner website, may be blank.
        address: Postal address, may be blank.
        legal_footer: Printed at the foot of every page, may be blank.
        logo_data_uri: The logo as a ``data:`` URI, or ``""``.
    """

    company_name: str
    primary_colour: str
    accent_colour: str
    font: str
    contact_email: str
    contact_phone: str
    website: str
    address: str
    legal_footer: str
    logo_data_uri: str


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
    """

    document: dict[str, Any]
    results: dict[str, Any]
    ruleset_version: str
    branding: Branding
    thresholds: list[dict[str, Any]]
    number: int | None
    issued_at: str | None
    issued_by: str


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
        recommendation: The overall recommendation (label, summary, kind, mix, notes).
        reasons: Three or four plain-language reasons that drove it.
        figures: Key figures: sites, users, average readiness, grade counts, countries.
        deciding_question: The question the ownership section asks plainly.
        operating_answer: What the customer answered to it, in words.
        fit_chart: SVG bars of each model's fit.
        grade_chart: SVG donut of sites by grade.
        readiness_charts: SVG bars of site readiness, split so each fits on a page.
        sites: One row per site for the readiness table.
        one_model: The model recommended at every site, when there are several sites and
            all share it (the readiness table then says it once); otherwise empty.
        remediation: Sites not graded ready, with their findings and what to do.
        common_fixes: Advice repeated word for word at several sites, printed once
            (``ref``, ``text``, ``found``, ``sites``, ``section``); findings point to it
            by ``ref``.
        common_checks: Items to verify that recur at several sites (``ref``, ``text``,
            ``sites``), when ``compact``.
        compact: True from :data:`COMPACT_FROM_SITES` sites needing work: each site gives
            its recurring medium and minor fixes and items to verify by reference.
        ownership: The day one / day 500 comparison of the two main models and the
            who-owns-what table of every model.
        resilience: Sites lacking a secondary circuit, LTE backup or SD-WAN, and the plan.
        resilience_plans: The distinct plans (``ref`` letter, ``text``, ``sites``); each
            site of ``resilience`` refers to one by ``ref``.
        next_steps: Provisioning and support steps for the recommended model.
        answers: Organisation answers as (question, answer) pairs.
        site_answers: Site answers as three tables (people and PSTN, network, measurements).
        thresholds: Thresholds used, with value and source.
        sources: The domain.md sections cited and the Microsoft documents behind them.
        assumptions: Planning assumptions the figures rest on.
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
    grade_chart: SafeString
    readiness_charts: list[SafeString]
    sites: list[dict[str, Any]]
    one_model: str
    remediation: list[dict[str, Any]]
    common_fixes: list[dict[str, Any]]
    common_checks: list[dict[str, Any]]
    compact: bool
    ownership: dict[str, Any]
    resilience: list[dict[str, Any]]
    resilience_plans: list[dict[str, Any]]
    next_steps: list[dict[str, Any]]
    answers: list[tuple[str, str]]
    site_answers: list[dict[str, Any]]
    thresholds: list[dict[str, Any]]
    sources: list[dict[str, str]]
    assumptions: list[str]


DECIDING_QUESTION = "Do you want voice to be a product you use, or a platform you operate?"
OPERATING_ANSWERS = {
    "product": "a product you use",
    "platform": "a platform you operate",
    "undecided": "not decided yet",
}


def thresholds_used() -> list[dict[str, Any]]:
    """The thresholds of the current ruleset that the proposal cites, with their sources.

    Returns:
        Dicts with ``name``, ``value`` (as printed) and ``section`` (domain.md).
    """
    r = ruleset
    rows = [
        ("Client to Microsoft round trip", f"< {r.CLIENT_RTT_MAX_MS:g} ms", "§2.1"),
        ("Client jitter", f"< {r.CLIENT_JITTER_MAX_MS:g} ms", "§2.1"),
        ("Client packet loss", f"< {r.CLIENT_LOSS_MAX_PCT:g} %", "§2.1"),
        ("Client packet reorder", f"< {r.CLIENT_REORDER_MAX_PCT:g} %", "§2.1"),
        ("Customer edge to Microsoft round trip", f"< {r.EDGE_RTT_MAX_MS:g} ms", "§2.1"),
        ("Customer edge jitter", f"< {r.EDGE_JITTER_MAX_MS:g} ms", "§2.1"),
        ("Customer edge packet loss", f"< {r.EDGE_LOSS_MAX_PCT:g} %", "§2.1"),
        ("Customer edge packet reorder", f"< {r.EDGE_REORDER_MAX_PCT:g} %", "§2.1"),
        ("Poor call: round trip", f"> {r.POOR_RTT_MS:g} ms", "§3.3"),
        ("Poor call: packet loss", f"> {r.POOR_LOSS_PCT:g} %", "§3.3"),
        ("Poor call: jitter", f"> {r.POOR_JITTER_MS:g} ms", "§3.3"),
        ("Audio per call (recommended)", f"{r.AUDIO_KBPS_REC[0]} kbps each way", "§2.2"),
        (
            "Video meeting per endpoint (recommended)",
            f"{r.VIDEO_MEETING_KBPS_REC[0] / 1000:g} up / {r.VIDEO_MEETING_KBPS_REC[1] / 1000:g}"
            " down Mbps",
            "§2.2",
        ),
        (
            "Screen sharing per endpoint (recommended)",
            f"{r.SHARING_MEETING_KBPS_REC[0] / 1000:g} Mbps each way",
            "§2.2",
        ),
        ("Teams Room bandwidth policy", f"at least {r.TEAMS_ROOM_KBPS / 1000:g} Mbps", "§2.2"),
        ("Share of a link for real-time media", f"{r.ALLOWED_SHARE:.0%}", "§3.1"),
        ("Peak concurrency when not given", f"{r.DEFAULT_PEAK_CONCURRENCY_PCT} % of users", "§3.1"),
        ("Ready from", f"{r.READY_FROM} / 100", "portal policy"),
        ("Not ready below", f"{r.NOT_READY_BELOW} / 100", "portal policy"),
        ("SBCs per route (Direct Routing)", f"at least {r.SBCS_PER_ROUTE}", "§4.2"),
        ("Calling Plan markets", f"{len(r.CALLING_PLAN_COUNTRIES)} countries", "§1.7"),
        ("QoS markings", "audio EF 46, video AF41 34, sharing AF21 18", "§2.3"),
        ("Media ports to Microsoft", "UDP 3478-3481", "§2.4"),
    ]
    return [{"name": n, "value": v, "section": s} for n, v, s in rows]


def safe_branding(branding: dict[str, Any]) -> Branding:
    """Branding with every value the stylesheet uses re-validated (never trust stored CSS).

    Args:
        branding: Stored or submitted branding values.

    Returns:
        The branding with colours and font replaced by defaults when invalid.
    """
    clean = dict(branding)
    for key in ("primary_colour", "accent_colour"):
        if not HEX.match(str(clean.get(key, ""))):
            clean[key] = DEFAULT_BRANDING[key]
    if clean.get("font") not in FONT_FAMILIES:
        clean["font"] = DEFAULT_BRANDING["font"]
    logo = str(clean.get("logo_data_uri") or "")
    if not re.match(r"^data:image/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$", logo):
        logo = ""
    clean["logo_data_uri"] = logo
    for key in Branding.__annotations__:
        clean.setdefault(key, "")
    return Branding(**{k: clean[k] for k in Branding.__annotations__})


# The PDF's font files: latin and latin-ext merged into one file per weight
# (scripts/merge_pdf_fonts.py). WeasyPrint writes two unicode-range subsets of one weight
# into the PDF as a single font, and the letters of the second then print as wrong
# glyphs ("Łódź" came out as "Ýód"); browsers, which handle subsets, keep fonts.css.
FONT_FILES = {
    Font.INTER: "fonts/inter/inter",
    Font.SOURCE_SANS: "fonts/source-sans-3/source-sans-3",
    Font.MERRIWEATHER: "fonts/merriweather/merriweather",
}
FONT_WEIGHTS = (400, 600, 700)


@functools.cache
def _font_faces(font: str) -> str:
    # Only the chosen family: WeasyPrint loads (and decompresses) every @font-face it is
    # given, whether the document uses it or not.
    name = FONT_FAMILIES[font].split(",")[0]
    return "".join(
        f"@font-face {{ font-family: {name}; font-style: normal; font-weight: {weight}; "
        f"src: url({FONT_FILES[font]}-{weight}-normal.woff2) format('woff2'); }}\n"
        for weight in FONT_WEIGHTS
    )


def brand_css(branding: Branding) -> str:
    """CSS custom properties from validated branding (hex colours and a vetted font only)."""
    family = FONT_FAMILIES[branding["font"]]
    return (
        _font_faces(branding["font"]) + f":root {{ --primary: {branding['primary_colour']}; "
        f"--accent: {branding['accent_colour']}; --font: {family}; }}\n"
        # Margin boxes do not inherit from the document, so the page gets the font itself.
        f"@page {{ font-family: {family}; }}"
    )


def _country(code: str) -> str:
    return country_name(code) or code or "—"


def _top_issue(network: dict[str, Any]) -> dict[str, Any] | None:
    # Snapshots issued before the result carried its top issue are derived the same way.
    if "top_issue" in network:
        return network["top_issue"]
    return top_issue(network["findings"])


# The vendored font subsets (Latin) have no arrow or comparison glyphs: say them in words.
IN_WORDS = ((" → ", " to "), ("→", "to"), ("≈ ", "about "), ("≥ ", "at least "), ("≤ ", "at most "))


def _plain(text: str) -> str:
    # Section numbers are explained once in appendix B; the file name means nothing to a
    # customer.
    for symbol, words in IN_WORDS:
        text = text.replace(symbol, words)
    text = re.sub(r" \(ruleset\.[^)]*\)", "", text)  # constant names are for developers
    text = text.replace("not in domain.md", "no Microsoft figure")
    return text.replace("(domain.md ", "(").replace("domain.md ", "")


def _problems(
    findings: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """A site's findings that cost points, split for the page, and what is not known.

    Returns:
        The critical, high and medium findings (most severe first); the low and info
        ones, which the page gives in one line under the table; and the items that were
        not measured or not answered, to verify.
    """
    fix = [
        f
        for f in findings
        if not f["missing"] and (f["points"] < 0 or f["severity"] in ("critical", "high"))
    ]
    fix.sort(key=issue_order)
    rows = [
        {
            "severity": f["severity"],
            "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"]),
            "message": message,
            "recommendation": _plain(f["recommendation"]),
            "section": f["section"],
            # What was found, citing the section its threshold comes from.
            "cited": f"{message.rstrip('.')} ({f['section']}).",
            "points": f["points"],
        }
        for f in fix
        for message in (_plain(f["message"]),)
    ]
    unknown = _unmeasured([_plain(f["message"]).rstrip(".") for f in findings if f["missing"]])
    # Minor items read as one line under the site's table, separated by semicolons.
    minor = [
        {**r, "message": r["message"].rstrip(".")} for r in rows if r["severity"] in ("low", "info")
    ]
    rows = [r for r in rows if r["severity"] not in ("low", "info")]
    return rows, minor, unknown


UNMEASURED = (
    (re.compile(r"^Client to Microsoft edge (.+) not measured$"), "client"),
    (re.compile(r"^Customer edge to Microsoft edge (.+) not measured$"), "customer edge"),
)


def _unmeasured(messages: list[str]) -> list[str]:
    """Missing measurements said once per site ("Not measured: client jitter, ...").

    Every unmeasured metric is its own finding; listed one by one they fill a 100-site
    proposal with the same words. Other items are kept as they are, in order.
    """
    measured: dict[str, list[str]] = {}
    rest = []
    for message in messages:
        for pattern, where in UNMEASURED:
            m = pattern.match(message)
            if m:
                measured.setdefault(where, []).append(m.group(1))
                break
        else:
            rest.append(message)
    if not measured:
        return rest
    parts = [
        f"{where} {', '.join(metrics[:-1])}{' and ' if len(metrics) > 1 else ''}{metrics[-1]}"
        for where, metrics in measured.items()
    ]
    return [f"Not measured: {', '.join(parts)}", *rest]


COMMON_FIX_MIN_SITES = 3
# From this many sites needing work, a site's medium and minor findings that recur at
# several sites are given by reference only, and so are the items to verify: a 100-site
# proposal keeps each site to what differs there (and renders in a few seconds).
COMPACT_FROM_SITES = 10
# The distinct findings a recurring fix answers, shown beside it in the fixes table.
FOUND_SHOWN = 3


def _referable(site: dict[str, Any]) -> list[dict[str, Any]]:
    """A site's items that carry a recommendation: findings, minor findings, PSTN notes."""
    return [*site["findings"], *site["minor"], *site["notes"]]


def _common_fixes(remediation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Advice given word for word at several sites, printed once and referred to by number.

    A 100-site estate repeats the same fix (open UDP 3478-3481, mark DSCP...) dozens of
    times; printing it once keeps the per-site pages to what differs per site. Each fix
    lists what was found where it applies (``found``). The sites' PSTN notes (regulation,
    emergency addresses) are counted with the findings.
    """
    counts: dict[str, dict[str, Any]] = {}
    for site in remediation:
        for f in _referable(site):
            if not f["recommendation"]:
                continue
            entry = counts.setdefault(
                f["recommendation"], {"sites": set(), "section": f["section"], "found": {}}
            )
            entry["sites"].add(site["name"])
            entry["found"].setdefault(f["message"].rstrip("."), None)
    common = sorted(
        ((text, e) for text, e in counts.items() if len(e["sites"]) >= COMMON_FIX_MIN_SITES),
        key=lambda item: (-len(item[1]["sites"]), item[0]),
    )
    refs = {}
    said: set[str] = set()
    fixes = []
    for i, (text, entry) in enumerate(common, start=1):
        refs[text] = f"Fix {i}"
        found = list(entry["found"])
        if len(found) <= FOUND_SHOWN:
            said.add(text)
        else:  # figures that differ per site: each site's row gives its own
            found = ["Differs from site to site (measured values); see each site"]
        fixes.append(
            {
                "ref": f"Fix {i}",
                "text": text,
                "found": found,
                "sites": len(entry["sites"]),
                "section": entry["section"],
            }
        )
    for site in remediation:
        for f in _referable(site):
            f["ref"] = refs.get(f["recommendation"], "")
            # The fixes table says what was found too: the site may refer to it by number.
            f["said"] = f["recommendation"] in said
    return fixes


def _compact(
    remediation: list[dict[str, Any]], fixes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Give recurring medium and minor items, and recurring items to verify, by reference.

    Critical and high findings keep their own row at every site. A medium or minor finding
    that the fixes table states in full (what was found and what to do), and an item to
    verify that recurs word for word at several sites, become a reference in the site's
    closing line (``also_refs``, ``check_refs``); what is left in words is what is
    particular to the site, such as its measured values.

    Args:
        remediation: The sites needing work (changed in place).
        fixes: The fixes table (:func:`_common_fixes`), in number order.

    Returns:
        The recurring items to verify, numbered (``ref``, ``text``, ``sites``).
    """
    seen: dict[str, int] = {}
    for site in remediation:
        for text in dict.fromkeys(site["unknown"]):
            seen[text] = seen.get(text, 0) + 1
    recurring = sorted(
        (t for t, n in seen.items() if n >= COMMON_FIX_MIN_SITES), key=lambda t: (-seen[t], t)
    )
    checks = [
        {"ref": f"Check {i}", "text": t, "sites": seen[t]} for i, t in enumerate(recurring, 1)
    ]
    recurring_texts = set(recurring)
    for site in remediation:
        by_ref = [
            f
            for f in [*site["findings"], *site["minor"]]
            if f["said"] and f["severity"] not in ("critical", "high")
        ]
        by_ref += [n for n in site["notes"] if n["said"]]
        refs = {f["ref"] for f in by_ref}
        # Both lists in table order, so a site's references read Fix 1, Fix 4, Fix 12.
        site["also_refs"] = [fix["ref"] for fix in fixes if fix["ref"] in refs]
        for key in ("findings", "minor", "notes"):
            site[key] = [f for f in site[key] if not any(f is r for r in by_ref)]
        unknown = set(site["unknown"])
        site["check_refs"] = [c["ref"] for c in checks if c["text"] in unknown]
        site["unknown"] = [t for t in site["unknown"] if t not in recurring_texts]
    return checks


def _closing_line(site: dict[str, Any], *, compact: bool) -> None:
    """What the line under a site's findings says, in words (``also_words``, ``check_words``).

    Minor findings are more to fix in the compact layout, beside the fixes given by number;
    otherwise they open the list of what to check, before what is not known.
    """
    minor = [
        f"{m['message']} (see {m['ref']})" if m["ref"] else m["message"] for m in site["minor"]
    ]
    site["also_words"] = minor if compact else []
    site["check_words"] = site["unknown"] if compact else [*minor, *site["unknown"]]


def _answers(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            presenters.label(Assessment, name),
            presenters.display(Assessment, name, value, blank=presenters.EMPTY_CELL, significant=3),
        )
        for name, value in document.get("answers", {}).items()
    ]


# The appendix's site tables: their columns, order and short labels are the catalogue's.
SITE_TABLES = questions.appendix_tables()


# Short answers for the site tables of the appendix: 100 sites fit on far fewer pages.
BYPASS_SHORT = {"none": "None", "bypassed": "Bypassed", "through": "Through"}
SHORT_CHOICES: dict[str, dict[str, str]] = {
    "internet_breakout": {"local": "Local", "backhaul": "Backhaul"},
    "proxy": BYPASS_SHORT,
    "vpn": BYPASS_SHORT,
    "qos": {"end_to_end": "End to end", "partial": "Partly", "none": "None"},
    "wifi": {
        "enterprise_5ghz": "5 GHz, managed",
        "managed_24ghz": "2.4 GHz",
        "unmanaged": "Unmanaged",
        "wired_only": "Wired only",
    },
    "regulation": {"toll_bypass": "Toll bypass", "other": "Other", "none": "None"},
    "measurement_tool": {"nat": "NAT", "connectivity": "M365 test", "cqd": "CQD"},
}


def _short_answer(name: str, value: Any) -> str:
    if value == "unknown":
        return "Unknown"
    short = SHORT_CHOICES.get(name, {}).get(value)
    # Measured figures: three significant digits are plenty in a table.
    return short or presenters.display(
        Site, name, value, blank=presenters.EMPTY_CELL, significant=3
    )


def _circuits(site: dict[str, Any]) -> str:
    circuits = sorted(site.get("circuits", []), key=lambda c: circuit_order(c["role"]))
    parts = [f"{c['role'].capitalize()} {c['down_mbps']:g}/{c['up_mbps']:g}" for c in circuits]
    return "; ".join(parts) or "none"


def _site_answer(site: dict[str, Any], name: str) -> str:
    if name == "circuits":
        return _circuits(site)
    try:
        return _short_answer(name, site.get(name))
    except Exception:
        return str(site.get(name, "—"))


def _site_answers(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The sites' answers as tables, one row per site and a column per group of answers.

    From :data:`COMPACT_FROM_SITES` sites, an answer that is the same at every site is
    said once above its table (``same``) rather than in every row.
    """
    sites = document.get("sites", [])
    tables = []
    for title, columns in SITE_TABLES:
        same = []
        shown = []  # (prefix, fields, width class) with the answers that differ
        answers: dict[str, list[str]] = {}  # field -> each site's answer, computed once
        for prefix, fields, cls in columns:
            kept = []
            for name, label in fields:
                answers[name] = [_site_answer(site, name) for site in sites]
                if len(sites) >= COMPACT_FROM_SITES and len(set(answers[name])) == 1:
                    same.append((f"{prefix}{label}", answers[name][0]))
                else:
                    kept.append((name, label))
            if kept:
                shown.append((prefix, kept, cls))
        headers = [
            {"label": prefix + " / ".join(label for _n, label in kept), "cls": cls}
            for prefix, kept, cls in shown
        ]
        rows = [
            {
                "name": site["name"],
                "cells": [
                    " / ".join(answers[name][i] for name, _label in kept)
                    for _prefix, kept, _cls in shown
                ],
            }
            for i, site in enumerate(sites)
        ]
        tables.append({"title": title, "headers": headers, "rows": rows, "same": same})
    return tables


def _has_second_path(site: dict[str, Any]) -> dict[str, bool]:
    roles = {c["role"] for c in site.get("circuits", [])}
    cellular = any(c.get("kind") == "cellular" for c in site.get("circuits", []))
    return {
        "secondary": bool(roles & {"secondary", "backup"}),
        "lte": site.get("lte_backup") == "yes" or cellular,
        "sdwan": site.get("sdwan") == "yes",
    }


def _resilience(document: dict[str, Any], results: dict[str, Any]) -> list[dict[str, Any]]:
    by_name = {s["site"]: s for s in results.get("sites", [])}
    plan = []
    for site in document.get("sites", []):
        have = _has_second_path(site)
        if all(have.values()):
            continue
        load = by_name.get(site["name"], {}).get("network", {}).get("load", {})
        up = (load.get("failover_up_kbps") or 0) / 1000
        down = (load.get("failover_down_kbps") or 0) / 1000
        sizing = f"at least {up:.1f} up / {down:.1f} down" if up or down else "peak calls"
        missing = [
            words
            for key, words in (
                ("secondary", "secondary circuit"),
                ("lte", "LTE/5G backup"),
                ("sdwan", "SD-WAN"),
            )
            if not have[key]
        ]
        steps = []
        if not have["secondary"] and not have["lte"]:
            steps.append("Add a second path: a diverse circuit or LTE/5G backup")
        elif not have["lte"]:
            steps.append("Add LTE/5G backup")
        elif not have["secondary"]:
            steps.append("Consider a diverse secondary circuit")
        if not have["sdwan"]:
            steps.append("automatic failover with local breakout (SD-WAN)")
        plan.append(
            {
                "plan": "; ".join(steps)[:1].upper() + "; ".join(steps)[1:] + ".",
                "name": site["name"],
                "country": _country(site.get("country", "")),
                "users": site.get("users", 0),
                "have": have,
                "missing": missing,
                "steps": steps,
                "sizing": sizing,
            }
        )
    return plan


def _resilience_plans(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The few distinct plans, lettered, so each site's row refers to one (``ref``)."""
    plans: dict[str, dict[str, Any]] = {}
    for site in plan:
        entry = plans.setdefault(
            site["plan"], {"ref": chr(ord("A") + len(plans)), "text": site["plan"], "sites": 0}
        )
        entry["sites"] += 1
        site["ref"] = entry["ref"]
    return list(plans.values())


def _reasons(results: dict[str, Any], document: dict[str, Any], figures: dict) -> list[str]:
    rec = results["recommendation"]
    reasons: list[str] = [_plain(r) for r in (rec.get("reasons") or [])][:4]
    model = rec.get("model")
    fits = {f["model"]: f for f in results.get("fits", [])}
    if model in fits:
        drivers = sorted(
            (f for f in fits[model]["findings"] if f["points"] > 0),
            key=lambda f: -f["points"],
        )
        for f in drivers:
            if len(reasons) >= 3:
                break
            if _plain(f["message"]) not in reasons:
                reasons.append(_plain(f["message"]))
        others = [
            f for m, f in fits.items() if m != model and m in ("operator_connect", "direct_routing")
        ]
        if others and len(reasons) < 4:
            other, chosen = others[0], fits[model]
            if chosen["fit"] == other["fit"]:
                # How the engine breaks a tie: a site's goes to Operator Connect
                # (pstn_fit.recommend_site), the main model is the one serving most users.
                why = (
                    "on a tie we recommend Operator Connect, as the operator runs the Session "
                    "Border Controllers and your IT has less to run"
                    if model == "operator_connect"
                    else f"{chosen['label']} is recommended for the sites with most of your users"
                )
                reasons.append(
                    f"{chosen['label']} and {other['label']} fit this customer equally well "
                    f"({chosen['fit']} of 100); {why}."
                )
            else:
                reasons.append(
                    f"{chosen['label']} fits this customer best overall: "
                    f"{chosen['fit']} of 100, against {other['fit']} for {other['label']}."
                )
    summaries = {s["model"]: s for s in results.get("ownership", {}).get("summaries", [])}
    oc, dr = summaries.get("operator_connect"), summaries.get("dr_self_managed")
    if oc and dr and len(reasons) < 4:
        reasons.append(
            f"Your IT would spend about {oc['hours_per_year']:.0f} hours a year on voice with "
            f"Operator Connect and about {dr['hours_per_year']:.0f} hours running Direct "
            "Routing itself."
        )
    if figures["sites"] and len(reasons) < 4:
        reasons.append(
            f"{figures['ready']} of {figures['sites']} sites are ready for Teams calling today; "
            f"{figures['sites'] - figures['ready']} need network work first, listed site by "
            "site in this proposal."
        )
    return reasons[:4]


def _ownership(results: dict[str, Any]) -> dict[str, Any]:
    matrix = results.get("ownership") or {}
    rec = results["recommendation"]
    dr_key = "dr_hosted" if rec.get("dr_variant") == "hosted" else "dr_self_managed"
    pair = [m for m in ("operator_connect", dr_key) if m in matrix.get("models", ())]
    summaries = {s["model"]: s for s in matrix.get("summaries", [])}
    rows = []
    for row in matrix.get("rows", []):
        cells = {c["model"]: c for c in row["cells"]}
        rows.append(
            {
                "label": row["label"],
                "pair": [cells[m] for m in pair if m in cells],
                "all": [cells.get(m) for m in matrix.get("models", ())],
            }
        )
    return {
        "pair": [summaries[m] for m in pair if m in summaries],
        "models": [summaries[m] for m in matrix.get("models", ()) if m in summaries],
        "rows": rows,
        "assumptions": list(matrix.get("assumptions", [])),
    }


def _next_steps(results: dict[str, Any], figures: dict, branding: Branding) -> list[dict]:
    rec = results["recommendation"]
    models = {m for m, _sites in rec.get("sites_by_model", [])}
    partner = branding["company_name"] or "your partner"
    steps: list[dict[str, Any]] = [
        {
            "title": "Agree the plan",
            "items": [
                f"Review this proposal with {partner} and confirm the model for each site.",
                "Name an owner in IT for voice, numbers and emergency calling.",
            ],
        }
    ]
    if figures["sites"] - figures["ready"]:
        steps.append(
            {
                "title": "Fix the network first",
                "items": [
                    f"Remediate the {figures['sites'] - figures['ready']} site(s) not graded "
                    "ready, most severe findings first (section 3).",
                    "Re-measure with the Teams Network Assessment Tool after each change.",
                    "Add the resilience upgrades of section 5 before moving users.",
                ],
            }
        )
    if "operator_connect" in models:
        steps.append(
            {
                "title": "Provision Operator Connect",
                "items": [
                    "Choose an operator in the Teams admin centre and sign its contract.",
                    "Register emergency addresses, then let the operator upload or port numbers.",
                    "Assign numbers and voice policies to a pilot group; test emergency calls.",
                ],
            }
        )
    if "direct_routing" in models:
        steps.append(
            {
                "title": "Build Direct Routing",
                "items": [
                    "Order certified SBCs (two per route) or a hosted SBC service, and carrier "
                    "SIP trunks.",
                    "Issue public TLS certificates for the SBC names; pair the SBCs with the "
                    "tenant.",
                    "Configure voice routing policies, PSTN usages and emergency routing; pilot.",
                ],
            }
        )
    if "calling_plans" in models:
        steps.append(
            {
                "title": "Set up Calling Plans",
                "items": [
                    "Buy Calling Plan licences; register emergency addresses.",
                    "Order or port numbers in the Teams admin centre.",
                ],
            }
        )
    steps.append(
        {
            "title": "Move users and support them",
            "items": [
                "Port numbers in batches by site; keep the old service until each port completes.",
                "Support: users call the IT service desk; IT escalates to the operator or "
                f"{partner} as the ownership table says; quality is watched in the Call "
                "Quality Dashboard.",
            ],
        }
    )
    return steps


def _sources(results: dict[str, Any], thresholds: list[dict[str, Any]]) -> list[dict[str, str]]:
    cited: set[str] = {t["section"] for t in thresholds}
    for site in results.get("sites", []):
        for f in site["network"]["findings"]:
            cited.add(f["section"])
        for fit in site.get("fits", []):
            cited.update(f["section"] for f in fit["findings"])
    for f in results.get("org_findings", []):
        cited.add(f["section"])
    cited.update(a["section"] for a in results.get("assumptions", []))
    sections: set[str] = set()
    for text in cited:
        sections.update(re.findall(r"§\d+(?:\.\d+)?", text or ""))

    def key(s: str) -> tuple[int, ...]:
        return tuple(int(p) for p in s[1:].split("."))

    rows = []
    for section in sorted(sections, key=key):
        title, doc, slug = SOURCES.get(section, ("", "", ""))
        rows.append(
            {
                "section": section,
                "title": title or "Portal reference",
                "document": doc or "Microsoft Teams documentation",
                "url": (LEARN + slug) if slug else "",
            }
        )
    return rows


def build_context(snapshot: ProposalSnapshot, *, draft: bool = False) -> ProposalContext:
    """Build the proposal context from a snapshot: a pure function of its input.

    Args:
        snapshot: A stored proposal's frozen values, or a draft built in memory.
        draft: True for a preview; the pages are marked "Draft".

    Returns:
        The context the templates read.
    """
    document, results = snapshot["document"], snapshot["results"]
    meta = document.get("meta", {})
    branding = safe_branding(snapshot["branding"])
    sites = results.get("sites", [])
    site_docs = {s["name"]: s for s in document.get("sites", [])}
    # Snapshots issued before the result carried its summary are summarised the same way.
    summary = results.get("summary") or to_plain(estate_summary(sites))
    # The summary names them by grade; snapshots issued before "not assessed" lack it.
    counts = {g.value: summary.get(g.value, 0) for g in Grade}
    figures = {
        "sites": summary["site_count"],
        "users": summary["user_count"],
        "average": summary["average_readiness"],
        "ready": summary["ready"],
        "remediation": summary["ready_after_remediation"],
        "not_ready": summary["not_ready"],
        "countries": sorted({_country(s["country"]) for s in sites}),
    }
    rows = []
    remediation = []
    for s in sites:
        net = s["network"]
        top = _top_issue(net)
        doc = site_docs.get(s["site"], {})
        row = {
            "name": s["site"],
            "country": _country(s["country"]),
            "city": doc.get("city", ""),
            "users": s.get("users", 0),
            "score": net["score"],
            "grade": net["grade"],
            "grade_label": net["grade_label"],
            "confidence": net["confidence"],
            "confidence_level": net["confidence_level"],
            "top_issue": _plain(top["message"]) if top else "",
            "model_label": s["recommendation"]["label"],
        }
        rows.append(row)
        if net["grade"] != "ready":
            fix, minor, unknown = _problems(net["findings"])
            remediation.append(
                {
                    **row,
                    "findings": fix,
                    "minor": minor,
                    "unknown": unknown,
                    "also_refs": [],
                    "check_refs": [],
                    "notes": [
                        {
                            "message": _plain(n["message"]),
                            "recommendation": _plain(n["recommendation"]),
                            "section": n["section"],
                        }
                        for n in s.get("notes", [])
                    ],
                    "load": net["load"],
                }
            )
    common_fixes = _common_fixes(remediation)
    models = {r["model_label"] for r in rows}
    compact = len(remediation) >= COMPACT_FROM_SITES
    common_checks = _compact(remediation, common_fixes) if compact else []
    for site in remediation:
        _closing_line(site, compact=compact)
    resilience = _resilience(document, results)
    rec = results["recommendation"]
    mix = [(MODEL_LABELS.get(m, m), names) for m, names in rec.get("sites_by_model", [])]
    chart_rows = [(r["name"], r["score"], r["grade"]) for r in rows]
    font = FONT_FAMILIES[branding["font"]]  # the charts' text in the brand's font, too
    readiness_charts = (
        [
            charts.readiness_bars(chart_rows[i : i + CHART_SITES_PER_IMAGE], font=font)
            for i in range(0, len(chart_rows), CHART_SITES_PER_IMAGE)
        ]
        if len(chart_rows) <= CHART_MAX_SITES
        else []
    )
    operating = document.get("answers", {}).get("operating_model", "undecided")
    issued_at = parse_datetime(snapshot["issued_at"]) if snapshot.get("issued_at") else None
    thresholds = snapshot.get("thresholds") or []
    assumptions = [_plain(a) for a in (results.get("ownership") or {}).get("assumptions", [])]
    for a in results.get("assumptions", []):
        unit = f" {a['unit']}" if a.get("unit") else ""
        name = presenters.words(a["name"])
        assumptions.append(_plain(f"{name} = {a['value']:g}{unit}: {a['note']}"))
    return ProposalContext(
        draft=draft,
        customer_name=meta.get("customer", {}).get("name") or results.get("customer", ""),
        assessment_title=meta.get("title") or results.get("title", ""),
        number=snapshot.get("number"),
        issued_at=issued_at,
        issued_by=snapshot.get("issued_by", ""),
        date=issued_at or timezone.now(),
        branding=branding,
        brand_css=brand_css(branding),
        ruleset_version=snapshot["ruleset_version"],
        recommendation={
            "label": rec["label"],
            "summary": rec["summary"],
            "kind": rec["kind"],
            "mix": mix,
            "notes": list(rec.get("notes", [])),
        },
        reasons=_reasons(results, document, figures),
        figures=figures,
        deciding_question=DECIDING_QUESTION,
        operating_answer=OPERATING_ANSWERS.get(operating, "not decided yet"),
        fit_chart=charts.fit_bars(
            [
                (MODEL_LABELS.get(f["model"], f["label"]), f["fit"], f["band"])
                for f in results["fits"]
            ],
            width=500,
            font=font,
        ),
        grade_chart=charts.grade_donut(counts, font=font),
        readiness_charts=readiness_charts,
        sites=rows,
        one_model=models.pop() if len(rows) > 1 and len(models) == 1 else "",
        remediation=remediation,
        common_fixes=common_fixes,
        common_checks=common_checks,
        compact=compact,
        ownership=_ownership(results),
        resilience=resilience,
        resilience_plans=_resilience_plans(resilience),
        next_steps=_next_steps(results, figures, branding),
        answers=_answers(document),
        site_answers=_site_answers(document),
        thresholds=thresholds,
        sources=_sources(results, thresholds),
        assumptions=assumptions,
    )
