"""The shared world with every answer given, and a snapshot of everything forms can write.

"Fully answered" means every field holds a value other than its default: dates, decimals
with fractions, long text with line breaks and non-Latin letters, colours as the portal
stores them (upper case). A form submitted unchanged must leave the snapshot as it was.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Assessment, Change, Circuit, Customer, Scenario, Site
from assessments.services.versioning import Actor
from imports.models import MeasurementImport
from invites.models import Invite, InviteSection
from invites.services import invite_create
from tenancy.branding import validate_logo
from tenancy.models import Membership, Organisation
from tenancy.services.branding import organisation_logo_set

NOTES = (
    "Works council must agree before porting.\n"
    "Δεύτερη γραμμή — 第二行 — вторая строка\n"
    "\n"
    "    indented after a blank line: “quotes” & <angle brackets>\n"
    "last line"
)
# Near the 600-character limit, with line breaks: sent back as CR LF by a browser, it
# must still fit.
LEGAL_FOOTER = ("Northwind Voice GmbH · Sitz Stuttgart · HRB 12345\n" * 13 + "USt-IdNr. DE123")[
    :590
]
LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    b'<rect width="40" height="20" fill="#0B5394"/></svg>'
)

ASSESSMENT_ANSWERS = {
    "title": "Rollout 2027 – Zürich & 東京",
    "status": "workshop",
    "current_telephony": "mixed",
    "pbx_contract_end": date(2027, 6, 30),
    "current_carriers": "Deutsche Telekom (DE), NTT 東日本 (JP), Orange – France",
    "keep_current_carrier": "yes",
    "multi_carrier": "no",
    "existing_sbcs": "certified",
    "sbc_count": 4,
    "sbc_details": "AudioCodes Mediant 800 × 2, Ribbon SBC 1000 “edge”",
    "users_on_skype_server": "no",
    "teams_phone_licences": "e5",
    "teams_phone_licences_count": 1200,
    "auto_attendants_queues": 14,
    "it_hourly_cost": Decimal("72.50"),
    "operating_model": "platform",
    "voice_skills": "dedicated",
    "voice_staff_fte": Decimal("2.5"),
    "risk_tolerance": "medium",
    "timeline": "relaxed",
    "routing_complexity": "complex",
    "pbx_coexistence": "yes",
    "survivability_required": "yes",
    "contact_centre": "connect",
    "compliance_recording": "yes",
    "mobile_first_share": 35,
    "phone_numbers": 12345,
    "porting_required": "yes",
    "dynamic_emergency_required": "no",
    "security_desk_notification": "yes",
    "notes": NOTES,
}

SITE_ANSWERS = {
    "city": "Stuttgart-Möhringen",
    "address": "Königstraße 1, 70173 Stuttgart / 東京都千代田区",
    "users": 12850,
    "peak_concurrency": 18,
    "audio_only_users": 2000,
    "office_video_users": 8000,
    "heavy_video_users": 0,
    "teams_rooms": 12,
    "common_area_phones": 7,
    "analog_devices": 5,
    "fax_lines": 2,
    "door_elevator_phones": 3,
    "overhead_paging": "yes",
    "sdwan": "yes",
    "lte_backup": "no",
    "internet_breakout": "local",
    "backhaul_hub": "Lyon Office",
    "proxy": "bypassed",
    "vpn": "through",
    "qos": "partial",
    "wifi": "enterprise_5ghz",
    "firewall_media_ports": "yes",
    "client_rtt_ms": 42.5,
    "client_jitter_ms": 3.25,
    "client_loss_pct": 0.35,
    "client_reorder_pct": 0.01,
    "edge_rtt_ms": 12.75,
    "edge_jitter_ms": 1.5,
    "edge_loss_pct": 0.05,
    "edge_reorder_pct": 1e-05,
    "measured_on": date(2026, 3, 14),
    "measured_where": "3. OG WLAN – Raum 3.14",
    "measurement_tool": "nat",
    "operator_available": "yes",
    "regulation": "other",
    "needs_survivability": "no",
    "emergency_address_ready": "partial",
    "notes": NOTES,
}

CIRCUITS = [
    {"role": "primary", "kind": "dia", "down_mbps": 1000, "up_mbps": 500, "provider": "Telekom"},
    {
        "role": "secondary",
        "kind": "broadband",
        "down_mbps": 93.4,
        "up_mbps": 18.75,
        "provider": "Vodafone Kabel",
    },
    {"role": "backup", "kind": "cellular", "down_mbps": 50, "up_mbps": 10, "provider": "O₂ 5G"},
]


def answer_everything(world) -> str:
    """Give every answer of the world's assessment, its HQ site, customer and organisation.

    Returns the token of an invite link of the assessment to every section.
    """
    Assessment.objects.filter(pk=world.assessment.pk).update(**ASSESSMENT_ANSWERS)
    Site.objects.filter(pk=world.hq.pk).update(**SITE_ANSWERS)
    Circuit.objects.filter(site=world.hq).delete()
    Circuit.objects.bulk_create(Circuit(site=world.hq, **row) for row in CIRCUITS)
    Customer.objects.filter(pk=world.customer.pk).update(
        industry="Automotive – Zulieferer",
        country="DE",
        contact_name="Jürgen Groß",
        contact_email="j.gross@contoso.example",
        notes=NOTES,
    )
    Organisation.objects.filter(pk=world.org.pk).update(
        company_name="Northwind Voice GmbH",
        primary_colour="#0B5394",
        accent_colour="#A3410F",
        font="merriweather",
        contact_email="hello@northwind.example",
        contact_phone="+49 711 123 45-0",
        website="https://northwind.example/de/",
        address="Hauptstraße 5\n70173 Stuttgart\nDeutschland",
        legal_footer=LEGAL_FOOTER,
    )
    data, mime = validate_logo(LOGO_SVG)
    organisation_logo_set(
        organisation=Organisation.objects.get(pk=world.org.pk),
        data=data,
        mime=mime,
        actor=Actor.for_user(world.admin),
    )
    Scenario.objects.create(
        assessment=world.assessment,
        name="Contract renewal – 東京",
        created_by=world.owner,
        changes=[
            {
                "scope": "organisation",
                "field": "pbx_contract_end",
                "value": "2028-01-31",
                "sites": [],
            },
            {"scope": "organisation", "field": "voice_staff_fte", "value": "1.5", "sites": []},
            {"scope": "sites", "field": "lte_backup", "value": "yes", "sites": [world.hq.pk]},
        ],
    )
    for record in (world.assessment, world.hq, world.customer, world.org):
        record.refresh_from_db()
    return invite_create(
        assessment=world.assessment,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        sections=list(InviteSection.values),
        expires_at=timezone.now() + timedelta(days=14),
        actor=Actor.for_user(world.owner),
        send=False,
    ).token


# Bookkeeping a visit writes by design (an invite remembers when and where it was used).
VISIT_FIELDS = {Invite: {"last_used_at", "last_step", "updated_at"}}
SNAPSHOT_MODELS = [
    Organisation,
    Membership,
    get_user_model(),
    Customer,
    Assessment,
    Site,
    Circuit,
    Scenario,
    MeasurementImport,
    Invite,
    Change,
]


def snapshot() -> dict[str, list[dict]]:
    """Every stored row a form could write, all concrete fields (timestamps and versions too)."""
    rows = {}
    for model in SNAPSHOT_MODELS:
        skip = VISIT_FIELDS.get(model, set()) | (
            {"last_login"} if model is get_user_model() else set()
        )
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        rows[model.__name__] = [
            {name: row[name] for name in names}
            for row in model.objects.order_by("pk").values(*names)
        ]
    return rows
