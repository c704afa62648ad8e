"""Where a member is signed in: one row per browser session, for the profile page."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone


class SignIn(models.Model):
    """One signed-in browser of a user: its session, when it began and what browser it is.

    Django's session rows hold the user only inside their encoded data; listing a user's
    sessions from them would decode every session of the installation. This row names the
    user beside the session, and goes with it (a log-out, an expiry swept by
    ``clearsessions`` or a sign-out from the profile page deletes the session, and the
    cascade deletes this). Its own id, not the session key, names it on pages: the key
    is the cookie's secret.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="sign_in")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    signed_in_at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "signed_in_at"])]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
