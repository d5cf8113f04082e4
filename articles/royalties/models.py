"""Royalty rates, the base amount, months and their lines (README, "Nhuận bút").

A line's amount is its coefficient times its grade's multiplier times the base
amount per point, rounded half up to the đồng (``line_amount``). Money is an
integer number of đồng; coefficients and multipliers are Decimals.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from articles.models import Article, Contributor, Credit, Role, user_reference
from newsroom.text import fold

ONE = Decimal("1")


def line_amount(coefficient, multiplier, base_amount):
    """coefficient × multiplier × base, rounded half up (away from zero) to the đồng.

    Half up away from zero keeps a reversal exact: the line with the opposite
    coefficient has exactly the opposite amount."""
    product = Decimal(coefficient) * Decimal(multiplier) * Decimal(base_amount)
    return int(product.quantize(ONE, rounding=ROUND_HALF_UP))


class MonthClosed(ValidationError):
    """A change to a month the accountant has closed."""


class RoyaltyRate(models.Model):
    """The default coefficient of a role, for one article kind or for every kind."""

    role = models.ForeignKey(
        Role, verbose_name=gettext_lazy("vai trò"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(
        gettext_lazy("thể loại"), max_length=20, choices=Article.Kind, blank=True,
        help_text=gettext_lazy("Để trống: mọi thể loại không có hệ số riêng."),
    )
    coefficient = models.DecimalField(
        gettext_lazy("hệ số"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["role__order", "role__label", "kind"]
        verbose_name = gettext_lazy("hệ số nhuận bút")
        verbose_name_plural = pgettext_lazy("plural", "hệ số nhuận bút")
        constraints = [
            models.UniqueConstraint(fields=["role", "kind"], name="royalty_rate_role_kind")
        ]

    def __str__(self):
        kind = self.get_kind_display() if self.kind else _("mọi thể loại")
        return f"{self.role} ({kind}): {self.coefficient}"


class QualityGrade(models.Model):
    """A quality grade (A, B, C…) and the multiplier it puts on the coefficient."""

    code = models.CharField(gettext_lazy("mã"), max_length=10, unique=True)
    label = models.CharField(gettext_lazy("tên"), max_length=100, blank=True)
    multiplier = models.DecimalField(
        gettext_lazy("nhân với"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_default = models.BooleanField(
        gettext_lazy("mặc định"), default=False,
        help_text=gettext_lazy("Loại ghi sẵn cho mỗi dòng nhuận bút mới."),
    )
    order = models.PositiveSmallIntegerField(gettext_lazy("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = gettext_lazy("loại chất lượng")
        verbose_name_plural = pgettext_lazy("plural", "loại chất lượng")

    def __str__(self):
        return f"{self.code} (×{self.multiplier})"

    @classmethod
    def default(cls):
        return cls.objects.filter(is_default=True).order_by("order", "code").first()


class BaseAmountQuerySet(models.QuerySet):
    def in_force(self, on_date):
        """The base amount valid on ``on_date``, or None."""
        return self.filter(valid_from__lte=on_date).order_by("-valid_from").first()


class BaseAmount(models.Model):
    """The paper's amount per coefficient point, valid from a date until the next one."""

    amount_per_point = models.PositiveIntegerField(gettext_lazy("số tiền một điểm (đồng)"))
    valid_from = models.DateField(gettext_lazy("áp dụng từ ngày"), unique=True)
    note = models.CharField(gettext_lazy("ghi chú"), max_length=250, blank=True)

    objects = BaseAmountQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = gettext_lazy("mức tiền một điểm")
        verbose_name_plural = pgettext_lazy("plural", "mức tiền một điểm")

    def __str__(self):
        return _("%(amount)s đ/điểm từ %(date)s") % {
            "amount": f"{self.amount_per_point:,}".replace(",", "."),
            "date": self.valid_from.strftime("%d/%m/%Y"),
        }


def first_day(day):
    return day.replace(day=1)


def next_month(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


class RoyaltyMonthQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(closed_at__isnull=False)

    def of(self, day):
        """The month ``day`` falls in (created when missing)."""
        return self.get_or_create(year=day.year, month=day.month)[0]

    def open_for(self, day):
        """The month of ``day`` when it is open, else the first open month after it.
        Call inside a transaction."""
        year, month = day.year, day.month
        while True:
            found = self.get_or_create(year=year, month=month)[0]
            # Locked until the caller's transaction ends: a month being closed waits,
            # and one closed meanwhile is seen closed.
            found = self.select_for_update().get(pk=found.pk)
            if not found.is_closed:
                return found
            year, month = next_month(year, month)


    def earliest_open(self):
        """Where a correction goes: the month after the last closed one (or this month)."""
        last_closed = self.closed().first()
        if last_closed is None:
            return self.of(timezone.localdate())
        return self.open_for(last_closed.last_day + datetime.timedelta(days=1))


class RoyaltyMonth(models.Model):
    """A month of royalty lines; once closed by the accountant, never changed."""

    year = models.PositiveSmallIntegerField(gettext_lazy("năm"))
    month = models.PositiveSmallIntegerField(gettext_lazy("tháng"))
    closed_at = models.DateTimeField(gettext_lazy("khóa sổ lúc"), null=True, blank=True)
    closed_by = user_reference(gettext_lazy("người khóa sổ"))

    objects = RoyaltyMonthQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = gettext_lazy("tháng nhuận bút")
        verbose_name_plural = pgettext_lazy("plural", "tháng nhuận bút")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="royalty_month_unique")
        ]
        permissions = [
            ("view_statement", gettext_lazy("Xem bảng kê nhuận bút")),
            ("export_statement", gettext_lazy("Tải bảng kê nhuận bút (CSV, XLSX)")),
            ("close_month", gettext_lazy("Khóa sổ tháng nhuận bút")),
        ]

    def __str__(self):
        return f"{self.month:02d}/{self.year}"

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def first_day(self):
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self):
        year, month = next_month(self.year, self.month)
        return datetime.date(year, month, 1) - datetime.timedelta(days=1)

    def close(self, by):
        """Freeze the month's lines. The caller brings them up to date first
        (``sync_royalties``; the admin's "close" button does).

        Refused (``ValidationError``) before the month has ended, when it is
        closed already or while an earlier month with lines is still open."""
        if not (by.is_active and by.is_staff and by.has_perm("royalties.close_month")):
            raise PermissionDenied(_("Bạn không có quyền khóa sổ nhuận bút."))
        if self.last_day >= timezone.localdate():
            raise ValidationError(
                _("Tháng %(month)s chưa kết thúc; chỉ khóa sổ được từ ngày đầu tháng sau.")
                % {"month": self}
            )
        with transaction.atomic():
            locked = RoyaltyMonth.objects.select_for_update().get(pk=self.pk)
            if locked.is_closed:
                raise ValidationError(_("Tháng %(month)s đã khóa sổ.") % {"month": self})
            earlier_open = RoyaltyMonth.objects.filter(
                Q(year__lt=self.year) | Q(year=self.year, month__lt=self.month),
                closed_at__isnull=True, lines__isnull=False,
            ).first()
            if earlier_open:
                raise ValidationError(
                    _("Cần khóa sổ tháng %(earlier)s trước tháng %(month)s.")
                    % {"earlier": earlier_open, "month": self}
                )
            locked.closed_at = timezone.now()
            locked.closed_by = by
            locked.save(update_fields=["closed_at", "closed_by"])
        self.refresh_from_db()


class RoyaltyLineQuerySet(models.QuerySet):
    def counted(self):
        """The lines that are paid: every state but cancelled."""
        return self.exclude(state=RoyaltyLine.State.CANCELLED)

    def total(self):
        return self.counted().aggregate(total=models.Sum("amount"))["total"] or 0


class RoyaltyLine(models.Model):
    """What one person is paid for one role on one published article (or an
    adjustment of it), with everything the amount was computed from."""

    class State(models.TextChoices):
        OPEN = "open", gettext_lazy("Chưa khóa sổ")
        CANCELLED = "cancelled", gettext_lazy("Đã hủy")
        ADJUSTMENT = "adjustment", gettext_lazy("Điều chỉnh")

    class Origin(models.TextChoices):
        CREDIT = "credit", gettext_lazy("Ghi công của bài")
        REVERSAL = "reversal", gettext_lazy("Trừ lại khi gỡ bài")
        MANUAL = "manual", gettext_lazy("Kế toán ghi thêm")

    month = models.ForeignKey(
        RoyaltyMonth, verbose_name=gettext_lazy("tháng"), on_delete=models.PROTECT,
        related_name="lines",
    )
    article = models.ForeignKey(
        Article, verbose_name=gettext_lazy("bài viết"), on_delete=models.PROTECT,
        related_name="+",
    )
    # Credits are rewritten when a revision is restored: the line keeps what it needs.
    credit = models.ForeignKey(
        Credit, verbose_name=gettext_lazy("ghi công"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    contributor = models.ForeignKey(
        Contributor, verbose_name=gettext_lazy("người đóng góp"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    name = models.CharField(gettext_lazy("người nhận"), max_length=150)
    person_key = models.CharField(max_length=160, editable=False)
    role = models.ForeignKey(
        Role, verbose_name=gettext_lazy("vai trò"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(gettext_lazy("thể loại"), max_length=20, choices=Article.Kind)
    published_on = models.DateField(gettext_lazy("ngày đăng"))
    coefficient = models.DecimalField(gettext_lazy("hệ số"), max_digits=6, decimal_places=2)
    grade = models.ForeignKey(
        QualityGrade, verbose_name=gettext_lazy("loại"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    multiplier = models.DecimalField(
        gettext_lazy("nhân với"), max_digits=4, decimal_places=2, default=ONE, editable=False
    )
    base_amount = models.PositiveIntegerField(gettext_lazy("tiền một điểm (đồng)"), default=0)
    amount = models.BigIntegerField(gettext_lazy("thành tiền (đồng)"), default=0, editable=False)
    state = models.CharField(
        gettext_lazy("trạng thái"), max_length=20, choices=State, default=State.OPEN
    )
    origin = models.CharField(
        gettext_lazy("nguồn dòng"), max_length=20, choices=Origin, default=Origin.CREDIT,
        editable=False,
    )
    adjusts = models.ForeignKey(
        "self", verbose_name=gettext_lazy("điều chỉnh cho dòng"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="adjustments",
    )
    reason = models.TextField(gettext_lazy("lý do"), blank=True)
    note = models.CharField(gettext_lazy("ghi chú của biên tập"), max_length=250, blank=True)
    # Set when an editor chose the coefficient; until then it follows the rate table.
    coefficient_set_by = user_reference(gettext_lazy("người chỉnh hệ số"))
    created_at = models.DateTimeField(gettext_lazy("tạo lúc"), default=timezone.now)

    objects = RoyaltyLineQuerySet.as_manager()

    class Meta:
        ordering = ["published_on", "article_id", "role__order", "id"]
        verbose_name = gettext_lazy("dòng nhuận bút")
        verbose_name_plural = pgettext_lazy("plural", "dòng nhuận bút")
        constraints = [
            # One line per person and role of a published article, whatever happens next.
            models.UniqueConstraint(
                fields=["article", "person_key", "role"], condition=Q(origin="credit"),
                name="royalty_line_once_per_credit",
            ),
            models.UniqueConstraint(
                fields=["adjusts"], condition=Q(origin="reversal"),
                name="royalty_line_reversed_once",
            ),
        ]
        indexes = [models.Index(fields=["month", "person_key"])]

    def __str__(self):
        return f"{self.month} · {self.name} · {self.role} · {self.article_id}"

    def save(self, *args, **kwargs):
        # The last guard of a closed month: nothing in it is written again.
        if RoyaltyMonth.objects.closed().filter(pk=self.month_id).exists():
            raise MonthClosed(
                _("Tháng %(month)s đã khóa sổ; không sửa được dòng của tháng này. "
                  "Sai sót ghi vào tháng sau như một dòng điều chỉnh, có lý do.")
                % {"month": RoyaltyMonth.objects.get(pk=self.month_id)}
            )
        self.save_prepare()
        super().save(*args, **kwargs)

    def save_prepare(self):
        """Derive the person key, the multiplier and the amount (done by save())."""
        if self.contributor_id:
            self.person_key = f"c{self.contributor_id}"
        else:
            self.person_key = "n" + fold(self.name.strip()).lower()[:159]
        if self.origin != self.Origin.REVERSAL:  # a reversal keeps the paid line's multiplier
            self.multiplier = self.grade.multiplier if self.grade_id else ONE
        self.amount = line_amount(self.coefficient, self.multiplier, self.base_amount)

    @property
    def is_editable(self):
        """Coefficient, grade and note change only on a credit's line in an open month."""
        return (
            not self.month.is_closed
            and self.origin == self.Origin.CREDIT
            and self.state != self.State.CANCELLED
        )

    def adjust(self, by, coefficient, grade, note):
        """An editor's change of the coefficient, grade and note."""
        if not (by.is_active and by.is_staff and by.has_perm("royalties.change_royaltyline")):
            raise PermissionDenied(_("Bạn không có quyền chỉnh dòng nhuận bút."))
        with transaction.atomic():
            month = RoyaltyMonth.objects.select_for_update().get(pk=self.month_id)
            locked = RoyaltyLine.objects.select_for_update().get(pk=self.pk)
            locked.month = month
            if not locked.is_editable:
                raise MonthClosed(
                    _("Dòng này không sửa được: tháng %(month)s đã khóa sổ, hoặc dòng đã hủy "
                      "hay là dòng điều chỉnh.") % {"month": month}
                )
            if coefficient != locked.coefficient:
                locked.coefficient_set_by = by
            locked.coefficient = coefficient
            locked.grade = grade
            locked.note = note
            locked.save()
        self.refresh_from_db()


class PaymentDetails(models.Model):
    """What the accountant needs to pay a contributor; only the accountant sees it."""

    contributor = models.OneToOneField(
        Contributor, verbose_name=gettext_lazy("người đóng góp"), on_delete=models.CASCADE,
        related_name="payment_details",
    )
    tax_code = models.CharField(gettext_lazy("mã số thuế"), max_length=20, blank=True)
    bank_account = models.CharField(gettext_lazy("số tài khoản"), max_length=40, blank=True)
    bank_name = models.CharField(gettext_lazy("ngân hàng"), max_length=150, blank=True)
    is_staff_member = models.BooleanField(
        gettext_lazy("thuộc biên chế tòa soạn"), default=False,
        help_text=gettext_lazy("Bỏ chọn cho cộng tác viên."),
    )

    class Meta:
        ordering = ["contributor__name"]
        verbose_name = gettext_lazy("thông tin thanh toán")
        verbose_name_plural = pgettext_lazy("plural", "thông tin thanh toán")

    def __str__(self):
        return str(self.contributor)

