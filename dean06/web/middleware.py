"""Language selection: Vietnamese unless the user chose otherwise with the language switch."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageCookieMiddleware:
    """Replaces Django's LocaleMiddleware, which would follow the browser's Accept-Language.

    Most office PCs in the province run English-language Windows and browsers, so Accept-Language would
    turn the interface English for officers who never asked for it. Only the `set_language` cookie counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread goes back to its language afterwards, so a request in English
        # cannot leak into whatever the same worker thread runs next (a job, a command).
        with translation.override(language):
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response
