"""Create a realistic demo: two partner organisations, a user of each role, customers with sites."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Status
from assessments.services import assessments as services
from assessments.services.versioning import Actor
from costs.demo import demo_price_book_seed
from deals.services import deal_update
from tenancy.models import Availability, CountryOverride, Membership, Organisation, Role

DEMO_PASSWORD = "teams-demo-2026"

ORGANISATIONS = [
    {
        "name": "Northwind Voice Partners",
        "slug": "northwind",
        "company_name": "Northwind Voice Partners Ltd",
        "primary_colour": "#1F4E79",
        "accent_colour": "#2E8540",
        "contact_email": "voice@northwind.example",
        "contact_phone": "+44 20 7946 0000",
        "website": "https://northwind.example",
        "legal_footer": "Northwind Voice Partners Ltd · Registered in England No. 01234567",
        "users": [
            ("sam", "Sam", "Patel", Role.SALES_ENGINEER),
            ("maria", "Maria", "Jensen", Role.MANAGER),
            ("alex", "Alex", "Okafor", Role.ADMIN),
        ],
        # Where the partner's own operators sell Operator Connect (Country facts page).
        "operator_connect_in": ["GB", "IE", "DE", "FR", "NL", "BE", "ES", "IT", "US"],
    },
    {
        "name": "Fabrikam Cloud Telecom",
        "slug": "fabrikam",
        "company_name": "Fabrikam Cloud Telecom GmbH",
        "primary_colour": "#5B2A86",
        "accent_colour": "#D9480F",
        "font": "source-sans-3",
        "contact_email": "hello@fabrikam.example",
        "users": [
            ("lena", "Lena", "Weber", Role.SALES_ENGINEER),
            ("tom", "Tom", "Becker", Role.MANAGER),
            ("ines", "Ines", "Vogel", Role.ADMIN),
        ],
        "operator_connect_in": ["DE", "AT", "CH"],
    },
]

# Each customer's deal: (stage, value, days in the stage). Values are illustrative.
DEMO_DEALS = [  # in step with the customers' statuses: workshop, draft, with customer, ...
    ("assessing", Decimal("184000"), 12),
    ("qualifying", None, 2),
    ("assessing", Decimal("96500"), 21),
    ("negotiating", Decimal("61000"), 9),
]
DEMO_CURRENCY = {"northwind": "GBP", "fabrikam": "EUR"}

# (customer, industry, HQ country, sites: list of (city, country, users))
CUSTOMERS = {
    "northwind": [
        (
            "Contoso Manufacturing",
            "Manufacturing",
            "DE",
            [
                ("Stuttgart HQ", "DE", 850),
                ("Leipzig Plant", "DE", 420),
                ("Lyon", "FR", 160),
                ("Pune Engineering", "IN", 310),
                ("Chicago Sales", "US", 75),
                ("Brno Plant", "CZ", 240),
                ("Milan", "IT", 60),
                ("Madrid", "ES", 45),
            ],
        ),
        ("Alpine Dental Group", "Healthcare", "CH", [("Zurich Clinic", "CH", 38)]),
        (
            "Blue Yonder Logistics",
            "Logistics",
            "GB",
            [
                (f"Depot {n}", c, u)
                for n, c, u in [
                    ("Manchester", "GB", 120),
                    ("Leeds", "GB", 95),
                    ("Bristol", "GB", 80),
                    ("Glasgow", "GB", 70),
                    ("Dublin", "IE", 60),
                    ("Rotterdam", "NL", 140),
                    ("Antwerp", "BE", 110),
                    ("Hamburg", "DE", 130),
                    ("Gdansk", "PL", 90),
                    ("Gothenburg", "SE", 65),
                    ("Aarhus", "DK", 55),
                    ("Oslo", "NO", 40),
                    ("Birmingham", "GB", 150),
                    ("Cardiff", "GB", 45),
                    ("Belfast", "GB", 35),
                    ("Lisbon", "PT", 50),
                    ("Valencia", "ES", 75),
                    ("Marseille", "FR", 85),
                    ("Genoa", "IT", 60),
                    ("Vienna", "AT", 70),
                    ("Budapest", "HU", 55),
                    ("Bucharest", "RO", 65),
                    ("Helsinki", "FI", 30),
                    ("Tallinn", "EE", 25),
                    ("London HQ", "GB", 400),
                ]
            ],
        ),
        (
            "Woodgrove Retail",
            "Retail",
            "US",
            [
                ("New York HQ", "US", 600),
                ("Toronto", "CA", 140),
                ("Mexico City", "MX", 90),
                ("Austin", "US", 210),
            ],
        ),
    ],
    "fabrikam": [
        (
            "Tailspin Insurance",
            "Financial services",
            "AT",
            [
                ("Vienna HQ", "AT", 520),
                ("Graz", "AT", 110),
                ("Munich", "DE", 180),
            ],
        ),
        (
            "Litware Software",
            "Software",
            "NL",
            [("Amsterdam", "NL", 260), ("Bangalore", "IN", 340)],
        ),
    ],
}


class Command(BaseCommand):
    help = "Create demo organisations, users, customers and assessments (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete demo data first.")

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options):
        if reset:
            from proposals.models import Proposal

            slugs = [spec["slug"] for spec in ORGANISATIONS]
            if Proposal.objects.filter(organisation__slug__in=slugs).exists():
                raise CommandError(
                    "The demo organisations have issued proposals, which are never deleted. "
                    "To start over on SQLite, delete db.sqlite3 and run ./scripts/run again."
                )
            for spec in ORGANISATIONS:
                Assessment.objects.filter(organisation__slug=spec["slug"]).delete()
                Organisation.objects.filter(slug=spec["slug"]).delete()
                get_user_model().objects.filter(username__in=[u[0] for u in spec["users"]]).delete()
        if Organisation.objects.filter(slug__in=[o["slug"] for o in ORGANISATIONS]).exists():
            self.stdout.write("Demo data exists already (use --reset to recreate it).")
            return
        rng = random.Random(2026)
        for spec in ORGANISATIONS:
            self._organisation(spec, rng)
        self.stdout.write(self.style.SUCCESS("Demo data created."))

    def _organisation(self, spec: dict, rng: random.Random) -> None:
        fields = {k: v for k, v in spec.items() if k not in {"users", "operator_connect_in"}}
        organisation = Organisation.objects.create(**fields)
        CountryOverride.objects.bulk_create(
            CountryOverride(
                organisation=organisation,
                country=code,
                operator_connect=Availability.YES,
                note=f"Operator Connect through {spec['name']}'s operator partners.",
            )
            for code in spec["operator_connect_in"]
        )
        # bulk_create sends no signal: the facts' version counts them here.
        Organisation.objects.filter(pk=organisation.pk).update(country_facts_version=1)
        users = []
        for username, first, last, role in spec["users"]:
            user = get_user_model().objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@{spec['slug']}.example",
            )
            Membership.objects.create(user=user, organisation=organisation, role=role)
            users.append(user)
        se = users[0]
        demo_price_book_seed(organisation=organisation, admin=users[-1])
        statuses = [Status.WORKSHOP, Status.DRAFT, Status.WITH_CUSTOMER, Status.SUBMITTED]
        for index, (name, industry, country, sites) in enumerate(CUSTOMERS[spec["slug"]]):
            customer = services.customer_create(
                organisation=organisation,
                name=name,
                industry=industry,
                country=country,
                contact_name="IT lead",
                contact_email=f"it@{name.split()[0].lower()}.example",
                actor=Actor.for_user(users[0]),
            )
            owner = users[index % 2]  # the SE and the manager both own some
            assessment = services.assessment_create(
                organisation=organisation,
                customer=customer,
                title="Teams Phone readiness 2027",
                owner=owner,
                actor=Actor.for_user(owner),
            )
            self._answers(assessment, rng, index)
            assessment.status = statuses[index % len(statuses)]
            assessment.save(update_fields=["status"])
            self._deal(assessment, owner, index, spec)
            for number, (city, site_country, users_count) in enumerate(sites):
                self._site(
                    assessment,
                    city,
                    site_country,
                    users_count,
                    rng,
                    measured=number % 3 != 2,
                    actor=Actor.for_user(se),
                )

    def _deal(self, assessment: Assessment, owner, index: int, spec: dict) -> None:
        """A deal at a stage, with a value and days in it, so the pipeline has a story."""
        stage, value, days = DEMO_DEALS[index % len(DEMO_DEALS)]
        deal, moved = deal_update(
            assessment=assessment,
            user=owner,
            base_version=0,
            stage=stage,
            value=value,
            currency=DEMO_CURRENCY[spec["slug"]],
            seats=None,
            lost_reason="competitor" if stage == "lost" else "",
        )
        if not moved:  # where it stands already: nothing to record
            return
        since = timezone.now() - timedelta(days=days)
        type(deal).objects.filter(pk=deal.pk).update(stage_since=since)
        deal.changes.update(at=since)

    def _answers(self, assessment: Assessment, rng: random.Random, index: int) -> None:
        profiles = [
            dict(
                current_telephony="onprem_pbx",
                existing_sbcs="certified",
                sbc_count=2,
                operating_model="platform",
                voice_skills="dedicated",
                risk_tolerance="medium",
                timeline="normal",
                routing_complexity="complex",
                pbx_coexistence="yes",
                survivability_required="yes",
                contact_centre="connect",
                multi_carrier="yes",
                keep_current_carrier="yes",
                phone_numbers=2400,
                porting_required="yes",
            ),
            dict(
                current_telephony="hosted_pbx",
                existing_sbcs="none",
                operating_model="product",
                voice_skills="none",
                risk_tolerance="low",
                timeline="urgent",
                routing_complexity="simple",
                pbx_coexistence="no",
                survivability_required="no",
                contact_centre="teams_native",
                phone_numbers=45,
                porting_required="yes",
            ),
            dict(
                current_telephony="mixed",
                existing_sbcs="unknown",
                operating_model="undecided",
                voice_skills="generalist",
                risk_tolerance="low",
                timeline="normal",
            ),
            dict(
                current_telephony="skype_server",
                existing_sbcs="not_certified",
                sbc_count=4,
                operating_model="product",
                voice_skills="generalist",
                risk_tolerance="medium",
                timeline="relaxed",
                routing_complexity="moderate",
                users_on_skype_server="yes",
                dynamic_emergency_required="yes",
                security_desk_notification="yes",
            ),
        ]
        for key, value in profiles[index % len(profiles)].items():
            setattr(assessment, key, value)
        assessment.save()

    def _site(self, assessment, city, country, users, rng, *, measured: bool, actor) -> None:
        fields, circuits = demo_site(city, country, users, rng, measured=measured)
        services.site_create(assessment=assessment, fields=fields, circuits=circuits, actor=actor)


def demo_site(
    city: str, country: str, users: int, rng: random.Random, *, measured: bool
) -> tuple[dict, list[dict]]:
    """A site as found in the field (well run, fair or struggling): its fields and circuits.

    Also the typical estate of ``bench/render_proposal.py``.
    """
    # Three kinds of site, as found in the field: well run, fair, and struggling.
    profile = rng.choices(["good", "fair", "poor"], weights=[4, 4, 2])[0]
    good, poor = profile == "good", profile == "poor"
    fields = dict(
        name=city,
        country=country,
        city=city.split()[0],
        address=f"{rng.randint(1, 120)} Main Street, {city.split()[0]}",
        users=users,
        teams_rooms=max(0, users // 60 + rng.randint(-1, 2)),
        common_area_phones=rng.randint(0, 6),
        analog_devices=rng.choice([0, 0, 0, 2, 8]) if "Plant" in city or "Depot" in city else 0,
        fax_lines=rng.choice([0, 0, 1]),
        overhead_paging="yes" if "Plant" in city else rng.choice(["no", "no", "unknown"]),
        internet_breakout="local" if good else rng.choice(["local", "backhaul", "unknown"]),
        sdwan="yes" if good else rng.choice(["yes", "no", "unknown"]),
        lte_backup="yes" if good else rng.choice(["yes", "no", "unknown"]),
        proxy="bypassed" if good else rng.choice(["none", "bypassed", "through", "unknown"]),
        vpn="none" if good else ("through" if poor else rng.choice(["none", "bypassed"])),
        qos="end_to_end" if good else ("none" if poor else rng.choice(["partial", "unknown"])),
        wifi="enterprise_5ghz" if good else rng.choice(["managed_24ghz", "unmanaged"]),
        firewall_media_ports="yes" if good else rng.choice(["yes", "no", "unknown"]),
        operator_available="no" if country == "IN" else ("yes" if good else "unknown"),
        regulation="toll_bypass" if country == "IN" else "none",
        needs_survivability="yes" if "Plant" in city else "no",
        emergency_address_ready="ready" if good else rng.choice(["partial", "unknown"]),
    )
    if measured or good:
        fields.update(
            client_rtt_ms=round(rng.uniform(90, 180) if poor else rng.uniform(20, 70), 1),
            client_jitter_ms=round(rng.uniform(25, 45) if poor else rng.uniform(3, 15), 1),
            client_loss_pct=round(rng.uniform(0.8, 3.0) if poor else rng.uniform(0, 0.4), 2),
            client_reorder_pct=round(rng.uniform(0, 0.04), 3),
            edge_rtt_ms=round(rng.uniform(50, 90) if poor else rng.uniform(8, 35), 1),
            edge_jitter_ms=round(rng.uniform(10, 25) if poor else rng.uniform(1, 6), 1),
            edge_loss_pct=round(rng.uniform(0.05, 0.4) if poor else rng.uniform(0, 0.04), 3),
            edge_reorder_pct=round(rng.uniform(0, 0.005), 4),
            measured_on=date(2026, 10, 1) + timedelta(days=rng.randint(0, 50)),
            measured_where="Wired desk, office floor",
            measurement_tool="nat",
        )
    # Well-run sites buy enough capacity for calls, meetings and their Teams Rooms.
    need = users * 3 + fields["teams_rooms"] * 40
    if good:  # the smallest standard circuit that carries it
        down = up = next(s for s in (100, 200, 500, 1000, 2000, 5000, 10000) if s >= need)
    else:
        down = rng.choice([20, 50, 100, 200, 500])
        up = down if poor is False and rng.random() < 0.5 else max(2, down // 5)
    circuits = [
        {
            "role": "primary",
            "kind": "dia",
            "down_mbps": down,
            "up_mbps": up,
            "provider": rng.choice(["BT", "Deutsche Telekom", "Orange", "Colt", "Lumen"]),
        }
    ]
    if good or rng.random() < 0.3:
        circuits.append(
            {
                "role": "secondary",
                "kind": "broadband",
                "down_mbps": max(50, down // 2),
                "up_mbps": max(20, up // 2),
                "provider": "Local ISP",
            }
        )
    if fields["lte_backup"] == "yes":
        circuits.append(
            {
                "role": "backup",
                "kind": "cellular",
                "down_mbps": 100,
                "up_mbps": 30,
                "provider": "Vodafone",
            }
        )
    return fields, circuits
