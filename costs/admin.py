"""Support screens for price books (read-only: partners' admins keep them, with a history)."""

from django.contrib import admin

from costs.models import PriceBook, PriceBookLine


class PriceBookLineInline(admin.TabularInline):
    model = PriceBookLine
    extra = 0
    readonly_fields = ["key", "price", "notes"]
    can_delete = False


@admin.register(PriceBook)
class PriceBookAdmin(admin.ModelAdmin):
    list_display = ["organisation", "currency", "version", "updated_at", "changed_by_name"]
    readonly_fields = ["organisation", "currency", "version", "changed_by", "changed_by_name"]
    inlines = [PriceBookLineInline]

    def has_add_permission(self, request) -> bool:
        return False
