# ruff: noqa: S603, S607, S608 - a developer script that runs gunicorn and the PostgreSQL tools
"""A burst of reader comments: N readers post on one article at the same moment.

    .venv/bin/python bench/comment_burst.py [--db newsroom_comment_burst] [--clients 200]
        [--workers 3] [--port 8761] [--serial 30] [--keep-db]

Production-like: gunicorn with ``deploy/gunicorn.conf.py`` (sync workers,
DEBUG off, a secret key, persistent database connections), PostgreSQL (a
database of its own, dropped and recreated) and Redis (``REDIS_URL``,
``redis://127.0.0.1:6379/0`` by default, under a key prefix of its own that is
deleted afterwards), on a loopback port.

1. Seeds one published article (``manage.py shell``).
2. Every reader, from an address of their own (``X-Real-IP``, trusted through
   ``NEWSROOM_CLIENT_IP_HEADER=HTTP_X_REAL_IP`` as behind our nginx), fetches
   the CSRF and render tokens from ``/binh-luan/token/`` as comments.js does.
3. It waits until the tokens are older than ``NEWSROOM_COMMENTS_MIN_SECONDS``
   (the time trap is left on, at its default of 5 seconds), then all readers
   post at once (a barrier releases the threads) with ``Accept:
   application/json``, as comments.js does.
4. Prints p50/p95/max latency, the status codes, the CPU the gunicorn
   workers and their PostgreSQL backends used a post, and checks that every
   comment is stored exactly once. Then ``--serial`` more readers post one
   after another: the median is one post's server time plus loopback HTTP.

The per-article rate limit (60 a minute by default) would refuse most of a
burst of 200 on one article with 429, by design; the bench raises it
(``NEWSROOM_COMMENTS_RATE_PER_ARTICLE``) so the burst measures posting, not
refusing. Everything else is the default: pre-moderation, every rule on.
Bounded: every request has a timeout and gunicorn is stopped at the end.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
TIMEOUT = 60  # seconds, per request


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def environment(args):
    pg_host, pg_user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://{pg_user}@{pg_host}:5432/{args.db}",
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": args.prefix,
        "NEWSROOM_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "NEWSROOM_COMMENTS_RATE_PER_ARTICLE": "100000/60",
        "NEWSROOM_COMMENTS_MODE": args.mode,
        "GUNICORN_BIND": f"{HOST}:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": "1",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }


def prepare(args, env):
    pg = ["-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "postgres")]
    if not args.keep_db:
        subprocess.run(["dropdb", *pg, "--if-exists", args.db], check=True)
        subprocess.run(
            ["createdb", *pg, "-E", "UTF8", "--lc-ctype=C.UTF-8", "--lc-collate=C.UTF-8",
             "-T", "template0", args.db],
            check=True,
        )
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
        check=True,
    )
    seed = (
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from articles.models import Article, Section\n"
        "from comments.models import Comment\n"
        "Comment.objects.all().delete()\n"
        "section, _ = Section.objects.get_or_create(name='Thời sự')\n"
        "now = timezone.now() - timedelta(minutes=5)\n"
        "article = Article.objects.create(headline='Bài nóng', lead='Tin nóng.',"
        " body='<p>Nội dung.</p>', section=section, status=Article.Status.PUBLISHED,"
        " published_at=now, first_published_at=now)\n"
        "print(article.pk)\n"
    )
    return int(django_shell(seed, env))


def django_shell(code, env):
    """Run ``code`` with ``manage.py shell`` in the bench's environment; its last line."""
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def wait_for_port(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {HOST}:{port}")


def request(port, method, path, headers, body=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


class Reader:
    def __init__(self, number, article_id):
        self.number = number
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 + 1}"
        self.article_id = article_id
        self.body = f"Ý kiến số {number} của bạn đọc: bài viết rất đáng đọc, cảm ơn tòa soạn."
        self.status = self.latency = None

    def fetch_token(self, port):
        address = {"X-Real-IP": self.address}
        status, headers, body = request(port, "GET", "/binh-luan/token/", address)
        assert status == 200, status
        data = json.loads(body)
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        self.cookie = "; ".join(cookies)
        self.csrf, self.rendered = data["token"], data["rendered"]
        self.fetched = time.time()

    def post(self, port):
        form = urllib.parse.urlencode(
            {"name": f"Bạn đọc {self.number}", "email": "", "body": self.body, "parent": "",
             "website": "", "rendered": self.rendered}
        )
        headers = {
            "X-Real-IP": self.address,
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        start = time.perf_counter()
        try:
            self.status, _, _ = request(
                port, "POST", f"/binh-luan/{self.article_id}/gui/", headers, form.encode()
            )
        except OSError as error:
            self.status = type(error).__name__
        self.latency = time.perf_counter() - start


def cpu_seconds(pids):
    """User + system CPU seconds used so far by the processes ``pids``."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def workers_of(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def database_backends(db):
    """The PostgreSQL backends serving ``db`` (the workers' persistent connections)."""
    pg = ["-h", os.environ.get("PGHOST", "127.0.0.1"), "-U", os.environ.get("PGUSER", "postgres")]
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    out = subprocess.run(["psql", *pg, "-tAc", query, "postgres"], capture_output=True, text=True)
    return [int(line) for line in out.stdout.split()]


def run_burst(port, readers):
    barrier = threading.Barrier(len(readers))

    def go(reader):
        barrier.wait()
        reader.post(port)

    threads = [threading.Thread(target=go, args=(reader,)) for reader in readers]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    return time.perf_counter() - start


def summary(label, readers):
    latencies = [reader.latency for reader in readers]
    codes = {}
    for reader in readers:
        codes[reader.status] = codes.get(reader.status, 0) + 1
    print(
        f"{label}: {len(readers)} posts  p50 {statistics.median(latencies) * 1000:.0f} ms  "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms  max {max(latencies) * 1000:.0f} ms  "
        f"statuses {codes}"
    )


def cpu(before, after, posts):
    app, database = after[0] - before[0], after[1] - before[1]
    print(
        f"  CPU a post: gunicorn workers {app * 1000 / posts:.1f} ms, "
        f"PostgreSQL backends {database * 1000 / posts:.1f} ms"
    )


def stored(env, readers):
    bodies = json.dumps([reader.body for reader in readers])
    check = (
        "import json\n"
        "from django.db.models import Count\n"
        "from comments.models import Comment\n"
        f"bodies = json.loads({bodies!r})\n"
        "rows = dict(Comment.objects.filter(body__in=bodies).values_list('body')"
        ".annotate(n=Count('id')).values_list('body', 'n'))\n"
        "print(json.dumps([rows.get(b, 0) for b in bodies]))\n"
    )
    return json.loads(django_shell(check, env))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="newsroom_comment_burst")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--prefix", default="bench-comment-burst")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8761)
    parser.add_argument("--serial", type=int, default=30)
    parser.add_argument(
        "--mode", default="pre", choices=["pre", "post"],
        help="pre-moderation (held, the default) or post (published at once: counted on the"
        " article's row)",
    )
    parser.add_argument("--keep-db", action="store_true", help="reuse the migrated database")
    args = parser.parse_args()
    env = environment(args)
    article_id = prepare(args, env)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env,
        start_new_session=True,
    )
    try:
        wait_for_port(args.port, time.monotonic() + 30)
        burst = [Reader(n, article_id) for n in range(args.clients)]
        serial = [Reader(args.clients + n, article_id) for n in range(args.serial)]
        for reader in burst + serial:
            reader.fetch_token(args.port)
        # Warm every worker (imports, connections, the word lexicon) with a GET.
        for _ in range(args.workers * 3):
            request(args.port, "GET", f"/binh-luan/{article_id}/", {"X-Real-IP": "10.255.0.1"})
        min_seconds = int(env.get("NEWSROOM_COMMENTS_MIN_SECONDS", "5"))
        wait = burst[-1].fetched + min_seconds + 0.5 - time.time()
        if wait > 0:
            time.sleep(wait)
        workers, backends = workers_of(server.pid), database_backends(args.db)
        before = cpu_seconds(workers), cpu_seconds(backends)
        client = time.process_time()
        took = run_burst(args.port, burst)
        client = time.process_time() - client
        after = cpu_seconds(workers), cpu_seconds(backends)
        summary(f"burst ({args.workers} workers, {took:.1f} s wall)", burst)
        cpu(before, after, len(burst))
        print(f"  (this bench's own client threads: {client * 1000 / len(burst):.1f} ms a post)")
        before = cpu_seconds(workers), cpu_seconds(backends)
        for reader in serial:
            reader.post(args.port)
        after = cpu_seconds(workers), cpu_seconds(backends)
        summary("serial (one at a time)", serial)
        cpu(before, after, len(serial))
        counts = stored(env, burst + serial)
        wrong = [reader.number for reader, n in zip(burst + serial, counts, strict=True) if n != 1]
        print(f"stored once: {len(counts) - len(wrong)} of {len(counts)}")
        if wrong:
            print(f"not stored exactly once: readers {wrong[:20]}")
            return 1
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        script = (
            f"for _, k in ipairs(redis.call('keys', '{args.prefix}:*')) do redis.call('del', k) end"
        )
        subprocess.run(["redis-cli", "-u", args.redis, "eval", script, "0"], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
