"""Next steps: provisioning and support for the recommended models, with the partner named."""

from __future__ import annotations

from typing import Any

from proposals.pdf.brand import Branding


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
