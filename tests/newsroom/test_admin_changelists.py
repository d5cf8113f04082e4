"""Every admin changelist answers hostile query strings with a normal page or a 4xx.

The changelists, their filters, date hierarchies and search boxes are read from
``admin.site._registry``, so a new admin (or a new filter) is fuzzed without
touching this file. Run it on PostgreSQL too: PostgreSQL refuses NUL in text
and checks integer ranges where SQLite does not.
"""

from unittest import mock
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin import FieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.db import transaction
from django.test import RequestFactory, TestCase
from django.urls import reverse

from articles.models import Article, Correction
from newsroom.admin_site import SafeChangeList
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_comment,
    make_contributor,
    make_section,
    make_user,
)

# Typed into a query string, URL-encoded by the test: NUL bytes, numbers past
# every integer column, negative, non-numeric and non-ASCII digits, very long
# text, "__in" lists, regular-expression and SQL syntax.
HOSTILE_VALUES = ["a\x00b", "1111111111111111111111111", "abc", "²", "1,2,a\x00b"]
# Written into the query string as they are: not valid UTF-8 once decoded.
RAW_VALUES = ["%ED%A0%80"]
# Tried on every declared parameter at once.
MORE_VALUES = [
    "-1",
    "x" * 3000,
    "(",
    "\x00",
    "9223372036854775808",
    "-9223372036854775809",
    "0",
    "1e309",
    "١٢",
    "10000-01-01",
    "9999-12-31 23:59:59",
    "1,99999999999999999999999",
    "[",
    "\\",
    "' OR 1=1 --",
    "",
]
MORE_RAW_VALUES = ["%FF", "%C3%28", "%F4%90%80%80", "%00", "%E2%80"]
# Django's own parameters (page, ordering, show all, facets, error flag).
OWN_PARAMETERS = [PAGE_VAR, ORDER_VAR, "all", "_facets", ERROR_FLAG]
OWN_VALUES = ["a\x00b", "1111111111111111111111111", "-1", "%FF"]
# Lookups no declared filter offers, on the filtered fields and on no field.
FREE_LOOKUPS = ["in", "regex", "range", "year"]
FREE_NAMES = ["pk__in", "id__regex", "nonexistent", "a\x00b__in"]
FREE_VALUES = ["a\x00b", "1111111111111111111111111", "("]
DATE_HIERARCHY_DAYS = [
    ("9999", "12", "31"),
    ("9999", "12", None),
    ("9999", None, None),
    ("1", "1", "1"),
    ("0", None, None),
    ("2020", "2", "30"),
    ("2020", "13", None),
    ("2020", "99999999999999999999", None),
    ("2020", None, "5"),
]


def pair(name, value):
    """(label, query string part) for ``name=value``; raw values stay as written."""
    raw = value in RAW_VALUES + MORE_RAW_VALUES
    return f"{name}={value[:20]!r}", f"{quote(name)}={value if raw else quote(value)}"


def declared_filters(model_admin, request):
    """Every list filter of ``model_admin`` as ChangeList.get_filters builds it,
    whether or not it has choices to show."""
    model = model_admin.model
    specs = []
    for list_filter in model_admin.get_list_filter(request):
        if callable(list_filter):
            specs.append(list_filter(request, {}, model, model_admin))
            continue
        field, filter_class = (
            list_filter if isinstance(list_filter, (tuple, list)) else (list_filter, None)
        )
        path = field if isinstance(field, str) else None
        if path is not None:
            field = get_fields_from_path(model, path)[-1]
        filter_class = filter_class or FieldListFilter.create
        specs.append(filter_class(field, request, {}, model, model_admin, field_path=path))
    return specs


def hostile_queries(model_admin, request):
    """(label, query string) pairs for one changelist."""
    specs = declared_filters(model_admin, request)
    parameters = [name for spec in specs for name in spec.expected_parameters()]
    paths = {getattr(spec, "field_path", None) for spec in specs} - {None}
    hierarchy = model_admin.date_hierarchy
    if hierarchy:
        parameters += [f"{hierarchy}__year", f"{hierarchy}__month", f"{hierarchy}__day"]
        paths.add(hierarchy)
    if model_admin.get_search_fields(request):
        parameters.append(SEARCH_VAR)

    queries = [pair(name, value) for name in parameters for value in HOSTILE_VALUES + RAW_VALUES]
    for value in HOSTILE_VALUES + RAW_VALUES + MORE_VALUES + MORE_RAW_VALUES:
        parts = [pair(name, value)[1] for name in parameters]
        queries.append((f"every filter={value[:20]!r}", "&".join(parts)))
    for value in OWN_VALUES:
        parts = [pair(name, value)[1] for name in OWN_PARAMETERS]
        queries.append((f"Django's own={value[:20]!r}", "&".join(parts)))
    for lookup in FREE_LOOKUPS if paths else []:  # one request per lookup, every field at once
        for value in FREE_VALUES:
            parts = [pair(f"{path}__{lookup}", value)[1] for path in sorted(paths)]
            queries.append((f"every field__{lookup}={value[:20]!r}", "&".join(parts)))
    queries += [pair(name, value) for name in FREE_NAMES for value in FREE_VALUES]
    if hierarchy:
        for day in DATE_HIERARCHY_DAYS:
            parts = [
                f"{hierarchy}__{part}={value}"
                for part, value in zip(("year", "month", "day"), day, strict=True)
                if value is not None
            ]
            queries.append(("&".join(parts), "&".join(parts)))
    return queries


class ChangelistFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("fuzz-admin", is_superuser=True)
        # Rows for every kind of filter to have choices: sections with a parent,
        # articles in several states, comments with reasons, moderation events.
        parent = make_section("Thời sự")
        section = make_section("An ninh", parent=parent)
        article = make_article(section=section, tags=["An ninh"])
        make_article(section=section, status="draft")
        add_credit(article, make_contributor("Trần Quốc"))
        add_photo(article, is_lead=True)
        Correction.objects.create(article=article, text="Sửa tên.")
        comment = make_comment(
            article, reasons=[{"code": "link", "label": "Có đường dẫn", "matches": []}]
        )
        comment.moderate("published", by=cls.admin)

    def setUp(self):
        self.client.force_login(self.admin)
        self.request = RequestFactory().get("/")
        self.request.user = self.admin

    def changelists(self):
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            yield model_admin, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def test_every_admin_uses_the_safe_changelist(self):
        for model_admin, url in self.changelists():
            with self.subTest(url):
                changelist = model_admin.get_changelist(self.request)
                self.assertTrue(issubclass(changelist, SafeChangeList))

    def test_hostile_query_strings_never_answer_500(self):
        self.client.raise_request_exception = True
        tried = 0
        for model_admin, url in self.changelists():
            for label, query in hostile_queries(model_admin, self.request):
                tried += 1
                with self.subTest(url=url, query=label):
                    # A savepoint: on PostgreSQL a failed statement would spoil the
                    # rest of the test's transaction.
                    with transaction.atomic():
                        response = self.client.get(f"{url}?{query}")
                    self.assertLess(response.status_code, 500)
                    if response.status_code == 200:
                        # Not Django's "Database error" page for wrong lookups.
                        self.assertTemplateNotUsed(response, "admin/invalid_setup.html")
                    if response.status_code in (301, 302):
                        self.assertNotIn(f"{ERROR_FLAG}=1", response["Location"])
        self.assertGreater(tried, 500)


class SafeChangeListTests(TestCase):
    """What an editor sees when a query string holds what the list cannot use."""

    DROPPED = "Bỏ qua bộ lọc không dùng được trong địa chỉ"

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("list-admin", is_superuser=True)
        cls.published = make_article(headline="Bài đã đăng trên trang")
        cls.draft = make_article(headline="Bài nháp chưa đăng", status=Article.Status.DRAFT)
        cls.url = reverse("admin:articles_article_changelist")

    def setUp(self):
        self.client.force_login(self.admin)

    def get(self, query):
        with transaction.atomic():
            return self.client.get(f"{self.url}?{query}")

    def test_nul_byte_in_a_filter_is_dropped_with_a_message(self):
        response = self.get("status__exact=a%00b")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.DROPPED)
        self.assertContains(response, "“status__exact”")
        self.assertContains(response, self.published.headline)
        self.assertContains(response, self.draft.headline)

    def test_absurd_year_is_dropped_with_a_message(self):
        for query in (
            "published_at__year=1111111111111111111111111",
            "published_at__year=9999",
            "published_at__year=2020&published_at__month=13",
            "published_at__year=-5",
        ):
            with self.subTest(query):
                response = self.get(query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.DROPPED)
                self.assertContains(response, self.draft.headline)

    def test_good_filters_still_filter(self):
        response = self.get("status__exact=draft")
        self.assertContains(response, self.draft.headline)
        self.assertNotContains(response, self.published.headline)
        self.assertNotContains(response, self.DROPPED)
        year = self.published.published_at.year
        response = self.get(f"published_at__year={year}")
        self.assertContains(response, self.published.headline)
        self.assertNotContains(response, self.DROPPED)

    def test_lookups_no_filter_offers_are_dropped(self):
        for query in ("status__regex=(", "id__in=1,99999999999999999999", "headline=x"):
            with self.subTest(query):
                response = self.get(query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.DROPPED)
                self.assertContains(response, self.draft.headline)

    def test_unknown_field_or_bad_value_shows_the_whole_list(self):
        # Django would redirect to ?e=1, its "Database error" page.
        for query in (
            "nonexistent=1",
            "section__id__exact=abc",
            "status__exact=draft&section__id__exact=abc",
        ):
            with self.subTest(query):
                response = self.get(query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.DROPPED)
                self.assertContains(response, self.published.headline)

    def test_page_past_the_last_shows_the_first(self):
        article_admin = type(admin.site._registry[Article])
        with mock.patch.object(article_admin, "list_per_page", 1):
            for page in ("99999999999999999999", "-1", "0"):
                with self.subTest(page):
                    response = self.get(f"p={page}")
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Không có trang này; đang hiện trang đầu.")
                    self.assertContains(response, self.draft.headline)  # the newest

    def test_lookups_django_forbids_stay_forbidden(self):
        response = self.get("created_by__password__startswith=pbkdf2")
        self.assertEqual(response.status_code, 400)
