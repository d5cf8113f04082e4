from django.db import connections, models
from django.db.models import Case, Count, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article, user_reference
from newsroom.text import CleanTextMixin

from . import moderation


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def pending_after(self, comment):
        """Pending comments after ``comment`` in the queue's order (oldest
        first, ties by id): what "approve and next" opens, first one first."""
        return (
            self.pending()
            .filter(
                Q(created_at__gt=comment.created_at)
                | Q(created_at=comment.created_at, id__gt=comment.id)
            )
            .exclude(pk=comment.pk)
            .order_by("created_at", "id")
        )

    def top_level(self):
        return self.filter(parent__isnull=True)

    def on_article(self, article_id):
        return self.filter(article_id=article_id)

    def with_reason(self, code):
        """Comments whose reasons include ``code``: the one database-specific
        query of the app. PostgreSQL answers with jsonb containment; SQLite has
        no JSON containment, so it searches the stored JSON text for the exact
        key-value pair (json.dumps writes ``"code": "x"``; the same words inside
        a label or match would have escaped quotes)."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(reasons__contains=[{"code": code}])
        return self.alias(reasons_text=Cast("reasons", TextField())).filter(
            reasons_text__contains=f'"code": "{code}"'
        )

    def reason_labels(self, sample):
        """{code: label} of the reasons found among the last ``sample`` comments
        that have any."""
        labels = {}
        recent = self.exclude(reasons=[]).order_by("-id").values_list("reasons", flat=True)
        for reasons in recent[:sample]:
            for reason in reasons:
                labels.setdefault(reason.get("code", ""), reason.get("label", ""))
        labels.pop("", None)
        return labels

    def with_queue_order(self):
        """Annotated with ``queue_order``: 0 for pending comments, 1 for the rest."""
        return self.annotate(
            queue_order=Case(
                When(status=Comment.Status.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    def count_by_status(self):
        """{status: number of comments}, every status present, in one query."""
        return self.aggregate(
            **{value: Count("id", filter=Q(status=value)) for value in Comment.Status.values}
        )


class Comment(models.Model):
    Status = moderation.Status

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trả lời bình luận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("tên"), max_length=80)
    email = models.EmailField(_("e-mail"), blank=True)
    body = models.TextField(_("nội dung bình luận"))
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status, default=Status.PENDING
    )
    # Why the comment was held or refused: [{"code", "label", "matched"}…].
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    staff_user = user_reference(
        _("người của tòa soạn"), help_text=_("Bình luận của tòa soạn mang nhãn “Tòa soạn”.")
    )
    client_hash = models.CharField(max_length=64, db_index=True, editable=False)
    body_hash = models.CharField(max_length=64, editable=False)
    report_count = models.PositiveIntegerField(_("số lần bị báo cáo"), default=0)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    moderated_by = user_reference(_("người duyệt"))
    moderated_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bình luận")
        verbose_name_plural = pgettext_lazy("plural", "bình luận")
        permissions = [("moderate_comment", _("Duyệt bình luận"))]
        indexes = [
            models.Index(
                fields=["article", "-created_at", "-id"],
                condition=Q(status="published", parent__isnull=True),
                name="comment_thread_page",
            ),
            models.Index(
                fields=["parent", "created_at", "id"],
                condition=Q(status="published"),
                name="comment_replies",
            ),
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status="pending"),
                name="comment_queue",
            ),
            models.Index(fields=["client_hash", "body_hash", "created_at"], name="comment_dupes"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    @property
    def is_staff_reply(self):
        return self.staff_user_id is not None

    def moderate(self, to, by=None, note=""):
        """Move this comment to status ``to`` as user ``by`` (None: the system),
        with ``note`` in the log: the only way a comment's status changes.
        Returns True when it changed; raises ``moderation.NotAllowed`` when
        ``by`` may not moderate, ``moderation.InvalidTransition`` for a move
        that does not exist."""
        return moderation.change_status(self, to, by=by, note=note)


class Report(models.Model):
    """A reader's report that a comment is abusive, spam…"""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Xúc phạm, lăng mạ")
        SPAM = "spam", _("Quảng cáo, thư rác")
        FALSE = "false", _("Thông tin sai sự thật")
        ILLEGAL = "illegal", _("Vi phạm pháp luật")
        OTHER = "other", _("Lý do khác")

    comment = models.ForeignKey(
        Comment, verbose_name=_("bình luận"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("lý do"), max_length=10, choices=Reason)
    client_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo vi phạm")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo vi phạm")
        constraints = [
            models.UniqueConstraint(fields=["comment", "client_hash"], name="one_report_per_client")
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment_id}"


class ModerationEvent(models.Model):
    """An append-only record of every moderation action: who, when, what."""

    Note = moderation.Note

    comment = models.ForeignKey(
        Comment, verbose_name=_("bình luận"), on_delete=models.CASCADE, related_name="events"
    )
    actor = user_reference(_("người thực hiện"))
    from_status = models.CharField(_("từ"), max_length=10, choices=Comment.Status)
    to_status = models.CharField(_("sang"), max_length=10, choices=Comment.Status)
    note = models.CharField(_("ghi chú"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký duyệt")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký duyệt")

    def __str__(self):
        return f"{self.comment_id}: {self.from_status} → {self.to_status}"

    @property
    def note_label(self):
        """The note as a moderator reads it: the system's notes translated,
        a moderator's own as typed."""
        return self.Note(self.note).label if self.note in self.Note.values else self.note


class Word(CleanTextMixin, models.Model):
    """A word or phrase the comment filter looks for."""

    class List(models.TextChoices):
        BANNED = "banned", _("Cấm (từ chối bình luận)")
        SUSPECT = "suspect", _("Đáng ngờ (giữ lại để duyệt)")

    text = models.CharField(
        _("từ hoặc cụm từ"),
        max_length=100,
        unique=True,
        help_text=_(
            "Gõ đúng dấu. Bình luận có đúng từ này (kể cả khi bị viết lách, tách chữ) "
            "bị xử lý theo danh sách; bình luận chỉ trùng khi bỏ dấu thì được giữ lại để duyệt."
        ),
    )
    list = models.CharField(_("danh sách"), max_length=10, choices=List, default=List.BANNED)
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        ordering = ["list", "text"]
        verbose_name = _("từ lọc")
        verbose_name_plural = pgettext_lazy("plural", "từ lọc")

    def __str__(self):
        return self.text


class RemovedWord(models.Model):
    """A word of the default list (comments/default_words.py) a moderator
    deleted or renamed: ``load_default_words`` never adds it back."""

    text = models.CharField(_("từ hoặc cụm từ"), max_length=100, unique=True)
    removed_at = models.DateTimeField(_("xóa lúc"), default=timezone.now)

    class Meta:
        ordering = ["text"]
        verbose_name = _("từ mặc định đã xóa")
        verbose_name_plural = pgettext_lazy("plural", "từ mặc định đã xóa")

    def __str__(self):
        return self.text
