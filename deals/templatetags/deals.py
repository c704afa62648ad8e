"""Template filters that name a deal's stage and lost reason as people read them."""

from django import template

from deals.models import LostReason, Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    """The stage's label ("Proposal sent"), or the value itself if unknown."""
    return Stage(value).label if value in Stage.values else value


@register.filter
def lost_reason_label(value: str) -> str:
    """The lost reason's label, or the value itself if unknown."""
    return LostReason(value).label if value in LostReason.values else value
