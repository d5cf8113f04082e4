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
cache builds on ``answer``: only a ``PUBLIC`` answer is ever stored for another reader.

The page cache (README, "Page cache and proxy"): a ``PUBLIC`` answer also carries
``stale-while-revalidate``/``stale-if-error`` and an ``xkey`` header naming what the
page shows (surrogate keys: ``shows`` and the URL; ``articles.purges`` lists them),
and a GET of it is kept in the shared cache (``NEWSROOM["PAGE_CACHE_SECONDS"]``),
keyed by host and full path, with the generation of each of its keys: a purge moves
the generations on (``purge_keys``) and every page naming one of them is gone. No
page lives past the next scheduled publication: it may show it.

While the shared cache is down, pages are neither looked up nor stored, and purges
are lost: when it is back, the first process that saw it down purges ``EVERY_PAGE``
(a key every stored page names), so no page stored before the outage is served.
"""

import enum
import hashlib
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
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


def apply(response, sharing, max_age=None):
    if sharing is Sharing.PUBLIC:
        # A shorter max-age already set by the view wins (patch_cache_control keeps the minimum).
        max_age = settings.NEWSROOM["CACHE_MAX_AGE"] if max_age is None else max_age
        patch_cache_control(
            response,
            public=True,
            max_age=max_age,
            stale_while_revalidate=settings.NEWSROOM["STALE_WHILE_REVALIDATE"],
            stale_if_error=settings.NEWSROOM["STALE_IF_ERROR"],
        )
        patch_vary_headers(response, ("Cookie",))
    elif sharing is Sharing.PRIVATE:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
    elif sharing is Sharing.NO_STORE:
        patch_cache_control(response, private=True, no_store=True)


# Surrogate keys ---------------------------------------------------------------------------------

KEY_HEADER = "xkey"  # what Varnish's xkey reads (deploy/varnish/newsroom.vcl)

# Keys a URL names by itself, by view name (the article's own key comes from its URL).
URL_KEYS = {
    "articles:home": ("home",),
    "articles:search": ("search",),
    "articles:latest": ("home",),
    "articles:section_feed": ("feeds",),
    "articles:tag_feed": ("feeds",),
    "rss": ("feeds",),
    "sitemap_index": ("feeds", "sitemaps"),
    "sitemap_month": ("feeds", "sitemaps"),
    "news_sitemap": ("feeds", "sitemaps"),
    "sitemap_section": ("feeds", "sitemaps"),
}


def keys_of(thing):
    """The surrogate keys of a row a page shows (a string is a key)."""
    if isinstance(thing, str):
        return {thing}
    name = type(thing)._meta.model_name
    if name == "article":
        section = {f"section-{thing.section_id}"} if thing.section_id else set()
        return {f"article-{thing.pk}"} | section
    if name == "section" and thing.pk:
        return {f"section-{thing.pk}"}
    return {f"{name}-{thing.pk}"}


def shows(request, *things):
    """Name what the page answering ``request`` shows: rows (an article names its
    section too) or keys. One line in each view; see ``articles.purges``."""
    keys = getattr(request, "surrogate_keys", set())
    for thing in things:
        if thing is not None:
            keys |= keys_of(thing)
    request.surrogate_keys = keys


def shows_list(request, row):
    """The page lists the articles of ``row`` (a section, tag or contributor)."""
    shows(request, row)
    if type(row)._meta.model_name == "section":
        shows(request, f"list-section-{row.pk}")


def surrogate_keys(request, response):
    keys = set(getattr(request, "surrogate_keys", ()))
    match = request.resolver_match
    if match is not None:
        keys.update(URL_KEYS.get(match.view_name, ()))
        if match.view_name == "articles:detail":
            keys.add(f"article-{match.kwargs['pk']}")
    if response.get("Content-Type", "").startswith("text/html"):
        keys.add("nav")  # the sections menu
    return keys


# The page cache ---------------------------------------------------------------------------------

PURGE_COUNT = "purges:count"
NEXT_SCHEDULED = "purges:next-scheduled"
# A key every stored page names: purging it forgets every page.
EVERY_PAGE = "*"


def _generation_key(key):
    return f"purges:gen:{key}"


def _page_key(request):
    address = f"{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def purge_keys(keys):
    """Every cached page naming one of ``keys`` is gone (``articles.purges.send``)."""
    cache.add(PURGE_COUNT, 0, timeout=None)
    try:
        count = cache.incr(PURGE_COUNT)
    except ValueError:  # evicted between add and incr
        count = time.time_ns()
        cache.set(PURGE_COUNT, count, timeout=None)
    cache.set_many({_generation_key(key): count for key in keys}, timeout=None)
    cache.delete(NEXT_SCHEDULED)  # a schedule may have changed


def forget_every_page():
    """The shared cache is back after this process saw it down: purges sent
    meanwhile (by this process or another) were lost, so no page stored before
    may be served. Receiver of ``newsroom.cache.on_recovery``."""
    purge_keys([EVERY_PAGE])


def seconds_to_next_scheduled():
    """Seconds until the next scheduled article goes public; None when none is."""
    now = time.time()
    when = cache.get(NEXT_SCHEDULED)
    if when is None or (when and when <= now):
        Article = apps.get_model("articles", "Article")
        at = (
            Article.objects.filter(status=Article.Status.SCHEDULED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        when = at.timestamp() if at else 0
        cache.set(NEXT_SCHEDULED, when, timeout=None)
    return max(int(when - now), 0) if when else None


def page_cache_seconds():
    return settings.NEWSROOM["PAGE_CACHE_SECONDS"]


def may_look_up(request):
    """A GET of a shareable URL by a reader with no reader state."""
    if request.method != "GET" or not page_cache_seconds() or "HTTP_AUTHORIZATION" in request.META:
        return False
    if has_reader_state(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "sharing", None) is Sharing.PUBLIC and "admin" not in match.app_names


# Per process, the generation keys each stored page named when last read: a hint
# that lets a hit fetch the page and its generations in one round trip.
_NAMES_SEEN = {}
NAMES_SEEN_MAX = 10_000


def cached_page(request):
    """The stored page for ``request`` if none of its keys was purged since; or None.

    One round trip to the cache for a page this process has served before (its
    generation keys asked for with it), two otherwise."""
    key = _page_key(request)
    names = _NAMES_SEEN.get(key, ())
    found = cache.get_many([key, *names])
    stored = found.get(key)
    if stored is None:
        return None
    status, headers, content, generations = stored
    if set(names) != set(generations):  # first read here, or the page names other keys now
        if len(_NAMES_SEEN) >= NAMES_SEEN_MAX:
            _NAMES_SEEN.clear()
        _NAMES_SEEN[key] = tuple(generations)
        found = cache.get_many(list(generations))
    current = {name: found[name] for name in generations if name in found}
    if current != {name: value for name, value in generations.items() if value is not None}:
        return None
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def fragment(name, keys, build):
    """``build()``, or what it returned when fragment ``name`` was last made, as long
    as none of ``keys`` was purged since (the page cache's generations) and no
    scheduled article went public since (the lifetime stops there, as a page's).

    For parts of a page that depend on content only (not on the reader or the
    request), so that a page made again, e.g. for a reader with reader state or
    after another article's purge, does not redo them. One round trip when the
    fragment is there. ``NEWSROOM["FRAGMENT_CACHE_SECONDS"]`` 0 turns it off.
    """
    lifetime = settings.NEWSROOM["FRAGMENT_CACHE_SECONDS"]
    if not lifetime:
        return build()
    stored_key = "fragment:" + hashlib.sha256(name.encode()).hexdigest()
    # EVERY_PAGE too: no fragment stored before an outage of the cache is used after.
    names = [_generation_key(key) for key in sorted({*keys, EVERY_PAGE})]
    found = cache.get_many([stored_key, PURGE_COUNT, *names])
    generations = {name: found.get(name) for name in names}
    stored = found.get(stored_key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = build()
    until = seconds_to_next_scheduled()
    if until is not None:
        lifetime = min(lifetime, until)
    # Kept only if no purge ran while it was made: it may show what was purged.
    if lifetime and cache.get(PURGE_COUNT) == found.get(PURGE_COUNT):
        cache.set(stored_key, (generations, value), timeout=lifetime)
    return value


def store_page(request, response, keys, lifetime, purges_before):
    if response.streaming or not lifetime:
        return
    names = [_generation_key(key) for key in sorted({*keys, EVERY_PAGE})]
    current = cache.get_many([PURGE_COUNT, *names])
    if current.get(PURGE_COUNT) != purges_before:
        return  # a purge ran while the page was made: it may show what was purged
    generations = {name: current.get(name) for name in names}
    headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
    cache.set(
        _page_key(request),
        (response.status_code, headers, response.content, generations),
        timeout=lifetime,
    )


class SharingMiddleware:
    """Gives every response its sharing answer, and keeps and serves shareable
    pages (the page cache). First in MIDDLEWARE, so that it sees every cookie and
    Vary header the middleware below it adds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        look_up = may_look_up(request)
        if look_up:
            response = cached_page(request)
            if response is not None:
                return response
            purges_before = cache.get(PURGE_COUNT)
        response = self.get_response(request)
        sharing = answer(request, response)
        if sharing is not Sharing.PUBLIC:
            apply(response, sharing)
            return response
        keys = surrogate_keys(request, response)
        max_age = settings.NEWSROOM["CACHE_MAX_AGE"]
        lifetime = page_cache_seconds() if look_up else 0
        if look_up:  # never past the next scheduled publication
            until = seconds_to_next_scheduled()
            if until is not None:
                max_age, lifetime = min(max_age, until), min(lifetime, until)
        apply(response, sharing, max_age)
        if keys:
            response[KEY_HEADER] = " ".join(sorted(keys))
        if look_up:
            response["X-Page-Cache"] = "miss"
            store_page(request, response, keys, lifetime, purges_before)
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


PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def check_shared_cache(app_configs, **kwargs):
    """Pages and fragments kept in a cache of one process are purged in that
    process only: a site served by several processes must keep them in a
    shared cache (Redis), or not at all."""
    backend = settings.CACHES["default"]["BACKEND"]
    kept = settings.NEWSROOM["PAGE_CACHE_SECONDS"] or settings.NEWSROOM["FRAGMENT_CACHE_SECONDS"]
    if backend in PER_PROCESS_CACHES and kept:
        return [
            checks.Warning(
                "The page cache and fragments are kept in a cache of one process "
                f"({backend.rsplit('.', 1)[-1]}): with several gunicorn workers or machines, "
                "a purge reaches only the process that made the change.",
                hint="Set REDIS_URL, or NEWSROOM_PAGE_CACHE_SECONDS=0 and "
                "NEWSROOM_FRAGMENT_CACHE_SECONDS=0.",
                id="articles.W003",
            )
        ]
    return []
