"""The sources: the Microsoft documents behind every figure and finding the proposal cites."""

from __future__ import annotations

import re
from typing import Any

from assessments import fit_story
from scoring.countries import country_data
from scoring.results import MODEL_LABELS
from scoring.sources import source_for

# The sections of the project's notes the rules cite (a finding's ``section``), with the
# Microsoft documentation behind each; the reader sees only the documents.
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


def page_for(finding: dict[str, Any]) -> dict[str, str] | None:
    """The Microsoft page a finding (or threshold) rests on, as ``title`` and ``url``.

    Snapshots issued before findings carried their page derive it from the section by the
    engine's own rule, so an older proposal cites the same pages.

    Args:
        finding: A finding's, threshold's or note's JSON form.

    Returns:
        The page, or ``None`` when no Microsoft page stands behind it.
    """
    if finding.get("source"):
        return dict(finding["source"])
    page = source_for(finding.get("section") or "")
    return {"title": page.title, "url": page.url} if page else None


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


def _fact(key: str) -> str:
    """A data file's fact in words: "operator_connect (IN)" reads "Operator Connect (IN)"."""
    name, _, rest = key.partition(" ")
    label = MODEL_LABELS.get(name) or name.replace("_", " ").capitalize()
    return f"{label} {rest}".strip()


def _country_data(results: dict[str, Any]) -> dict[str, Any]:
    """Which country facts the recommendation used: their date, and the data file's sources.

    The snapshot keeps only the facts' label (date and overrides); the sources are listed
    only while the data file is the one of that date, so an older proposal never cites
    sources its figures were not taken from.
    """
    label = results.get("recommendation", {}).get("country_data", "")
    data = country_data()
    current = bool(label) and f"as of {data['as_of']}" in label
    return {
        "label": fit_story.country_facts(label),
        "sources": [
            {
                "fact": _fact(s["fact"]),
                "title": s["title"],
                "url": s["url"],
                "as_of": s["as_of"],
                "section": s.get("section", ""),
            }
            for s in (data.get("sources", []) if current else [])
        ],
    }


def section(results: dict[str, Any], thresholds: list[dict[str, Any]]) -> dict[str, Any]:
    """The sources' part of the context: every section a finding, threshold or assumption cites.

    Args:
        results: The scoring result of the snapshot.
        thresholds: The thresholds frozen in the snapshot.

    Returns:
        ``sources``: section, title, document and link, in section order; and
        ``country_data``: the country facts' date (``label``) and their sources.
    """
    return {"sources": _sources(results, thresholds), "country_data": _country_data(results)}
