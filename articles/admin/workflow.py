"""Article admin: who may do what, and the workflow's buttons and lists.

Every change of status goes through the Article's transition methods (which
hand off to ``articles.workflow``); the admin only shows the transitions a
user may make and posts them. The form never edits
status or publish times, so a forged POST field changes nothing.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.db.models import Case, F, IntegerField, When, prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from .. import chains, workflow
from ..models import Article, Correction, WithdrawalReason
from .access import article_or_refuse

Status = Article.Status

# Changed only by transitions (status, publish times) and corrections (updated_at).
WORKFLOW_FIELDS = ["status", "published_at", "first_published_at", "updated_at"]

# A publish time typed for the current minute is a few seconds old on arrival.
PUBLISH_NOW_TOLERANCE = timedelta(minutes=1)

# The session key under which a refused button's form waits for the redirect.
TYPED_FORM_KEY = "newsroom_workflow_typed_form"

SUCCESS_MESSAGES = {
    "submit": gettext_lazy("Đã gửi bài “%(headline)s” để duyệt."),
    "pull_back": gettext_lazy("Đã rút bài “%(headline)s” về bản nháp để sửa."),
    "approve": gettext_lazy("Đã duyệt bài “%(headline)s”."),
    "send_back": gettext_lazy("Đã trả bài “%(headline)s” về cấp trước."),
    "mark_sensitive": gettext_lazy("Đã đánh dấu bài “%(headline)s” là nhạy cảm."),
    "unmark_sensitive": gettext_lazy("Đã bỏ đánh dấu nhạy cảm của bài “%(headline)s”."),
    "request_changes": gettext_lazy("Đã yêu cầu sửa bài “%(headline)s”."),
    "publish": gettext_lazy("Đã đăng bài “%(headline)s”."),
    "unschedule": gettext_lazy("Đã hủy hẹn giờ; bài “%(headline)s” trở lại trạng thái đã duyệt."),
    "withdraw": gettext_lazy("Đã gỡ bài “%(headline)s”."),
    "reopen": gettext_lazy("Đã mở lại bài “%(headline)s” thành bản nháp."),
}


def person(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def local_time(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def submitted_with_gaps(article):
    """The warning after a submission that the publish gates would still refuse,
    or None. Submitting is allowed; approving is not until the items are there."""
    missing = workflow.missing_for_publication(article)
    if not missing:
        return None
    return _(
        "Bài đã được gửi duyệt, nhưng còn thiếu những mục sau; biên tập viên chưa duyệt "
        "được bài cho đến khi đủ: %(items)s"
    ) % {"items": " ".join(missing)}


def waiting_at(article):
    """"Chờ Thư ký tòa soạn duyệt": the level an article in review waits at."""
    level = chains.standing(article).current
    if level is None:
        return _("Chờ biên tập viên duyệt")
    return _("Chờ %(level)s duyệt") % {"level": chains.in_sentence(level)}


def is_overdue(article):
    """Scheduled, its time has come, but publish_scheduled has not run yet."""
    return (
        article.status == Article.Status.SCHEDULED
        and article.published_at is not None
        and article.published_at <= timezone.now()
    )


# Forms -------------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    """What a workflow button posts. ``articles.workflow`` decides what is
    required (a note, a reason); this form only parses the values."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Lý do hiện cho bạn đọc"),
        required=False,
        choices=[("", "---------"), *WithdrawalReason.choices],
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Giờ đăng"),
        required=False,
        help_text=gettext_lazy("Dạng dd/mm/yyyy hh:mm. Để trống để đăng ngay."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "size": 16}),
    )

    NOTE_LABELS = {
        "request_changes": gettext_lazy("Cần sửa những gì (bắt buộc)"),
        "send_back": gettext_lazy("Vì sao trả về cấp trước (bắt buộc)"),
        "withdraw": gettext_lazy("Ghi chú nội bộ (bắt buộc)"),
    }

    def __init__(self, *args, transition, **kwargs):
        kwargs.setdefault("auto_id", f"id_{transition.name}_%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.name != "withdraw":
            del self.fields["reason"]
        else:
            self.fields["reason"].widget.attrs["required"] = True
        if not transition.needs_note:
            del self.fields["note"]
        else:
            self.fields["note"].label = self.NOTE_LABELS.get(transition.name, _("Ghi chú"))
            self.fields["note"].widget.attrs["required"] = True
        if transition.name != "publish":
            del self.fields["at"]

    def clean_at(self):
        """A future time schedules; empty or the current minute publishes now;
        an earlier time is refused (a publish time is never backdated here)."""
        at = self.cleaned_data["at"]
        if at is None:
            return None
        now = timezone.now()
        if at < now - PUBLISH_NOW_TOLERANCE:
            raise forms.ValidationError(
                _("Giờ đăng %(time)s đã qua. Để trống để đăng ngay, hoặc chọn một giờ sắp tới.")
                % {"time": local_time(at)}
            )
        return at if at > now else None


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text", "is_major"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 40})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_correction_%s")
        super().__init__(*args, **kwargs)


# Change list filters -----------------------------------------------------------------------


class DeskFilter(admin.SimpleListFilter):
    """The user's own articles, and the ones waiting for them to review."""

    title = gettext_lazy("việc của tôi")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        choices = [("mine", _("Của tôi"))]
        if request.user.has_perm("articles.approve_article"):
            choices.append(("to_review", _("Chờ tôi duyệt")))
        return choices

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.mine(request.user)
        if self.value() == "to_review":
            return queryset.to_review_by(request.user)
        return queryset


class ScheduleFilter(admin.SimpleListFilter):
    title = gettext_lazy("hẹn giờ")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("scheduled", _("Hẹn giờ, chưa đến giờ")),
            ("today", _("Hẹn đăng hôm nay")),
            ("overdue", _("Quá giờ hẹn")),
        ]

    def queryset(self, request, queryset):
        scheduled = queryset.filter(status=Article.Status.SCHEDULED)
        if self.value() == "scheduled":
            return scheduled.filter(published_at__gt=timezone.now())
        if self.value() == "today":
            return queryset.scheduled_on(timezone.localdate())
        if self.value() == "overdue":
            return queryset.due()
        return queryset


# The admin ---------------------------------------------------------------------------------


class WorkflowAdminMixin:
    """Permissions, transition buttons and workflow lists for ArticleAdmin."""

    actions = ["approve_selected", "publish_selected"]

    # Permissions

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return workflow.can_edit_content(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        # Articles are withdrawn, never deleted, except by a superuser.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_approve_permission(self, request):
        return request.user.has_perm("articles.approve_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [name for name in WORKFLOW_FIELDS if name not in fields]

    # Change list

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        after = columns.index("status_badge") + 1 if "status_badge" in columns else len(columns)
        columns.insert(after, "holder")
        return columns

    def get_ordering(self, request):
        """The work first: for an editor the submitted articles ("Chờ duyệt"),
        for anyone else their own ("Của tôi", ``ArticleQuerySet.mine``); then
        the most recent activity (an edit or a transition) first."""
        user = request.user
        if user.has_perm("articles.approve_article"):
            first = When(status=Status.IN_REVIEW, then=0)
        else:
            first = When(pk__in=Article.objects.mine(user).values("pk"), then=0)
        desk_first = Case(first, default=1, output_field=IntegerField())
        return [desk_first.asc(), F("modified_at").desc(nulls_last=True), "-pk"]

    def get_list_filter(self, request):
        return [DeskFilter, ScheduleFilter, *super().get_list_filter(request)]

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if related is True:
            return True
        return [*(related or []), "approved_by"]

    # The admin home (NewsroomAdminSite.desk_counts)

    def desk_counts(self, request):
        """The articles waiting for this user, one COUNT each: submitted ones to
        approve (editors), their own sent back for changes (reporters), and
        those scheduled for today (who may publish)."""
        user, rows = request.user, Article.objects
        changelist = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        counts = []
        if user.has_perm("articles.approve_article"):
            counts.append({
                "label": _("Chờ tôi duyệt"),
                "count": rows.to_review_by(user).count(),
                "url": f"{changelist}?desk=to_review",
            })
        if user.has_perm("articles.submit_article"):
            counts.append({
                "label": _("Bài của tôi cần sửa"),
                "count": rows.mine(user).filter(status=Status.CHANGES_REQUESTED).count(),
                "url": f"{changelist}?desk=mine&status__exact={Status.CHANGES_REQUESTED}",
            })
        if user.has_perm("articles.publish_article"):
            counts.append({
                "label": _("Hẹn đăng hôm nay"),
                "count": rows.scheduled_on(timezone.localdate()).count(),
                "url": f"{changelist}?schedule=today",
            })
        return counts

    def get_changelist_instance(self, request):
        """The list's page of articles shares one read of the approval chains."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        prefetch_related_objects(
            [row for row in rows if row.status == Status.IN_REVIEW], "approvals"
        )
        book = chains.ChainBook() if any(row.status == Status.IN_REVIEW for row in rows) else None
        for row in rows:
            row._chain_book = book
        return changelist

    @admin.display(description=gettext_lazy("người giữ bài"))
    def holder(self, obj):
        if obj.status in (Status.DRAFT, Status.CHANGES_REQUESTED):
            return person(obj.created_by)
        if obj.status == Status.IN_REVIEW:
            return waiting_at(obj)
        if obj.status == Status.APPROVED:
            return person(obj.approved_by)
        if obj.status == Status.SCHEDULED and is_overdue(obj):
            return format_html(
                '<span class="workflow-overdue">{}</span>',
                _("Quá giờ hẹn %(time)s") % {"time": local_time(obj.published_at)},
            )
        if obj.status == Status.SCHEDULED:
            return _("Hẹn đăng %(time)s") % {"time": local_time(obj.published_at)}
        return "—"

    @admin.action(permissions=["approve"], description=gettext_lazy("Duyệt các bài đã chọn"))
    def approve_selected(self, request, queryset):
        self.transition_each(
            request, queryset, workflow.APPROVE,
            lambda n: ngettext("Đã duyệt %(count)d bài.", "Đã duyệt %(count)d bài.", n),
        )

    @admin.action(permissions=["publish"], description=gettext_lazy("Đăng ngay các bài đã chọn"))
    def publish_selected(self, request, queryset):
        self.transition_each(
            request, queryset, workflow.PUBLISH,
            lambda n: ngettext("Đã đăng %(count)d bài.", "Đã đăng %(count)d bài.", n),
        )

    def transition_each(self, request, queryset, spec, done_message):
        """Make transition ``spec`` on each article through its Article method,
        each in its own transaction: an article is changed completely or not at
        all, and every refusal is reported with its reasons."""
        label = spec.label
        done = 0
        for article in queryset.order_by("pk"):
            try:
                getattr(article, spec.name)(by=request.user)
            except workflow.WorkflowError as error:
                messages.error(
                    request,
                    _("Không thể “%(action)s” bài “%(headline)s”: %(reasons)s")
                    % {"action": label, "headline": article.headline, "reasons": error},
                )
            else:
                done += 1
        if done:
            messages.success(request, done_message(done) % {"count": done})

    # Change form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change and not context.get("is_popup"):
            context["workflow"] = self.workflow_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, article):
        user = request.user
        typed = self.typed_form(request, article)
        buttons = []
        for spec in workflow.available_transitions(article, user):
            form = TransitionForm(transition=spec)
            if typed and typed[0] == spec.name:
                form = typed[1]
                form.is_valid()  # errors shown at the fields, the typed values kept
            buttons.append({
                "transition": spec,
                "form": form,
                "url": self.workflow_url("transition", article, spec.name),
            })
        context = {
            "article": article,
            "facts": self.workflow_facts(article),
            "buttons": buttons,
            "overdue": is_overdue(article),
            "four_eyes": (
                article.status == Status.IN_REVIEW
                and user.has_perm("articles.approve_article")
                and workflow.approval_refusal(article, user)
            ),
            "own_content": workflow.is_own_content(article, user),
            "chain": self.chain_context(article),
            "read_only": not self.has_change_permission(request, article),
        }
        if article.status in (Status.DRAFT, Status.CHANGES_REQUESTED, Status.IN_REVIEW,
                              Status.APPROVED):
            context["missing"] = workflow.missing_for_publication(article)
        if article.status == Status.CHANGES_REQUESTED:
            change_request = (
                article.events.filter(action="request_changes").select_related("actor").first()
            )
            if change_request:
                context["change_request"] = change_request
                context["change_request_by"] = person(change_request.actor)
        if article.status == Status.PUBLISHED:
            context["corrections"] = list(article.corrections.all())
            if user.has_perm("articles.correct_article"):
                context["correction_form"] = CorrectionForm()
                context["correction_url"] = self.workflow_url("correct", article)
        return context

    def chain_context(self, article):
        """Where the article stands in its approval chain: each level, who
        approved it and when, and the level it waits at."""
        standing = chains.standing(article)
        current = standing.current if article.status == Status.IN_REVIEW else None
        return {
            "waiting": waiting_at(article) if current else "",
            "sensitive": article.is_sensitive,
            "levels": [
                {
                    "label": str(level),
                    "current": level == current,
                    "by": person(approval.approved_by) if approval else "",
                    "at": local_time(approval.approved_at) if approval else "",
                }
                for level, approval in standing.passed()
            ],
        }

    def workflow_facts(self, article):
        """Who created, edited, approved and published the article, and when."""

        def by_at(user, at):
            return ", ".join(filter(None, [person(user), at and local_time(at)]))

        facts = [
            (_("Người tạo"), by_at(article.created_by, article.created_at)),
            (_("Người sửa nội dung sau cùng"), person(article.last_editor)),
        ]
        if article.approved_by_id:
            facts.append((_("Người duyệt"), by_at(article.approved_by, article.approved_at)))
        if article.published_at:
            published = local_time(article.published_at)
            if article.published_by_id:
                published += f" ({person(article.published_by)})"
            facts.append((_("Thời gian đăng"), published))
        if article.first_published_at and article.first_published_at != article.published_at:
            facts.append((_("Đăng lần đầu"), local_time(article.first_published_at)))
        if article.updated_at:
            facts.append((_("Cập nhật"), local_time(article.updated_at)))
        if article.status == Article.Status.WITHDRAWN and article.withdrawal_reason:
            facts.append((_("Lý do gỡ (công khai)"), article.get_withdrawal_reason_display()))
        return facts

    # Views

    def workflow_url(self, view, article, *args):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[quote(article.pk), *args])

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"

        def post_only(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                post_only(self.transition_view),
                name=f"{prefix}_transition",
            ),
            path(
                "<path:object_id>/correct/",
                post_only(self.correct_view),
                name=f"{prefix}_correct",
            ),
            *super().get_urls(),
        ]

    def back_to_article(self, article):
        return HttpResponseRedirect(self.workflow_url("change", article))

    def transition_view(self, request, object_id, name):
        article = article_or_refuse(self, request, object_id)
        spec = workflow.TRANSITIONS.get(name)
        if spec is None:
            raise Http404(_("Không có thao tác này."))
        form = TransitionForm(request.POST, transition=spec)
        if not form.is_valid():
            return self.refuse_form(request, article, form)
        try:
            # The form has the fields this transition's Article method takes.
            getattr(article, spec.name)(by=request.user, **form.cleaned_data)
        except workflow.WorkflowError as error:
            return self.refuse(request, article, error.messages)
        if article.status == Article.Status.SCHEDULED:
            message = _("Đã hẹn giờ đăng bài “%(headline)s” lúc %(time)s.") % {
                "headline": article.headline,
                "time": local_time(article.published_at),
            }
        elif spec is workflow.APPROVE and article.status == Article.Status.IN_REVIEW:
            message = _("Đã duyệt bài “%(headline)s” ở cấp của bạn; bài chuyển lên: %(next)s.") % {
                "headline": article.headline,
                "next": waiting_at(article),
            }
        else:
            message = SUCCESS_MESSAGES[name] % {"headline": article.headline}
        messages.success(request, message)
        if spec is workflow.SUBMIT and (warning := submitted_with_gaps(article)):
            messages.warning(request, warning)
        return self.back_to_article(article)

    def refuse_form(self, request, article, form):
        """Back to the article with the button's form as typed, its errors shown
        at its fields (the session carries them over the redirect)."""
        request.session[TYPED_FORM_KEY] = {
            "article": article.pk,
            "transition": form.transition.name,
            "data": {name: form.data.get(name, "") for name in form.fields},
        }
        messages.error(
            request,
            _("Chưa thể “%(action)s”: xem lỗi ở ô bên dưới nút.")
            % {"action": form.transition.label},
        )
        return self.back_to_article(article)

    def typed_form(self, request, article):
        """(transition name, bound form) left by ``refuse_form`` for this article, or None."""
        typed = request.session.pop(TYPED_FORM_KEY, None)
        if not typed or typed.get("article") != article.pk:
            return None
        spec = workflow.TRANSITIONS.get(typed.get("transition"))
        if spec is None:
            return None
        return spec.name, TransitionForm(typed.get("data") or {}, transition=spec)

    def refuse(self, request, article, *message_lists):
        """Show every reason as an error message and go back to the article."""
        for message_list in message_lists:
            for message in message_list:
                messages.error(request, message)
        return self.back_to_article(article)

    def correct_view(self, request, object_id):
        article = article_or_refuse(self, request, object_id)
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, article, *form.errors.values())
        try:
            article.correct(request.user, **form.cleaned_data)
        except workflow.WorkflowError as error:
            return self.refuse(request, article, error.messages)
        messages.success(request, _("Đã đăng cải chính cho bài “%(headline)s”.") % {
            "headline": article.headline,
        })
        return self.back_to_article(article)
