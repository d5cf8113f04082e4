"""Changing a comment's status: the one place that does it, so the article's
comment count changes in the same transaction and every change is logged.
Also the one place that stores a reply as the newsroom (``reply_as_newsroom``)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


class NotReplyable(Exception):
    """The comment's thread is not published: the newsroom cannot answer it yet."""


def may_reply_as_newsroom(user):
    """Only an active staff member with the moderation permission speaks for the newsroom."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("comments.moderate_comment")
    )


def reply_as_newsroom(comment, by, body, body_hash):
    """Publish ``body`` under ``comment``'s thread as the newsroom ("Tòa soạn"
    badge), written by ``by``. The only code that sets ``staff_user``: a
    comment posted through the public form is always a reader's, whoever is
    logged in. Raises PermissionDenied unless ``by`` may moderate, and
    NotReplyable when the thread's first comment is not published."""
    if not may_reply_as_newsroom(by):
        raise PermissionDenied
    root = comment.parent if comment.parent_id else comment
    if root.status != PUBLISHED:
        raise NotReplyable
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Tòa soạn")  # stored in the paper's language
    return create(
        article=root.article,
        parent=root,
        name=name,
        body=body,
        staff_user=by,
        status=PUBLISHED,
        client_hash="staff",
        body_hash=body_hash,
    )
