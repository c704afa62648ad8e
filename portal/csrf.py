"""A same-origin form post from a page that sends no referrer is recognised as same-origin."""

from contextlib import suppress

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse


class NullOriginFromSameOriginMiddleware:
    """Give Django's CSRF check the real origin of a same-origin post that says "null".

    Invite pages carry their token in the URL and send ``Referrer-Policy: no-referrer`` so the
    token never travels in a Referer header. Under that policy browsers send ``Origin: null``
    on a form post (Fetch standard, "append a request Origin header"), which Django's
    ``CsrfViewMiddleware`` refuses. ``Sec-Fetch-Site`` is set by the browser itself and no
    page can forge it (https://www.w3.org/TR/fetch-metadata/): when it says the post came
    from this origin, the origin is ours. Placed just before ``CsrfViewMiddleware``, which
    still checks the origin and the CSRF token as always.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        meta = request.META
        if meta.get("HTTP_ORIGIN") == "null" and meta.get("HTTP_SEC_FETCH_SITE") == "same-origin":
            # A host outside ALLOWED_HOSTS is refused further on; nothing to vouch for here.
            with suppress(DisallowedHost):
                meta["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
