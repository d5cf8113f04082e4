"""Posting, reading and reporting reader comments.

The views stay short: every rule a comment passes on its way in lives here
(client hash, rate limits, duplicates, the article's effective mode,
``rules.check``; the time trap is ``timetrap``), and ``moderation.create``
stores the result.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import CommentsMode
from newsroom.clients import client_address
from newsroom.text import fold

from . import moderation, rules
from .models import Comment, ModerationEvent, Report

PRE, POST, CLOSED = CommentsMode.PRE, CommentsMode.POST, CommentsMode.CLOSED
REPLIES_SHOWN = 50  # replies shown under one comment; the rest are counted
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


def allow(key, limit, window):
    """Count one hit on ``key`` in the current ``window``-second window of the
    shared cache; True while the count stays within ``limit``.

    ``cache.add`` then ``cache.incr`` is atomic on Redis (and Memcached), so
    every process and machine counts against the same number.
    """
    window_start = int(time.time()) // window * window
    cache_key = f"comments:rate:{key}:{window_start}"
    cache.add(cache_key, 0, window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(cache_key, 1, window + 1)
        count = 1
    return count <= limit


CLIENT_LIMIT, ARTICLE_LIMIT = "client", "article"


def rate_limited(client, article):
    """Which posting limit one more comment from ``client`` on ``article`` is
    over: CLIENT_LIMIT (this reader sends too many), ARTICLE_LIMIT (the article
    receives too many, from everyone together) or None. A reader already over
    their own limit does not count against the article's."""
    if not allow(f"client:{client}", *parse_rate(setting("RATE_PER_CLIENT"))):
        return CLIENT_LIMIT
    if not allow(f"article:{article.pk}", *parse_rate(setting("RATE_PER_ARTICLE"))):
        return ARTICLE_LIMIT
    return None


def body_hash(text):
    """The duplicate key of a text: folded (case, accents), whitespace collapsed."""
    return hashlib.sha256(" ".join(fold(text).split()).encode()).hexdigest()


def is_duplicate(client, digest):
    return Comment.objects.filter(
        client_hash=client, body_hash=digest, created_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).exists()


# Posting ---------------------------------------------------------------------------------------


def store_comment(article, *, name, email, body, parent, client, digest):
    """Judge and store one reader's comment: ``rules.check`` in the article's
    mode decides, and a held or refused one keeps the reasons for the
    moderators. Whoever is logged in, a comment from the public form is a
    reader's; the newsroom answers from the queue (``moderation.reply_as_newsroom``)."""
    first_time = not Comment.objects.published().filter(client_hash=client).exists()
    verdict = rules.check(body, name, mode=effective_mode(article), first_time=first_time)
    status = {
        rules.PUBLISH: Comment.Status.PUBLISHED,
        rules.HOLD: Comment.Status.PENDING,
        rules.REJECT: Comment.Status.REJECTED,
    }[verdict.action]
    reasons = [reason.as_dict() for reason in verdict.reasons]
    return moderation.create(
        article=article,
        parent=parent,
        name=name,
        email=email,
        body=body,
        status=status,
        reasons=reasons,
        client_hash=client,
        body_hash=digest,
    )


# Reading ---------------------------------------------------------------------------------------


@dataclass
class Page:
    comments: list
    next_cursor: str = ""


def encode_cursor(comment):
    delta = comment.created_at - datetime(1970, 1, 1, tzinfo=UTC)
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{comment.pk}"


_CURSOR = re.compile(r"^(-?\d{1,20})\.(\d{1,20})$")


def decode_cursor(cursor):
    """(created_at, id) from a cursor; None when it is malformed."""
    match = _CURSOR.match(cursor or "")
    if not match:
        return None
    try:
        at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(match[1]))
    except OverflowError:
        return None
    return at, int(match[2])


def comments_page(article, cursor=None, size=None):
    """One page of the article's published top-level comments, newest first,
    after ``cursor`` (keyset on (created_at, id), never OFFSET), with their
    published replies: two queries whatever the thread's size."""
    size = size or setting("PAGE_SIZE")
    top = Comment.objects.published().top_level().filter(article=article)
    if cursor is not None:
        at, pk = cursor
        top = top.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    comments = list(top.order_by("-created_at", "-id")[: size + 1])
    next_cursor = encode_cursor(comments[size - 1]) if len(comments) > size else ""
    comments = comments[:size]
    attach_replies(comments)
    return Page(comments, next_cursor)


def attach_replies(comments):
    """Set ``shown_replies`` (oldest first, at most REPLIES_SHOWN) and
    ``more_replies`` on each comment, in one query."""
    by_pk = {comment.pk: comment for comment in comments}
    for comment in comments:
        comment.shown_replies, comment.more_replies = [], 0
    if not by_pk:
        return
    replies = (
        Comment.objects.published()
        .filter(parent_id__in=by_pk)
        .annotate(
            position=Window(
                RowNumber(), partition_by=F("parent_id"), order_by=[F("created_at"), F("id")]
            ),
            total=Window(Count("id"), partition_by=F("parent_id")),
        )
        .filter(position__lte=REPLIES_SHOWN)
        .order_by("created_at", "id")
    )
    for reply in replies:
        parent = by_pk[reply.parent_id]
        parent.shown_replies.append(reply)
        parent.more_replies = reply.total - REPLIES_SHOWN if reply.total > REPLIES_SHOWN else 0


# Reporting -------------------------------------------------------------------------------------


class AlreadyReported(Exception):
    pass


def report(comment, reason, client):
    """Record a reader's report; at REPORTS_TO_HOLD distinct clients the comment
    goes back to the queue with the reports as its reason. Returns True when
    this report sent it back."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        try:
            with transaction.atomic():
                Report.objects.create(comment=locked, reason=reason, client_hash=client)
        except IntegrityError:
            raise AlreadyReported from None
        Comment.objects.filter(pk=locked.pk).update(report_count=F("report_count") + 1)
        reports = list(Report.objects.filter(comment=locked).order_by("created_at", "id"))
        if len(reports) < setting("REPORTS_TO_HOLD") or locked.status != Comment.Status.PUBLISHED:
            return False
        labels = sorted({str(Report.Reason(r.reason).label) for r in reports})
        reason_row = rules.Reason("reports", _("Bạn đọc báo cáo vi phạm"), labels).as_dict()
        Comment.objects.filter(pk=locked.pk).update(
            reasons=[*(r for r in locked.reasons if r.get("code") != "reports"), reason_row]
        )
        return locked.moderate(Comment.Status.PENDING, note=ModerationEvent.Note.REPORTS)


# A reader's own pending comments ---------------------------------------------------------------

PENDING_COOKIE = "binh_luan_cho_duyet"
PENDING_SALT = "comments.pending"
PENDING_MAX_AGE = timedelta(days=7)
PENDING_KEPT = 20


def pending_ids(request):
    """The ids of the comments this reader posted that were held, from a signed
    cookie (no session, so public pages need none)."""
    if request is None or PENDING_COOKIE not in request.COOKIES:
        return []
    value = request.get_signed_cookie(
        PENDING_COOKIE, default="", salt=PENDING_SALT, max_age=PENDING_MAX_AGE
    )
    return [int(pk) for pk in value.split(",") if pk.isdigit()][-PENDING_KEPT:]


def remember_pending(request, response, comment):
    ids = [*(pk for pk in pending_ids(request) if pk != comment.pk), comment.pk][-PENDING_KEPT:]
    response.set_signed_cookie(
        PENDING_COOKIE,
        ",".join(map(str, ids)),
        salt=PENDING_SALT,
        max_age=int(PENDING_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def pending_for(request, article):
    """This reader's comments on ``article`` still waiting for a moderator
    (no query when the reader has none)."""
    ids = pending_ids(request)
    if not ids:
        return []
    return list(
        Comment.objects.pending()
        .filter(article=article, pk__in=ids)
        .select_related("parent")
        .order_by("-created_at", "-id")
    )
