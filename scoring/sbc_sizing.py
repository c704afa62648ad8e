"""SBC sizing for self-managed Direct Routing: peak calls to sessions, size classes, pairs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring import ruleset as R
from scoring.dr_regions import REGION_LABELS, region_of
from scoring.inputs import AssessmentInput, Bypass, SiteInput, YesNoUnknown
from scoring.network import site_load
from scoring.ownership import site_dr_sbcs

# Size classes by the SIP sessions one SBC carries at once. The partner's own assumption,
# modelled on the ranges SBC vendors publish for their branch, mid-range and core models
# (docs/costs.md "SBC sizing"); the price book prices each class.
SBC_CLASSES: tuple[tuple[str, int], ...] = (("small", 250), ("medium", 1_000), ("large", 5_000))
SBC_CLASS_LABELS = {"small": "Small", "medium": "Medium", "large": "Large"}
# A transcoded call takes about this many plain sessions of an SBC's capacity (partner's
# assumption: vendors publish transcoding capacity as a fraction of their plain sessions,
# between a half and a fifth; three is the middle of that range).
TRANSCODE_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class SbcGroup:
    """The SBCs serving one region's self-managed Direct Routing sites (or one site).

    Attributes:
        region: The region's name ("Europe, Middle East and Africa"), or the site's for a
            local SBC.
        sites: The sites it serves.
        peak_calls: Peak concurrent calls of those sites (the bandwidth model's).
        sessions: Sessions of capacity each SBC needs at peak (transcoded calls weighted).
        size: The size class ("small", "medium", "large").
        sbcs: SBCs in the group (a high-availability pair per class capacity, or 1-2 local).
        session_licences: Session licences for the group (every SBC licensed for the peak).
        rule: How the size and count were chosen, in plain words.
        local: True for one site's own SBCs (or gateway), False for a region's pair.
    """

    region: str
    sites: tuple[str, ...]
    peak_calls: int
    sessions: int
    size: str
    sbcs: int
    session_licences: int
    rule: str
    local: bool = False


@dataclass(frozen=True, slots=True)
class SbcPlan:
    """SBC sizing for self-managed Direct Routing over a set of sites.

    Attributes:
        groups: One group per region, then the sites' local SBCs (toll bypass,
            survivability, analog devices; as the ownership matrix counts them).
        media_bypass: Sites whose calls use media bypass (client to SBC direct).
        transcoding: Whether the SBCs are assumed to transcode.
        assumptions: The rules used, in plain words.
    """

    groups: tuple[SbcGroup, ...]
    media_bypass: tuple[str, ...]
    transcoding: bool
    assumptions: tuple[str, ...]

    @property
    def sbcs(self) -> int:
        """Every SBC of the plan."""
        return sum(g.sbcs for g in self.groups)

    @property
    def session_licences(self) -> int:
        """Every session licence of the plan."""
        return sum(g.session_licences for g in self.groups)

    def by_size(self) -> tuple[tuple[str, int], ...]:
        """SBCs per size class, smallest first (classes with none left out)."""
        counts = {size: 0 for size, _ in SBC_CLASSES}
        for g in self.groups:
            counts[g.size] += g.sbcs
        return tuple((size, n) for size, n in counts.items() if n)


def peak_calls(site: SiteInput) -> int:
    """Peak concurrent calls at a site, from the bandwidth model (domain.md §3.1).

    The site's on-site users at its peak concurrency (Network Planner's 80 % office share
    when no personas are given), rounded up: every call at the peak is taken as one that
    may reach the phone network (an upper bound; the partner's assumption).

    Args:
        site: The site.

    Returns:
        Whole calls.
    """
    return math.ceil(site_load(site).concurrent_calls - 1e-9)


def size_class(sessions: int) -> tuple[str, int]:
    """The smallest class that carries ``sessions``, and how many SBCs of it are needed.

    Beyond the largest class, SBCs of the largest class share the load.

    Args:
        sessions: Sessions one SBC must carry at peak.

    Returns:
        ``(class, SBCs of that class to carry the sessions)``; at least one.
    """
    for size, capacity in SBC_CLASSES:
        if sessions <= capacity:
            return size, 1
    size, capacity = SBC_CLASSES[-1]
    return size, math.ceil(sessions / capacity)


def uses_media_bypass(site: SiteInput) -> bool:
    """Whether the site's calls can use media bypass (domain.md §1.4).

    Microsoft recommends media bypass for Direct Routing (media flows from the client to
    the SBC, not through Microsoft's media processors). A site whose media goes through a
    VPN or proxy cannot reach the SBC directly, so its calls are relayed.

    Args:
        site: The site.

    Returns:
        True unless the site's VPN or proxy carries its media.
    """
    return Bypass.THROUGH not in (site.vpn, site.proxy)


def _weighted(calls: int, transcoding: bool) -> int:
    return calls * TRANSCODE_WEIGHT if transcoding else calls


def _group(
    region: str,
    sites: Sequence[SiteInput],
    calls: int,
    transcoding: bool,
    pair: bool,
    local: bool = False,
) -> SbcGroup:
    sessions = _weighted(calls, transcoding)
    size, per_side = size_class(sessions)
    sbcs = per_side * (R.SBCS_PER_ROUTE if pair else 1)
    # Each SBC of a pair can carry every call alone (active/active failover), so each is
    # licensed for the whole peak; several large SBCs share it.
    licences = math.ceil(calls / per_side) * sbcs
    how = f"{calls} peak call(s)"
    if transcoding:
        how += f" × {TRANSCODE_WEIGHT} (transcoded) = {sessions} sessions"
    capacity = dict(SBC_CLASSES)[size]
    fits = f"up to {capacity:,} sessions each"
    if pair:
        rule = (
            f"{how}: {SBC_CLASS_LABELS[size].lower()} class ({fits}); "
            f"{'a pair' if per_side == 1 else f'{per_side} pairs'} for high availability "
            f"(two SBCs per route, as Microsoft advises), each licensed for the peak."
        )
    else:
        rule = f"{how}: {SBC_CLASS_LABELS[size].lower()} class ({fits})."
    return SbcGroup(
        region,
        tuple(s.name for s in sites),
        calls,
        sessions,
        size,
        sbcs,
        licences,
        rule,
        local,
    )


def transcoding_needed(org: AssessmentInput) -> bool:
    """Whether the SBCs are assumed to transcode (the partner's assumption).

    A PBX kept beside Teams is commonly trunked with G.729, which Teams clients do not
    offer on a media-bypass call, so the SBC transcodes; otherwise G.711 end to end is
    assumed (both sides offer it, §1.4).

    Args:
        org: The assessment.

    Returns:
        True when a PBX must keep running beside Teams.
    """
    return org.pbx_coexistence == YesNoUnknown.YES


def sbc_plan(
    sites: Sequence[SiteInput], org: AssessmentInput, calls: Mapping[str, int] | None = None
) -> SbcPlan:
    """Size the SBCs of self-managed Direct Routing for these sites.

    A high-availability pair per Direct Routing region the sites are in, sized on the
    region's peak concurrent calls (:func:`peak_calls`, transcoded calls weighted by
    :data:`TRANSCODE_WEIGHT`) to the smallest :data:`SBC_CLASSES` class; plus each
    site's local SBCs (``ownership.site_dr_sbcs``: a pair for toll bypass, one for
    survivability or analog devices), sized on the site's own peak.

    Args:
        sites: The sites self-managed Direct Routing serves.
        org: The assessment (PBX coexistence, survivability).
        calls: Each site's peak calls by name, if computed already.

    Returns:
        The plan; no groups without sites.
    """
    transcoding = transcoding_needed(org)
    regions: dict[str, list[tuple[SiteInput, int]]] = {}
    local: list[SbcGroup] = []
    for site in sites:
        site_calls = calls[site.name] if calls is not None else peak_calls(site)
        regions.setdefault(region_of(site.country), []).append((site, site_calls))
        extra = site_dr_sbcs(site, org)
        if extra:
            group = _group(site.name, (site,), site_calls, transcoding, pair=extra > 1, local=True)
            local.append(group)
    groups = [
        _group(
            REGION_LABELS[region],
            [s for s, _ in members],
            sum(c for _, c in members),
            transcoding,
            pair=True,
        )
        for region, members in sorted(regions.items())
    ]
    bypass = tuple(s.name for s in sites if uses_media_bypass(s))
    assumptions = [
        "Every call at the busiest hour may reach the phone network (peak concurrency from "
        "the bandwidth model).",
        f"SBC classes: {', '.join(f'{s} up to {c:,} sessions' for s, c in SBC_CLASSES)}.",
        "One high-availability pair per Direct Routing region (Americas, EMEA, Asia "
        "Pacific); each SBC of a pair licensed for the region's peak.",
    ]
    if transcoding:
        assumptions.append(
            f"A PBX stays beside Teams: calls are transcoded, each taking {TRANSCODE_WEIGHT} "
            "sessions of capacity."
        )
    relayed = len(sites) - len(bypass)
    if relayed:
        assumptions.append(
            f"{relayed} site(s) send media through a VPN or proxy: no media bypass there "
            "(calls relayed through Microsoft's media processors; the SBC still carries one "
            "session per call)."
        )
    return SbcPlan(tuple(groups + local), bypass, transcoding, tuple(assumptions))
