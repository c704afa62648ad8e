"""Drive the run command's SQLite database as a workshop does: two people and the worker at once.

Run as a script in its own process (``python -m tests.processes.concurrent_writes``) with the
run command's settings: ``DJANGO_SETTINGS_MODULE=portal.settings`` and a file database in
``DATABASE_URL``; the test starts ``manage.py db_worker`` beside it. Prints one JSON line.
"""

import json
import os
import sys
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.models import Site  # noqa: E402
from proposals.models import Proposal  # noqa: E402
from tenancy.models import Role  # noqa: E402
from tests import factories  # noqa: E402

CLONES_PER_PERSON = 12


def _world():
    organisation = factories.OrganisationFactory(name="Northwind Voice Partners")
    people = [factories.member(organisation, Role.MANAGER, username=f"person{n}") for n in range(2)]
    assessment = factories.AssessmentFactory(
        customer=factories.CustomerFactory(organisation=organisation), owner=people[0]
    )
    site = factories.SiteFactory(assessment=assessment, name="Head office")
    return people, assessment, site


def main() -> int:
    people, assessment, site = _world()
    errors: list[str] = []
    statuses: list[int] = []

    def person(membership, issue_proposals: bool) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(membership)
        for n in range(CLONES_PER_PERSON):
            url = f"/assessments/{assessment.pk}/sites/{site.pk}/clone/"
            response = client.post(url, HTTP_HX_REQUEST="true")
            statuses.append(response.status_code)
            if response.status_code != 200:
                errors.append(f"clone {n}: {response.status_code} {response.content[:200]!r}")
            if issue_proposals and n % 4 == 0:
                response = client.post(f"/assessments/{assessment.pk}/proposal/issue/")
                if response.status_code != 302:
                    errors.append(f"issue {n}: {response.status_code}")
        connection.close()

    threads = [
        threading.Thread(target=person, args=(people[0], True)),
        threading.Thread(target=person, args=(people[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # The worker renders every issued proposal while the two keep writing; wait for it.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        pending = Proposal.objects.exclude(status__in=["ready", "failed"]).count()
        if not pending:
            break
        time.sleep(0.5)
    print(
        json.dumps(
            {
                "errors": errors,
                "statuses": sorted(set(statuses)),
                "sites": Site.objects.filter(assessment=assessment).count(),
                "proposals": {
                    p.number: p.status for p in Proposal.objects.filter(assessment=assessment)
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
