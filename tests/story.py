"""A customer whose recommendation has a gateway, hosted DR and an unavailable model."""

from tests.factories import CircuitFactory, SiteFactory


def mixed_design_estate(world):
    """Contoso as a product-minded customer with no voice skills, and a Maltese site.

    Stuttgart HQ (Operator Connect) has overhead paging and two door phones, so it needs
    an SBC gateway beside its users' model; Valletta has no Operator Connect operator and
    Malta sells no Calling Plans, so both are unavailable there and a partner-hosted
    Direct Routing (with a fax gateway the partner runs) is its answer.

    Args:
        world: The shared test world (``conftest.world``).

    Returns:
        The assessment.
    """
    a = world.assessment
    a.operating_model, a.voice_skills, a.risk_tolerance = "product", "none", "low"
    a.save()
    world.hq.operator_available, world.hq.overhead_paging = "yes", "yes"
    world.hq.door_elevator_phones = 2
    world.hq.save()
    world.branch.operator_available = "yes"
    world.branch.save()
    valletta = SiteFactory(
        assessment=a, name="Valletta", country="MT", users=40, operator_available="no", fax_lines=1
    )
    CircuitFactory(site=valletta, role="primary", down_mbps=100, up_mbps=20)
    return a
