"""What customer IT owns under each PSTN model, day one and day 500 (domain.md §1.3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from scoring import ruleset as R
from scoring.dr_regions import region_of
from scoring.inputs import AssessmentInput, RoutingComplexity, SiteInput, YesNoUnknown
from scoring.results import (
    Gateway,
    Grade,
    OwnershipCell,
    OwnershipMatrix,
    OwnershipRow,
    OwnershipSummary,
)

CP, OC, DR_SELF, DR_HOSTED = "calling_plans", "operator_connect", "dr_self_managed", "dr_hosted"
MATRIX_MODELS = (OC, DR_SELF, DR_HOSTED, CP)
MATRIX_LABELS = {
    OC: "Operator Connect",
    DR_SELF: "Direct Routing, self-managed",
    DR_HOSTED: "Direct Routing as a service",
    CP: "Calling Plans",
}
OWNER_LABELS = {
    "customer_it": "Customer IT",
    "operator": "Operator",
    "partner": "Hosting partner",
    "microsoft": "Microsoft",
    "sbc_vendor": "SBC vendor",
    "none": "Not needed",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """The facts of an assessment (or a subset of its sites) that size the effort."""

    sites: int
    users: int
    countries: int
    numbers: int
    sbcs: int
    carriers_dr: int
    remediation_sites: int
    complex_routing: bool
    renewals_per_sbc: int = R.CERT_RENEWALS_PER_SBC_YEAR


def site_dr_sbcs(s: SiteInput, org: AssessmentInput) -> int:
    """SBCs one site adds to a self-managed Direct Routing build beyond its region's pair.

    A local pair for a toll-bypass site (LBR needs the gateway on the site's network,
    §1.6); one local gateway for a site with survivability (SBA, §1.5) or analog, paging,
    fax or door devices (§1.9); none otherwise. These are assumptions (see
    :func:`dr_sbc_count`).

    Args:
        s: The site.
        org: The assessment (for the organisation-wide survivability answer).

    Returns:
        0, 1 or ``SBCS_PER_ROUTE``.
    """
    if s.regulation == "toll_bypass" or s.country in R.TOLL_BYPASS_COUNTRIES:
        return R.SBCS_PER_ROUTE
    if (
        s.needs_survivability == YesNoUnknown.YES
        or (
            s.needs_survivability == YesNoUnknown.UNKNOWN
            and org.survivability_required == YesNoUnknown.YES
        )
        or s.analog_devices
        or s.fax_lines
        or s.door_elevator_phones
        or s.overhead_paging == YesNoUnknown.YES
    ):
        return 1
    return 0


def dr_sbc_count(sites: list[SiteInput], org: AssessmentInput) -> int:
    """SBCs a self-managed Direct Routing build needs for these sites (an estimate).

    A pair (two per route, §4.2) per Direct Routing region the sites are in, as the cost
    of ownership sizes them (``sbc_sizing.sbc_plan``), plus each site's local SBCs
    (:func:`site_dr_sbcs`). The local counts are assumptions; the "two per route" rule is
    domain.md's derived practice.

    Args:
        sites: Sites served by Direct Routing.
        org: The assessment (for the organisation-wide survivability answer).

    Returns:
        The number of SBCs, 0 when there are no sites.
    """
    if not sites:
        return 0
    return _region_pairs(s.country for s in sites) + sum(site_dr_sbcs(s, org) for s in sites)


def _region_pairs(countries: Iterable[str]) -> int:
    """The SBCs of one high-availability pair per Direct Routing region of these countries."""
    return R.SBCS_PER_ROUTE * len({region_of(c) for c in countries})


@dataclass(frozen=True, slots=True)
class SiteSize:
    """What sizing the effort needs of one site: its users, country, grade and SBCs.

    ``dr_sbcs`` is :func:`site_dr_sbcs`; the engine keeps it in each site's stored part so
    the matrix can be rebuilt without the site's inputs.
    """

    name: str
    users: int
    country: str
    grade: str
    dr_sbcs: int


def _scope(
    sites: Sequence[SiteSize], org: AssessmentInput, total_users: int, as_of: date | None
) -> Scope:
    users = sum(s.users for s in sites)
    countries = len({s.country for s in sites})
    if org.phone_numbers is not None:
        numbers = round(org.phone_numbers * users / total_users) if total_users else 0
    else:
        numbers = users  # assume one number per user when not answered
    multi = 2 if org.multi_carrier == YesNoUnknown.YES else 1
    return Scope(
        len(sites),
        users,
        countries,
        numbers,
        _region_pairs(s.country for s in sites) + sum(s.dr_sbcs for s in sites),
        countries * multi,
        sum(1 for s in sites if s.grade != Grade.READY),
        org.routing_complexity == RoutingComplexity.COMPLEX,
        R.cert_renewals_per_year(as_of),
    )


def _sizes(
    sites: Sequence[SiteInput], grades: dict[str, str], org: AssessmentInput
) -> list[SiteSize]:
    return [
        SiteSize(s.name, s.users, s.country, grades.get(s.name, ""), site_dr_sbcs(s, org))
        for s in sites
    ]


def make_scope(
    sites: list[SiteInput],
    grades: dict[str, str],
    org: AssessmentInput,
    total_users: int,
    as_of: date | None = None,
) -> Scope:
    """Size a subset of the assessment's sites.

    Args:
        sites: The sites in scope.
        grades: Network grade per site name.
        org: The assessment.
        total_users: Users across every site (to share the phone numbers out).
        as_of: The date certificate lifetimes are counted at (``None``: the first period).

    Returns:
        The counts effort is computed from.
    """
    return _scope(_sizes(sites, grades, org), org, total_users, as_of)


def _e(name: str, units: float) -> tuple[float, float]:
    day_one, yearly = R.EFFORT_HOURS[name]
    return day_one * units, yearly * units


def _cell(
    model: str, owner: str, day_one: str, day_500: str, hours: tuple[float, float], section: str
) -> OwnershipCell:
    return OwnershipCell(
        model, owner, OWNER_LABELS[owner], day_one, day_500, round(hours[0], 1),
        round(hours[1], 1), section,
    )  # fmt: skip


_NONE = (0.0, 0.0)


def _rows(sc: Scope) -> list[tuple[str, str, dict[str, OwnershipCell]]]:
    """The responsibility matrix for one scope: (item, label, cell per model)."""
    n = sc.sbcs
    renewals = n * sc.renewals_per_sbc
    lifetimes = ", ".join(f"{days} days from {start:%B %Y}" for start, days in R.CERT_MAX_LIFETIME)
    routing = _e("routing_base", 1)
    if sc.complex_routing:
        extra = _e("routing_complex_extra", 1)
        routing = (routing[0] + extra[0], routing[1] + extra[1])
    numbers = _e("numbers_per_100", sc.numbers / 100)
    emergency = _e("emergency_per_site", sc.sites)
    dr_emergency = _e("emergency_dr_extra", 1)
    qos = _e("qos_per_site", sc.sites)
    remediation = _e("remediation_per_site", sc.remediation_sites)
    network = (qos[0] + remediation[0], qos[1] + remediation[1])
    hundreds = sc.users / 100
    return [
        ("sbc", "SBC hardware / VM", {
            CP: _cell(CP, "none", "No SBC.", "No SBC.", _NONE, "§1.3"),
            OC: _cell(OC, "operator", "Operator runs the SBCs.", "Nothing to run.", _NONE,
                      "§1.3"),
            DR_SELF: _cell(
                DR_SELF, "customer_it",
                f"Buy and deploy {n} certified SBCs (2 per route for high availability), "
                "public IPs, DNS names on a verified domain.",
                f"Run {n} SBCs: OS/VM patching, backups, capacity (alert at 90 % of "
                "MaxConcurrentSessions).",
                _e("sbc_per_sbc", n), "§1.5, §4.2",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner hosts the SBCs in its datacentre.",
                             "Nothing to run.", _NONE, "§1.3"),
        }),
        ("certificates", "SBC TLS certificates and renewals", {
            CP: _cell(CP, "none", "No certificates.", "No certificates.", _NONE, "§1.3"),
            OC: _cell(OC, "operator", "Operator's certificates.", "Nothing to renew.", _NONE,
                      "§1.3"),
            DR_SELF: _cell(
                DR_SELF, "customer_it",
                f"Order {n} public-CA certificates (SBC FQDN in CN/SAN) chaining to the "
                "Microsoft Trusted Root Program; the SBC trust store holds the current "
                "DigiCert (Global Root G2) and Microsoft roots, and accepts Microsoft's SIP "
                "certificates with a server-authentication-only EKU.",
                f"About {renewals} renewals a year ({sc.renewals_per_sbc} per SBC at the "
                f"public maximum lifetime: {lifetimes}); follow Microsoft root and EKU "
                "changes in the SBC trust store.",
                _e("certificate_per_renewal", renewals), "§1.5",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner's wildcard certificate.",
                             "Nothing to renew.", _NONE, "§1.3"),
        }),
        ("firmware", "SBC firmware", {
            CP: _cell(CP, "none", "No firmware.", "No firmware.", _NONE, "§1.3"),
            OC: _cell(OC, "operator", "Operator's firmware.", "Nothing to update.", _NONE,
                      "§1.3"),
            DR_SELF: _cell(
                DR_SELF, "customer_it", "Install a certified firmware build.",
                f"Keep {n} SBCs on a certified major.minor; test and roll out updates (and "
                "SBA builds where used).",
                _e("firmware_per_sbc", n), "§1.5",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner's firmware.", "Nothing to update.",
                             _NONE, "§1.3"),
        }),
        ("trunks", "SIP trunks and carrier contracts", {
            CP: _cell(CP, "microsoft", "Buy Calling Plan licences; Microsoft is the carrier.",
                      "Licence true-ups.", _e("trunk_per_carrier", 0.25), "§1.3"),
            OC: _cell(
                OC, "operator",
                f"Contract an operator in {sc.countries} country(ies); consent in the Teams "
                "admin centre.",
                "Manage the operator contract(s).", _e("trunk_per_carrier", sc.countries / 2),
                "§1.3",
            ),
            DR_SELF: _cell(
                DR_SELF, "customer_it",
                f"Contract {sc.carriers_dr} carrier trunk(s) and build them on the SBCs.",
                "Manage carrier contracts, trunk changes and capacity.",
                _e("trunk_per_carrier", sc.carriers_dr), "§1.3",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner supplies PSTN (may be the carrier).",
                             "Manage one partner contract.", _e("trunk_per_carrier", 0.5),
                             "§1.3"),
        }),
        ("routing", "Voice routing, PSTN usages and dial plans", {
            CP: _cell(CP, "microsoft", "Microsoft routes; add tenant dial plans if needed.",
                      "Dial-plan changes.", _e("routing_base", 0.25), "§1.3"),
            OC: _cell(OC, "operator", "Operator routes; add tenant dial plans if needed.",
                      "Dial-plan changes.", _e("routing_base", 0.25), "§1.3"),
            DR_SELF: _cell(
                DR_SELF, "customer_it",
                "Build voice routing policies, PSTN usages, routes, trunk translation rules"
                + (" and least-cost / PBX / per-site routing." if sc.complex_routing else "."),
                "Every routing change, in Teams and on the SBCs.", routing, "§1.3",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner",
                             "Partner builds routing in your tenant (delegated admin).",
                             "Request changes from the partner.", _e("routing_base", 0.5),
                             "§1.3"),
        }),
        ("numbers", "Numbers and porting", {
            CP: _cell(CP, "microsoft",
                      f"Order or port ~{sc.numbers} numbers in the Teams admin centre.",
                      "Assign numbers; moves, adds, changes.", numbers, "§1.3"),
            OC: _cell(OC, "operator", f"Operator provides or ports ~{sc.numbers} numbers.",
                      "Assign numbers in the Teams admin centre.", numbers, "§1.3"),
            DR_SELF: _cell(DR_SELF, "customer_it",
                           f"Port ~{sc.numbers} numbers with each carrier; assign them.",
                           "Number ranges on carriers and SBCs; assignment.",
                           (numbers[0] * 1.5, numbers[1] * 1.5), "§1.3"),
            DR_HOSTED: _cell(DR_HOSTED, "partner", f"Partner ports ~{sc.numbers} numbers.",
                             "Assign numbers in the Teams admin centre.", numbers, "§1.3"),
        }),
        ("emergency", "Emergency calling", {
            CP: _cell(CP, "microsoft",
                      f"Register validated emergency addresses for {sc.sites} site(s); "
                      "Microsoft routes emergency calls.",
                      "Keep addresses, subnets and BSSIDs current.", emergency, "§4.3"),
            OC: _cell(OC, "operator",
                      f"Addresses for {sc.sites} site(s) (operator-managed if offered); the "
                      "operator routes emergency calls.",
                      "Keep addresses, subnets and BSSIDs current.", emergency, "§4.3"),
            DR_SELF: _cell(
                DR_SELF, "customer_it",
                "Emergency call routing policy, PIDF-LO on the SBCs, an ERS provider or "
                "ELIN; dynamic locations only.",
                "Keep LIS data, ERS/ELIN and routing current; test calls.",
                (emergency[0] + dr_emergency[0], emergency[1] + dr_emergency[1]), "§4.3",
            ),
            DR_HOSTED: _cell(DR_HOSTED, "partner",
                             "Partner provides emergency routing; you configure LIS data.",
                             "Keep LIS data current.", emergency, "§4.3"),
        }),
        ("monitoring", "Monitoring", {
            CP: _cell(CP, "microsoft", "Microsoft service health.", "Watch service health.",
                      _e("monitoring_service", 1), "§1.3"),
            OC: _cell(OC, "operator", "Operator monitors with CDR/CQD/SLA data.",
                      "Review operator reports.", _e("monitoring_service", 1), "§1.3"),
            DR_SELF: _cell(DR_SELF, "customer_it",
                           "Set up SBC health, SIP OPTIONS and NER alerting.",
                           f"Watch {n} SBCs and trunks in the Teams admin centre.",
                           _e("monitoring_per_sbc", n), "§1.3, §4.2"),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner monitors (delegated access).",
                             "Review partner reports.", _e("monitoring_service", 1), "§1.3"),
        }),
        ("troubleshooting", "Troubleshooting and escalation", {
            CP: _cell(CP, "microsoft", "Microsoft supports the service.",
                      "Help desk opens Microsoft cases.",
                      _e("troubleshooting_per_100_users_service", hundreds), "§1.3"),
            OC: _cell(OC, "operator", "Operator is first line; escalates to Microsoft.",
                      "Help desk opens operator cases.",
                      _e("troubleshooting_per_100_users_service", hundreds), "§1.3"),
            DR_SELF: _cell(DR_SELF, "sbc_vendor",
                           "SBC vendor is first line for the SBC and escalates to Microsoft; "
                           "IT diagnoses first.",
                           "IT traces SIP call flows, then the vendor or carrier.",
                           _e("troubleshooting_per_100_users_dr", hundreds), "§1.3"),
            DR_HOSTED: _cell(DR_HOSTED, "partner", "Partner is first line.",
                             "Help desk opens partner cases.",
                             _e("troubleshooting_per_100_users_service", hundreds), "§1.3"),
        }),
        ("policies", "Teams policies (calling, caller ID, emergency)", {
            m: _cell(m, "customer_it", "Create calling, caller-ID and emergency policies.",
                     "Assign policies to joiners, movers and leavers.", _e("policies_base", 1),
                     "§1.3, §4.3")
            for m in MATRIX_MODELS
        }),
        ("network_qos", "Network readiness and QoS", {
            m: _cell(m, "customer_it",
                     f"QoS on {sc.sites} site(s); remediate {sc.remediation_sites} site(s) not "
                     "graded Ready.",
                     "Keep QoS, Wi-Fi and circuits meeting the targets.", network, "§2")
            for m in MATRIX_MODELS
        }),
    ]  # fmt: skip


# Tenant-wide work done once however many models a plan mixes.
_TENANT_WIDE = frozenset({"policies"})


def _summary(
    model: str,
    sc: Scope,
    rows: list[tuple[str, str, dict[str, OwnershipCell]]],
    skip: frozenset[str] = frozenset(),
    label: str = "",
) -> OwnershipSummary:
    day_one = sum(cells[model].day_one_hours for item, _, cells in rows if item not in skip)
    yearly = sum(cells[model].hours_per_year for item, _, cells in rows if item not in skip)
    dr_self = model == DR_SELF
    carriers = {CP: 0, OC: sc.countries, DR_SELF: sc.carriers_dr, DR_HOSTED: 1}[model]
    if "trunks" in skip:
        carriers = 0
    return OwnershipSummary(
        model,
        label or MATRIX_LABELS[model],
        sc.sbcs if dr_self else 0,
        sc.sbcs * sc.renewals_per_sbc if dr_self else 0,
        carriers if sc.sites else 0,
        sc.remediation_sites,
        round(day_one, 1),
        round(yearly, 1),
        round(yearly / R.HOURS_PER_FTE_YEAR, 2),
    )


# What a gateway SBC costs IT beside the users' model: the box, its certificate, its
# firmware and its monitoring (no carrier trunk, routing or numbers of its own).
_GATEWAY_ITEMS = frozenset({"sbc", "certificates", "firmware", "monitoring"})
_COLUMNS = {
    "operator_connect": OC,
    "calling_plans": CP,
    "direct_routing": DR_SELF,
    "direct_routing_hosted": DR_HOSTED,
}


def gateway_sbc_count(
    plan: dict[str, list[str]], gateways: Sequence[tuple[str | None, Gateway]]
) -> int:
    """SBCs customer IT runs for gateways beside the users' model (domain.md §1.9).

    One per site with a customer-owned SBC gateway whose users are not on self-managed
    Direct Routing (those sites' local SBC is counted by :func:`dr_sbc_count`), and the
    PBX trunk's pair when no self-managed Direct Routing pair exists to carry it.

    Args:
        plan: Site names per recommended model.
        gateways: ``(site or None, gateway)`` from the recommendation.

    Returns:
        The number of gateway SBCs customer IT owns.
    """
    dr_sites = set(plan.get("direct_routing", ()))
    sites = {
        name for name, g in gateways
        if name is not None and name not in dr_sites and g.kind == "sbc"
        and g.owner == "customer_it"
    }  # fmt: skip
    pbx = sum(
        g.devices for name, g in gateways
        if name is None and g.owner == "customer_it" and not dr_sites
    )  # fmt: skip
    return len(sites) + pbx


def ownership_matrix(
    org: AssessmentInput,
    grades: dict[str, str],
    plan: dict[str, list[str]],
    dr_variant: str | None,
    *,
    gateways: Sequence[tuple[str | None, Gateway]] = (),
    as_of: date | None = None,
) -> OwnershipMatrix:
    """Build the tailored responsibility matrix and effort figures.

    Each model column assumes that model serves every site. ``plan`` is the recommended
    split (``{"operator_connect": [...site names], "direct_routing": [...]}``); its
    summary adds up the columns for the sites each model serves, plus the gateway SBCs
    IT owns beside Operator Connect or Calling Plans users (the design's gateways).

    Args:
        org: The assessment with its sites.
        grades: Network grade per site name.
        plan: Site names per recommended model (``direct_routing`` is self-managed,
            ``direct_routing_hosted`` as a service).
        dr_variant: Kept for callers of ruleset 1 (unused: the plan names the variant).
        gateways: The recommendation's gateways, ``(site or None, gateway)``.
        as_of: The date certificate lifetimes are counted at.

    Returns:
        The matrix, per-model summaries and the recommended plan's summary.
    """
    return ownership_for_sites(
        org, _sizes(org.sites, grades, org), plan, gateways=gateways, as_of=as_of
    )


def ownership_for_sites(
    org: AssessmentInput,
    sites: Sequence[SiteSize],
    plan: dict[str, list[str]],
    *,
    gateways: Sequence[tuple[str | None, Gateway]] = (),
    as_of: date | None = None,
) -> OwnershipMatrix:
    """Build the tailored responsibility matrix from each site's size (see ``ownership_matrix``).

    Args:
        org: The organisation's answers (its ``sites`` are not read).
        sites: Every site's size, in site order.
        plan: Site names per recommended model.
        gateways: The recommendation's gateways, ``(site or None, gateway)``.
        as_of: The date certificate lifetimes are counted at.

    Returns:
        The matrix, per-model summaries and the recommended plan's summary.
    """
    total_users = sum(s.users for s in sites)
    scope = _scope(sites, org, total_users, as_of)
    rows = _rows(scope)
    matrix_rows = tuple(
        OwnershipRow(item, label, tuple(cells[m] for m in MATRIX_MODELS))
        for item, label, cells in rows
    )
    summaries = tuple(_summary(m, scope, rows) for m in MATRIX_MODELS)

    # The recommended plan: each model's column for the sites it serves.
    by_name = {s.name: s for s in sites}
    parts = []
    for n, (model, names) in enumerate(plan.items()):
        column = _COLUMNS.get(model, OC)  # Teams Phone Mobile: an operator-run service
        part_scope = _scope([by_name[n] for n in names], org, total_users, as_of)
        # Tenant-wide rows (policies) count once, with the first (main) model.
        skip = _TENANT_WIDE if n else frozenset()
        parts.append(_summary(column, part_scope, _rows(part_scope), skip))
    gateway_part = None
    gateway_sbcs = gateway_sbc_count(plan, gateways)
    if gateway_sbcs:
        gw_scope = Scope(0, 0, 0, 0, gateway_sbcs, 0, 0, False, scope.renewals_per_sbc)
        skip_all = frozenset(item for item, _, _ in _rows(gw_scope)) - _GATEWAY_ITEMS
        gateway_part = _summary(DR_SELF, gw_scope, _rows(gw_scope), skip_all | {"trunks"},
                                "Gateways beside the users' model")  # fmt: skip
        parts.append(gateway_part)
    plan_summary = OwnershipSummary(
        "recommended",
        "Recommended plan",
        sum(p.sbc_count for p in parts),
        sum(p.certificate_renewals_per_year for p in parts),
        sum(p.carrier_contracts for p in parts),
        scope.remediation_sites,
        round(sum(p.day_one_hours for p in parts), 1),
        round(sum(p.hours_per_year for p in parts), 1),
        round(sum(p.hours_per_year for p in parts) / R.HOURS_PER_FTE_YEAR, 2),
    )
    assumptions = (
        "Effort hours are estimates from typical projects, and SBCs beyond a pair per region are "
        "a design assumption: both are listed below, to compare with your team's own records "
        "and your SBC design. Certificate renewals a year follow the longest lifetime a public "
        "certificate may have.",
        "A gateway SBC beside Operator Connect or Calling Plans users (paging, fax, door "
        "phones, a PBX trunk) is owned by customer IT and counted in the recommended plan.",
        "Numbers default to one per user when the assessment gives no count.",
        "Policies and network QoS are owned by customer IT under every model: the network "
        "owns call quality.",
    )
    return OwnershipMatrix(
        MATRIX_MODELS, matrix_rows, summaries, plan_summary, assumptions, gateway_part
    )
