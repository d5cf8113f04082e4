# ruff: noqa: S603, S607, S608 - a developer script: PostgreSQL client tools, EXPLAIN
"""Server time of the public pages, uncached, at a real archive on PostgreSQL.

    .venv/bin/python bench/pages_bench.py [--db newsroom_pages_bench]
        [--articles 100000] [--runs 30] [--keep] [--explain]

Creates the database, migrates and seeds it with ``seed_demo --articles``
(about five minutes at 100,000), unless ``--keep`` reuses it as it is; then
``VACUUM ANALYZE`` and, for each page, times ``--runs`` warm requests through
Django's test client (DEBUG off, the section menu warm, no page cache): the
median and the 95th percentile of the whole request and the median of its
database share (the time spent inside the database driver), with the number
of queries. ``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's
two slowest queries. Connects as postgres@127.0.0.1 unless PGHOST/PGUSER say
otherwise.

Pages: the newest and the oldest public article, home, a section page deep
in the archive (the 500th page of 20 rows by time, or the last in a smaller
archive, reached through the
"Xem tiếp" link's ``?truoc=`` keyset; the old ``?p=500`` address is a
bounded redirect), the sitemap index and one month's article sitemap.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEEP_PAGE = 500


def prepare(db, articles):
    host, user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
    pg = ["-h", host, "-U", user]
    subprocess.run(["dropdb", *pg, "--if-exists", db], check=True)
    subprocess.run(["createdb", *pg, "-E", "UTF8", "--lc-ctype=C.UTF-8",
                    "--lc-collate=C.UTF-8", "-T", "template0", db], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True)
    subprocess.run([*manage, "seed_demo", "--allow-demo-passwords", "--articles", str(articles)],
                   check=True)


def setup(db):
    host, user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
    os.environ["DATABASE_URL"] = f"postgres://{user}@{host}:5432/{db}"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Static files as collected in production, without running collectstatic.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    override_settings(STORAGES=storages).enable()


class DatabaseTimer:
    """Time spent in the database driver, and the SQL run, while installed."""

    def __init__(self):
        self.seconds, self.queries = 0.0, []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - start
            self.seconds += spent
            self.queries.append((spent, sql, params))


def pages():
    from articles.models import Article, Section

    public = Article.objects.published()
    newest = public.latest_first().first()
    oldest = public.order_by("published_at", "id").first()
    section = max(Section.objects.all(), key=lambda s: s.articles_showing().count())
    page, url = deep_section_url(section)
    found = {
        "newest article": newest.get_absolute_url(),
        "oldest article": oldest.get_absolute_url(),
        "home": "/",
        f"section, page {page}": url,
        "sitemap index": "/sitemap.xml",
        "sitemap, a month": month_sitemap_url(),
    }
    return found


def month_sitemap_url():
    """The article sitemap of the archive's middle month (its fullest, at the
    seed's even spread), or the middle page by number on code before the months."""
    try:
        from articles import sitemap_months
        from articles.sitemaps import month_location
    except ImportError:
        return "/sitemap-articles.xml?p=10"
    from django.conf import settings

    months = sitemap_months.public_months()
    location = month_location(months[len(months) // 2])
    return location.removeprefix(settings.NEWSROOM["SITE_URL"].rstrip("/"))


def deep_section_url(section):
    """The page number and address readers reach after DEEP_PAGE - 1 clicks on
    "Xem tiếp" (the section's last page in a smaller archive), or ``?p=`` on code
    that still pages by number."""
    from django.conf import settings

    from articles import views
    from articles.models import Article

    url = section.get_absolute_url()
    size = settings.NEWSROOM["PAGE_SIZE"]
    rows = Article.objects.published().in_section(section).latest_first()
    page = min(DEEP_PAGE, max(1, (rows.count() - 1) // size + 1))
    if page == 1:
        return page, url
    if not hasattr(views, "keyset_token"):  # before keyset pagination
        return page, f"{url}?p={page}"
    last = rows.values_list("published_at", "id")[(page - 1) * size - 1]
    return page, f"{url}?truoc={views.keyset_token(*last)}"


def measure(client, url, runs):
    from django.db import connection

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    totals, shares, count, timer = [], [], 0, None
    for _ in range(runs):
        timer = DatabaseTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            client.get(url)
            totals.append(time.perf_counter() - start)
        shares.append(timer.seconds)
        count = len(timer.queries)
    return totals, shares, count, timer


def explain(timer, top=2):
    from django.db import connection

    slowest = sorted(timer.queries, key=lambda query: query[0], reverse=True)[:top]
    for spent, sql, params in slowest:
        print(f"\n    -- {spent * 1000:.2f} ms: {sql[:300]}")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            for (line,) in cursor.fetchall():
                print(f"    {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="newsroom_pages_bench")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries")
    args = parser.parse_args()
    if not args.keep:
        setup_env = dict(os.environ)
        host = setup_env.get("PGHOST", "127.0.0.1")
        user = setup_env.get("PGUSER", "postgres")
        os.environ["DATABASE_URL"] = f"postgres://{user}@{host}:5432/{args.db}"
        prepare(args.db, args.articles)
    setup(args.db)

    from django.db import connection
    from django.test import Client

    from articles.models import Article

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    client = Client()
    total = Article.objects.count()
    version = connection.pg_version
    from django.conf import settings
    from django.test.utils import override_settings

    print(f"{total:,} articles, {args.runs} warm requests a page, PostgreSQL {version}")
    print("made: 'all' = every part of the page made again (fragments off, as right after")
    print("a purge); 'page' = the page made again from its kept fragments (the page cache")
    print("off or bypassed, the content unchanged)")
    print(f"{'page':<20} {'made':>5} {'median':>9} {'p95':>9} {'DB median':>10} {'queries':>8}")
    everything = {**settings.NEWSROOM, "FRAGMENT_CACHE_SECONDS": 0}
    for name, url in pages().items():
        for made in ("all", "page"):
            with override_settings(NEWSROOM=everything if made == "all" else settings.NEWSROOM):
                totals, shares, count, timer = measure(client, url, args.runs)
            median = statistics.median(totals) * 1000
            p95 = sorted(totals)[int(0.95 * (len(totals) - 1))] * 1000
            db = statistics.median(shares) * 1000
            print(f"{name:<20} {made:>5} {median:>7.1f}ms {p95:>7.1f}ms {db:>8.1f}ms {count:>8}")
            if args.explain and made == "all":
                print(f"    {url}")
                explain(timer)
                print()


if __name__ == "__main__":
    main()
