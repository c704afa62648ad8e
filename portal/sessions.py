"""Database sessions that report an unreachable database as such (not as a lost session)."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class SessionStore(db.SessionStore):
    """Django's database session store, except when the database is unreachable on save.

    Django turns any database error while updating a session into UpdateError, which the
    session middleware answers with 400 "session interrupted"; an outage is not that.
    """

    def save(self, must_create: bool = False) -> None:  # noqa: D102
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            cause = exc.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
