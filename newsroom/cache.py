"""The shared cache (Redis) as something the site can lose without going down.

``ResilientRedisCache`` is Django's ``RedisCache`` (what ``REDIS_URL`` selects)
that answers as an empty cache when Redis does not: a read finds nothing, a
write is dropped, ``incr`` finds no counter. Pages are then built from the
database, uncached. Each call waits at most the short socket timeouts of its
``OPTIONS``, and after a failure the process does not ask Redis again for
``RETRY_AFTER`` seconds (a circuit breaker), so a dead Redis costs a request
nothing. A warning is logged when Redis goes away, at most once a minute while
it stays away, and when it is back (README, "When Redis is down").

What cannot be done without the shared cache asks first: ``available()`` is
False while Redis is down, and comment posting refuses (its rate limits cannot
be counted). Login counters fall back to this process's memory (``counters``).

While Redis was away, writes were lost: purges of cached pages, the word
list's and the menu's invalidations. A process that saw the outage runs the
``on_recovery`` callbacks once, before its first call after it: each app
registers what undoes the loss (``articles`` forgets every page stored before,
``comments`` the word list).
"""

import logging
import re
import threading
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Seconds between two "still down" warnings of one process.
LOG_EVERY = 60
# Socket timeouts unless the settings say otherwise: a Redis on the same network
# answers in a millisecond; one that takes longer than this is as good as down.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}

_recovery_callbacks = []
_local = LocMemCache("newsroom-cache-fallback", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 10000}})


def on_recovery(callback):
    """Call ``callback()`` when the shared cache answers again after this process
    saw it fail: whatever the outage made stale (lost purges) is undone there."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)
    return callback


class Breaker:
    """One process's view of one Redis server: closed (asking it) or open (not
    asking it until ``retry_at``). Shared by the threads of a process."""

    def __init__(self, name, retry_after):
        self.name, self.retry_after = name, retry_after
        self.lock = threading.Lock()
        self.down_since = None  # monotonic time of the first failure of this outage
        self.retry_at = 0.0
        self.logged_at = 0.0

    def allows(self):
        return time.monotonic() >= self.retry_at

    @property
    def is_down(self):
        return self.down_since is not None

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + self.retry_after
            if self.down_since is None:
                self.down_since = self.logged_at = now
                logger.warning(
                    "Cache %s unreachable (%s): pages are served uncached, comment posting "
                    "is refused; next try in %s s",
                    self.name, error, self.retry_after,
                )
            elif now - self.logged_at >= LOG_EVERY:
                self.logged_at = now
                logger.warning(
                    "Cache %s still unreachable after %d s (%s)",
                    self.name, now - self.down_since, error,
                )

    def succeeded(self):
        """True once, for the call that ends an outage."""
        if self.down_since is None:
            return False
        with self.lock:
            if self.down_since is None:
                return False
            seconds, self.down_since = time.monotonic() - self.down_since, None
        logger.warning("Cache %s reachable again after %d s", self.name, seconds)
        return True


_breakers = {}
_breakers_lock = threading.Lock()


def _without_password(location):
    """The server addresses as logged: never a password from the URL."""
    return re.sub(r"//[^/@;]*@", "//", location)


def _breaker(location, retry_after):
    # Django makes one backend object per thread: the breaker is per process.
    with _breakers_lock:
        breaker = _breakers.setdefault(location, Breaker(_without_password(location), retry_after))
    breaker.retry_after = retry_after
    return breaker


_UNAVAILABLE = object()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per connection pool instead of
    making one per call: building a client fills its table of response callbacks,
    0.2 ms each time, which was most of a page-cache hit (two calls a hit). A
    ``redis.Redis`` is safe to share between threads (its pool hands out the
    connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis backend, answering as an empty cache while Redis is down.

    ``RETRY_AFTER`` (seconds, default 5): how long a process leaves Redis alone
    after a failure. ``OPTIONS`` default to short socket timeouts.
    """

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.breaker = _breaker(";".join(self._servers), float(params.get("RETRY_AFTER", 5)))

    @property
    def errors(self):
        """What "Redis is down" looks like: no connection (including a server
        still loading its data), no answer in time, or a server that cannot take
        writes (a replica after a failover, out of memory). A bug (a wrong
        command, a bad value) is not one of them and still raises."""
        from redis import exceptions

        return (
            exceptions.ConnectionError,
            exceptions.TimeoutError,
            exceptions.ReadOnlyError,
            exceptions.OutOfMemoryError,
        )

    def guarded(self, operation, default=None):
        """``operation()``, or ``default`` when Redis is down or fails now."""
        if self.breaker.is_down and not self._recovered():
            return default
        try:
            return operation()
        except self.errors as error:
            self.breaker.failed(error)
            return default

    def _recovered(self):
        """After a failure: False until the pause is over and Redis answers a PING;
        then the ``on_recovery`` callbacks run, before the call that asked goes on
        (so that it reads what they changed, e.g. every page forgotten)."""
        if not self.breaker.allows():
            return False
        try:
            self._cache.get_client(write=True).ping()
        except self.errors as error:
            self.breaker.failed(error)
            return False
        if self.breaker.succeeded():
            _local.clear()  # what was counted here meanwhile: the shared counters take over
            for callback in list(_recovery_callbacks):
                callback()
        return True

    def available(self):
        """True when Redis answers now (one PING unless the breaker is open)."""
        return self.guarded(lambda: self._cache.get_client(write=True).ping(), False) is True

    def get(self, key, default=None, version=None):
        parent = super()
        return self.guarded(lambda: parent.get(key, default, version), default)

    def get_many(self, keys, version=None):
        parent = super()
        return self.guarded(lambda: parent.get_many(keys, version), {})

    def has_key(self, key, version=None):
        parent = super()
        return self.guarded(lambda: parent.has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self.guarded(lambda: parent.add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        self.guarded(lambda: parent.set(key, value, timeout, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        # Django's contract: the keys that were not stored.
        return self.guarded(lambda: parent.set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self.guarded(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        parent = super()
        return self.guarded(lambda: parent.delete(key, version), False)

    def delete_many(self, keys, version=None):
        parent = super()
        self.guarded(lambda: parent.delete_many(keys, version))

    def incr(self, key, delta=1, version=None):
        parent = super()
        result = self.guarded(lambda: parent.incr(key, delta, version), _UNAVAILABLE)
        if result is _UNAVAILABLE:
            # Callers already take a missing counter (ValueError) for a new one, whose
            # add or set is then dropped too: the hit is simply not counted.
            raise ValueError(f"Key {key!r} not found: the cache is unreachable.")
        return result

    def clear(self):
        parent = super()
        return self.guarded(parent.clear, False)


def available(alias=DEFAULT_CACHE_ALIAS):
    """True when the shared cache works now (always for a cache that cannot go
    down, e.g. local memory): what must not happen without it asks first."""
    backend = caches[alias]
    check = getattr(backend, "available", None)
    return check() if check is not None else True


def is_down(alias=DEFAULT_CACHE_ALIAS):
    """True when the shared cache failed and has not answered since (once the
    pause after the failure is over, this asks it again). No round trip while
    it works."""
    backend = caches[alias]
    breaker = getattr(backend, "breaker", None)
    return breaker is not None and breaker.is_down and not backend._recovered()


def counters(alias=DEFAULT_CACHE_ALIAS):
    """Where to count something that must go on being counted while the shared
    cache is down (login failures): the shared cache, or this process's memory
    until the shared cache is back."""
    return _local if is_down(alias) else caches[alias]
