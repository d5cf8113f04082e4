"""Health checks for a load balancer or a proxy in front (README, "Health checks").

* ``/healthz``: the process is up and answers. Touches nothing else: a probe
  that restarts a process must not restart it because the database is down.
* ``/readyz``: this app server can serve: the primary database answers, the
  cache keeps a value, the media storage answers. The replicas are checked too
  (reachable, lag under ``NEWSROOM["REPLICA_MAX_LAG"]``), which also refreshes
  what the router knows, but a replica down or behind never makes a server "not
  ready": its reads go to the primary and it serves correctly, and every server
  shares the replicas, so failing on them would take the whole site out of the
  balancer at once.

Both answer a plain ``ok`` (200) or ``not ready`` (503), words for a machine
that a probe may match, and are never stored by any cache. What failed is
written to the log (WARNING) and told only to a caller sending the
``X-Health-Token`` header equal to ``NEWSROOM["HEALTH_TOKEN"]`` (unset: to
nobody); a public address never learns which engine is down.

They are answered by ``HealthMiddleware``, near the top of MIDDLEWARE and
before any URL, so that a probe is cheap and answers whatever ``Host`` header
it sends (a balancer probes by address, not by the site's name) and over plain
HTTP even when the site redirects to HTTPS.
"""

import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse

from . import replicas

logger = logging.getLogger(__name__)

# A name the storage is asked about: whether it exists does not matter, only that
# the storage answers (a HEAD request on S3, a stat on local disk).
STORAGE_PROBE_NAME = "readyz-probe"
CACHE_PROBE_KEY = "readyz:probe"


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache.set(CACHE_PROBE_KEY, 1, timeout=10)
    if cache.get(CACHE_PROBE_KEY) != 1:
        raise RuntimeError("the cache did not keep a value")


def check_storage():
    default_storage.exists(STORAGE_PROBE_NAME)


REQUIRED = {"database": check_database, "cache": check_cache, "storage": check_storage}


def run_checks():
    """``(ready, results)``: each check's "ok" or its error, required ones first."""
    results = {}
    for name, probe in REQUIRED.items():
        try:
            probe()
        # A probe must answer 503 whatever an engine's client raises (psycopg,
        # redis, boto3 each have their own errors); the error is logged below.
        except Exception as failure:  # noqa: BLE001
            results[name] = f"{type(failure).__name__}: {failure}".strip()
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    for alias in replicas.replica_aliases():
        usable, lag, error = replicas.check(alias)
        results[alias] = f"ok (lag {lag:.1f} s)" if usable else error
    failed = {name: result for name, result in results.items() if not result.startswith("ok")}
    if failed:
        logger.warning("Readiness: %s", "; ".join(f"{k}: {v}" for k, v in failed.items()))
    return ready, results


def shows_details(request):
    token = settings.NEWSROOM["HEALTH_TOKEN"]
    given = request.headers.get("X-Health-Token", "")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def answer(text, status):
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def healthz(request):
    return answer("ok", 200)


def readyz(request):
    ready, results = run_checks()
    status = 200 if ready else 503
    if shows_details(request):
        response = JsonResponse({"ready": ready, "checks": results}, status=status)
        response["Cache-Control"] = "private, no-store"
        return response
    return answer("ok" if ready else "not ready", status)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthMiddleware:
    """Answers ``/healthz`` and ``/readyz`` (GET or HEAD) before the rest of the
    stack looks at the host, the scheme, the session or the URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
