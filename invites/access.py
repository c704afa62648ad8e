"""Invite links on the request: resolve the token once, rate-limit bad tokens, lock after submit.

Every customer view is wrapped in ``invite_required``. It answers a 404 page for unknown,
malformed, expired and revoked tokens: a neutral one for a token that names nothing
(nothing tells a visitor whether an assessment exists), and one naming the partner to ask
for a new link when the token was a real link that expired or was revoked (whoever holds
it was sent it; the customer and assessment stay unnamed). It counts those misses per
client in the shared ``throttle`` cache
and answers 429 once a client has missed too often. A good token sets
``request.invite``, ``request.assessment`` and ``request.invite_token``; views look up
every object through ``request.assessment``, so a link never reaches another assessment,
and staff pages are never involved (they require a login).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from invites.models import Invite
from invites.services import customer_can_edit, invite_lookup, invite_touch

BAD_TOKEN_LIMIT = 20  # misses per client per window before every invite URL answers 429
BAD_TOKEN_WINDOW = 15 * 60  # seconds


def _client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR is the client (or the TLS proxy, which must then pass the real address
    # on: see BEHIND_TLS_PROXY). Hashed so the cache holds no addresses.
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return "invite-miss:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def bad_token_count(request: HttpRequest) -> int:
    """How many bad tokens this client sent in the current window."""
    return int(caches["throttle"].get(_client_key(request), 0) or 0)


def register_bad_token(request: HttpRequest) -> None:
    """Count one more bad token for this client (the window starts at its first miss)."""
    cache = caches["throttle"]
    key = _client_key(request)
    cache.add(key, 0, BAD_TOKEN_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, BAD_TOKEN_WINDOW)


def _private(response: HttpResponse) -> HttpResponse:
    # Invite pages carry a secret in their URL: never cache them, index them or leak them.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # no-referrer: not even our own static files and logo requests carry the token in a
    # Referer (where access logs would keep it). Form posts then say "Origin: null", which
    # portal.csrf accepts only when the browser itself says the post is same-origin.
    response["Referrer-Policy"] = "no-referrer"
    return response


def invalid_link(request: HttpRequest, dead: Invite | None = None) -> HttpResponse:
    """The page for unknown, expired and revoked links.

    Args:
        request: the request.
        dead: the expired or revoked invite the token named, if any: the page then names
            its partner, the partner's contact details and the sales engineer to ask.
    """
    context = {}
    if dead is not None:
        context = {
            "brand": dead.assessment.organisation,
            "contact": dead.assessment.owner,
            "revoked": dead.is_revoked,
            "expired_on": dead.expires_at,
        }
    return _private(render(request, "invite/invalid.html", context, status=404))


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    """The page for a client that tried too many bad links."""
    response = render(
        request,
        "invite/throttled.html",
        {"minutes": BAD_TOKEN_WINDOW // 60},
        status=429,
    )
    response["Retry-After"] = str(BAD_TOKEN_WINDOW)
    return _private(response)


def invite_required(
    *, section: str | None = None, step: str = "", locked: str = "results"
) -> Callable:
    """Resolve ``token`` from the URL and check the invite may use this view.

    Args:
        section: the ``InviteSection`` the view belongs to; other invites get a 404.
        step: the questionnaire step a GET of this view is (remembered for resuming).
        locked: what a submitted assessment does: ``"results"`` sends GETs to the
            results summary and refuses POSTs with 409; ``"allow"`` lets the view decide.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
            if bad_token_count(request) >= BAD_TOKEN_LIMIT:
                return too_many_attempts(request)
            invite = invite_lookup(token)
            if invite is None or not invite.is_active:
                register_bad_token(request)
                return invalid_link(request, invite)
            request.invite = invite
            request.assessment = invite.assessment
            request.invite_token = token
            if section and section not in invite.sections:
                return _private(
                    render(
                        request,
                        "invite/not_invited.html",
                        {
                            "brand": invite.assessment.organisation,
                            "invite": invite,
                            "contact": invite.assessment.owner,
                        },
                        status=404,
                    )
                )
            if locked == "results" and not customer_can_edit(invite.assessment):
                if request.method == "POST":
                    return _private(
                        render(
                            request,
                            "invite/locked.html",
                            {
                                "brand": invite.assessment.organisation,
                                "invite": invite,
                                "contact": invite.assessment.owner,
                            },
                            status=409,
                        )
                    )
                return _private(redirect("invite:results", token=token))
            invite_touch(invite=invite, step=step if request.method == "GET" else "")
            return _private(view(request, *args, **kwargs))

        return wrapped

    return decorator
