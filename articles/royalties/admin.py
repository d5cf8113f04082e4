"""The royalties in the admin: rates, grades, base amounts, payment details,
the lines an editor adjusts, and the months with their statements (a custom
page through ``get_urls``: the whole paper or one person, CSV, XLSX, close)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import statements
from .models import (
    BaseAmount,
    MonthClosed,
    PaymentDetails,
    QualityGrade,
    RoyaltyLine,
    RoyaltyMonth,
    RoyaltyRate,
)
from .sync import first_publication_day, sync_royalties

PAYMENT_PERMISSION = "royalties.view_paymentdetails"


@admin.register(RoyaltyRate)
class RoyaltyRateAdmin(admin.ModelAdmin):
    list_display = ["role", "kind", "coefficient"]
    list_filter = ["role", "kind"]


@admin.register(QualityGrade)
class QualityGradeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "multiplier", "is_default", "order"]


@admin.register(BaseAmount)
class BaseAmountAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "amount_per_point", "note"]


@admin.register(PaymentDetails)
class PaymentDetailsAdmin(admin.ModelAdmin):
    """Only the accountant's group holds this model's permissions: the admin's
    own model permissions keep everyone else out, on every URL."""

    list_display = ["contributor", "tax_code", "bank_account", "bank_name", "is_staff_member"]
    search_fields = ["contributor__name", "contributor__pen_name", "tax_code"]
    autocomplete_fields = ["contributor"]


class AdjustmentForm(forms.ModelForm):
    """An accountant's adjustment line, in the earliest open month."""

    class Meta:
        model = RoyaltyLine
        fields = ["article", "contributor", "name", "role", "coefficient", "grade", "reason",
                  "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["name"].required = False
        self.fields["coefficient"].help_text = _(
            "Âm để trừ tiền, như −1,50 cho một tin đã trả nhầm."
        )

    def clean(self):
        data = super().clean()
        article = data.get("article")
        if not data.get("contributor") and not (data.get("name") or "").strip():
            raise ValidationError(_("Chọn một người đóng góp hoặc ghi tên người nhận."))
        if article and not (article.first_published_at or article.published_at):
            raise ValidationError({"article": _("Bài này chưa đăng; chưa có nhuận bút.")})
        return data


@admin.register(RoyaltyLine)
class RoyaltyLineAdmin(admin.ModelAdmin):
    list_display = ["month", "published_on", "article", "name", "role", "kind", "coefficient",
                    "grade", "amount", "state"]
    list_filter = ["month", "state", "role", "kind", "grade"]
    list_select_related = ["month", "article", "role", "grade"]
    search_fields = ["name", "article__headline"]
    raw_id_fields = ["article", "contributor"]
    fields = ["month", "article", "name", "contributor", "role", "kind", "published_on",
              "coefficient", "grade", "multiplier", "base_amount", "amount", "state", "origin",
              "adjusts", "reason", "note", "coefficient_set_by"]
    editable_fields = {"coefficient", "grade", "note"}

    def has_delete_permission(self, request, obj=None):
        return False  # every payment stays traceable; cancel or adjust instead

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AdjustmentForm
            kwargs["fields"] = AdjustmentForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return AdjustmentForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = self.editable_fields if obj.is_editable else set()
        return [name for name in self.fields if name not in editable]

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            sync_royalties()
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            line = self.get_object(request, object_id)
            if line is not None and self.has_change_permission(request, line):
                if not line.is_editable:
                    return self.refuse(request, line, MonthClosed(_(
                        "Không lưu: tháng %(month)s đã khóa sổ, hoặc dòng đã hủy hay là dòng "
                        "điều chỉnh. Sai sót ghi vào tháng sau như một dòng điều chỉnh."
                    ) % {"month": line.month}))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except MonthClosed as error:  # closed while the form was open
            return self.refuse(request, self.get_object(request, object_id), error)

    def refuse(self, request, line, error):
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("admin:royalties_royaltyline_change", args=[line.pk]))

    def save_model(self, request, obj, form, change):
        if change:
            obj.adjust(request.user, obj.coefficient, obj.grade, obj.note)
            return
        article = obj.article
        obj.month = RoyaltyMonth.objects.earliest_open()
        obj.state, obj.origin = RoyaltyLine.State.ADJUSTMENT, RoyaltyLine.Origin.MANUAL
        obj.kind = article.kind
        obj.published_on = first_publication_day(article)
        base = BaseAmount.objects.in_force(obj.published_on)
        obj.base_amount = base.amount_per_point if base else 0
        if obj.contributor and not obj.name.strip():
            obj.name = obj.contributor.display_name
        obj.save()


@admin.register(RoyaltyMonth)
class RoyaltyMonthAdmin(admin.ModelAdmin):
    list_display = ["statement_link", "state", "line_count", "total", "closed_at", "closed_by"]
    list_display_links = None
    statement_template = "admin/royalties/statement.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("tháng"))
    def statement_link(self, month):
        url = reverse("admin:royalties_royaltymonth_statement", args=[month.pk])
        return format_html('<a href="{}">{}</a>', url, _("Bảng kê tháng %(month)s") % {
            "month": month})

    @admin.display(description=gettext_lazy("trạng thái"))
    def state(self, month):
        return _("Đã khóa sổ") if month.is_closed else _("Đang mở")

    @admin.display(description=gettext_lazy("số dòng"))
    def line_count(self, month):
        return month.lines.count()

    @admin.display(description=gettext_lazy("tổng cộng (đồng)"))
    def total(self, month):
        return statements.money(month.lines.total())

    def changelist_view(self, request, extra_context=None):
        if request.user.has_perm("royalties.view_statement"):
            sync_royalties()
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        def wrap(view, post_only=False):
            return self.admin_site.admin_view(require_POST(view) if post_only else view)

        return [
            path("<int:month_id>/statement/", wrap(self.statement_view),
                 name="royalties_royaltymonth_statement"),
            path("<int:month_id>/statement.csv", wrap(self.export_csv),
                 name="royalties_royaltymonth_csv"),
            path("<int:month_id>/statement.xlsx", wrap(self.export_xlsx),
                 name="royalties_royaltymonth_xlsx"),
            path("<int:month_id>/close/", wrap(self.close_view, post_only=True),
                 name="royalties_royaltymonth_close"),
            *super().get_urls(),
        ]

    def month_for(self, request, month_id, permission):
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(RoyaltyMonth, pk=month_id)

    def statement_view(self, request, month_id):
        month = self.month_for(request, month_id, "royalties.view_statement")
        if not month.is_closed:
            sync_royalties()
        statement = statements.build(month, request.GET.get("person") or None)
        user = request.user
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Bảng kê nhuận bút tháng %(month)s") % {"month": month},
            "month": month,
            "statement": statement,
            "person": statement.person,
            "person_query": f"?person={statement.person.key}" if statement.person else "",
            "with_payment": user.has_perm(PAYMENT_PERMISSION),
            "may_export": user.has_perm("royalties.export_statement"),
            "may_close": user.has_perm("royalties.close_month") and not month.is_closed,
            "missing_base": not BaseAmount.objects.exists(),
        }
        return TemplateResponse(request, self.statement_template, context)

    def export(self, request, month_id, extension, content_type, render):
        month = self.month_for(request, month_id, "royalties.export_statement")
        person = request.GET.get("person") or None
        statement = statements.build(month, person)
        body = render(statement, request.user.has_perm(PAYMENT_PERMISSION))
        response = HttpResponse(body, content_type=content_type)
        suffix = f"-{person}" if person else ""
        filename = f"nhuan-but-{month.year}-{month.month:02d}{suffix}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_csv(self, request, month_id):
        return self.export(request, month_id, "csv", "text/csv; charset=utf-8",
                           statements.as_csv)

    def export_xlsx(self, request, month_id):
        return self.export(
            request, month_id, "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            statements.as_xlsx,
        )

    def close_view(self, request, month_id):
        month = self.month_for(request, month_id, "royalties.close_month")
        if not month.is_closed:
            sync_royalties()  # every line in before it is frozen
        try:
            month.close(request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã khóa sổ tháng %(month)s. Các dòng của tháng không "
                                        "còn sửa được.") % {"month": month})
        return HttpResponseRedirect(reverse("admin:royalties_royaltymonth_statement",
                                            args=[month.pk]))
