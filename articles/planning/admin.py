"""The plan in the admin: entries and slots, the buttons that move an entry, the
day's plan, the week by section, and "Việc của tôi" on the admin home."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles.workflow import WorkflowError

from . import views
from .models import PlanEntry, PlanSlot, Stage

# "Việc của tôi": how many of a person's open entries the admin home lists.
MY_WORK_LIMIT = 20
TRANSITIONS = {"approve": "approve", "cancel": "cancel", "write": "start_writing"}


class PersonChoiceField(forms.ModelChoiceField):
    """Staff by the name the desk knows them by: "Trần Quốc (phongvien)"."""

    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


@admin.register(PlanSlot)
class PlanSlotAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class StageFilter(admin.SimpleListFilter):
    """The five states, "Đã có bài" included (it is read from the article)."""

    title = gettext_lazy("trạng thái")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return Stage.choices

    def queryset(self, request, queryset):
        if self.value() in Stage.values:
            return queryset.in_stage(self.value())
        return queryset


class LateFilter(admin.SimpleListFilter):
    title = gettext_lazy("trễ hạn")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Trễ hạn"))]

    def queryset(self, request, queryset):
        return queryset.late() if self.value() == "yes" else queryset


@admin.register(PlanEntry)
class PlanEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "planned_for", "slot", "reporter", "photographer",
                    "deadline", "stage_badge", "article_state", "late_flag"]
    list_filter = [StageFilter, LateFilter, "section", "slot", "planned_for"]
    list_select_related = ["section", "slot", "reporter", "photographer", "article"]
    search_fields = ["title", "notes"]
    date_hierarchy = "planned_for"
    fields = ["title", "section", ("planned_for", "slot"), "deadline", ("reporter", "photographer"),
              "notes"]
    # What an entry's history shows beside the fields anyone edits.
    record_fields = ["stage_badge", "article_link", "proposed_by", "approved_by", "approved_at",
                     "cancelled_by", "cancelled_at"]

    class Media:
        css = {"all": ["newsroom_admin/admin.css", "newsroom_admin/planning.css"]}

    # Permissions ------------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.may_edit(request.user)

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.record_fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = [] if obj is None else list(self.record_fields)
        if not PlanEntry.may_plan(request.user):
            readonly += ["reporter", "photographer"]  # editors assign
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("reporter", "photographer"):
            kwargs["queryset"] = get_user_model().objects.filter(
                is_active=True, is_staff=True
            ).order_by("first_name", "last_name", "username")
            kwargs["form_class"] = PersonChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.proposed_by = request.user
            if not PlanEntry.may_plan(request.user):
                obj.reporter = request.user  # a reporter proposes what they will write
        super().save_model(request, obj, form, change)
        if not change and PlanEntry.may_plan(request.user):
            obj.approve(request.user)  # an editor's own entry is planned, not proposed

    # Columns ----------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("trạng thái"))
    def stage_badge(self, obj):
        return format_html('<span class="plan-stage plan-stage-{}">{}</span>',
                           obj.stage, obj.get_stage_display())

    @admin.display(description=gettext_lazy("trạng thái bài"))
    def article_state(self, obj):
        if not obj.article_id:
            return "—"
        return format_html('<span class="status-badge status-{}">{}</span>',
                           obj.article.status, obj.article.get_status_display())

    @admin.display(description=gettext_lazy("bài viết"))
    def article_link(self, obj):
        if not obj.article_id:
            return "—"
        url = reverse("admin:articles_article_change", args=[obj.article_id],
                      current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a> ({})', url, obj.article.headline,
                           obj.article.get_status_display())

    @admin.display(description=gettext_lazy("trễ hạn"), boolean=True)
    def late_flag(self, obj):
        return obj.is_late()

    # Pages ------------------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("day/", self.admin_site.admin_view(self.day_view), name=f"{prefix}_day"),
            path("week/", self.admin_site.admin_view(self.week_view), name=f"{prefix}_week"),
            path("<path:object_id>/transition/<str:name>/",
                 self.admin_site.admin_view(require_POST(self.transition_view)),
                 name=f"{prefix}_transition"),
            *super().get_urls(),
        ]

    def url(self, name, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args,
                       current_app=self.admin_site.name)

    def day_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return views.day(self, request)

    def week_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return views.week(self, request)

    def transition_view(self, request, object_id, name):
        """The buttons: each calls the entry's method, which decides who may."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entry = get_object_or_404(PlanEntry, pk=object_id if str(object_id).isdigit() else None)
        back = HttpResponseRedirect(self.url("change", entry.pk))
        method = TRANSITIONS.get(name)
        if method is None:
            self.message_user(request, _("Không có thao tác này."), messages.ERROR)
            return back
        try:
            result = getattr(entry, method)(request.user)
        except WorkflowError as problem:
            for text in problem.messages:
                self.message_user(request, text, messages.ERROR)
            return back
        if name == "write":
            self.message_user(request, _("Đã tạo bản nháp cho đề tài “%(title)s”.")
                              % {"title": entry.title}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[result.pk],
                                                current_app=self.admin_site.name))
        done = {"approve": _("Đã duyệt đề tài."), "cancel": _("Đã hủy đề tài.")}[name]
        self.message_user(request, done, messages.SUCCESS)
        return back

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = dict(extra_context or {})
        entry = object_id and PlanEntry.objects.filter(
            pk=object_id if str(object_id).isdigit() else None
        ).select_related("article").first()
        if entry:
            user = request.user
            context["plan_actions"] = {
                "approve": entry.state == Stage.PROPOSED and entry.may_plan(user),
                "write": entry.may_start_writing(user),
                "cancel": entry.state != Stage.CANCELLED and entry.may_plan(user),
            }
            context["plan_entry"] = entry
            context["transition_urls"] = {
                name: self.url("transition", entry.pk, name) for name in TRANSITIONS
            }
        context["plan_links"] = {"day": self.url("day"), "week": self.url("week")}
        return super().changeform_view(request, object_id, form_url, context)

    def changelist_view(self, request, extra_context=None):
        context = {**(extra_context or {}),
                   "plan_links": {"day": self.url("day"), "week": self.url("week")}}
        return super().changelist_view(request, context)

    # The admin home ---------------------------------------------------------------------------

    def desk_counts(self, request):
        """Editors: the proposals waiting for a decision (one COUNT)."""
        if not PlanEntry.may_plan(request.user):
            return []
        return [{
            "label": _("Đề tài chờ duyệt"),
            "count": PlanEntry.objects.filter(state=Stage.PROPOSED).count(),
            "url": f"{self.url('changelist')}?stage={Stage.PROPOSED}",
        }]

    def desk_panels(self, request):
        """"Việc của tôi": the open entries assigned to this user, by deadline (one query)."""
        if not self.has_view_permission(request):
            return []
        entries = list(
            PlanEntry.objects.assigned_to(request.user).unfiled().for_plan()
            .order_by(F("deadline").asc(nulls_last=True), "planned_for", "id")[:MY_WORK_LIMIT]
        )
        now = timezone.now()
        rows = [{
            "entry": entry,
            "url": self.url("change", entry.pk),
            "late": entry.is_late(now),
            "write_url": entry.may_start_writing(request.user)
            and self.url("transition", entry.pk, "write"),
            "article_url": entry.article_id and reverse(
                "admin:articles_article_change", args=[entry.article_id],
                current_app=self.admin_site.name),
        } for entry in entries]
        return [{"template": "admin/planning/my_work.html", "rows": rows,
                 "day_url": self.url("day"), "week_url": self.url("week")}]
