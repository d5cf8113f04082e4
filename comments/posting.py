"""Posting a reader's comment: ``post_comment(article, ...)`` returns an Outcome.

Every rule a comment passes on its way in lives here: the article's effective
mode, the posting rate limits, duplicates, and ``rules.check``, whose verdict
decides whether the comment is stored published, held for the moderators or
refused (with its reasons kept for them); ``moderation.create`` stores it. The
form's own checks (honeypot, lengths) and the time trap (``timetrap``) happen
in the view before.
"""

import enum
import hashlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.utils import timezone

from articles.models import CommentsMode
from newsroom import cache as shared_cache
from newsroom.clients import client_address
from newsroom.text import fold

from . import moderation, rules
from .models import Comment, Word

PRE, POST, CLOSED = CommentsMode.PRE, CommentsMode.POST, CommentsMode.CLOSED
DUPLICATE_WINDOW = timedelta(hours=24)


def setting(name):
    return settings.NEWSROOM[f"COMMENTS_{name}"]


# Who is posting --------------------------------------------------------------------------------


def client_hash(request):
    """A salted hash of the client's address: the address itself is never stored."""
    salt = setting("CLIENT_SALT") or settings.SECRET_KEY
    return hashlib.sha256(f"{salt}{client_address(request)}".encode()).hexdigest()


# The article's mode ----------------------------------------------------------------------------


def closes_at(article):
    """When comments close by themselves: CLOSE_AFTER_DAYS after first publication
    (None when the setting is 0: they never close by age)."""
    days = setting("CLOSE_AFTER_DAYS")
    start = article.first_published_at or article.published_at
    if not days or start is None:
        return None
    return start + timedelta(days=days)


def effective_mode(article, now=None):
    """"pre", "post" or "closed" for ``article`` right now."""
    mode = article.comments_mode
    if mode == CommentsMode.DEFAULT:
        mode = setting("MODE")
    if mode not in (PRE, POST):
        return CLOSED
    deadline = closes_at(article)
    if deadline is not None and (now or timezone.now()) >= deadline:
        return CLOSED
    return mode


def is_auto_closed(article):
    """Closed only because the article is older than CLOSE_AFTER_DAYS."""
    deadline = closes_at(article)
    return (
        article.comments_mode != CLOSED
        and setting("MODE") != CLOSED
        and deadline is not None
        and timezone.now() >= deadline
    )


# Rate limits and duplicates --------------------------------------------------------------------


def parse_rate(rate):
    """"5/60" -> (5, 60): five per sixty seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


# Counts every (key, limit, seconds) in order in one round trip, atomically,
# and stops at the first over its limit: 0 when none is, else its position.
_COUNT_SCRIPT = """
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if count > tonumber(ARGV[2 * i - 1]) then return i end
end
return 0
"""
_scripts = {}


def _window_key(key, window):
    window_start = int(time.time()) // window * window
    return f"comments:rate:{key}:{window_start}"


class LimitsUnavailable(Exception):
    """The shared cache is down: no rate limit can be counted, so nothing that
    must be limited may happen (README, "When Redis is down")."""


def over_limit(counters):
    """Count one hit on each ``(key, limit, window)`` of ``counters``, in order,
    in the current ``window``-second window of the shared cache, and stop at the
    first whose count goes over its ``limit``: its index, or None. Raises
    ``LimitsUnavailable`` when the shared cache is down.

    On Redis this is one Lua script (one round trip, atomic: INCR, and EXPIRE
    on a new key); elsewhere ``cache.add`` then ``cache.incr``, atomic on
    Memcached. Either way every process and machine counts the same number.
    """
    keys = [_window_key(key, window) for key, _limit, window in counters]
    backend = caches[DEFAULT_CACHE_ALIAS]
    if shared_cache.is_down():
        raise LimitsUnavailable
    if isinstance(backend, RedisCache):
        full = [backend.make_and_validate_key(key) for key in keys]
        client = backend._cache.get_client(full[0], write=True)
        script = _scripts.get("count") or _scripts.setdefault(
            "count", client.register_script(_COUNT_SCRIPT)
        )
        args = [value for _key, limit, window in counters for value in (limit, window + 1)]

        def count():
            return int(script(keys=full, args=args, client=client))

        guarded = getattr(backend, "guarded", None)
        position = guarded(count, default=None) if guarded else count()
        if position is None:  # Redis went away between the check and the count
            raise LimitsUnavailable
        return position - 1 if position else None
    for index, (key, (_key, limit, window)) in enumerate(zip(keys, counters, strict=True)):
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 1, window + 1)
            count = 1
        if count > limit:
            return index
    return None


def allow(key, limit, window):
    """Count one hit on ``key`` in the current ``window``-second window of the
    shared cache; True while the count stays within ``limit``."""
    return over_limit([(key, limit, window)]) is None


CLIENT_LIMIT, ARTICLE_LIMIT = "client", "article"


def rate_limited(client, article):
    """Which posting limit one more comment from ``client`` on ``article`` is
    over: CLIENT_LIMIT (this reader sends too many), ARTICLE_LIMIT (the article
    receives too many, from everyone together) or None. A reader already over
    their own limit does not count against the article's. One round trip to
    Redis for both."""
    over = over_limit(
        [
            (f"client:{client}", *parse_rate(setting("RATE_PER_CLIENT"))),
            (f"article:{article.pk}", *parse_rate(setting("RATE_PER_ARTICLE"))),
        ]
    )
    return {None: None, 0: CLIENT_LIMIT, 1: ARTICLE_LIMIT}[over]


def body_hash(text):
    """The duplicate key of a text: folded (case, accents), whitespace collapsed."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


def is_duplicate(client, digest):
    return Comment.objects.filter(
        client_hash=client, body_hash=digest, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).exists()


@dataclass(frozen=True)
class History:
    duplicate: bool  # the client sent the same text within DUPLICATE_WINDOW
    first_time: bool  # the client has no published comment yet
    words: tuple  # the Word table's (count, last id), for rules.word_lexicon


def _history_sql(ops):
    """The query of ``history``: table and column names from the models (no
    reader's value is ever part of the text; those are parameters)."""
    q = ops.quote_name
    comments, words = q(Comment._meta.db_table), q(Word._meta.db_table)
    mine = f"SELECT 1 FROM {comments} WHERE {q('client_hash')} = %s"  # noqa: S608
    duplicate = f"{mine} AND {q('body_hash')} = %s AND {q('created_at')} >= %s"
    published = f"{mine} AND {q('status')} = %s"
    stats = f"(SELECT COUNT(*) FROM {words}), (SELECT MAX({q('id')}) FROM {words})"  # noqa: S608
    return f"SELECT EXISTS({duplicate}), EXISTS({published}), {stats}"


def history(client, digest):
    """What posting needs to know before judging a comment, in one query (the
    three were a query each, and the ORM's compiling cost more than running
    them): whether it is a duplicate, whether it is the client's first, and the
    word list's ``rules.word_stats()``. Uses the same indexes as
    ``is_duplicate`` and the published-comment lookup it replaces."""
    connection = connections[Comment.objects.db]
    since = connection.ops.adapt_datetimefield_value(timezone.now() - DUPLICATE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            _history_sql(connection.ops),
            [client, digest, since, client, Comment.Status.PUBLISHED.value],
        )
        duplicate, published_before, count, last = cursor.fetchone()
    return History(bool(duplicate), not published_before, (count, last))


# Posting ---------------------------------------------------------------------------------------


class Result(enum.Enum):
    STORED = "stored"  # published at once
    HELD = "held"  # stored, waiting for a moderator
    REFUSED = "refused"  # stored as rejected, with the reasons, for the moderators
    RATE_LIMITED = "rate_limited"  # not stored: see Outcome.limit
    DUPLICATE = "duplicate"  # not stored: the reader sent the same text recently
    CLOSED = "closed"  # not stored: the article takes no comments now
    UNAVAILABLE = "unavailable"  # not stored: the shared cache is down (no rate limits)


@dataclass(frozen=True)
class Outcome:
    result: Result
    comment: Comment | None = None
    reasons: tuple = ()  # rules.Reason: why it was held or refused
    limit: str = ""  # CLIENT_LIMIT or ARTICLE_LIMIT, when rate-limited


# What the rules' verdict makes of a comment.
VERDICTS = {
    rules.PUBLISH: (Comment.Status.PUBLISHED, Result.STORED),
    rules.HOLD: (Comment.Status.PENDING, Result.HELD),
    rules.REJECT: (Comment.Status.REJECTED, Result.REFUSED),
}


def post_comment(article, *, name, email, body, parent, client):
    """Take one reader's comment (the form's cleaned data) on ``article`` from
    ``client`` (``client_hash``): refused without a trace when the article is
    closed, the reader or the article is over its rate limit or the text is a
    duplicate; otherwise judged by ``rules.check`` in the article's mode and
    stored, a held or refused one with its reasons for the moderators. Nothing
    is stored while the shared cache is down (``Result.UNAVAILABLE``). Whoever
    is logged in, a comment from the public form is a reader's; the newsroom
    answers from the queue (``moderation.reply_as_newsroom``)."""
    mode = effective_mode(article)
    if mode == CLOSED:
        return Outcome(Result.CLOSED)
    try:
        limit = rate_limited(client, article)
    except LimitsUnavailable:
        return Outcome(Result.UNAVAILABLE)
    if limit is not None:
        return Outcome(Result.RATE_LIMITED, limit=limit)
    digest = body_hash(body)
    known = history(client, digest)
    if known.duplicate:
        return Outcome(Result.DUPLICATE)
    verdict = rules.check(body, name, known.words, mode=mode, first_time=known.first_time)
    stored_as, result = VERDICTS[verdict.action]
    comment = moderation.create(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        status=stored_as,
        reasons=[reason.as_dict() for reason in verdict.reasons],
        client_hash=client,
        body_hash=digest,
    )
    return Outcome(result, comment, tuple(verdict.reasons))
