"""A comment's states and the one place its status changes.

``Comment.moderate(to, by, note)`` is the entry point: ``change_status`` here
checks the move (``check_allowed``, the one guard), locks the comment's row,
changes the article's comment count in the same transaction and logs who did
it and when. Also storing a new comment, counted and logged (``create``), and
a reply as the newsroom (``reply_as_newsroom``).

``comments/models.py`` imports this module, so it imports no model of its app:
it works on the instances it is given.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from articles import purges
from articles.models import Article

MODERATE_PERMISSION = "comments.moderate_comment"


class Status(models.TextChoices):
    """A comment's status (``Comment.Status``)."""

    PENDING = "pending", pgettext_lazy("comment status", "Chờ duyệt")
    PUBLISHED = "published", gettext_lazy("Đã hiện")
    REJECTED = "rejected", gettext_lazy("Đã từ chối")
    SPAM = "spam", gettext_lazy("Thư rác")


class Note(models.TextChoices):
    """The notes the system writes in the moderation log (``ModerationEvent.Note``);
    a moderator's own note, typed on a comment's page, is stored as typed."""

    CREATED = "created", gettext_lazy("Bình luận mới")
    QUEUE = "queue", gettext_lazy("Thao tác hàng loạt trên hàng chờ duyệt")
    REPORTS = "reports", gettext_lazy("Bạn đọc báo cáo vi phạm")


# Where a comment may go from each status. A moderator may undo any decision;
# "pending" is also where reports send a published comment back.
TRANSITIONS = {
    Status.PENDING: {Status.PUBLISHED, Status.REJECTED, Status.SPAM},
    Status.PUBLISHED: {Status.PENDING, Status.REJECTED, Status.SPAM},
    Status.REJECTED: {Status.PENDING, Status.PUBLISHED, Status.SPAM},
    Status.SPAM: {Status.PENDING, Status.PUBLISHED, Status.REJECTED},
}


class InvalidTransition(ValueError):
    """No comment can move from one status to the other (or the status is unknown)."""


class NotAllowed(PermissionDenied):
    """The user may not moderate comments."""


def check_allowed(from_status, to, by):
    """Raise unless ``by`` (None: the system) may move a comment from
    ``from_status`` to ``to``. Staying where it is, is allowed: nothing happens."""
    if by is not None and not by.has_perm(MODERATE_PERMISSION):
        raise NotAllowed(_("Bạn không có quyền duyệt bình luận."))
    if to != from_status and to not in TRANSITIONS.get(from_status, ()):
        raise InvalidTransition(f"{from_status!r} → {to!r}")


def change_status(comment, to, by=None, note=""):
    """Move ``comment`` to ``to`` as user ``by`` (None: the system).

    Locks the comment's row and judges the move by the stored status (a stale
    instance changes nothing twice), updates the article's published-comment
    count by the difference, and writes a ModerationEvent. Returns True when
    the status changed.
    """
    check_allowed(comment.status, to, by)
    with transaction.atomic():
        model = type(comment)
        locked = model.objects.select_for_update().get(pk=comment.pk)
        if locked.status == to:
            return False
        check_allowed(locked.status, to, by)
        delta = (to == Status.PUBLISHED) - (locked.status == Status.PUBLISHED)
        model.objects.filter(pk=locked.pk).update(
            status=to, moderated_by=by, moderated_at=timezone.now()
        )
        if delta:
            Article.objects.filter(pk=locked.article_id).update(
                comment_count=F("comment_count") + delta
            )
        log(locked, by, locked.status, to, note)
        transaction.on_commit(lambda: purges.purge_article_pk(locked.article_id))
    comment.status = to
    return True


def log(comment, by, from_status, to, note):
    """Append one line to the comment's moderation log."""
    return comment.events.model.objects.create(
        comment=comment, actor=by, from_status=from_status, to_status=to, note=note
    )


def create(*, article, **fields):
    """Store a new comment on ``article``; a published one counts at once, in
    the same transaction, and its first log line says it was created."""
    with transaction.atomic():
        comment = article.comments.create(**fields)
        log(comment, fields.get("staff_user"), comment.status, comment.status, Note.CREATED)
        # Last: the article's row stays locked only until the commit, so posts
        # on one article wait for each other as briefly as they can.
        if comment.status == Status.PUBLISHED:
            Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
            # Shown at once (post-moderation, a newsroom reply): the cached pages go.
            transaction.on_commit(lambda: purges.purge_article_pk(article.pk))
    return comment


class NotReplyable(Exception):
    """The comment's thread is not published: the newsroom cannot answer it yet."""


def may_reply_as_newsroom(user):
    """Only an active staff member with the moderation permission speaks for the newsroom."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(MODERATE_PERMISSION)
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
    if root.status != Status.PUBLISHED:
        raise NotReplyable
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Tòa soạn")  # stored in the paper's language
    return create(
        article=root.article,
        parent=root,
        name=name,
        body=body,
        staff_user=by,
        status=Status.PUBLISHED,
        client_hash="staff",
        body_hash=body_hash,
    )
