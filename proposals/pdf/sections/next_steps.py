"""Next steps: provisioning and support for the recommended models, with the partner named."""

from __future__ import annotations

from typing import Any

from proposals.pdf.brand import Branding
from proposals.pdf.sections.large import named


def _gateway_work(rec: dict[str, Any]) -> list[str]:
    """Gateways beside users who are not on Direct Routing: the sites', then a PBX trunk.

    Direct Routing sites get their SBCs built in their own step (a PBX trunk too, on the
    same SBCs); an SBC or ATAs at an Operator Connect, Calling Plans or Teams Phone Mobile
    site is work no other step lists.
    """
    model_of = {name: m for m, names in rec.get("sites_by_model", []) for name in names}
    direct = {"direct_routing", "direct_routing_hosted"}
    places = []
    for site, _gateway in rec.get("gateways", []):
        if site is None and not direct & set(model_of.values()):
            places.append("the SBC pair for the trunk to the PBX")
        elif site is not None and model_of.get(site) not in direct:
            places.append(site)
    return list(dict.fromkeys(places))


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
                    "Add the resilience upgrades of section 6 before moving users.",
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
    hosted = "direct_routing_hosted" in models or (
        # Results before ruleset 2 had one Direct Routing model with a hosted variant.
        "direct_routing" in models and rec.get("dr_variant") == "hosted"
    )
    if "direct_routing" in models and rec.get("dr_variant") != "hosted":
        steps.append(
            {
                "title": "Build Direct Routing",
                "items": [
                    "Order certified SBCs (two per route) and carrier SIP trunks.",
                    "Issue public TLS certificates for the SBC names; pair the SBCs with the "
                    "tenant.",
                    "Configure voice routing policies, PSTN usages and emergency routing; pilot.",
                ],
            }
        )
    if hosted:
        steps.append(
            {
                "title": "Set up Direct Routing as a service",
                "items": [
                    f"Agree the hosted SBC service with {partner}: SBC names on your domain, "
                    "carrier trunks, availability and support hours.",
                    "Verify the SBC domain in the tenant; the partner pairs its SBCs and "
                    "renews their certificates.",
                    "Configure voice routing policies, PSTN usages and emergency routing with "
                    "the partner; pilot.",
                ],
            }
        )
    gateway_work = _gateway_work(rec)
    if gateway_work:
        steps.append(
            {
                "title": "Install the gateways beside the users' model",
                "items": [
                    f"Order and install the gateways: {named(gateway_work)} (section 4 "
                    "lists each site's devices and who runs them).",
                    "Pair each gateway SBC with the tenant, with its own public certificate; "
                    "register ATAs through SIP Gateway.",
                    "Test paging, fax, door and lift phones before the old lines are cut.",
                ],
            }
        )
    if "teams_phone_mobile" in models:
        steps.append(
            {
                "title": "Set up Teams Phone Mobile",
                "items": [
                    "Confirm the mobile operator's Teams Phone Mobile offer for each country.",
                    "Enable the mobile numbers in the Teams admin centre; assign Teams Phone "
                    "licences.",
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


def section(results: dict[str, Any], figures: dict[str, Any], branding: Branding) -> dict[str, Any]:
    """The next steps' part of the context.

    Args:
        results: The scoring result of the snapshot.
        figures: The key figures (sites, sites ready).
        branding: The partner's branding (its name).

    Returns:
        ``next_steps``: titled groups of steps.
    """
    return {"next_steps": _next_steps(results, figures, branding)}
