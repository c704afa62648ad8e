"""Create a partner, an assessment and an invite in the configured database; print the token.

Run as ``python -m tests.processes.invite_world`` with the portal's settings in the environment.
"""

import json
import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from assessments.services.versioning import Actor  # noqa: E402
from invites import services as invites  # noqa: E402
from invites.models import InviteSection  # noqa: E402
from tenancy.models import Role  # noqa: E402
from tests import factories  # noqa: E402

organisation = factories.OrganisationFactory(name="Northwind Voice Partners")
owner = factories.member(organisation, Role.SALES_ENGINEER, username="sam")
assessment = factories.AssessmentFactory(
    customer=factories.CustomerFactory(organisation=organisation), owner=owner
)
issued = invites.invite_create(
    assessment=assessment,
    contact_name="Priya Patel",
    email="priya@contoso.example",
    sections=list(InviteSection.values),
    expires_at=timezone.now() + timedelta(days=14),
    actor=Actor.for_user(owner),
    send=False,
)
print(json.dumps({"token": issued.token}))
