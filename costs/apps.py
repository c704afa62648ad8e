"""What Teams Phone costs: the partner's price book and the cost figures built from it."""

from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = "Costs"
