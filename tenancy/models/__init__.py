"""Partner organisations and their members, re-exported."""

from tenancy.models.base import NOTES_MAX_LENGTH, TimeStamped, Versioned, limited_text
from tenancy.models.countries import Availability, CountryOverride
from tenancy.models.organisations import Font, Membership, Organisation, Role
from tenancy.models.querysets import OrganisationQuerySet
from tenancy.models.sessions import SignIn

__all__ = [
    "Availability",
    "CountryOverride",
    "NOTES_MAX_LENGTH",
    "Font",
    "Membership",
    "Organisation",
    "OrganisationQuerySet",
    "Role",
    "SignIn",
    "TimeStamped",
    "Versioned",
    "limited_text",
]
