"""Reading comments: a page of an article's published comments with their
replies (keyset pages, two queries whatever the thread's size), and a reader's
own held comments, remembered in a signed cookie so only their author sees them.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from .models import Comment
from .posting import setting

REPLIES_SHOWN = 50  # replies shown under one comment; the rest are counted


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


# ``?sap-xep=cu-nhat``: a thread oldest first ("Cũ nhất"); newest first otherwise.
SORT_PARAM, OLDEST = "sap-xep", "cu-nhat"


def comments_page(article, cursor=None, size=None, oldest=False):
    """One page of the article's published top-level comments, newest first
    (``oldest``: oldest first), after ``cursor`` (keyset on (created_at, id),
    never OFFSET), with their published replies: two queries whatever the
    thread's size."""
    size = size or setting("PAGE_SIZE")
    top = Comment.objects.published().top_level().filter(article=article)
    if cursor is not None:
        at, pk = cursor
        if oldest:
            top = top.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
        else:
            top = top.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    order = ("created_at", "id") if oldest else ("-created_at", "-id")
    comments = list(top.order_by(*order)[: size + 1])
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
