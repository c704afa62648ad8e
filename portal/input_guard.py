"""Refuse NUL characters and lone surrogates in request parameters before any view reads them."""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

# PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"), and a lone UTF-16
# surrogate cannot be encoded as UTF-8 at all: either would fail deep inside a query or a
# save. No name, number or note a person types contains them.
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
MESSAGE = (
    "The request contains a NUL character or an unpaired UTF-16 surrogate, which no text "
    "may contain. Remove it and try again."
)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_forbidden_text(text: str) -> bool:
    """Whether ``text`` holds a NUL character or a lone surrogate."""
    return FORBIDDEN.search(text) is not None


def _params_are_clean(params) -> bool:
    for key, values in params.lists():
        if has_forbidden_text(key) or any(
            isinstance(v, str) and has_forbidden_text(v) for v in values
        ):
            return False
    return True


class InputGuardMiddleware:
    """Answer 400 with a clear message when a query or form parameter holds a NUL or surrogate.

    Forms refuse NUL in their text fields already, but views also read parameters directly
    (searches, filters, ids); this one check covers them all. JSON bodies are checked by the
    API's parser (api/views.py); uploaded files by their readers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        clean = _params_are_clean(request.GET) and not has_forbidden_text(request.path)
        api = request.path.startswith("/api/")
        # Only form bodies are parsed here (the CSRF check parses them anyway, so this costs
        # nothing more); the API reads its own body as JSON, so it stays unread for it.
        if clean and not api and request.method == "POST" and request.content_type in _FORM_TYPES:
            clean = _params_are_clean(request.POST)
        if clean:
            return self.get_response(request)
        if api or request.headers.get("HX-Request"):
            return JsonResponse({"error": MESSAGE}, status=400)
        html = render_to_string("400.html", {"message": MESSAGE}, request=request)
        return HttpResponse(html, status=400)
