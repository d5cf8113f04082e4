"""The task queue in the admin: what waits, what runs, what failed and why.

Read-only, and only for superusers and operators given the "view" permission of
``QueuedTask`` (no group has it by default): arguments and tracebacks are not for
every editor. The library's own admin (English labels, any staff with the
permission) is replaced by this one.
"""

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.tasks import TaskResultStatus
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import QueuedTask, WorkerProcess

STATUS_LABELS = {
    TaskResultStatus.READY: _("Đang chờ"),
    TaskResultStatus.RUNNING: _("Đang chạy"),
    TaskResultStatus.FAILED: _("Thất bại"),
    TaskResultStatus.SUCCESSFUL: _("Xong"),
}

try:
    admin.site.unregister(DBTaskResult)
except NotRegistered:
    pass


class StatusFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in STATUS_LABELS:
            return queryset.filter(status=self.value())
        return queryset


class OperatorsOnly:
    """Visible to superusers and to users with the model's view permission; never
    editable from the admin."""

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        opts = self.opts
        return user.is_active and (
            user.is_superuser or user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QueuedTask)
class QueuedTaskAdmin(OperatorsOnly, admin.ModelAdmin):
    actions = ["rerun"]
    # The library's field labels are English msgids: every column here is ours.
    list_display = [
        "task_shown", "shown_status", "attempt", "enqueued", "run_after_shown", "finished",
        "error",
    ]
    list_filter = [StatusFilter]
    ordering = ["-enqueued_at"]
    fields = [
        "task_shown", "shown_status", "arguments", "attempt", "enqueued", "run_after_shown",
        "started", "finished", "workers", "error", "shown_traceback",
    ]
    readonly_fields = fields

    def has_rerun_permission(self, request):
        return request.user.is_active and (
            request.user.is_superuser or request.user.has_perm("worker.rerun_queuedtask")
        )

    @admin.action(description=_("Chạy lại các tác vụ thất bại đã chọn"), permissions=["rerun"])
    def rerun(self, request, queryset):
        """Queue a failed task again from its first attempt, e.g. mail that failed
        all its attempts while the mail server was away. Safe: tasks are idempotent."""
        failed = list(queryset.filter(status=TaskResultStatus.FAILED))
        for row in failed:
            call = row.args_kwargs
            import_string(row.task_path).enqueue(*call["args"], **{**call["kwargs"], "attempt": 1})
        self.message_user(
            request,
            ngettext("Đã xếp lại %(count)d tác vụ vào hàng đợi.",
                     "Đã xếp lại %(count)d tác vụ vào hàng đợi.", len(failed))
            % {"count": len(failed)},
            messages.SUCCESS if failed else messages.WARNING,
        )

    @admin.display(description=_("tác vụ"), ordering="task_path")
    def task_shown(self, obj):
        return obj.task_path.rsplit(".", 1)[-1]

    @admin.display(description=_("trạng thái"), ordering="status")
    def shown_status(self, obj):
        return STATUS_LABELS.get(obj.status, obj.status)

    @admin.display(description=_("lần thử"))
    def attempt(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description=_("tham số"))
    def arguments(self, obj):
        return obj.args_kwargs

    @admin.display(description=_("xếp hàng lúc"), ordering="enqueued_at")
    def enqueued(self, obj):
        return obj.enqueued_at

    @admin.display(description=_("bắt đầu lúc"), ordering="started_at")
    def started(self, obj):
        return obj.started_at

    @admin.display(description=_("xong lúc"), ordering="finished_at")
    def finished(self, obj):
        return obj.finished_at

    @admin.display(description=_("chạy sau"), ordering="run_after")
    def run_after_shown(self, obj):
        return "" if obj.run_after == get_date_max() else obj.run_after

    @admin.display(description=_("các worker đã nhận"))
    def workers(self, obj):
        return ", ".join(obj.worker_ids)

    @admin.display(description=_("lỗi"))
    def error(self, obj):
        return obj.exception_class_path.rsplit(".", 1)[-1]

    @admin.display(description=_("vết lỗi"))
    def shown_traceback(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else ""


@admin.register(WorkerProcess)
class WorkerProcessAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at", "stopped_at", "is_alive"]

    @admin.display(description=_("đang sống"), boolean=True)
    def is_alive(self, obj):
        return obj.alive
