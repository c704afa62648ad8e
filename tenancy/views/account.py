"""A member's own settings: profile, password and sessions (API tokens: ``api.tokens``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from portal.offline import LogoutView
from tenancy.models import SignIn
from tenancy.permissions import member_required
from tenancy.services import account as account_services

User = get_user_model()


class ProfileForm(forms.ModelForm):
    """Your name and the email address password resets and notices go to."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = "Password reset links are sent here."

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # A reset link for an address two people share would reach either of them.
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another account uses this email address.")
        return email


def _password_form(user, data=None) -> PasswordChangeForm:
    form = PasswordChangeForm(user, data)
    # Django focuses the old password; on a page that opens on your name it should not.
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return form


def _profile_page(request: HttpRequest, *, profile_form=None, password_form=None, status=200):
    sessions = account_services.active_sessions(
        user=request.user, current_key=request.session.session_key
    )
    return render(
        request,
        "tenancy/profile.html",
        {
            "profile_form": profile_form or ProfileForm(instance=request.user),
            "password_form": password_form or _password_form(request.user),
            "sessions": sessions,
            "others": sum(1 for s in sessions if not s.current),
        },
        status=status,
    )


@member_required()
def profile(request: HttpRequest) -> HttpResponse:
    """Your name, email, password and the browsers you are signed in on."""
    if request.method != "POST":
        return _profile_page(request)
    form = ProfileForm(request.POST, instance=request.user)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: correct the marked fields first.")
        return _profile_page(request, profile_form=form)
    form.save()
    messages.success(request, "Your details are saved.")
    return redirect("tenancy:profile")


@require_POST
@member_required()
def password_change(request: HttpRequest) -> HttpResponse:
    """Change your password (the same strength rules as everywhere) and sign out elsewhere."""
    form = _password_form(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "Your password is unchanged: correct the marked fields first.")
        return _profile_page(request, password_form=form)
    user = form.save()
    # Django gives this session a new key (the old one is deleted, its row with it):
    # note the new one, then end the others, which the old password opened.
    update_session_auth_hash(request, user)
    account_services.sign_in_record(request=request, user=user)
    count = account_services.other_sessions_sign_out(
        user=user, current_key=request.session.session_key
    )
    elsewhere = f" Signed out of {count} other session{pluralize(count)}." if count else ""
    messages.success(request, f"Your password is changed.{elsewhere}")
    return redirect("tenancy:profile")


@require_POST
@member_required()
def session_sign_out(request: HttpRequest, sign_in_pk: int) -> HttpResponse:
    """Sign one other browser out (another member's session, or an ended one, is not found)."""
    sign_in = get_object_or_404(SignIn, pk=sign_in_pk, user=request.user)
    if account_services.session_sign_out(sign_in=sign_in, current_key=request.session.session_key):
        messages.success(request, "That session is signed out.")
    else:
        messages.info(request, "This is the browser you are using: Log out ends it.")
    return redirect("tenancy:profile")


@require_POST
@member_required()
def sessions_sign_out_others(request: HttpRequest) -> HttpResponse:
    """Sign out every browser but this one."""
    count = account_services.other_sessions_sign_out(
        user=request.user, current_key=request.session.session_key
    )
    messages.success(request, f"Signed out of {count} other session{pluralize(count)}.")
    return redirect("tenancy:profile")


class SignOutView(LogoutView):
    """Log out, clearing what was kept offline; the login page then says "You are logged out"."""

    def post(self, request, *args, **kwargs):
        """Logs out; the message survives the session's end (it travels in a cookie)."""
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, "You are logged out.")
        return response
