"""Sign-in backend: a member's organisation is read with the user, one query a request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """Django's model backend; the user of a session comes with its membership.

    Every page asks for the member's organisation and role (``tenancy.permissions``):
    read in the user's own query, they cost no query of their own.
    """

    def get_user(self, user_id):  # noqa: D102 - as ModelBackend's, with the membership
        user = (
            get_user_model()
            ._default_manager.select_related("membership__organisation")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
