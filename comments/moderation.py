"""Changing a comment's status: the one place that does it, so the article's
comment count changes in the same transaction and every change is logged."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article

from .models import Comment, ModerationEvent

PUBLISHED = Comment.Status.PUBLISHED


def set_status(comment, status, by=None, note=""):
    """Move ``comment`` to ``status`` as user ``by`` (None: the system).

    Locks the comment's row, updates the article's published-comment count
    by the difference, and writes a ModerationEvent. Returns True when the
    status changed.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.status == status:
            return False
        delta = (status == PUBLISHED) - (locked.status == PUBLISHED)
        Comment.objects.filter(pk=locked.pk).update(
            status=status, moderated_by=by, moderated_at=timezone.now()
        )
        if delta:
            Article.objects.filter(pk=locked.article_id).update(
                comment_count=F("comment_count") + delta
            )
        ModerationEvent.objects.create(
            comment=locked, actor=by, from_status=locked.status, to_status=status, note=note
        )
    comment.status = status
    return True


def create(**fields):
    """Store a new comment; a published one counts at once, in the same transaction."""
    with transaction.atomic():
        comment = Comment.objects.create(**fields)
        if comment.status == PUBLISHED:
            Article.objects.filter(pk=comment.article_id).update(
                comment_count=F("comment_count") + 1
            )
        ModerationEvent.objects.create(
            comment=comment, actor=fields.get("staff_user"), from_status=comment.status,
            to_status=comment.status, note="created",
        )
    return comment
