"""A member's own account: where they are signed in, and signing out other browsers."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from portal.observability import SlidingSessionMiddleware
from tenancy.models import SignIn

# A page lists at most this many sessions (the newest): a script logging in in a loop
# must not make the profile page unbounded.
MAX_LISTED = 50

# The browser and system a session came from, from its User-Agent, in the order that
# tells them apart (Edge and Opera claim Chrome; Chrome claims Safari; iPads claim Mac).
_BROWSERS = (
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
)
_SYSTEMS = (
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("macOS", r"Macintosh|Mac OS X"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
)


def device_label(user_agent: str) -> str:
    """A User-Agent said as people recognise it, e.g. "Firefox on Windows".

    Args:
        user_agent: the header as the browser sent it (may be empty or anything).

    Returns:
        The browser and system, or "Unknown browser" when neither is recognised.
    """
    browser = next((name for name, rx in _BROWSERS if re.search(rx, user_agent)), "")
    system = next((name for name, rx in _SYSTEMS if re.search(rx, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def sign_in_record(*, request: HttpRequest, user) -> None:
    """Note the session ``request`` just signed in with, so the profile can list it.

    Args:
        request: the request that logged ``user`` in (its session is saved already:
            Django's login gives it a new key and stores it before announcing the login).
        user: who signed in.
    """
    key = request.session.session_key
    if not key or not Session.objects.filter(session_key=key).exists():
        return  # a session store without rows (e.g. a test's) has nothing to list
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    SignIn.objects.update_or_create(
        session_id=key, defaults={"user": user, "user_agent": agent, "signed_in_at": timezone.now()}
    )


@dataclass(frozen=True)
class ActiveSession:
    """One session of the profile page's list."""

    pk: int
    device: str
    signed_in_at: datetime
    last_active: datetime
    current: bool
    recent: bool  # active within the sliding session's write interval: "a moment ago"


def active_sessions(*, user, current_key: str | None) -> list[ActiveSession]:
    """The user's unexpired sessions, this one first, then the most recently active.

    Args:
        user: whose sessions.
        current_key: the session key of the request asking (marked "this browser").

    Returns:
        At most ``MAX_LISTED`` sessions, leaving out those an earlier password opened
        (a reset by email ends them). The last activity is read from the expiry: the
        sliding session moves it to "now + SESSION_COOKIE_AGE" on activity (within five
        minutes), so no write per page view is needed to know it.
    """
    now = timezone.now()
    rows = (
        SignIn.objects.filter(user=user, session__expire_date__gt=now)
        .select_related("session")
        .order_by("-session__expire_date", "-pk")[:MAX_LISTED]
    )
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    password_hash = user.get_session_auth_hash()
    found = []
    for row in rows:
        if not _opened_by_this_password(row.session, password_hash):
            continue  # a password reset elsewhere ended it: Django refuses it on its next request
        last = max(row.signed_in_at, min(now, row.session.expire_date - age))
        found.append(
            ActiveSession(
                pk=row.pk,
                device=device_label(row.user_agent),
                signed_in_at=row.signed_in_at,
                last_active=last,
                current=row.session_id == current_key,
                recent=now - last < timedelta(seconds=SlidingSessionMiddleware.INTERVAL),
            )
        )
    return sorted(found, key=lambda s: not s.current)


def _opened_by_this_password(session: Session, password_hash: str) -> bool:
    """Whether a session was opened with the user's current password (Django checks the same)."""
    stored = session.get_decoded().get(HASH_SESSION_KEY) or ""
    return constant_time_compare(stored, password_hash)


def session_sign_out(*, sign_in: SignIn, current_key: str | None) -> bool:
    """Sign one of the user's other browsers out (its session is deleted: its cookie is dead).

    Args:
        sign_in: the listed session, looked up among the user's own.
        current_key: this request's session key, which this never deletes (the page's
            own "Log out" does that).

    Returns:
        Whether it was signed out (False: it is this browser's own session).
    """
    if sign_in.session_id == current_key:
        return False
    Session.objects.filter(session_key=sign_in.session_id).delete()
    return True


@transaction.atomic
def other_sessions_sign_out(*, user, current_key: str | None) -> int:
    """Sign the user out everywhere but this browser.

    Args:
        user: whose sessions.
        current_key: the session key kept.

    Returns:
        How many sessions were signed out.
    """
    sessions = Session.objects.filter(sign_in__user=user)
    if current_key:
        sessions = sessions.exclude(session_key=current_key)
    count = sessions.count()
    sessions.delete()
    return count
