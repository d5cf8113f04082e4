# ruff: noqa: S603, S607 - a developer script that runs the PostgreSQL client tools
"""Search latency at 100,000 articles on PostgreSQL.

    .venv/bin/python bench/search_bench.py [--db newsroom_bench] [--articles 100000]
        [--runs 30] [--keep]

Creates the database (UTF-8 ctype, so trigrams keep Vietnamese letters),
migrates, seeds with ``seed_demo --articles``, then times each query through
``articles.search.find`` as the search page runs it (the search, the count
and the first page) and as the whole page.
Connects as postgres@127.0.0.1 unless PGHOST/PGUSER say otherwise.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "đảm bảo an ninh",
    "dam bao an ninh",
    "an ninh đảm bảo",  # the same words in another order
    "bảo đảm an toàn giao thông",
    "giao thông an toàn bảo đảm",  # five words, any order
    "nông nghiệp",
    "nông",  # one word
    "GIAO THONG",
    "học sinh",
    "tiêm chủng mở rộng",
    '"an ninh" đảm bảo',  # a quoted phrase and plain words
    '"tiêm chủng mở rộng"',  # a quoted phrase
    "ttxvn",  # a byline (labels)
    "xâm nhập mặn cù lao",  # a tag and words
    "nong ngheip",  # typo: corrected against the word list
    "tiem chnug mo rong",  # typo
    "phát triển nông ngh",  # unfinished word: completed
    "xâm nhập m",  # unfinished word
    "khánh thành",  # a word in no article: corrected, or a suggestion
    "ninh an",  # the words of "an ninh" reversed
    "zzzqqq",  # nothing: the latest articles
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def prepare(db, articles):
    host, user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
    pg = ["-h", host, "-U", user]
    subprocess.run(["dropdb", *pg, "--if-exists", db], check=True)
    subprocess.run(
        [
            "createdb",
            *pg,
            "-E",
            "UTF8",
            "--lc-ctype=C.UTF-8",
            "--lc-collate=C.UTF-8",
            "-T",
            "template0",
            db,
        ],
        check=True,
    )
    env = {**os.environ, "DATABASE_URL": f"postgres://{user}@{host}:5432/{db}"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "seed_demo", "--articles", str(articles)], check=True, env=env, cwd=ROOT
    )
    print(f"seeded in {time.perf_counter() - started:.0f} s")
    subprocess.run(["psql", *pg, db, "-qc", "VACUUM ANALYZE articles_article"], check=True)
    return env["DATABASE_URL"]


def timed(action, runs):
    """Milliseconds of ``runs`` calls of ``action``, after two warm-up calls."""
    timings = []
    for _ in range(runs + 2):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings[2:]


def backend_cpu_ms(pid):
    """CPU milliseconds the PostgreSQL backend ``pid`` used so far (local server,
    Linux: /proc), or ``None`` when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def run(url, runs):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # As in production: no query log, a real host name.
    os.environ.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="bench.invalid")
    os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"  # every request searches and renders
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article
    from articles.search import find

    size = settings.NEWSROOM["PAGE_SIZE"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    client, page_url = Client(HTTP_HOST="bench.invalid"), reverse("articles:search")
    print(f"{Article.objects.published().count()} published articles, {runs} runs per query")
    print("search: find, count and first page; page: the whole search page, rendered")
    print("cpu: mean CPU ms of a page, this process and its PostgreSQL backend (no waits)")
    print(
        f"{'query':<28} {'hits':>5} {'search median':>13} {'p95':>6} "
        f"{'page median':>11} {'p95':>6} {'cpu':>6}"
    )
    searches, pages = [], []
    for query in QUERIES:
        hits = []

        def search_once(query=query, hits=hits):
            page = Paginator(find(Article.objects.published(), query).listing(), size).page(1)
            hits[:] = [page.paginator.count]
            list(page.object_list)

        def page_once(query=query):
            response = client.get(page_url, {"q": query})
            assert response.status_code == 200, response.status_code  # noqa: S101 - a script

        search = timed(search_once, runs)
        cpu_before = time.process_time(), backend_cpu_ms(backend)
        page = timed(page_once, runs)
        cpu_ms = (time.process_time() - cpu_before[0]) * 1000
        if cpu_before[1] is not None:
            cpu_ms += backend_cpu_ms(backend) - cpu_before[1]
        cpu_ms /= runs + 2  # timed() adds two warm-ups
        searches += search
        pages += page
        print(
            f"{query:<28} {hits[0]:>5} {statistics.median(search):>13.1f} "
            f"{percentile(search, 0.95):>6.1f} {statistics.median(page):>11.1f} "
            f"{percentile(page, 0.95):>6.1f} {cpu_ms:>6.1f}"
        )
    print(
        f"{'overall':<28} {'':>5} {statistics.median(searches):>13.1f} "
        f"{percentile(searches, 0.95):>6.1f} {statistics.median(pages):>11.1f} "
        f"{percentile(pages, 0.95):>6.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "newsroom_bench"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    if args.keep:
        host, user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
        url = f"postgres://{user}@{host}:5432/{args.db}"
    else:
        url = prepare(args.db, args.articles)
    run(url, args.runs)


if __name__ == "__main__":
    main()
