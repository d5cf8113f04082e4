"""The comment moderation queue: the list, a comment's page with its buttons
and the newsroom's reply, and the moderation log.

Comments are written by readers, never in the admin: every field is read-only
and a comment's status changes only through ``Comment.moderate`` (bulk
actions on the queue, buttons on a comment's page), which keeps the article's
comment count right and logs who did it and when.

About 440 lines, one cohesive thing: the ModelAdmin of Comment with the list
filters, columns, forms and views only it uses (the domain queries are
CommentQuerySet methods).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from articles.admin.access import object_or_refuse
from articles.models import Article

from .. import moderation, posting, rules
from ..models import Comment, ModerationEvent

Status = Comment.Status

# How much of a comment the queue shows; the plain text is cut before highlighting.
SHORT_BODY_CHARS = 160
# The reason filter offers the codes found among this many recent held comments.
REASON_SAMPLE = 500
# ?article= ids: 18 digits fit every integer column.
MAX_ID_DIGITS = 18
# Where a comment can be moved from its page (pending is where comments arrive).
BUTTON_STATUSES = {
    Status.PUBLISHED: gettext_lazy("Duyệt"),
    Status.REJECTED: gettext_lazy("Từ chối"),
    Status.SPAM: gettext_lazy("Đánh dấu thư rác"),
}
# Keyboard shortcuts of a comment's page (static/newsroom_admin/comment_shortcuts.js
# clicks the control that carries the key in data-shortcut).
NEXT_SHORTCUTS = {Status.PUBLISHED: "a", Status.REJECTED: "r", Status.SPAM: "s"}
NEXT_BUTTON_LABELS = {
    Status.PUBLISHED: gettext_lazy("Duyệt và sang bình luận kế tiếp"),
    Status.REJECTED: gettext_lazy("Từ chối và sang kế tiếp"),
    Status.SPAM: gettext_lazy("Thư rác và sang kế tiếp"),
}
# Reasons that say why a comment waits, not what is wrong with it: shown as plain text.
NEUTRAL_REASONS = {"pre_moderation", "first_comment"}
DONE_MESSAGES = {
    Status.PUBLISHED: lambda n: ngettext(
        "Đã duyệt %(count)d bình luận.", "Đã duyệt %(count)d bình luận.", n
    ),
    Status.REJECTED: lambda n: ngettext(
        "Đã từ chối %(count)d bình luận.", "Đã từ chối %(count)d bình luận.", n
    ),
    Status.SPAM: lambda n: ngettext(
        "Đã đánh dấu %(count)d bình luận là thư rác.",
        "Đã đánh dấu %(count)d bình luận là thư rác.",
        n,
    ),
}


def status_badge(comment):
    return format_html(
        '<span class="status-badge comment-status-{}">{}</span>',
        comment.status,
        comment.get_status_display(),
    )


def reason_chips(reasons, show_matches=False):
    """The reasons' labels as chips (the matched words on hover, or after the
    label with ``show_matches``). A reason that is a state of the article or
    the reader, not something wrong with the text, is plain text, so that
    every comment of a pre-moderated article does not carry an alarm."""
    items = []
    for item in reasons or []:
        code, label = item.get("code", ""), item.get("label", "")
        matched = ", ".join(item.get("matched") or [])
        if code in NEUTRAL_REASONS:
            items.append(
                format_html('<span class="reason-neutral" data-code="{}">{}</span>', code, label)
            )
        elif show_matches and matched:
            items.append(
                format_html(
                    '<span class="reason-chip" data-code="{}">{}: {}</span>', code, label, matched
                )
            )
        else:
            items.append(
                format_html(
                    '<span class="reason-chip" data-code="{}" title="{}">{}</span>',
                    code,
                    matched,
                    label,
                )
            )
    return format_html_join(" ", "{}", ((item,) for item in items))


class ReasonFilter(admin.SimpleListFilter):
    title = gettext_lazy("lý do")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        labels = Comment.objects.reason_labels(REASON_SAMPLE)
        if self.value() and self.value() not in labels:
            labels[self.value()] = self.value()
        return sorted(labels.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.with_reason(self.value()) if self.value() else queryset


class ArticleFilter(admin.SimpleListFilter):
    """By article id (?article=12), set by the links in the queue's article
    column; listing every article here would not scale."""

    title = gettext_lazy("bài viết")
    parameter_name = "article"

    def article_id(self):
        """The id asked for; None unless it is one (``isdigit`` alone takes
        "²" and numbers no database column holds)."""
        value = self.value() or ""
        if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
            return int(value)
        return None

    def lookups(self, request, model_admin):
        pk = self.article_id()
        if pk is None:
            return []
        headline = Article.objects.filter(pk=pk).values_list("headline", flat=True).first()
        return [(self.value(), headline or f"#{pk}")]

    def queryset(self, request, queryset):
        pk = self.article_id()
        return queryset if pk is None else queryset.on_article(pk)


class StaffReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Trả lời với tư cách tòa soạn"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def clean_body(self):
        body = rules.clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Câu trả lời đang trống."))
        limit = posting.setting("MAX_LENGTH")
        if len(body) > limit:
            raise forms.ValidationError(
                _("Câu trả lời dài quá %(limit)d ký tự.") % {"limit": limit}
            )
        return body


class ModerateForm(forms.Form):
    """What a comment page's buttons post: the new status, either alone
    (``status``: stay on the comment) or with ``status_and_next`` (then open
    the next pending comment), and an optional note."""

    status = forms.ChoiceField(choices=list(BUTTON_STATUSES.items()), required=False)
    status_and_next = forms.ChoiceField(choices=list(BUTTON_STATUSES.items()), required=False)
    note = forms.CharField(
        label=gettext_lazy("Ghi chú (không bắt buộc)"),
        required=False,
        max_length=250,
        widget=forms.TextInput(attrs={"size": 40}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("status")) == bool(data.get("status_and_next")):
            raise forms.ValidationError(_("Tình trạng không hợp lệ."))
        return data

    @property
    def new_status(self):
        return self.cleaned_data["status"] or self.cleaned_data["status_and_next"]

    @property
    def then_next(self):
        return bool(self.cleaned_data["status_and_next"])


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "short_body",
        "name_with_badge",
        "article_links",
        "status_column",
        "reason_column",
        "report_count",
        "created_at",
    ]
    list_filter = ["status", ReasonFilter, ArticleFilter]
    list_select_related = ["article"]
    search_fields = ["name", "body"]
    search_help_text = gettext_lazy("Tìm theo tên người gửi hoặc nội dung bình luận.")
    list_per_page = 50
    actions = ["approve_selected", "reject_selected", "mark_spam_selected"]
    fields = [
        "article_public_links",
        "parent",
        "name_with_badge",
        "email",
        "status_column",
        "reason_column",
        "report_count",
        "created_at",
        "moderated_by",
        "moderated_at",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["newsroom_admin/admin.css"]}

    # Permissions: readers write comments; the admin only moderates them.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the page is read-only; its buttons check the moderate permission

    def has_delete_permission(self, request, obj=None):
        return False  # deleting would bypass the count and the log: reject or mark as spam

    def has_moderate_permission(self, request, obj=None):
        return request.user.has_perm(moderation.MODERATE_PERMISSION)

    def desk_counts(self, request):
        """For the admin home (NewsroomAdminSite.desk_counts): the comments
        waiting in the queue, for those who moderate."""
        if not self.has_moderate_permission(request):
            return []
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return [{
            "label": _("Bình luận chờ duyệt"),
            "count": Comment.objects.pending().count(),
            "url": f"{url}?status__exact={Status.PENDING}",
        }]

    # The queue: pending first, then oldest first.

    def get_queryset(self, request):
        # Annotated before ordering (ModelAdmin.get_queryset orders at once).
        return Comment.objects.with_queue_order().order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["queue_order", "created_at", "id"]

    def changelist_view(self, request, extra_context=None):
        counts = Comment.objects.count_by_status()
        state_counts = [
            {"status": value, "label": label, "count": counts[value]}
            for value, label in Status.choices
        ]
        extra_context = {**(extra_context or {}), "state_counts": state_counts}
        return super().changelist_view(request, extra_context=extra_context)

    # Columns.

    @admin.display(description=gettext_lazy("bình luận"))
    def short_body(self, comment):
        text = Truncator(comment.body).chars(SHORT_BODY_CHARS)
        return rules.highlight(text, comment.reasons)

    @admin.display(description=gettext_lazy("tên"), ordering="name")
    def name_with_badge(self, comment):
        if comment.is_staff_reply:
            return format_html(
                '{} <span class="staff-badge">{}</span>', comment.name, _("Tòa soạn")
            )
        return comment.name

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not request.user.has_perm("articles.view_article"):
            # Moderators cannot open articles in the admin: no link that ends in a 403.
            columns[columns.index("article_links")] = "article_public_links"
        return columns

    @admin.display(description=gettext_lazy("bài viết"), ordering="article__headline")
    def article_links(self, comment):
        return self._article_links(comment, admin_link=True)

    @admin.display(description=gettext_lazy("bài viết"), ordering="article__headline")
    def article_public_links(self, comment):
        return self._article_links(comment, admin_link=False)

    def _article_links(self, comment, admin_link):
        article = comment.article
        links = [
            format_html(
                '<a href="{}?article={}" title="{}">{}</a>',
                reverse("admin:comments_comment_changelist"),
                article.pk,
                _("Chỉ xem bình luận của bài này"),
                article.headline,
            )
        ]
        if admin_link:
            links.append(
                format_html(
                    '<a href="{}" class="article-admin-link">{}</a>',
                    reverse("admin:articles_article_change", args=[article.pk]),
                    _("trang quản trị"),
                )
            )
        if article.is_public:
            links.append(
                format_html(
                    '<a href="{}" class="article-public-link" target="_blank" '
                    'rel="noopener">{}</a>',
                    article.get_absolute_url(),
                    _("xem bài"),
                )
            )
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description=gettext_lazy("tình trạng"), ordering="queue_order")
    def status_column(self, comment):
        return status_badge(comment)

    @admin.display(description=gettext_lazy("lý do"))
    def reason_column(self, comment):
        return reason_chips(comment.reasons) or "—"

    # Bulk actions.

    def _moderate_selected(self, request, queryset, status):
        changed = sum(
            comment.moderate(status, by=request.user, note=ModerationEvent.Note.QUEUE)
            for comment in queryset
        )
        self.message_user(
            request,
            DONE_MESSAGES[status](changed) % {"count": changed},
            messages.SUCCESS,
        )
        unchanged = len(queryset) - changed
        if unchanged:
            self.message_user(
                request,
                ngettext(
                    "%(count)d bình luận đã ở trạng thái này từ trước.",
                    "%(count)d bình luận đã ở trạng thái này từ trước.",
                    unchanged,
                )
                % {"count": unchanged},
                messages.INFO,
            )

    @admin.action(description=gettext_lazy("Duyệt các bình luận đã chọn"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._moderate_selected(request, queryset, Status.PUBLISHED)

    @admin.action(description=gettext_lazy("Từ chối"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._moderate_selected(request, queryset, Status.REJECTED)

    @admin.action(description=gettext_lazy("Đánh dấu thư rác"), permissions=["moderate"])
    def mark_spam_selected(self, request, queryset):
        self._moderate_selected(request, queryset, Status.SPAM)

    # A comment's page: its text, buttons, staff reply, log and reports.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/moderate/",
                view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            path(
                "<path:object_id>/next/",
                view(self.next_view),
                name="comments_comment_next",
            ),
            path(
                "<path:object_id>/reply/",
                view(self.reply_view),
                name="comments_comment_reply",
            ),
            *super().get_urls(),
        ]

    def _comment_for_moderation(self, request, object_id):
        return object_or_refuse(self, request, object_id, self.has_moderate_permission)

    def _change_url(self, comment):
        return reverse("admin:comments_comment_change", args=[comment.pk])

    @staticmethod
    def thread_root(comment):
        return comment.parent if comment.parent_id else comment

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if comment is not None:
            root = self.thread_root(comment)
            may_moderate = self.has_moderate_permission(request, comment)
            extra_context["moderation"] = {
                "body": rules.highlight(comment.body, comment.reasons),
                "may_moderate": may_moderate,
                "buttons": [
                    {"status": value, "label": label}
                    for value, label in BUTTON_STATUSES.items()
                    if value != comment.status
                ]
                if may_moderate
                else [],
                "next_buttons": [
                    {"status": value, "label": label, "shortcut": NEXT_SHORTCUTS[value]}
                    for value, label in NEXT_BUTTON_LABELS.items()
                    if value != comment.status
                ]
                if may_moderate
                else [],
                "reasons": reason_chips(comment.reasons, show_matches=True),
                "moderate_url": reverse("admin:comments_comment_moderate", args=[comment.pk]),
                "next_url": reverse("admin:comments_comment_next", args=[comment.pk]),
                "note_form": ModerateForm(),
                "reply_form": StaffReplyForm()
                if may_moderate and root.status == Status.PUBLISHED
                else None,
                "reply_url": reverse("admin:comments_comment_reply", args=[comment.pk]),
                "events": comment.events.select_related("actor"),
                "reports": comment.reports.all(),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def moderate_view(self, request, object_id):
        comment = self._comment_for_moderation(request, object_id)
        form = ModerateForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Tình trạng không hợp lệ."))
        status, note = form.new_status, form.cleaned_data["note"]
        if comment.moderate(status, by=request.user, note=note):
            self.message_user(
                request,
                _("Bình luận của “%(name)s” giờ ở trạng thái: %(status)s.")
                % {"name": comment.name, "status": comment.get_status_display()},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Bình luận đã ở trạng thái này từ trước."), messages.INFO)
        if form.then_next:
            return self._go_to_next(request, comment)
        return HttpResponseRedirect(self._change_url(comment))

    def next_view(self, request, object_id):
        """The next pending comment after this one ("N" on a comment's page),
        without deciding this one."""
        comment = object_or_refuse(self, request, object_id, self.has_view_permission)
        return self._go_to_next(request, comment)

    def _go_to_next(self, request, comment):
        """To the oldest pending comment after ``comment`` in the queue's
        order; to the queue, with a message, when none is left after it (those
        before it were skipped by the moderator, who finds them in the queue)."""
        following = Comment.objects.pending_after(comment).first()
        if following is not None:
            return HttpResponseRedirect(self._change_url(following))
        if Comment.objects.pending().exclude(pk=comment.pk).exists():
            message = _(
                "Không còn bình luận chờ duyệt nào sau bình luận này. "
                "Những bình luận đã bỏ qua vẫn ở đầu hàng đợi."
            )
        else:
            message = _("Đã hết bình luận chờ duyệt.")
        self.message_user(request, message, messages.INFO)
        return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))

    @method_decorator(require_POST)
    def reply_view(self, request, object_id):
        comment = self._comment_for_moderation(request, object_id)
        form = StaffReplyForm(request.POST)
        if not form.is_valid():
            for error in form.errors["body"]:
                self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(self._change_url(comment))
        body = form.cleaned_data["body"]
        try:
            moderation.reply_as_newsroom(comment, request.user, body, posting.body_hash(body))
        except moderation.NotReplyable:
            self.message_user(
                request,
                _("Chỉ trả lời được bình luận đang hiện. Hãy duyệt bình luận trước."),
                messages.ERROR,
            )
        else:
            self.message_user(request, _("Đã đăng câu trả lời của tòa soạn."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(comment))


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The moderation log, read-only: who moved which comment, when."""

    list_display = ["created_at", "comment", "actor", "from_status", "to_status", "note_column"]
    list_filter = ["to_status"]
    list_select_related = ["comment", "actor"]
    date_hierarchy = "created_at"
    # The view page shows the note as the list does: the system's own translated
    # ("Bình luận mới"), not its stored code ("created").
    fields = ["created_at", "comment", "actor", "from_status", "to_status", "note_column"]
    readonly_fields = ["note_column"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_field_queryset(self, db, db_field, request):
        """The plain comments for the view page's comment field: the queue's
        ordering (``CommentAdmin.get_ordering``) names an annotation that only the
        queue's own queryset has, and would make the page fail."""
        return None

    @admin.display(description=gettext_lazy("ghi chú"), ordering="note")
    def note_column(self, event):
        return event.note_label
