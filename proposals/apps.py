"""Proposals: the issued snapshot, its PDF render and previews."""

from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Proposals"
