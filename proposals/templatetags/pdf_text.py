"""Template filters for the PDF's text: names isolated for bidi (``proposals.pdf.names``)."""

from django import template

from proposals.pdf.names import isolated, short_name

register = template.Library()


@register.filter
def isolate(name: object) -> str:
    """A name inside a sentence, kept whole and in its order when it is right to left."""
    return isolated(str(name))


@register.filter
def short(name: object) -> str:
    """A long site name shortened in the middle for a dense table (see ``short_name``)."""
    return short_name(str(name))
