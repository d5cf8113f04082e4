# ruff: noqa: S603, S607, S310, S608, S106 - a developer script: wrk, gunicorn, varnishd, nginx
# on loopback; SQL and a secret key of its own, for its own databases
"""Requests a second over HTTP, wrk against gunicorn (issue 11, point 7).

    .venv/bin/python bench/http_bench.py [--sizes 10000,100000,300000]
        [--db-prefix newsroom_http_bench] [--keep] [--seconds 10]

For each archive size: a PostgreSQL database ``<prefix>_<size>`` seeded with
``seed_demo --articles`` (unless ``--keep`` finds it), then, one at a time, each
load on this machine with ``wrk -t2 -c16 -d<seconds>s``:

- gunicorn with 2 sync workers (deploy/gunicorn.conf.py), DEBUG off, Redis
  cache, persistent database connections: the **floor** (a plain Django view
  returning the saved bytes of the article page through the same middleware,
  bench/floor_urls.py), the article page **cached** (the page cache on) and,
  on a second gunicorn with the page cache off, **uncached**: the newest and the
  oldest article, home, a section page 500 pages deep, search, the RSS feed, the
  sitemap index and an article sitemap;
- the same article through **Varnish** (deploy/varnish/newsroom.vcl) in front
  of the cached gunicorn, next to **nginx serving the saved HTML file**.

It prints one table a size: requests a second, median and 99th-percentile
latency, the ratio to the floor (Varnish: to nginx) and any non-2xx answers or
socket errors, then the targets. Loopback only; every server it starts is
stopped at the end, and its Redis keys (own prefix) are deleted.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SEARCH = "giao thông"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, path="/robots.txt", process=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"server on {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                answer.read()
                return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"nothing answered on port {port}")


def database_exists(db):
    found = subprocess.run(
        ["psql", "-h", PGHOST, "-U", PGUSER, "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{db}'", "postgres"],
        capture_output=True, text=True, check=True,
    )
    return found.stdout.strip() == "1"


PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGUSER = os.environ.get("PGUSER", "postgres")


def discover(db, folder):
    """In a process of its own (Django set up on ``db``): the addresses to load
    and the article page's bytes, saved for the floor and for nginx."""
    sys.path.insert(0, str(BENCH))
    import pages_bench

    pages_bench.setup(db)
    from django.test import Client

    from articles.models import Article

    urls = pages_bench.pages()
    public = Article.objects.published()
    urls["search"] = "/tim-kiem/?" + urllib.parse.urlencode({"q": SEARCH})
    urls["RSS feed"] = "/rss.xml"
    newest = public.latest_first().first()
    page = Client().get(urls["newest article"])
    assert page.status_code == 200, page.status_code
    (Path(folder) / "article.html").write_bytes(page.content)
    index = Client().get("/sitemap.xml").content
    sitemaps = re.findall(rb"<loc>[^<]*?(/sitemap-[^<]+)</loc>", index)
    articles_sitemap = [loc.decode() for loc in sitemaps if b"news" not in loc][:1]
    if articles_sitemap:
        urls["an article sitemap"] = articles_sitemap[0].replace("&amp;", "&")
    urls["count"] = public.count()
    urls["newest id"] = newest.pk
    (Path(folder) / "urls.json").write_text(json.dumps(urls))


def server_env(db, folder, page_cache, redis_prefix):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{PGUSER}@{PGHOST}:5432/{db}",
        DATABASE_CONN_MAX_AGE="600",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-not-secret",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(Path(folder) / "static"),
        DJANGO_SETTINGS_MODULE="floor_settings",
        PYTHONPATH=f"{BENCH}{os.pathsep}{ROOT}",
        NEWSROOM_BENCH_FLOOR_FILE=str(Path(folder) / "article.html"),
        NEWSROOM_PAGE_CACHE_SECONDS="600" if page_cache else "0",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX=redis_prefix,
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_MAX_REQUESTS="0",
    )
    return env


def start_gunicorn(env, folder, name):
    port = free_port()
    log = open(Path(folder) / f"{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)],
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=log,
    )
    wait_for(port, process=process)
    return process, port


def start_varnish(folder, backend_port):
    work = Path(folder) / "varnish"
    work.mkdir()
    work.chmod(0o755)
    vcl = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
    (work / "newsroom.vcl").write_text(vcl)
    (work / "newsroom.vcl").chmod(0o644)
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-n", str(work / "state"), "-a", f"127.0.0.1:{port}",
         "-f", str(work / "newsroom.vcl"), "-s", "malloc,128m", "-T", "127.0.0.1:0"],
        stdout=subprocess.DEVNULL, stderr=open(work / "varnishd.log", "w"),  # noqa: SIM115
    )
    wait_for(port, process=process)
    return process, port


def start_nginx(folder):
    prefix = Path(folder) / "nginx"
    (prefix / "html").mkdir(parents=True)
    shutil.copy(Path(folder) / "article.html", prefix / "html" / "article.html")
    for path in (prefix, prefix / "html", prefix / "html" / "article.html"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = free_port()
    (prefix / "nginx.conf").write_text(f"""
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {prefix}/html;
    location / {{ default_type "text/html; charset=utf-8"; }}
  }}
}}
""")
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
         "-e", str(prefix / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for(port, "/article.html", process=process)
    return process, port


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(port, path, seconds):
    """wrk -t2 -c16: requests a second, median and p99 latency in ms, errors."""
    url = f"http://127.0.0.1:{port}{path}"
    # Warm: the page cache, Varnish, the workers' connections and templates.
    for _ in range(3):
        with urllib.request.urlopen(url, timeout=30) as answer:
            answer.read()
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(found.group(1)), found.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = []
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors.append(f"{found.group(1)} non-2xx")
    if found := re.search(r"Socket errors: (.*)", out):
        errors.append("socket " + found.group(1).strip())
    return rate, latency(50), latency(99), ", ".join(errors)


def measure_size(size, db, seconds, keep):
    if not (keep and database_exists(db)):
        sys.path.insert(0, str(BENCH))
        import pages_bench

        os.environ["DATABASE_URL"] = f"postgres://{PGUSER}@{PGHOST}:5432/{db}"
        pages_bench.prepare(db, size)
        subprocess.run(["psql", "-h", PGHOST, "-U", PGUSER, "-qc", "VACUUM ANALYZE", db],
                       check=True)
    folder = tempfile.mkdtemp(prefix="newsroom-http-bench-")
    Path(folder).chmod(0o755)
    subprocess.run([sys.executable, __file__, "--discover", db, folder], check=True,
                   env={**os.environ, "NEWSROOM_PAGE_CACHE_SECONDS": "0"})
    urls = json.loads((Path(folder) / "urls.json").read_text())
    article = urls["newest article"]
    prefix = f"http-bench-{os.getpid()}-{size}"
    env = server_env(db, folder, page_cache=False, redis_prefix=prefix)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
                   env=env, check=True, cwd=ROOT)
    rows, running = [], []
    try:
        # The uncached pages, and the floor, on the gunicorn without a page cache.
        server, port = start_gunicorn(env, folder, "uncached")
        running.append(server)
        floor_row = wrk(port, "/__bench/floor/", seconds)
        rows.append(("floor (plain Django view, same bytes)", *floor_row))
        floor = rows[-1][1]
        deep = next(name for name in urls if name.startswith("section, page"))
        names = ["newest article", "oldest article", "home", deep, "search",
                 "RSS feed", "sitemap index", "an article sitemap"]
        for name in names:
            if name in urls:
                rows.append((f"{name}, uncached", *wrk(port, urls[name], seconds)))
        stop(server)
        running.remove(server)
        # The page cache on: the cached article, then Varnish in front of it.
        cached = server_env(db, folder, page_cache=True, redis_prefix=prefix)
        # As on a live site, some purge has happened (the purge counter exists).
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c",
             "from articles import caching; caching.purge_keys(['http-bench'])"],
            env=cached, check=True, cwd=ROOT,
        )
        server, port = start_gunicorn(cached, folder, "cached")
        running.append(server)
        rows.append(("newest article, cached (Redis page cache)", *wrk(port, article, seconds)))
        rows.append(("home, cached", *wrk(port, "/", seconds)))
        varnish, varnish_port = start_varnish(folder, port)
        running.append(varnish)
        rows.append(("newest article through Varnish", *wrk(varnish_port, article, seconds)))
        nginx, nginx_port = start_nginx(folder)
        running.append(nginx)
        rows.append(("saved HTML file from nginx", *wrk(nginx_port, "/article.html", seconds)))
    finally:
        for process in running:
            stop(process)
        keys = subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "--scan", "--pattern",
                               f"{prefix}:*"], capture_output=True, text=True).stdout.split()
        for start in range(0, len(keys), 500):
            subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "DEL", *keys[start:start + 500]],
                           capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    return urls["count"], floor, rows


def report(size, count, floor, rows):
    print(f"\n{count:,} public articles (seed_demo --articles {size:,}), wrk -t2 -c16")
    print(f"{'load':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ floor':>8}  errors")
    nginx = next(rate for name, rate, *_ in rows if name.startswith("saved HTML"))
    for name, rate, p50, p99, errors in rows:
        ratio = f"{rate / floor:.2f}"
        if name.endswith("Varnish"):
            ratio += f" ({rate / nginx:.2f} of nginx)"
        print(f"{name:<44} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} {ratio:>8}  {errors}")
    rates = {name: rate for name, rate, *_ in rows}
    varnish = rates["newest article through Varnish"]
    print("targets: cached article ≥ 0.8 of the floor: "
          f"{rates['newest article, cached (Redis page cache)'] / floor:.2f}; "
          f"Varnish ≥ 0.5 of nginx: {varnish / nginx:.2f}; "
          f"uncached article ≥ 1/3 of the floor: {rates['newest article, uncached'] / floor:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--db-prefix", default="newsroom_http_bench")
    parser.add_argument("--keep", action="store_true", help="reuse databases that exist")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--discover", nargs=2, metavar=("DB", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.discover:
        return discover(*args.discover)
    for tool in ("wrk", VARNISHD, NGINX):
        if not shutil.which(tool) and not Path(tool).exists():
            raise SystemExit(f"{tool} missing: apt-get install wrk varnish varnish-modules nginx")
    for size in (int(value) for value in args.sizes.split(",")):
        count, floor, rows = measure_size(size, f"{args.db_prefix}_{size}", args.seconds, args.keep)
        report(size, count, floor, rows)
    return None


if __name__ == "__main__":
    main()
