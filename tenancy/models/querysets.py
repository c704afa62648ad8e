"""The one path through which views fetch tenant data."""

from django.db import models


class OrganisationQuerySet(models.QuerySet):
    """Rows of one partner organisation; subclasses name the path to the organisation."""

    organisation_path = "organisation_id"

    def visible_to(self, user) -> "OrganisationQuerySet":
        """Only the rows of the user's organisation; nothing for users without one."""
        membership = getattr(user, "membership", None) if user.is_authenticated else None
        if membership is None:
            return self.none()
        return self.filter(**{self.organisation_path: membership.organisation_id})
