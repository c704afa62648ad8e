"""Template context shared by every page: the partner's branding."""

from django.http import HttpRequest


def branding(request: HttpRequest) -> dict:
    """The organisation whose name, logo and colours the page shows."""
    organisation = getattr(request, "organisation", None)
    return {"brand": organisation or None}
