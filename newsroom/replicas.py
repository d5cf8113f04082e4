"""Read replicas: which database a query goes to (README, "Read replicas").

``DATABASE_REPLICA_URLS`` adds the aliases ``replica_0``, ``replica_1``… to
DATABASES. Only a reader's public page may read from one: ``ReplicaMiddleware``
marks such a request (a GET or HEAD of a URL declared ``shareable``, by a reader
who is not logged in, holds no held comment of their own and has not just
posted), and ``ReplicaRouter`` sends that request's reads to one replica, chosen
once per request. Everything else reads from the primary: the admin, a
logged-in user, every read inside a transaction, every read after a write in
the same request, management commands, tasks and tests (no request marked
them).

A reader who has just posted (any method but GET and HEAD) carries a
short-lived cookie for ``NEWSROOM["REPLICA_PIN_SECONDS"]``: their next pages
read from the primary, so they see their own comment even if the replicas are
behind; it is a reader cookie, so a cache in front passes those pages too.

A replica is used only while it answers and is no more than
``NEWSROOM["REPLICA_MAX_LAG"]`` seconds behind; each process measures that at
most every ``REPLICA_CHECK_SECONDS``. Nor is it used while it has not replayed
the last change whose pages were purged (``note_change``, from the purges): a
page rebuilt from it would put the old text back into the page cache and the
proxy, for their whole lifetime, just after the purge took it out. One that
fails to connect is left alone for ``REPLICA_RETRY_SECONDS`` (a dead replica
costs one request its short ``connect_timeout`` in that time, not every
request); with no usable replica, reads go to the primary.
"""

import contextlib
import contextvars
import logging
import random
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from articles import caching

logger = logging.getLogger(__name__)

PREFIX = "replica_"
PIN_COOKIE = "newsroom_primary"
SAFE_METHODS = {"GET", "HEAD"}
CHANGE_KEY = "replicas:changed-lsn"  # in the shared cache: the primary's WAL position

# The lag of a PostgreSQL standby in seconds: none while it has replayed all it
# received (an idle primary writes nothing, and the last replay time grows old
# without the replica being behind; after a restart the received position starts
# at the beginning of a WAL segment, before the replayed one), else the age of
# the last replayed commit (NULL, unknown, when none was replayed since start).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""
# How far it has replayed, as a number (NULL on a server that is not a standby).
REPLAYED_SQL = "SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn"


def setting(name):
    return settings.NEWSROOM[f"REPLICA_{name}"]


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


# What each process knows of each replica ---------------------------------------------------------

# alias -> (monotonic time of the check, usable, unreachable, lag in seconds or None, error text)
_known = {}
# alias -> the WAL position it had replayed at the last check (None: not a standby)
_replayed = {}


def check(alias):
    """Connect to ``alias`` and measure its lag; remember and return
    ``(usable, lag, error)``. Called by the router when what it knows is old,
    and by /readyz."""
    lag, error, unreachable = None, "", False
    try:
        connection = connections[alias]
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                value = cursor.fetchone()[0]
                cursor.execute(REPLAYED_SQL)
                replayed = cursor.fetchone()[0]
            lag = None if value is None else float(value)
            _replayed[alias] = None if replayed is None else int(replayed)
        else:
            lag = 0.0
    except DatabaseError as failure:
        error = str(failure).strip() or type(failure).__name__
        unreachable = True
        connections[alias].close()
    usable = not error and lag is not None and lag <= setting("MAX_LAG")
    if not error and not usable:
        error = "lag unknown" if lag is None else f"lag {lag:.1f} s"
    was = _known.get(alias)
    if was is None or was[1] != usable:
        if usable:
            logger.info("Replica %s is in use again (lag %.1f s).", alias, lag)
        else:
            logger.warning("Replica %s is not used, reads go to the primary: %s", alias, error)
    _known[alias] = (time.monotonic(), usable, unreachable, lag, error)
    return usable, lag, error


def is_usable(alias):
    """Whether ``alias`` may serve reads now: from what this process knows if it
    is recent enough (an unreachable replica is left alone longer), else checked."""
    known = _known.get(alias)
    if known is not None:
        checked, usable, unreachable = known[:3]
        wait = setting("RETRY_SECONDS") if unreachable else setting("CHECK_SECONDS")
        if time.monotonic() - checked < wait:
            return usable
    return check(alias)[0]


def note_change():
    """A change readers see has committed and its pages are being purged: until a
    replica has replayed it, pages are read from the primary. Called by the purges,
    after the commit."""
    primary = connections[DEFAULT_DB_ALIAS]
    if not replica_aliases() or primary.vendor != "postgresql":
        return
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
            position = int(cursor.fetchone()[0])
    except DatabaseError as failure:  # the purge itself must still run
        logger.warning("No WAL position for the replicas after a change: %s", failure)
        return
    cache.set(CHANGE_KEY, position, timeout=None)


def has_replayed(alias, position):
    """Whether ``alias`` has replayed the primary's WAL up to ``position``: from the
    last check, or checked again now when that one was before it."""
    if position is None:
        return True
    replayed = _replayed.get(alias, 0)
    if replayed is not None and replayed < position:
        check(alias)
        replayed = _replayed.get(alias, 0)
    return replayed is None or replayed >= position


def pick():
    """A usable replica, chosen at random (spreading requests over the replicas),
    connected; None when none is."""
    aliases = replica_aliases()
    changed = cache.get(CHANGE_KEY)
    for alias in random.sample(aliases, len(aliases)):
        if not is_usable(alias) or not has_replayed(alias, changed):
            continue
        try:
            connections[alias].ensure_connection()
        except DatabaseError as failure:
            connections[alias].close()
            _known[alias] = (time.monotonic(), False, True, None, str(failure).strip())
            logger.warning("Replica %s is not used, reads go to the primary: %s", alias, failure)
            continue
        return alias
    return None


# The request ------------------------------------------------------------------------------------


class _Reads:
    """A request's choice: the replica its reads go to, chosen at its first read."""

    def __init__(self):
        self.alias = None
        self.chosen = False


# Set for a request that may read from a replica; unset (None) everywhere else,
# which is the primary.
_reads = contextvars.ContextVar("newsroom_replica_reads", default=None)


@contextlib.contextmanager
def public_reads():
    """Within the block, reads may come from a replica, as in a reader's public
    page (what ``ReplicaMiddleware`` marks); writes and transactions still pin
    them to the primary. For code that serves readers outside a request."""
    token = _reads.set(_Reads())
    try:
        yield
    finally:
        _reads.reset(token)


def read_alias():
    """The alias for a read now: a replica only inside a request that may use one,
    outside any transaction and before any write."""
    reads = _reads.get()
    if reads is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if not reads.chosen:
        reads.alias, reads.chosen = pick(), True
    return reads.alias or DEFAULT_DB_ALIAS


def wrote():
    """A write: the rest of the request reads what it wrote, from the primary."""
    reads = _reads.get()
    if reads is not None:
        reads.alias, reads.chosen = None, True


def may_use_replica(request, view):
    """A reader's public page: a GET or HEAD of a shareable URL (never the admin),
    by a reader not logged in, holding no reader cookie (a held comment of their
    own, the just-posted cookie)."""
    if request.method not in SAFE_METHODS or not replica_aliases():
        return False
    if getattr(view, "sharing", None) is not caching.Sharing.PUBLIC:
        return False
    match = request.resolver_match
    if match is not None and "admin" in match.app_names:
        return False
    own_state = caching.reader_cookies() - {settings.SESSION_COOKIE_NAME}
    if not own_state.isdisjoint(request.COOKIES):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)  # the session: read from the primary


class ReplicaMiddleware:
    """Marks a reader's public page as one that may read from a replica
    (``process_view``: the URL is resolved, the user known), and gives the
    just-posted cookie to anyone who posts. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads.set(None)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS and replica_aliases():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=setting("PIN_SECONDS"),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if may_use_replica(request, view_func):
            _reads.set(_Reads())


class ReplicaRouter:
    """DATABASE_ROUTERS: reads as ``read_alias`` says, writes and migrations on
    the primary. Rows read from a replica are the primary's rows: relations
    between them are allowed."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        wrote()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS
