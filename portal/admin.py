"""Admin parts every app's support screens share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records support staff may look at but not change (history, issued documents)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
