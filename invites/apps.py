"""Customer invites: staff send links, customers answer through them."""

from django.apps import AppConfig


class InvitesConfig(AppConfig):
    name = "invites"
    verbose_name = "Customer invites"
