"""The Microsoft pages every figure and rule rests on, so each finding can link to one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """A page a reader can open: its title and address (docs/sources.md lists them all)."""

    title: str
    url: str


_LEARN = "https://learn.microsoft.com/microsoftteams/"

PREPARE_NETWORK = Source(
    "Prepare your organization's network for Microsoft Teams", _LEARN + "prepare-network"
)
QOS = Source("Implement Quality of Service (QoS) in Microsoft Teams", _LEARN + "qos-in-teams")
CQD_STREAMS = Source(
    "Stream classification in Call Quality Dashboard (CQD)",
    _LEARN + "stream-classification-in-call-quality-dashboard",
)
NETWORK_PLANNER = Source("Use the Network Planner for Teams", _LEARN + "network-planner")
ENDPOINTS = Source(
    "Microsoft 365 URLs and IP address ranges",
    "https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges",
)
CONNECTIVITY_PRINCIPLES = Source(
    "Microsoft 365 network connectivity principles",
    "https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-network-connectivity-principles",
)
PSTN_CONNECTIVITY = Source("PSTN connectivity options", _LEARN + "pstn-connectivity")
ROOMS_PREP = Source("Prepare your environment (Microsoft Teams Rooms)", _LEARN + "rooms/rooms-prep")
OPERATOR_CONNECT = Source("Plan for Operator Connect", _LEARN + "operator-connect-plan")
TEAMS_PHONE_MOBILE = Source("Plan for Teams Phone Mobile", _LEARN + "operator-connect-mobile-plan")
DIRECT_ROUTING = Source("Plan Direct Routing", _LEARN + "direct-routing-plan")
LBR = Source(
    "Plan Location-Based Routing for Direct Routing", _LEARN + "location-based-routing-plan"
)
CALLING_PLANS = Source("Teams Calling Plans", _LEARN + "calling-plans-for-office-365")
EMERGENCY = Source(
    "Plan and configure dynamic emergency calling", _LEARN + "configure-dynamic-emergency-calling"
)
ANALOG = Source(
    "How to use analog devices with Direct Routing", _LEARN + "direct-routing-analog-devices"
)

# The pages behind the cost of ownership's counts (scoring/costs.py, docs/costs.md).
_LICENSING = _LEARN + "teams-add-on-licensing/"
TEAMS_PHONE_LICENSING = Source(
    "Microsoft Teams add-on licensing", _LICENSING + "microsoft-teams-add-on-licensing"
)
SHARED_DEVICE_LICENSING = Source(
    "Teams Shared Device licensing", _LICENSING + "teams-shared-device-license"
)
RESOURCE_ACCOUNTS = Source(
    "Microsoft Teams Phone Resource Account licenses", _LICENSING + "virtual-user"
)
ROOMS_LICENSING = Source("Teams Rooms licenses", _LEARN + "rooms/rooms-licensing")
SIP_GATEWAY = Source("Plan for SIP Gateway", _LEARN + "sip-gateway-plan")
MEDIA_BYPASS = Source(
    "Plan for media bypass with Direct Routing", _LEARN + "direct-routing-plan-media-bypass"
)

# The page behind each domain.md section the rules cite. A section whose facts come from
# several pages names the one a reader should open first; docs/sources.md lists the rest.
SECTION_SOURCES: dict[str, Source] = {
    "§1": PSTN_CONNECTIVITY,
    "§1.1": PSTN_CONNECTIVITY,
    "§1.2": PSTN_CONNECTIVITY,
    "§1.3": PSTN_CONNECTIVITY,
    "§1.4": DIRECT_ROUTING,
    "§1.5": DIRECT_ROUTING,
    "§1.6": LBR,
    "§1.7": CALLING_PLANS,
    "§1.8": PSTN_CONNECTIVITY,
    "§1.9": ANALOG,
    "§2.1": PREPARE_NETWORK,
    "§2.2": PREPARE_NETWORK,
    "§2.3": QOS,
    "§2.4": ENDPOINTS,
    "§2.5": CONNECTIVITY_PRINCIPLES,
    "§2.6": PREPARE_NETWORK,
    "§3.1": NETWORK_PLANNER,
    "§3.2": PREPARE_NETWORK,
    "§3.3": CQD_STREAMS,
    "§4.1": PSTN_CONNECTIVITY,
    "§4.2": DIRECT_ROUTING,
    "§4.3": EMERGENCY,
    "§6": PSTN_CONNECTIVITY,
}


def source_for(section: str) -> Source | None:
    """The page behind a rule's section, e.g. ``"§2.1"`` → Prepare your network.

    Args:
        section: A finding's ``section``; several sections ("§2.2 / §3.1") use the first.

    Returns:
        The source, or ``None`` for a section no page stands behind.
    """
    first = section.replace(",", " ").replace("/", " ").split()
    if not first:
        return None
    key = first[0]
    while key:
        found = SECTION_SOURCES.get(key)
        if found is not None:
            return found
        key = key.rpartition(".")[0]  # "§1.3.2" → "§1.3" → "§1"
    return None
