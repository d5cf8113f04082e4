"""Every admin page a user may open, for the tests that check them all (its
words are Vietnamese: tests/newsroom/test_admin_language.py; axe-core finds no
serious violation: tests/e2e/test_admin_accessibility.py).

The pages are enumerated, not listed, so that a new model admin or a new page
is checked without touching the tests: from the admin's registry, the
changelist and add form of every model the user may see, and for one object in
each state (its status, its author, its word list) the change form the user
may open, with one history and one delete confirmation; then every admin page linked from
those, one of each shape (ids set aside). ``routes_of`` and ``NOT_PAGES`` let
a test check that every admin URL pattern was reached.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib import admin
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver, resolve, reverse

from tests.matrix import leaf_patterns

ADMIN = "/admin/"
NOT_FOLLOWED = ("/admin/r/", "/admin/logout/", "/admin/jsi18n/")
# Links to files, not pages (the royalty statements' downloads).
DOWNLOADS = (".csv", ".xlsx")
# The fields whose values make an object's page look different to a user.
STATE_FIELDS = ("status", "created_by", "list")
# Admin URL patterns that are not pages a person reads: POST-only endpoints,
# JSON, redirects. Any other admin pattern must be reached by the crawl.
NOT_PAGES = (
    "admin/r/", "admin/logout/", "admin/jsi18n/", "admin/autocomplete/",
    "/autosave/", "/autosave/discard/", "/preview-form/", "/transition/", "/correct/",
    "/restore/", "/share-links/", "/moderate/", "/next/", "/reply/", "/photos/upload/",
    "/statement.csv", "/statement.xlsx", "/close/",
    "admin/password_change/done/",
)
# A model admin's own views, opened when the registry says so (see admin_routes).
MODEL_VIEW = re.compile(r"^admin/\w+/\w+/(add/|<path:object_id>/(change/|history/|delete/)?)$")


class VisibleText(HTMLParser):
    """The text a person sees (or a screen reader reads), and the page's links."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.text = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        if tag == "a" and (href := dict(attrs).get("href")):
            self.links.append(href)

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.text.append(data.strip())


def shape(url):
    """One page of each kind is enough: ids and query strings set aside."""
    return re.sub(r"/\d+/", "/N/", urlsplit(url).path)


def one_per_state(queryset):
    """The first object of ``queryset`` in each state (see STATE_FIELDS)."""
    names = {field.name for field in queryset.model._meta.get_fields()}
    fields = [name for name in STATE_FIELDS if name in names]
    first = {}
    for obj in queryset.order_by("pk"):
        first.setdefault(tuple(getattr(obj, f"{name}_id", None) or getattr(obj, name)
                               for name in fields), obj)
    return list(first.values())


def registry_pages(user, site=admin.site):
    """The model admin pages ``user`` may open, from the admin's registry."""
    request = RequestFactory().get(ADMIN)
    request.user = user
    pages = []
    for model, model_admin in site._registry.items():
        if not (model_admin.has_module_permission(request)
                and model_admin.has_view_or_change_permission(request)):
            continue
        name = f"{site.name}:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        objects = [obj for obj in one_per_state(model_admin.get_queryset(request))
                   if model_admin.has_view_or_change_permission(request, obj)]
        pages += [reverse(f"{name}_change", args=[obj.pk]) for obj in objects]
        # A history or a delete confirmation looks the same in every state.
        if objects:
            pages.append(reverse(f"{name}_history", args=[objects[0].pk]))
        if objects and model_admin.has_delete_permission(request, objects[0]):
            pages.append(reverse(f"{name}_delete", args=[objects[0].pk]))
    return pages


def refused_page(user, site=admin.site):
    """An admin page ``user`` may not open (a 403 in the admin's layout), or None."""
    request = RequestFactory().get(ADMIN)
    request.user = user
    for model, model_admin in site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            return reverse(f"{site.name}:{model._meta.app_label}_{model._meta.model_name}"
                           "_changelist")
    return None


def crawl(seeds, open_page, skip_shapes=()):
    """Open every URL of ``seeds`` and every admin page linked from an opened
    page, one of each shape (none of ``skip_shapes``). ``open_page(url, came_from)``
    returns the page's links, or None for no page to follow. Returns the URLs opened."""
    opened, shapes = [], set(skip_shapes)
    queue = [(url, None) for url in dict.fromkeys(seeds) if shape(url) not in skip_shapes]
    shapes |= {shape(url) for url, _came_from in queue}
    while queue:
        url, came_from = queue.pop(0)
        opened.append(url)
        for href in open_page(url, came_from) or ():
            link = urljoin(url, href).split("#")[0]
            if (link.startswith(ADMIN) and not link.startswith(NOT_FOLLOWED)
                    and not urlsplit(link).path.endswith(DOWNLOADS)
                    and shape(link) not in shapes):
                shapes.add(shape(link))
                queue.append((link, url))
    return opened


def route_of(url):
    """The URL pattern ``url`` resolves to ("admin/articles/article/<path:object_id>/")."""
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def admin_routes(superuser, site=admin.site):
    """The admin URL patterns that are pages a crawl must open: the site's own
    and the model admins' extra views (NOT_PAGES aside), every changelist, and
    the add, change, history and delete views the registry gives ``superuser``
    for the objects there are."""
    routes = set()
    for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns):
        route = route.replace("/^", "/")  # as the resolver reports a regex pattern
        if (route.startswith("admin/") and not any(part in route for part in NOT_PAGES)
                and not MODEL_VIEW.match(route)):
            routes.add(route)
    return routes | {route_of(url) for url in registry_pages(superuser, site)}
