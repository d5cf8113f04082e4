"""Plan entries (đề tài) and the slots of the day they are planned for.

An entry's state moves only through its methods (``approve``, ``start_writing``,
``cancel``), each guarding itself: the wrong state raises ``InvalidTransition``,
the wrong person ``NotAllowed``, and the change is a conditional UPDATE so two
clicks never both win. "Đã có bài" is not stored: an entry being written whose
article has been submitted (in review or beyond) *is* filed, and goes back to
"đang viết" if the desk sends the article back for changes.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article, Contributor, Credit, Role, Section, user_reference
from articles.workflow import DRAFTING_STATUSES, InvalidTransition, NotAllowed

APPROVE_PERMISSION = "planning.approve_planentry"


class PlanSlot(models.Model):
    """Where in the day's paper an entry is meant to run: "Trang chủ buổi sáng", "Báo in"…"""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("khung giờ")
        verbose_name_plural = pgettext_lazy("plural", "khung giờ")

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    """The states an entry shows; all but FILED are stored (see the module's docstring)."""

    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Đã duyệt đề tài")
    WRITING = "writing", _("Đang viết")
    FILED = "filed", _("Đã có bài")
    CANCELLED = "cancelled", _("Hủy")


STORED_STATES = [choice for choice in Stage.choices if choice[0] != Stage.FILED]
OPEN_STATES = (Stage.APPROVED, Stage.WRITING)  # assigned work someone owes


class PlanEntryQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(planned_for=day)

    def between(self, first, last):
        return self.filter(planned_for__gte=first, planned_for__lte=last)

    def for_plan(self):
        """Everything a plan row prints, in one query."""
        return self.select_related("section", "slot", "reporter", "photographer", "article")

    def assigned_to(self, user):
        return self.filter(Q(reporter=user) | Q(photographer=user))

    def not_cancelled(self):
        return self.exclude(state=Stage.CANCELLED)

    def filed(self):
        return self.filter(state=Stage.WRITING).exclude(article__status__in=DRAFTING_STATUSES)

    def unfiled(self):
        """Assigned work whose article is not yet submitted (or not yet started)."""
        return self.filter(state__in=OPEN_STATES).filter(
            Q(article__isnull=True) | Q(article__status__in=DRAFTING_STATUSES)
        )

    def late(self, now=None):
        """Past the deadline and the article not submitted."""
        return self.unfiled().filter(deadline__lt=now or timezone.now())

    def in_stage(self, stage):
        if stage == Stage.FILED:
            return self.filed()
        if stage == Stage.WRITING:
            return self.filter(state=Stage.WRITING).filter(
                Q(article__isnull=True) | Q(article__status__in=DRAFTING_STATUSES)
            )
        return self.filter(state=stage)


class PlanEntry(models.Model):
    title = models.CharField(_("tên đề tài"), max_length=250)
    section = models.ForeignKey(
        Section, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="+"
    )
    planned_for = models.DateField(_("ngày đăng dự kiến"), db_index=True)
    slot = models.ForeignKey(
        PlanSlot,
        verbose_name=_("khung giờ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("phóng viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photographer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("phóng viên ảnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateTimeField(
        _("hạn nộp bài"),
        null=True,
        blank=True,
        help_text=_("Bài phải được gửi duyệt trước giờ này. Để trống: đề tài không bao giờ trễ."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=STORED_STATES, default=Stage.PROPOSED,
        editable=False, db_index=True,
    )
    article = models.OneToOneField(
        Article,
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_entry",
        editable=False,
    )
    proposed_by = user_reference(_("người đề xuất"), editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    approved_by = user_reference(_("người duyệt đề tài"), editable=False)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    cancelled_by = user_reference(_("người hủy"), editable=False)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True, editable=False)

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        ordering = ["planned_for", models.F("slot__order").asc(nulls_last=True),
                    models.F("deadline").asc(nulls_last=True), "id"]
        verbose_name = _("đề tài")
        verbose_name_plural = pgettext_lazy("plural", "đề tài")
        permissions = [("approve_planentry", _("Duyệt, phân công và hủy đề tài"))]
        indexes = [models.Index(fields=["reporter", "state"]),
                   models.Index(fields=["photographer", "state"])]

    def __str__(self):
        return self.title

    @property
    def stage(self):
        if self.state == Stage.WRITING and self.article_id and (
            self.article.status not in DRAFTING_STATUSES
        ):
            return Stage.FILED
        return Stage(self.state)

    def get_stage_display(self):
        return self.stage.label

    def is_late(self, now=None):
        return (
            self.state in OPEN_STATES
            and self.stage != Stage.FILED
            and self.deadline is not None
            and self.deadline < (now or timezone.now())
        )

    # Who may do what -------------------------------------------------------------------------

    @staticmethod
    def may_plan(user):
        """Editors: approve, assign, cancel, edit any entry."""
        return user.is_active and user.is_staff and user.has_perm(APPROVE_PERMISSION)

    def may_edit(self, user):
        """Editors edit any entry not cancelled; a reporter their own proposal while
        it is still a proposal."""
        if self.state == Stage.CANCELLED or not user.has_perm("planning.change_planentry"):
            return False
        if self.may_plan(user):
            return True
        return self.state == Stage.PROPOSED and self.proposed_by_id == user.pk

    def may_start_writing(self, user):
        return (
            self.state == Stage.APPROVED
            and self.reporter_id == user.pk
            and user.has_perm("articles.add_article")
        )

    # Transitions ------------------------------------------------------------------------------

    def _move(self, sources, target, **changes):
        """The conditional UPDATE every transition makes: from one of ``sources`` only."""
        moved = type(self).objects.filter(pk=self.pk, state__in=sources).update(
            state=target, **changes
        )
        if not moved:
            self.refresh_from_db()
            raise InvalidTransition(
                _("Đề tài đang ở trạng thái “%(state)s”, không thể làm việc này.")
                % {"state": self.get_stage_display()}
            )
        self.state = target
        for name, value in changes.items():
            setattr(self, name, value)

    def approve(self, by):
        """Proposal → approved. A reporter's proposal with nobody assigned goes to
        the proposer; an editor's own entry stays unassigned until they choose."""
        if not self.may_plan(by):
            raise NotAllowed(_("Chỉ biên tập viên được duyệt đề tài."))
        proposer = self.proposed_by_id if self.proposed_by_id != by.pk else None
        self._move(
            [Stage.PROPOSED], Stage.APPROVED,
            reporter_id=self.reporter_id or proposer,
            approved_by=by, approved_at=timezone.now(),
        )

    def cancel(self, by):
        if not self.may_plan(by):
            raise NotAllowed(_("Chỉ biên tập viên được hủy đề tài."))
        self._move(
            [Stage.PROPOSED, Stage.APPROVED, Stage.WRITING], Stage.CANCELLED,
            cancelled_by=by, cancelled_at=timezone.now(),
        )

    def start_writing(self, by):
        """"Viết bài": the assigned reporter starts the article, a draft with the
        working title, the section and the credits of the reporter and the
        photographer, linked to this entry. Returns the article."""
        if self.reporter_id != by.pk or not by.has_perm("articles.add_article"):
            raise NotAllowed(_("Chỉ phóng viên được phân công mới viết bài cho đề tài này."))
        with transaction.atomic():
            article = Article.objects.create(
                headline=self.title, section_id=self.section_id, created_by=by
            )
            self._move([Stage.APPROVED], Stage.WRITING, article=article)
            for order, (user, photo) in enumerate([(by, False), (self.photographer, True)]):
                credit = default_credit(user, photo)
                if credit:
                    Credit.objects.create(article=article, order=order, **credit)
            article.record_revision(by, _("Bắt đầu viết từ đề tài trong kế hoạch."))
        return article


def default_credit(user, photo):
    """The credit a planned article starts with for ``user``: their Contributor in
    the role their profile gives (the photographer: the photo role). None for no
    user or a user without a Contributor."""
    contributor = user and Contributor.objects.filter(user=user).first()
    if not contributor:
        return None
    if photo:
        role = Role.objects.filter(is_photo=True).first()
    else:
        role = contributor.role_for_new_article()
    return role and {"contributor": contributor, "role": role}


def week_of(first):
    """The seven days from ``first``."""
    return [first + timedelta(days=offset) for offset in range(7)]


