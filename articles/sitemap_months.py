"""The months of the article sitemaps: which months have public articles, each
month's latest modification, and where a month too big for one sitemap file splits.

A month is a calendar month in the paper's time zone (``TIME_ZONE``): an article
published at 23:30 on 30 November, Hà Nội time, is in November's sitemap though
it is already December in UTC. A month's ``lastmod`` is exactly the latest
``modified`` (``meta.modified_expression``: first publication, publication,
editorial update, correction) of the public articles its sitemap lists.

On PostgreSQL ``public_months`` costs a few index probes a month, never a pass
over the articles: the months come from a loose index scan of
``article_public_time`` (a recursive CTE jumping from each month to the newest
article before it), and for each month one ``LIMIT 1`` probe of the expression
index ``article_public_month_modified`` (month, row modification time) and two of
``article_public_month_id`` (month, id) bound its size; only the corrections table
(a few rows a week) is read whole, grouped by month. Computed live, not stored in
a table of months kept up to date on publication: every way an article reaches
the public (a scheduled time passing with no write at all, a bulk import, a
``QuerySet.update``) is then right by construction. The indexes are made in the
``TIME_ZONE`` of the migration (0015); after changing ``TIME_ZONE`` the queries
stay right but slow until those two indexes are rebuilt.

On other databases (SQLite in development) one ``GROUP BY`` over the public
articles gives the same rows.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connections
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .meta import local, modified_expression
from .models import Article

# The protocol's limit for one sitemap file; a month holding more is split.
MONTH_LIMIT = 50_000

_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")


def zone_name():
    """``TIME_ZONE``, checked to be a plain zone name: it is written into SQL as
    a literal, so that the query's month expression is the index's."""
    name = settings.TIME_ZONE
    if not _ZONE_NAME.match(name):
        raise ValueError(f"TIME_ZONE {name!r} is not a zone name")
    return name


def month_sql(column):
    """The month (local wall time, first instant) of ``column``, as the indexes say it."""
    return f"date_trunc('month', {column} AT TIME ZONE '{zone_name()}')"


def row_modified_sql(table):
    """``modified_expression`` without the corrections, on ``table``'s columns."""
    published = f"{table}.published_at"
    return (
        f"GREATEST(COALESCE({table}.first_published_at, {published}), {published},"
        f" COALESCE({table}.updated_at, {published}))"
    )


def public_sql(table):
    statuses = ", ".join(f"'{status}'" for status in Article.PUBLIC_STATUSES)
    return f"{table}.status IN ({statuses})"


def index_statements():
    """The two PostgreSQL expression indexes ``public_months`` probes (migration 0015)."""
    month = month_sql("published_at")
    public = public_sql("articles_article")
    return [
        "CREATE INDEX IF NOT EXISTS article_public_month_modified ON articles_article"
        f" (({month}), ({row_modified_sql('articles_article')}) DESC) WHERE {public}",
        "CREATE INDEX IF NOT EXISTS article_public_month_id ON articles_article"
        f" (({month}), id) WHERE {public}",
    ]


@dataclass
class Month:
    start: datetime  # the month's first instant, in the paper's time zone
    lastmod: datetime  # the latest ``modified`` of its public articles
    span: int  # at least its number of public articles (the exact count on SQLite)


def month_start(year, month):
    """The first instant of ``year``-``month`` in the paper's time zone."""
    return timezone.make_aware(datetime(year, month, 1), timezone.get_default_timezone())


def next_month(start):
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return month_start(year, month)


def public_months(now=None):
    """Every month with public articles, newest first, in one query."""
    now, zone = now or timezone.now(), timezone.get_default_timezone()
    if connections[Article.objects.db].vendor == "postgresql":
        rows = _postgresql_months(now)
    else:
        rows = (
            Article.objects.published(now)
            .annotate(
                month=TruncMonth("published_at", tzinfo=timezone.get_default_timezone()),
                modified=modified_expression(),
            )
            .order_by()
            .values("month")
            .annotate(lastmod=Max("modified"), span=Count("id"))
            .order_by("-month")
            .values_list("month", "lastmod", "span")
        )
    return [
        Month(start=timezone.localtime(start, zone), lastmod=local(lastmod), span=span)
        for start, lastmod, span in rows
    ]


def _postgresql_months(now):
    with connections[Article.objects.db].cursor() as cursor:
        cursor.execute(months_sql(), {"now": now})
        zone = timezone.get_default_timezone()
        return [
            (timezone.make_aware(start, zone), lastmod, span) for start, lastmod, span in cursor
        ]


def months_sql():
    """``public_months``' query on PostgreSQL (``now``: a named parameter)."""
    month, public = month_sql("a.published_at"), public_sql("a")
    # The scalar subqueries are LIMIT 1 index probes; the recursion jumps a month at a time.
    sql = f"""
        WITH RECURSIVE months(month) AS (
            (SELECT {month} FROM articles_article a
             WHERE {public} AND a.published_at <= %(now)s
             ORDER BY a.published_at DESC, a.id DESC LIMIT 1)
            UNION ALL
            SELECT (SELECT {month} FROM articles_article a
                    WHERE {public} AND a.published_at < m.month AT TIME ZONE '{zone_name()}'
                    ORDER BY a.published_at DESC, a.id DESC LIMIT 1)
            FROM months m WHERE m.month IS NOT NULL
        ),
        corrected AS (
            SELECT {month} AS month, max(c.published_at) AS at
            FROM articles_correction c JOIN articles_article a ON a.id = c.article_id
            WHERE {public} AND a.published_at <= %(now)s
            GROUP BY 1
        )
        SELECT m.month,
            GREATEST(
                (SELECT {row_modified_sql("a")} FROM articles_article a
                 WHERE {public} AND {month} = m.month AND a.published_at <= %(now)s
                 ORDER BY {row_modified_sql("a")} DESC LIMIT 1),
                corrected.at),
            (SELECT a.id FROM articles_article a WHERE {public} AND {month} = m.month
             ORDER BY a.id DESC LIMIT 1)
            - (SELECT a.id FROM articles_article a WHERE {public} AND {month} = m.month
               ORDER BY a.id LIMIT 1) + 1
        FROM months m LEFT JOIN corrected ON corrected.month = m.month
        WHERE m.month IS NOT NULL
        ORDER BY m.month DESC
    """  # noqa: S608 (constants only: statuses and a checked zone name; ``now`` is bound)
    return sql


def month_rows(start, now=None):
    """The public articles of the month starting at ``start``, oldest first (new
    articles end a month's list, so its first pages stay as they were)."""
    now = now or timezone.now()
    return (
        Article.objects.published(now)
        .filter(published_at__gte=start, published_at__lt=next_month(start))
        .order_by("published_at", "id")
    )


def after(rows, key):
    """``rows`` (oldest first) after the row (published_at, pk) ``key``."""
    if key is None:
        return rows
    at, pk = key
    return rows.filter(published_at__gte=at).exclude(published_at=at, pk__lte=pk)


def page_starts(month, now=None, limit=None):
    """Where the pages of ``month`` start: ``[None]`` (one page) unless it may hold
    more than ``limit`` articles; then also the key (published_at, pk) of the last
    row of each full page, found by walking the month once (a month that big is an
    import's doing, not a paper's)."""
    limit = limit or MONTH_LIMIT
    starts = [None]
    if month.span <= limit:
        return starts
    rows = month_rows(month.start, now).values_list("published_at", "pk")
    while True:
        page = list(after(rows, starts[-1])[limit - 1 : limit + 1])
        if len(page) < 2:
            return starts
        starts.append(page[0])
