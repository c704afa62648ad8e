"""Template filters that say a recommendation in words (``assessments.fit_story``)."""

from django import template

from assessments import fit_story

register = template.Library()


@register.filter
def design_sentence(recommendation) -> str:
    """A site recommendation's design in one sentence (the model alone without a design)."""
    return fit_story.design_sentence(
        fit_story.read(recommendation, "design"), fit_story.read(recommendation, "label", "")
    )
