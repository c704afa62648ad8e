"""A large estate built fast (bulk inserts) from the demo's realistic sites: for size tests."""

import random

from assessments.management.commands.seed_demo import demo_site
from assessments.models import Circuit, Site
from assessments.services import scores

PLACES = (
    ("Leeds", "GB"), ("Lyon", "FR"), ("Austin", "US"), ("Pune", "IN"), ("Osaka", "JP"),
    ("Perth", "AU"), ("Durban", "ZA"), ("Dubai", "AE"), ("Toronto", "CA"), ("Munich", "DE"),
)  # fmt: skip


def add_estate(assessment, n: int, *, seed: int = 16, start: int = 0) -> list[Site]:
    """Add ``n`` sites ("Leeds Depot 7") with their circuits, well run, fair and struggling.

    Bulk inserts skip the services (no activity log): this builds the data a page reads,
    quickly, not a history. The estate is then scored and stored, as the worker does
    after an import, so a page opened next reads stored results.
    """
    rng = random.Random(seed)
    sites, circuits = [], []
    for i in range(start, start + n):
        city, country = rng.choice(PLACES)
        name = f"{city} {rng.choice(('Office', 'Branch', 'Depot'))} {i}"
        fields, rows = demo_site(name, country, rng.randint(20, 1500), rng, measured=i % 3 != 2)
        sites.append(Site(assessment=assessment, position=i + 10, **fields))
        circuits.append(rows)
    created = Site.objects.bulk_create(sites)
    pairs = zip(created, circuits, strict=True)
    Circuit.objects.bulk_create(Circuit(site=site, **row) for site, rows in pairs for row in rows)
    scores.assessment_rescore(assessment_id=assessment.pk)
    return created
