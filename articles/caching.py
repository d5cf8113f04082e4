"""Whether a response may be stored by a shared cache (a CDN, Varnish), and for how long.

Every URL declares its answer where it is routed (``shareable``, ``per_reader``,
``never_stored``); the admin is ``never_stored`` as a whole. ``SharingMiddleware``
turns the declaration and the request into ``Cache-Control`` and ``Vary`` on every
response (README, "Caching: what a shared cache may store"):

* ``PUBLIC``: a shareable page asked for by a reader with no reader state:
  ``public, max-age=NEWSROOM["CACHE_MAX_AGE"]`` and ``Vary: Cookie``;
* ``PRIVATE``: the same page for a reader with reader state (logged in, a held
  comment of their own, a language other than Vietnamese), or a URL declared
  ``per_reader``: ``private, no-cache`` and ``Vary: Cookie``;
* ``NO_STORE``: the admin, previews and share links, the CSRF token, anything that
  is not a GET or HEAD, anything that sets a cookie, server errors:
  ``private, no-store``.

The answer only ever tightens what a view already said, never loosens it. The page
cache of the performance issue (surrogate keys, purges) builds on ``answer``: only a
``PUBLIC`` answer may ever be stored for another reader.
"""

import enum
from functools import wraps

from django.conf import settings
from django.core import checks
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import split_directive_names

from newsroom.language import chosen_language


class Sharing(enum.StrEnum):
    PUBLIC = "public"  # the same for every reader without reader state
    PRIVATE = "private"  # differs per reader: only the reader's own browser keeps it
    NO_STORE = "no-store"  # kept nowhere: tokens, previews, the admin


# Declarations -----------------------------------------------------------------------------------


def _declare(view, sharing):
    @wraps(view)
    def declared_view(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    declared_view.sharing = sharing
    return declared_view


def shareable(view):
    """The view's answer is the same for every reader without reader state."""
    return _declare(view, Sharing.PUBLIC)


def per_reader(view):
    """The view's answer differs per reader, or changes the reader's own state."""
    return _declare(view, Sharing.PRIVATE)


def never_stored(view):
    """The view's answer carries a secret (a token, a preview) and is kept nowhere."""
    return _declare(view, Sharing.NO_STORE)


# Reader state -----------------------------------------------------------------------------------

_reader_cookies = set()


def register_reader_cookie(name):
    """Declare a cookie that makes pages differ for the reader who holds it
    (an app's own state, e.g. the comments' record of a reader's held comments)."""
    _reader_cookies.add(name)


def reader_cookies():
    """The cookies whose presence makes a shareable page private. A shared cache in
    front must pass (not look up) requests that carry one of them."""
    return {settings.SESSION_COOKIE_NAME, *_reader_cookies}


def has_reader_state(request):
    """True when pages differ for this reader: logged in (a session), holding a
    registered reader cookie, or reading in a language other than the paper's.
    Decided from the request alone, as a cache in front decides it."""
    if not reader_cookies().isdisjoint(request.COOKIES):
        return True
    return chosen_language(request) != settings.LANGUAGE_CODE


# The answer -------------------------------------------------------------------------------------

SAFE_METHODS = {"GET", "HEAD"}
# What a shareable view may answer for everyone: pages, permanent redirects, "not
# found" and "gone". A temporary redirect or a refusal may depend on the request.
SHAREABLE_STATUSES = {200, 301, 308, 404, 410}


def declared(request):
    """The URL's declared sharing; None when no URL matched (a 404 for an unknown
    address, the slash redirect, a file answered by a middleware)."""
    match = request.resolver_match
    if match is None:
        return None
    if "admin" in match.app_names:
        return Sharing.NO_STORE
    return getattr(match.func, "sharing", Sharing.PRIVATE)  # undeclared: never shared


def answer(request, response):
    """The ``Sharing`` of ``response`` to ``request``; None to keep the response's
    own ``Cache-Control`` (set by whatever answered without a URL, e.g. static files)."""
    if request.method not in SAFE_METHODS or response.status_code >= 500 or response.cookies:
        return Sharing.NO_STORE
    said = set(split_directive_names(response.get("Cache-Control", "")))
    if "no-store" in said:
        return Sharing.NO_STORE
    sharing = declared(request)
    if sharing is None:
        if said:
            return None
        sharing = Sharing.PUBLIC  # the generic "not found" page and the slash redirect
    if sharing is not Sharing.PUBLIC:
        return sharing
    if (
        response.status_code not in SHAREABLE_STATUSES
        or has_reader_state(request)
        or said & {"private", "no-cache"}
    ):
        return Sharing.PRIVATE
    return Sharing.PUBLIC


def apply(response, sharing):
    if sharing is Sharing.PUBLIC:
        # A shorter max-age already set by the view wins (patch_cache_control keeps the minimum).
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM["CACHE_MAX_AGE"])
        patch_vary_headers(response, ("Cookie",))
    elif sharing is Sharing.PRIVATE:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
    elif sharing is Sharing.NO_STORE:
        patch_cache_control(response, private=True, no_store=True)


class SharingMiddleware:
    """Gives every response its sharing answer. First in MIDDLEWARE, so that it
    sees every cookie and Vary header the middleware below it adds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        apply(response, answer(request, response))
        return response


# The system check -------------------------------------------------------------------------------

MIDDLEWARE_PATH = f"{__name__}.SharingMiddleware"
# Middleware that set cookies, add to Vary or choose the language: they must come
# after SharingMiddleware in MIDDLEWARE, so that it answers on what they did.
INNER_MIDDLEWARE = {
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "newsroom.language.ChosenLanguageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}


def check_middleware(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE_PATH not in middleware:
        return [
            checks.Error(
                f"{MIDDLEWARE_PATH} is not in MIDDLEWARE: responses carry no sharing answer, "
                "and a shared cache may store one reader's page for another.",
                hint="Put it first in MIDDLEWARE.",
                id="articles.E001",
            )
        ]
    above = [
        name for name in middleware[: middleware.index(MIDDLEWARE_PATH)] if name in INNER_MIDDLEWARE
    ]
    if above:
        return [
            checks.Error(
                f"{MIDDLEWARE_PATH} comes after {', '.join(above)}: it cannot see the cookies "
                "and Vary headers they add.",
                hint="Put it first in MIDDLEWARE.",
                id="articles.E002",
            )
        ]
    return []
