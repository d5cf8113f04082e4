"""The newsroom's data: sections, articles, contributors, credits, photos,
tags, revisions, events, corrections and share links.

Over 400 lines because it is one thing, the schema of the ``articles`` app.
The behaviour its methods hand off to lives beside it (``workflow``,
``revisions``, ``shown``, ``tasks``), and none of those modules imports this
one (tests/test_import_cycles.py).
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import F, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from newsroom.text import CleanTextMixin, fold, normalize_text_fields, slugify

from . import chains, shown, tasks, workflow
from .revisions import TEXT_FIELDS, content_hash, snapshot
from .richtext import BODY_EXTENSIONS, sanitize_body
from .search import terms
from .search.document import search_document

# Section slugs share the URL space with these fixed paths.
RESERVED_SECTION_SLUGS = {
    "admin",
    "tag",
    "tac-gia",
    "tim-kiem",
    "static",
    "media",
    "rss",
    "sitemap",
    "i18n",
    "robots-txt",
    "preview",
    "xem-truoc",
    "binh-luan",
    "api",
    "ngon-ngu",
    "rss-xml",
    "sitemap-xml",
    "robots.txt",
    "tin-moi-nhat",
    "luot-doc",
}


def user_reference(verbose_name, **options):
    """A staff member named on a record (who created, approved, moderated…):
    kept as empty if the account is deleted, with no reverse accessor."""
    options = {"null": True, "blank": True, "related_name": "+", **options}
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.SET_NULL, **options
    )


def unique_slug(instance, value, max_length=200):
    """A slug for ``value`` that no other row of the instance's model uses."""
    base = slugify(value, max_length=max_length) or "x"
    model = type(instance)
    others = (
        model._default_manager.exclude(pk=instance.pk)
        if instance.pk
        else model._default_manager.all()
    )
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


class ShownOnArticles:
    """A row that article pages show (a photo, a contributor, a section, a role, a
    tag). Once an article showing it leaves its author's hands, the row changes
    only as ``articles.shown`` allows: by someone who may publish."""

    def articles_showing(self):
        """The articles whose pages show this row, as a lockable queryset."""
        raise NotImplementedError

    def may_be_changed_by(self, user):
        return shown.may_change(self, user)

    def check_may_be_changed_by(self, user):
        """Raise ``shown.ShownContentLocked`` unless ``user`` may change this row."""
        shown.check_may_change(self, user)


class Section(ShownOnArticles, models.Model):
    name = models.CharField(_("tên"), max_length=100)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Để trống để hệ thống tự tạo từ tên."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = pgettext_lazy("plural", "chuyên mục")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.slug:
            self.slug = slugify(self.slug, max_length=100)
        else:
            name = self.name
            if slugify(name) in RESERVED_SECTION_SLUGS:
                name = f"{name} chuyen muc"
            self.slug = unique_slug(self, name, 100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    def articles_showing(self):
        # A parent's page lists its children's articles under its own name.
        sections = Section.objects.filter(Q(pk=self.pk) | Q(parent=self.pk)).values("pk")
        return Article.objects.filter(section__in=sections)

    def clean(self):
        # The slug save() stores, so the unique check sees "Thoi-Su" as "thoi-su".
        self.slug = slugify(self.slug, max_length=100) if self.slug else ""
        slug = self.slug
        if slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {"slug": _("Đường dẫn “%(slug)s” được dành cho hệ thống.") % {"slug": slug}}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Chuyên mục không thể là cha của chính nó.")})


class Contributor(ShownOnArticles, models.Model):
    name = models.CharField(_("họ tên"), max_length=150)
    pen_name = models.CharField(
        _("bút danh"),
        max_length=150,
        blank=True,
        help_text=_("Nếu có, bút danh được in trên bài thay cho họ tên."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=150, unique=True, blank=True)
    bio = models.TextField(_("giới thiệu"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )
    default_role = models.ForeignKey(
        "Role",
        verbose_name=_("vai trò mặc định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Vai trò ghi sẵn khi người này viết bài mới, như “Tin” hoặc “Bài”. Để trống: "
            "vai trò đầu tiên không phải ảnh hay nguồn tin (thường là “Tin”)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("người đóng góp")
        verbose_name_plural = pgettext_lazy("plural", "người đóng góp")

    def __str__(self):
        if self.pen_name and self.pen_name != self.name:
            return f"{self.pen_name} ({self.name})"
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.stored_slug() or unique_slug(self, self.display_name, 150)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    def clean(self):
        # The slug save() stores, so the unique check sees "Tran-Quoc" as "tran-quoc".
        self.slug = self.stored_slug()

    def stored_slug(self):
        return slugify(self.slug, max_length=150) if self.slug else ""

    @property
    def display_name(self):
        return self.pen_name or self.name

    def articles_showing(self):
        return Article.objects.filter(pk__in=self.credits.values("article"))

    def role_for_new_article(self):
        """The role this person is credited with on an article they start."""
        if self.default_role_id:
            return self.default_role
        return Role.objects.filter(is_source=False, is_photo=False).first()



class Role(ShownOnArticles, CleanTextMixin, models.Model):
    """What a contributor did for an article: news, article, photo, graphics…

    Roles are data, so a newsroom adds its own. The byline joins a person's
    roles by their label: "Tin, ảnh: Trần Quốc".
    """

    label = models.CharField(
        _("nhãn"),
        max_length=50,
        unique=True,
        help_text=_("Như in trên bài: “Tin”, “Bài”, “Ảnh”, “Đồ họa”."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_source = models.BooleanField(
        _("là nguồn tin"),
        default=False,
        help_text=_("Nguồn bên ngoài (hãng thông tấn, báo khác): in là “Theo TTXVN”."),
    )
    is_photo = models.BooleanField(
        _("là vai trò ảnh"),
        default=False,
        help_text=_("Người giữ vai trò này được ghi là tác giả ảnh."),
    )

    class Meta:
        ordering = ["order", "label"]
        verbose_name = _("vai trò")
        verbose_name_plural = pgettext_lazy("plural", "vai trò")

    def __str__(self):
        return self.label

    def articles_showing(self):
        return Article.objects.filter(pk__in=Credit.objects.filter(role=self).values("article"))


class Tag(ShownOnArticles, CleanTextMixin, TagBase):
    """A taggit tag whose slug is Vietnamese-correct ASCII."""

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = pgettext_lazy("plural", "thẻ")

    def slugify(self, tag, i=None):
        # Within the column even when folding lengthens the name ("㎞" -> "km").
        suffix = f"-{i}" if i is not None else ""
        length = self._meta.get_field("slug").max_length - len(suffix)
        return slugify(tag, max_length=length) + suffix

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def articles_showing(self):
        return Article.objects.filter(pk__in=self.tagged_articles.values("content_object"))


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        unique_together = [("content_object", "tag")]
        # A tag's newest articles first (ArticleQuerySet.related_to).
        indexes = [models.Index(fields=["tag", "-content_object"], name="article_tag_newest")]


# Defined beside the transitions, which read them.
WithdrawalReason = workflow.WithdrawalReason


class CommentsMode(models.TextChoices):
    DEFAULT = "default", _("Theo mặc định của báo")
    PRE = "pre", _("Duyệt trước khi hiện")
    POST = "post", _("Hiện ngay, duyệt sau")
    CLOSED = "closed", _("Đóng bình luận")


# Columns no list of articles prints (ArticleQuerySet.list_rows).
LIST_DEFERRED = ("body", "search_text", "approved_hash", "import_key")
# Related articles: how many of each tag's newest articles are ranked.
RELATED_CANDIDATES = 50


def public_tagged_rows(exclude=False):
    """PostgreSQL: ``FROM`` the tagged rows ``ta`` whose article is public (its
    parameters: ``public_tagged_params``, then with ``exclude`` an article id to
    leave out). Each row's article is probed by its key in a ``LIMIT 1``
    lateral, which the planner cannot flatten into a join: as a join, some
    statistics samples make it a merge join walking the whole article table
    backwards (seen at 300,000 articles: 300 ms instead of 5)."""
    leave_out = " AND a.id <> %s" if exclude else ""
    return (
        "FROM articles_taggedarticle ta CROSS JOIN LATERAL (SELECT 1 FROM articles_article a"  # noqa: S608
        " WHERE a.id = ta.content_object_id AND a.status = ANY(%s) AND a.published_at <= %s"
        f"{leave_out} LIMIT 1) public"
    )


def public_tagged_params(now):
    return [str(status) for status in workflow.PUBLIC_STATUSES], now


class ArticleQuerySet(models.QuerySet):
    def bump_version(self, **changes):
        """Write ``changes`` and move the version on: the one place the version
        column changes. A change form opened before it is stale (see
        admin.conflict). A transition is activity too: ``modified_at`` moves
        (the admin's list shows the most recent first). Returns the number of
        rows changed."""
        changes.setdefault("modified_at", timezone.now())
        return self.update(version=F("version") + 1, **changes)

    def mine(self, user):
        """The articles ``user`` created, last edited, or is credited on (through
        their Contributor): the admin's "Của tôi"."""
        credited = Credit.objects.filter(article=models.OuterRef("pk"), contributor__user=user)
        return self.filter(
            Q(created_by=user) | Q(last_editor=user) | models.Exists(credited)
        )

    def to_review_by(self, user):
        """Submitted articles waiting at a level ``user`` holds, that they may
        approve: not ones whose content they wrote, nor ones they approved at
        another level (four eyes): the admin's "Chờ tôi duyệt". The levels are
        data, so the articles in review (the desk's work, not the archive) are
        read once and their chains worked out in Python (``articles.chains``)."""
        waiting = (
            Article.objects.filter(status=workflow.Status.IN_REVIEW)
            .exclude(created_by=user)
            .exclude(last_editor=user)
            .only("pk", "section_id", "kind", "is_sensitive")
            .prefetch_related("approvals")
        )
        book = chains.ChainBook()
        mine = []
        for article in waiting:
            standing = chains.standing(article, book)
            level = standing.current or standing.levels[-1]
            others = [
                approval for group_id, approval in standing.approvals.items()
                if group_id != level.group_id and approval.approved_by_id == user.pk
            ]
            if chains.holds(user, level) and not others:
                mine.append(article.pk)
        return self.filter(pk__in=mine)

    def scheduled_on(self, day):
        """Scheduled to go out on ``day`` (a date in the site's time zone)."""
        start = timezone.make_aware(datetime.combine(day, time.min))
        return self.filter(
            status=workflow.Status.SCHEDULED,
            published_at__gte=start,
            published_at__lt=start + timedelta(days=1),
        )

    def publish_due(self, now=None):
        """Publish and announce every scheduled article whose time has come,
        each through ``Article.publish_scheduled``. Returns the events written."""
        now = now or timezone.now()
        events = (article.publish_scheduled(now) for article in list(self.due(now)))
        return [event for event in events if event is not None]

    def published(self, at=None):
        """What the public may see: published (or scheduled) and its time has come."""
        return self.filter(
            status__in=Article.PUBLIC_STATUSES, published_at__lte=at or timezone.now()
        )

    def due(self, at=None):
        """Scheduled articles whose time has come (publish_scheduled's work)."""
        return self.filter(status=Article.Status.SCHEDULED, published_at__lte=at or timezone.now())

    def in_section(self, section):
        """A section's articles and its children's (no join: the section ids)."""
        return self.filter(
            section__in=Section.objects.filter(Q(pk=section.pk) | Q(parent=section.pk)).values("pk")
        )

    def by_contributor(self, contributor):
        return self.filter(credits__contributor=contributor).distinct()

    def drafting(self):
        """Articles still in their author's hands: drafts and "changes requested"."""
        return self.filter(status__in=Article.DRAFTING_STATUSES)

    def beyond_drafting(self):
        """In review, approved, scheduled, published or withdrawn: what they show
        changes only through their workflow or by someone who may publish."""
        return self.exclude(status__in=Article.DRAFTING_STATUSES)

    def editable_by(self, user):
        """The articles whose content ``user`` may change: ``workflow.can_edit_content``
        as a query."""
        if not (user.is_active and user.is_staff):
            return self.none()
        if user.has_perm("articles.edit_any_article"):
            return self
        if not user.has_perm("articles.change_article"):
            return self.none()
        return self.filter(created_by=user).drafting()

    def tagged(self, tag):
        return self.filter(tags=tag)

    def latest_first(self):
        return self.order_by("-published_at", "-id")

    def for_listing(self):
        """Everything a list of articles shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            models.Prefetch(
                "photo_uses",
                queryset=ArticlePhoto.objects.filter(is_lead=True).select_related("photo"),
                to_attr="lead_photo_uses",
            )
        )

    def list_rows(self):
        """``for_listing`` with only the columns a list shows: never the body or
        the search text (kilobytes a row that no list prints)."""
        return self.for_listing().defer(*LIST_DEFERRED)

    def newest_per_section(self, per_section, *, now=None, exclude_pks=()):
        """The newest ``per_section`` public articles of every section but those
        in ``exclude_pks`` (a few ids already shown on the page), in one query
        whose cost does not grow with the archive: on PostgreSQL one ``LATERAL``
        index walk a section (``article_public_section_time``), at most
        ``per_section`` rows each past the excluded ones; elsewhere (SQLite,
        development) a window function."""
        now = now or timezone.now()
        exclude_pks = [int(pk) for pk in exclude_pks]
        public = self.published(now)
        if exclude_pks:
            public = public.exclude(pk__in=exclude_pks)
        if connections[self.db].vendor != "postgresql":
            return public.top_per_section(per_section)
        newest = RawSQL(  # noqa: S611 (constant SQL, bound parameters)
            "SELECT newest.id FROM articles_section s CROSS JOIN LATERAL ("
            " SELECT a.id FROM articles_article a WHERE a.section_id = s.id"
            " AND a.status = ANY(%s) AND a.published_at <= %s AND NOT (a.id = ANY(%s::bigint[]))"
            " ORDER BY a.published_at DESC, a.id DESC LIMIT %s) newest",
            ([str(s) for s in Article.PUBLIC_STATUSES], now, exclude_pks, per_section),
        )
        return public.filter(pk__in=newest)

    def related_to(self, article, tag_ids, count, *, now=None, candidates=RELATED_CANDIDATES):
        """The ``count`` public articles sharing most tags with ``article``
        (newest first among equals), with bounded work: the candidates are, for
        each tag, the ``candidates`` most recently added public articles carrying
        it (an index walk on ``article_tag_newest``); only that small set is
        ranked. On databases other than PostgreSQL every sharer is ranked."""
        now = now or timezone.now()
        tag_ids = list(tag_ids)
        related = self.published(now).filter(tags__in=tag_ids).exclude(pk=article.pk)
        if tag_ids and connections[self.db].vendor == "postgresql":
            newest = RawSQL(  # noqa: S611 (constant SQL, bound parameters)
                "SELECT c.id FROM unnest(%s::bigint[]) AS t(tag_id) CROSS JOIN LATERAL ("  # noqa: S608
                f" SELECT ta.content_object_id AS id {public_tagged_rows(exclude=True)}"
                " WHERE ta.tag_id = t.tag_id ORDER BY ta.content_object_id DESC LIMIT %s) c",
                (tag_ids, *public_tagged_params(now), article.pk, candidates),
            )
            related = related.filter(pk__in=newest)
        return related.annotate(
            shared_tags=models.Count("tags", filter=Q(tags__in=tag_ids))
        ).order_by("-shared_tags", "-published_at", "-id")[:count]

    def top_per_section(self, per_section):
        """The newest ``per_section`` articles of every section, in one query
        (a window over every row: ``newest_per_section`` on PostgreSQL)."""
        ranked = self.annotate(
            section_rank=Window(
                RowNumber(),
                partition_by=F("section_id"),
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        return ranked.filter(section_rank__lte=per_section)


class Article(models.Model):
    Status = workflow.Status

    class Kind(models.TextChoices):
        NEWS = "news", _("Tin")
        ARTICLE = "article", _("Bài")
        PHOTO = "photo", _("Ảnh")
        VIDEO = "video", _("Video")
        GRAPHICS = "graphics", _("Đồ họa")

    PUBLIC_STATUSES = workflow.PUBLIC_STATUSES
    DRAFTING_STATUSES = workflow.DRAFTING_STATUSES

    headline = models.CharField(_("tít"), max_length=250)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=250,
        blank=True,
        help_text=_("Để trống để hệ thống tự tạo từ tít."),
    )
    kicker = models.CharField(_("tít phụ"), max_length=250, blank=True)
    source_tag = models.CharField(
        _("tên nguồn đầu sapo"),
        max_length=50,
        blank=True,
        help_text=_("Chữ in trước sapo, như “BDK.VN”. Để trống để dùng tên của báo."),
    )
    lead = models.TextField(_("sapo"), blank=True)
    body = ProseEditorField(
        _("nội dung"), blank=True, config={"extensions": BODY_EXTENSIONS}, sanitize=True
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    kind = models.CharField(_("thể loại"), max_length=20, choices=Kind, default=Kind.NEWS)
    tags = TaggableManager(
        verbose_name=_("thẻ"),
        help_text=_("Các thẻ, cách nhau bằng dấu phẩy."),
        through=TaggedArticle,
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("thời gian đăng"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Thời gian in trên bài. Bài chỉ hiện với bạn đọc khi đã đến giờ này."),
    )
    first_published_at = models.DateTimeField(
        _("đăng lần đầu"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(
        _("cập nhật"),
        null=True,
        blank=True,
        help_text=_("Thời gian “Cập nhật” hiện trên bài, khi bài được sửa đáng kể sau khi đăng."),
    )
    headline_folded = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    modified_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    created_by = user_reference(_("người tạo"), editable=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    # Workflow bookkeeping, written only by articles.workflow.
    last_editor = user_reference(_("người sửa nội dung sau cùng"), editable=False)
    approved_hash = models.CharField(max_length=64, blank=True, editable=False)
    approved_by = user_reference(_("người duyệt"), editable=False)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    is_sensitive = models.BooleanField(
        _("nhạy cảm"), default=False, editable=False,
        help_text=_("Bài nhạy cảm cần thêm cấp duyệt cao nhất (NEWSROOM_SENSITIVE_GROUP)."),
    )
    published_by = user_reference(_("người đăng"), editable=False)
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField(
        _("lý do gỡ (công khai)"),
        max_length=20,
        choices=WithdrawalReason,
        blank=True,
        editable=False,
    )
    import_key = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    # Reader comments (the comments app keeps the count, in the same
    # transaction as each status change).
    comments_mode = models.CharField(
        _("chế độ bình luận"),
        max_length=10,
        choices=CommentsMode,
        default=CommentsMode.DEFAULT,
    )
    comment_count = models.PositiveIntegerField(_("số bình luận"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("bài viết")
        verbose_name_plural = pgettext_lazy("plural", "bài viết")
        permissions = [
            ("submit_article", _("Gửi bài để duyệt")),
            ("approve_article", _("Duyệt bài, yêu cầu sửa bài")),
            ("publish_article", _("Đăng bài, hẹn giờ đăng")),
            ("withdraw_article", _("Gỡ bài đã đăng")),
            ("correct_article", _("Đăng cải chính, cập nhật bài đã đăng")),
            ("edit_any_article", _("Sửa mọi bài ở mọi trạng thái")),
        ]
        indexes = [
            models.Index(fields=["section", "status", "published_at"]),
            # Public lists by time, newest first: home, feeds, sitemaps…
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status__in=workflow.PUBLIC_STATUSES),
                name="article_public_time",
            ),
            # The sitemap index's lastmod: the latest update and first publication.
            models.Index(
                fields=["-updated_at"],
                condition=Q(status__in=workflow.PUBLIC_STATUSES, updated_at__isnull=False),
                name="article_public_updated",
            ),
            models.Index(
                fields=["-first_published_at"],
                condition=Q(status__in=workflow.PUBLIC_STATUSES, first_published_at__isnull=False),
                name="article_public_first_time",
            ),
            # A section's public articles by time (home blocks, section pages).
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=Q(status__in=workflow.PUBLIC_STATUSES),
                name="article_public_section_time",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~Q(import_key=""),
                name="unique_article_import_key",
            )
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Before the fields derived from the text (pre_save would do it after).
        normalize_text_fields(self)
        self.slug = slugify(self.slug or self.headline, max_length=200) or "bai-viet"
        self.headline_folded = fold(self.headline)[:250]
        self.body = sanitize_body(self.body or "")
        indexed = self._indexed_search_text()
        self.search_text = search_document(
            self.headline, self.lead, self.body, self.search_labels()
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding:
            # The comment count is kept by the comments app with F() updates;
            # an editor's copy of the article must not write an older count back.
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "comment_count"
            ]
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "headline_folded",
                "search_text",
                "body",
            }
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            terms.document_changed(indexed, self.search_text)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug, "pk": self.pk})

    def _indexed_search_text(self):
        """The ``search_text`` the word list counts for this article: the stored
        one (another copy of the article may have changed it since this one was
        loaded)."""
        if self._state.adding or self.pk is None:
            return ""
        stored = Article.objects.filter(pk=self.pk).values_list("search_text", flat=True)
        return stored.first() or ""

    def search_labels(self):
        """The names a reader may search an article by besides its text: its
        section, its tags and the people and sources of its byline."""
        labels = [self.section.name] if self.section_id else []
        if self.pk is not None and not self._state.adding:
            labels += sorted(self.tags.values_list("name", flat=True))
            labels += [
                credit.display_name for credit in self.credits.select_related("contributor")
            ]
        return labels

    def refresh_search(self):
        """Rebuild ``search_text`` after a change of the labels (tags, credits),
        which ``save()`` cannot see: one UPDATE, and the word list follows."""
        indexed = self._indexed_search_text()
        text = search_document(self.headline, self.lead, self.body, self.search_labels())
        if text != indexed:
            with transaction.atomic(savepoint=False):
                Article.objects.filter(pk=self.pk).update(search_text=text)
                terms.document_changed(indexed, text)
        self.search_text = text

    @property
    def is_public(self):
        return (
            self.status in self.PUBLIC_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def dateline(self):
        """The source tag printed before the lead: "BDK.VN"."""
        return self.source_tag or settings.NEWSROOM["SOURCE_TAG"]

    @property
    def shows_update(self):
        return bool(self.updated_at and self.published_at and self.updated_at > self.published_at)

    def byline(self):
        """As printed on the article's page, its photographers merged in (bylines.py)."""
        from .bylines import article_byline

        return article_byline(
            self.credits.select_related("contributor", "role"),
            self.photo_uses.select_related("photo"),
        )

    # Workflow transitions: the only ways to change ``status`` (see workflow.py).
    # Each is named after its row of workflow.TRANSITIONS.

    def submit(self, by, note=""):
        return workflow.make(self, workflow.SUBMIT, by, note=note)

    def pull_back(self, by, note=""):
        return workflow.make(self, workflow.PULL_BACK, by, note=note)

    def request_changes(self, by, note):
        return workflow.make(self, workflow.REQUEST_CHANGES, by, note=note)

    def approve(self, by, note=""):
        return workflow.make(self, workflow.APPROVE, by, note=note)

    def send_back(self, by, note):
        """Back to the previous level of the approval chain, with a note."""
        return workflow.make(self, workflow.SEND_BACK, by, note=note)

    def mark_sensitive(self, by, note=""):
        return workflow.make(self, workflow.MARK_SENSITIVE, by, note=note)

    def unmark_sensitive(self, by, note=""):
        return workflow.make(self, workflow.UNMARK_SENSITIVE, by, note=note)

    def publish(self, by, at=None, note=""):
        """Publish now, or schedule when ``at`` is in the future."""
        return workflow.make(self, workflow.PUBLISH, by, at=at, note=note)

    def unschedule(self, by, note=""):
        return workflow.make(self, workflow.UNSCHEDULE, by, note=note)

    def withdraw(self, by, note, reason):
        return workflow.make(self, workflow.WITHDRAW, by, note=note, reason=reason)

    def reopen(self, by, note=""):
        return workflow.make(self, workflow.REOPEN, by, note=note)

    def publish_by_command(self, command, note, at=None):
        """Submit, approve and publish (or schedule) for a management command,
        with the publish gates; all or nothing. See workflow.publish_by_command."""
        return workflow.publish_by_command(self, command, note, at=at)

    def publish_scheduled(self, now=None):
        """Scheduled and due: now published and announced (the scheduler's
        transition). None when another runner has it or it is not due."""
        return workflow.publish_scheduled(self, now)

    def correct(self, by, kind, text, is_major=False):
        return workflow.correct(self, by, kind, text, is_major)

    def record_revision(self, by, note=""):
        return workflow.record_revision(self, by, note)

    def restore(self, revision, by):
        """Put ``revision``'s content back as a new revision, under the rules of
        a content save: approved content goes back to review, and a change form
        opened before is stale. Returns the new revision, or None when the
        content already is the revision's. ``PermissionDenied`` unless ``by``
        may edit the content."""
        note = _("Khôi phục từ phiên bản #%(number)s") % {"number": revision.number}
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=self.pk)
            if not workflow.can_edit_content(locked, by):
                raise PermissionDenied
            restored = None
            if content_hash(snapshot(locked)) != revision.content_hash:
                locked.replace_content(snapshot_content(revision.data))
                Article.objects.filter(pk=locked.pk).bump_version()
                restored = locked.record_revision(by, note=note)
        self.refresh_from_db()
        return restored

    @transaction.atomic
    def replace_content(self, content):
        """Save ``content`` (a ``SnapshotContent``) as this article's editorial
        content; the caller records the revision."""
        for name, value in content.fields.items():
            setattr(self, name, value)
        self.section = content.section if content.section and content.section.pk else None
        self.save()
        self.tags.set(content.tags)
        self.credits.all().delete()
        self.photo_uses.all().delete()
        for row in [*content.credits, *content.photo_uses]:
            row.article = self
        Credit.objects.bulk_create(content.credits)
        ArticlePhoto.objects.bulk_create(content.photo_uses)

    def lead_photo_use(self):
        """The lead photo's use; reads the prefetched photo uses when present."""
        uses = getattr(self, "lead_photo_uses", None)
        if uses is None:
            uses = [use for use in self.photo_uses.all() if use.is_lead]
        return uses[0] if uses else None


class Credit(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="credits"
    )
    contributor = models.ForeignKey(
        Contributor,
        verbose_name=_("người đóng góp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits",
    )
    name = models.CharField(
        _("tên ghi trên bài"),
        max_length=150,
        blank=True,
        help_text=_("Cho người không có hồ sơ, hoặc nguồn tin như “TTXVN”."),
    )
    role = models.ForeignKey(Role, verbose_name=_("vai trò"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("ghi công")
        verbose_name_plural = pgettext_lazy("plural", "ghi công")

    def __str__(self):
        return f"{self.role}: {self.display_name}"

    def clean(self):
        if not self.contributor_id and not self.name.strip():
            raise ValidationError(_("Chọn một người đóng góp hoặc ghi tên."))
        if ":" in self.name:
            # "Tin, ảnh: Trần Quốc" would reach JSON-LD and RSS as a person's name.
            raise ValidationError(
                {
                    "name": _(
                        "Chỉ ghi tên, như “Trần Quốc” hoặc “TTXVN”. Vai trò (“Tin, ảnh:”) "
                        "được in từ cột vai trò."
                    )
                }
            )

    @property
    def display_name(self):
        if self.contributor_id:
            return self.contributor.display_name
        return self.name.strip()

    @property
    def person_key(self):
        return ("c", self.contributor_id) if self.contributor_id else ("n", fold(self.name.strip()))


def photo_upload_to(instance, filename):
    now = timezone.now()
    return f"photos/{now:%Y/%m}/{filename}"


class Photo(ShownOnArticles, models.Model):
    image = models.ImageField(
        _("ảnh"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG hoặc WebP. Ảnh được lưu lại không kèm siêu dữ liệu (EXIF, GPS)."),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=250,
        blank=True,
        help_text=_("Tả những gì có trong ảnh, cho người không xem được ảnh."),
    )
    caption = models.TextField(_("chú thích mặc định"), blank=True)
    creator = models.CharField(_("tác giả ảnh"), max_length=150, blank=True)
    credit_line = models.CharField(
        _("dòng ghi nguồn"),
        max_length=200,
        blank=True,
        help_text=_("In dưới ảnh, như “Ảnh: Trần Quốc” hoặc “Ảnh: TTXVN”."),
    )
    copyright_notice = models.CharField(_("bản quyền"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("chụp lúc"), null=True, blank=True)
    focal_x = models.FloatField(
        _("điểm nhấn ngang"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    focal_y = models.FloatField(
        _("điểm nhấn dọc"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    # The library's search: the texts below and the file's name, folded
    # ("dam bao" finds "đảm bảo"), kept by ``save``.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("ảnh")
        verbose_name_plural = pgettext_lazy("plural", "ảnh")

    def __str__(self):
        return self.alt_text or self.caption[:60] or self.image.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        # What the renditions are cut from, as stored before this save. Bulk
        # creates and queryset updates skip this: build_renditions catches up.
        stored = None
        if not self._state.adding:
            stored = (
                Photo.objects.filter(pk=self.pk).values_list("image", "focal_x", "focal_y").first()
            )
        self.search_text = self.searchable_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)
        if stored != (self.image.name, self.focal_x, self.focal_y):
            replaced = stored[0] if stored and stored[0] != self.image.name else ""
            tasks.photo_changed(self, replaced_image=replaced)

    def searchable_text(self):
        """What the library's search looks in, folded: texts, then the file's name."""
        file_name = (self.image.name or "").rsplit("/", 1)[-1]
        parts = [self.alt_text, self.caption, self.creator, self.credit_line, file_name]
        return fold(" ".join(part for part in parts if part))

    def articles_showing(self):
        return Article.objects.filter(pk__in=self.uses.values("article"))


class ArticlePhoto(models.Model):
    """One use of a photo in an article: lead photo or inline, with its caption."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="photo_uses"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="uses"
    )
    is_lead = models.BooleanField(_("ảnh đại diện"), default=False)
    after_paragraph = models.PositiveSmallIntegerField(
        _("sau đoạn số"),
        null=True,
        blank=True,
        help_text=_("Ảnh trong bài được chèn sau đoạn này (1 là đoạn đầu). Để trống: cuối bài."),
    )
    caption = models.TextField(
        _("chú thích"), blank=True, help_text=_("Để trống để dùng chú thích mặc định của ảnh.")
    )
    alt_text = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=250,
        blank=True,
        help_text=_("Để trống để dùng mô tả mặc định của ảnh."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["-is_lead", "order", "id"]
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = pgettext_lazy("plural", "ảnh trong bài")
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(is_lead=True),
                name="one_lead_photo_per_article",
                violation_error_message=_("Mỗi bài chỉ có một ảnh đại diện."),
            )
        ]

    def __str__(self):
        return str(self.photo)

    @property
    def display_caption(self):
        return self.caption or self.photo.caption

    @property
    def display_alt(self):
        return self.alt_text or self.photo.alt_text or self.display_caption


class Revision(models.Model):
    """A snapshot of every editorial field, stored at each save that changes them."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("số phiên bản"))
    data = models.JSONField(_("nội dung"))
    content_hash = models.CharField(max_length=64)
    article_version = models.PositiveIntegerField(default=1)
    created_by = user_reference(_("người lưu"))
    created_at = models.DateTimeField(_("lưu lúc"), default=timezone.now)
    note = models.CharField(_("ghi chú"), max_length=250, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = pgettext_lazy("revision", "phiên bản")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return _("Phiên bản #%(number)s") % {"number": self.number}


class SnapshotContent(NamedTuple):
    """A snapshot's content as unsaved objects (see ``snapshot_content``)."""

    fields: dict  # headline, kicker, source tag, lead, body (as stored), kind
    section: object  # a Section; one deleted since has no primary key
    credits: list  # Credits with no article
    photo_uses: list  # ArticlePhotos with no article
    tags: list  # tag names


def snapshot_content(data):
    """The content of snapshot ``data`` (``revisions.snapshot``) as unsaved
    objects, resolved against what exists now: what a preview shows and what a
    restore saves.

    A section deleted since keeps its name (with a slug that resolves); a role
    deleted since keeps its label; a contributor keeps the name printed at the
    time, and one deleted since stays on the byline as a printed name; a photo
    deleted from the library since is left out.
    """
    fields = {name: data.get(name) or "" for name in TEXT_FIELDS}
    section = None
    if data.get("section"):
        name = data["section"]["name"]
        section = Section.objects.filter(pk=data["section"]["id"]).first() or Section(
            name=name, slug=slugify(name) or "x"
        )
    credits_data = data.get("credits") or []
    roles = Role.objects.in_bulk({credit["role"] for credit in credits_data})
    people = set(
        Contributor.objects.filter(
            pk__in=[credit["contributor"] for credit in credits_data if credit["contributor"]]
        ).values_list("pk", flat=True)
    )
    credits = []
    for credit in credits_data:
        role = roles.get(credit["role"]) or Role(pk=credit["role"], label=credit["role_label"])
        if credit["contributor"] in people:
            # The name as printed at the time, keeping the person's identity.
            contributor = Contributor(pk=credit["contributor"], name=credit["display_name"])
            name = credit["name"]
        else:
            contributor, name = None, credit["name"] or credit["display_name"]
        credits.append(Credit(role=role, contributor=contributor, name=name, order=credit["order"]))
    photos_data = data.get("photos") or []
    photos = Photo.objects.in_bulk({use["photo"] for use in photos_data})
    photo_uses = [
        ArticlePhoto(
            photo=photos[use["photo"]],
            is_lead=use["is_lead"],
            after_paragraph=use["after_paragraph"],
            caption=use["caption"],
            alt_text=use["alt_text"],
            order=use["order"],
        )
        for use in photos_data
        if use["photo"] in photos
    ]
    return SnapshotContent(fields, section, credits, photo_uses, list(data.get("tags") or []))


class Event(models.Model):
    """An append-only record of every workflow transition and correction."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=30)
    actor = user_reference(_("người thực hiện"))
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Article.Status)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Article.Status)
    note = models.TextField(_("ghi chú"), blank=True)
    level = models.CharField(_("cấp duyệt"), max_length=100, blank=True)
    revision = models.ForeignKey(
        Revision,
        verbose_name=pgettext_lazy("revision", "phiên bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sự kiện")
        verbose_name_plural = pgettext_lazy("plural", "sự kiện")

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Correction(models.Model):
    """A public note on a published article."""

    class Kind(models.TextChoices):
        UPDATE = "update", pgettext_lazy("correction kind", "Cập nhật")
        CORRECTION = "correction", _("Đính chính")
        RETRACTION = "retraction", _("Thông tin cải chính, xin lỗi")

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(_("nội dung cải chính"))
    is_major = models.BooleanField(
        _("thay đổi lớn"),
        default=False,
        help_text=_("Thay đổi lớn cập nhật thời gian “Cập nhật” hiện trên bài."),
    )
    created_by = user_reference(_("người đăng"))
    published_at = models.DateTimeField(_("đăng lúc"), default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("cải chính")
        verbose_name_plural = pgettext_lazy("plural", "cải chính")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ShareLinkQuerySet(models.QuerySet):
    def issue(self, article, revision, by, days):
        """A new link to ``revision`` of ``article`` for ``days`` days, made by
        ``by``. Returns ``(link, token)``: the token is in the link's URL and
        stored nowhere (only its hash is), so it is shown once."""
        token = secrets.token_urlsafe(32)
        link = self.create(
            article=article,
            revision=revision,
            token_hash=ShareLink.hash_token(token),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return link, token

    def revoke(self):
        """Revoke the links not yet revoked; returns how many were."""
        return self.filter(revoked_at=None).update(revoked_at=timezone.now())


class ShareLink(models.Model):
    """A preview link for someone without an account: one revision, until it
    expires or is revoked. Only a hash of the token is stored."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="share_links"
    )
    revision = models.ForeignKey(
        Revision, verbose_name=pgettext_lazy("revision", "phiên bản"), on_delete=models.CASCADE
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = user_reference(_("người tạo"), blank=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("số lượt xem"), default=0)
    last_viewed_at = models.DateTimeField(_("xem lần cuối"), null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("liên kết xem trước")
        verbose_name_plural = pgettext_lazy("plural", "liên kết xem trước")

    def __str__(self):
        return _("Liên kết xem trước %(article)s") % {"article": self.article}

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class Autosave(models.Model):
    """What one person had typed in an article's form, saved while they type.

    One row per person and article, or per person for the add page (no
    article yet). It is a safety copy, never content: it does not touch the
    article, its status, its revisions or its version. ``version`` is the
    version the form was opened at, so a restored text saved over newer
    changes still meets the conflict check. Saving the article deletes it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người viết"), on_delete=models.CASCADE,
        related_name="+",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="autosaves",
    )
    version = models.PositiveIntegerField(_("phiên bản khi mở"), null=True, blank=True)
    data = models.JSONField(_("nội dung đang viết"), default=dict)
    saved_at = models.DateTimeField(_("lưu tạm lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bản lưu tạm")
        verbose_name_plural = _("bản lưu tạm")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="autosave_one_per_user_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} / {self.article or '-'}"


class SearchTerm(models.Model):
    """A folded word of the archive and how many articles' search documents
    hold it: the candidates for corrections (``articles.search.terms``)."""

    word = models.CharField(max_length=60, unique=True)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("từ trong kho bài")
        verbose_name_plural = _("từ trong kho bài")

    def __str__(self):
        return self.word


class ArticleReadCount(models.Model):
    """How many times readers read an article in one hour (UTC), moved here from
    the shared cache's counters by ``articles.reads.flush`` (README "The public
    site": "Đọc nhiều"). Rows older than the longest ranking window are deleted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(_("giờ"))
    reads = models.PositiveIntegerField(_("lượt đọc"), default=0)

    class Meta:
        verbose_name = _("lượt đọc theo giờ")
        verbose_name_plural = _("lượt đọc theo giờ")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="read_count_article_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="read_count_hour")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"


class MostRead(models.Model):
    """The ranking "Đọc nhiều" shows, a few rows a period, remade at each flush
    of the read counters: a page reads these rows, never sums the counts."""

    class Period(models.TextChoices):
        DAY = "day", _("24 giờ qua")
        WEEK = "week", _("7 ngày qua")

    period = models.CharField(_("khoảng thời gian"), max_length=10, choices=Period)
    rank = models.PositiveSmallIntegerField(_("thứ hạng"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    reads = models.PositiveIntegerField(_("lượt đọc"))

    class Meta:
        ordering = ["period", "rank"]
        verbose_name = _("bài đọc nhiều")
        verbose_name_plural = _("bài đọc nhiều")
        constraints = [
            models.UniqueConstraint(fields=["period", "rank"], name="most_read_period_rank")
        ]

    def __str__(self):
        return f"{self.period} #{self.rank}: {self.article_id}"
# Approval in several levels (duyệt nhiều cấp) --------------------------------------------------


class ApprovalChain(models.Model):
    """The levels an article is approved at, in order. Which chain an article
    takes: one naming its section (or the section's parent) and its kind, then
    one naming its section, then one naming its kind, then the default
    (``articles.chains.chain_for``)."""

    name = models.CharField(_("tên"), max_length=100)
    is_default = models.BooleanField(
        _("chuỗi mặc định"), default=False,
        help_text=_("Dùng cho mọi bài không thuộc chuỗi nào khác. Chỉ một chuỗi là mặc định."),
    )
    sections = models.ManyToManyField(
        Section, verbose_name=pgettext_lazy("plural", "chuyên mục"), blank=True,
        related_name="approval_chains",
        help_text=_("Bài thuộc các chuyên mục này (và chuyên mục con) đi theo chuỗi này."),
    )
    kind = models.CharField(
        _("thể loại"), max_length=20, choices=Article.Kind, blank=True,
        help_text=_("Để trống: mọi thể loại."),
    )

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        verbose_name = _("chuỗi duyệt")
        verbose_name_plural = pgettext_lazy("plural", "chuỗi duyệt")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_chain"
            )
        ]

    def __str__(self):
        return self.name


class ApprovalLevel(models.Model):
    """One level of a chain: the group whose members approve at it."""

    chain = models.ForeignKey(
        ApprovalChain, verbose_name=_("chuỗi duyệt"), on_delete=models.CASCADE,
        related_name="levels",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("nhóm duyệt"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Thành viên nhóm này duyệt ở cấp này; nhóm cần quyền “Duyệt bài”."),
    )
    label = models.CharField(
        _("tên cấp"), max_length=100, blank=True,
        help_text=_("Như “Thư ký tòa soạn”. Để trống để dùng tên nhóm."),
    )

    class Meta:
        ordering = ["chain", "position", "pk"]
        verbose_name = _("cấp duyệt")
        verbose_name_plural = pgettext_lazy("plural", "cấp duyệt")
        constraints = [
            models.UniqueConstraint(fields=["chain", "group"], name="one_level_per_group"),
        ]

    def __str__(self):
        return self.label or self.group.name

    def clean(self):
        if self.group_id and not self.group.permissions.filter(
            content_type__app_label="articles", codename="approve_article"
        ).exists():
            raise ValidationError(
                {"group": _("Nhóm “%(group)s” chưa có quyền “Duyệt bài”.") % {"group": self.group}}
            )


class ArticleApproval(models.Model):
    """One level's approval of an article, bound to the content it approved.
    Kept per group: a chain edited later still finds the approvals of its groups."""

    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="approvals"
    )
    # None: the level of an install with no chain, anyone who may approve.
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("nhóm duyệt"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    label = models.CharField(_("tên cấp"), max_length=100)
    approved_by = user_reference(_("người duyệt"))
    content_hash = models.CharField(max_length=64)
    approved_at = models.DateTimeField(_("duyệt lúc"), default=timezone.now)

    class Meta:
        ordering = ["approved_at", "pk"]
        verbose_name = _("lượt duyệt")
        verbose_name_plural = pgettext_lazy("plural", "lượt duyệt")
        constraints = [
            models.UniqueConstraint(fields=["article", "group"], name="one_approval_per_level"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.label}"
