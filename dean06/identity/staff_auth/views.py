"""The second step of staff sign-in: enrol an authenticator app, enter its code, or use a recovery code."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from dean06.core.errors import ApplicationError
from dean06.core.models import User
from dean06.identity.staff_auth.forms import RecoveryCodeForm, TotpCodeForm
from dean06.identity.staff_auth.selectors import sandbox_current_code, second_factor_locked_until, totp_enrolled
from dean06.identity.staff_auth.services import (
    CodeCheck,
    recovery_code_use,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_verify,
)
from dean06.identity.staff_auth.session import second_factor_passed, second_factor_verified

TEMPLATES = "identity/staff_auth/"


def _wrong_code_message() -> str:
    return _(
        "Mã không đúng hoặc đã được dùng. Nhập sai %(limit)s lần liên tiếp, tài khoản sẽ bị tạm khóa %(minutes)s phút."
    ) % {
        "limit": settings.DEAN06_SECOND_FACTOR_FAILURE_LIMIT,
        "minutes": int(settings.DEAN06_SECOND_FACTOR_LOCKOUT.total_seconds() // 60),
    }


class _SecondStepView(LoginRequiredMixin, View):
    """Signed-in users only (the password step comes first); carries `next` through, checked as Django's
    login view checks it, so these pages cannot be used to redirect elsewhere."""

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return candidate if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)

    def to(self, url_name: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': self.next_url()})}")

    def page(self, template: str, context: dict[str, Any]) -> HttpResponse:
        return render(self.request, TEMPLATES + template, {"next": self.next_url(), **context})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except ApplicationError as exc:
            return render(request, "400.html", {"message": exc.message}, status=exc.status_code)


class TotpEnrolView(_SecondStepView):
    """Show the secret (QR code and text), confirm it with a first code, then show the recovery codes once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if totp_enrolled(self.user):
            return self._already_enrolled()
        return self._enrol_page(TotpCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if totp_enrolled(self.user):
            return self._already_enrolled()
        form = TotpCodeForm(request.POST)
        if form.is_valid():
            codes = totp_enrol_confirm(self.user, form.cleaned_data["code"])
            if codes is not None:
                second_factor_passed(request)
                response = self.page("recovery_codes.html", {"codes": codes})
                add_never_cache_headers(response)  # shown once: neither the browser nor a proxy keeps them
                return response
            form.add_error("code", _wrong_code_message())
        return self._enrol_page(form)

    def _already_enrolled(self) -> HttpResponseRedirect:
        if second_factor_verified(self.request.session):
            return HttpResponseRedirect(self.next_url())
        return self.to("identity:totp_verify")

    def _enrol_page(self, form: TotpCodeForm) -> HttpResponse:
        return self.page("enrol.html", {"form": form, "enrolment": totp_enrol_start(self.user)})


class _CodeCheckView(_SecondStepView):
    """A form with one code; a right one passes the second factor, too many wrong ones end the session."""

    form_class: type[forms.Form]
    template: str

    def check(self, code: str) -> CodeCheck:
        raise NotImplementedError

    def page_context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._precheck() or self._page(self.form_class())

    def post(self, request: HttpRequest) -> HttpResponse:
        if early := self._precheck():
            return early
        form = self.form_class(request.POST)
        if form.is_valid():
            result = self.check(form.cleaned_data["code"])
            if result == CodeCheck.ACCEPTED:
                second_factor_passed(request)
                return HttpResponseRedirect(self.next_url())
            if result == CodeCheck.LOCKED:
                return self._locked_out()
            form.add_error("code", _wrong_code_message())
        return self._page(form)

    def _precheck(self) -> HttpResponse | None:
        if second_factor_verified(self.request.session):
            return HttpResponseRedirect(self.next_url())
        if not totp_enrolled(self.user):
            return self.to("identity:totp_enrol")
        if second_factor_locked_until(self.user):
            return self._locked_out()
        return None

    def _page(self, form: forms.Form) -> HttpResponse:
        return self.page(self.template, {"form": form, **self.page_context()})

    def _locked_out(self) -> HttpResponse:
        retry_at = second_factor_locked_until(self.user)
        logout(self.request)
        context = {"second_factor": True, "retry_at": retry_at}
        return render(self.request, TEMPLATES + "lockout.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


class TotpVerifyView(_CodeCheckView):
    form_class = TotpCodeForm
    template = "verify.html"

    def check(self, code: str) -> CodeCheck:
        return totp_verify(self.user, code)

    def page_context(self) -> dict[str, Any]:
        # The hint exists only when DEAN06_SANDBOX is on; the selector returns None otherwise.
        return {"sandbox_code": sandbox_current_code(self.user)}


class TotpRecoveryView(_CodeCheckView):
    form_class = RecoveryCodeForm
    template = "recovery.html"

    def check(self, code: str) -> CodeCheck:
        return recovery_code_use(self.user, code)
