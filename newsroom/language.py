"""The reader's language: the one they chose (the language cookie), else the paper's.

Django's LocaleMiddleware also follows the browser's Accept-Language and adds it to
``Vary``. The paper shows Vietnamese to every browser unless the reader chose
English, so a page depends on one cookie, never on a header that every browser
sends differently (a shared cache would keep one copy per Accept-Language value,
and an English browser would never see the paper as its readers do).
"""

from django.conf import settings
from django.utils import translation


def chosen_language(request):
    """The language the reader chose with the footer's link, or LANGUAGE_CODE."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:  # a language we do not offer, or garbage
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """In place of LocaleMiddleware (the site uses no language prefixes in URLs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
