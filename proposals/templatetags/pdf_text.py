"""Template filters for the PDF's text: names isolated for bidi (``proposals.pdf.bidi``)."""

from django import template

from proposals.pdf.bidi import isolated

register = template.Library()


@register.filter
def isolate(name: object) -> str:
    """A name inside a sentence, kept whole and in its order when it is right to left."""
    return isolated(str(name))
