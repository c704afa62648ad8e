"""Support screens for customer invites."""

from django.contrib import admin

from invites.models import Invite


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = [
        "contact_name",
        "email",
        "assessment",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["assessment__organisation"]
    search_fields = ["contact_name", "email"]
    exclude = ["token_hash"]
    readonly_fields = ["sent_at", "send_count", "last_used_at", "last_step", "submitted_at"]
    raw_id_fields = ["assessment", "created_by"]
