"""The deals app: the pipeline's stages, values and saved filters."""

from django.apps import AppConfig


class DealsConfig(AppConfig):
    """Deals: stages, values and saved pipeline views."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "deals"
    verbose_name = "Deals"
