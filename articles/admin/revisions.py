"""Article admin: history, revisions, diffs, restore, preview and share links.

Every view here is checked on the server against the article it names:
seeing (history, diff, preview) needs the admin's view permission on the
article; changing (restore, share links) needs ``workflow.can_edit_content``,
the same rule as a content save.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from newsroom.formats import display_time

from .. import previews, workflow
from ..models import Event, Revision, ShareLink
from ..revisions import content_hash, diff, snapshot
from .access import article_or_refuse

SHARE_LINK_DAYS = 7
SHARE_LINK_MAX_DAYS = 30


class ShareLinkForm(forms.Form):
    revision = forms.IntegerField(required=False, min_value=1)
    days = forms.IntegerField(
        label=gettext_lazy("Hiệu lực (ngày)"),
        min_value=1,
        max_value=SHARE_LINK_MAX_DAYS,
        initial=SHARE_LINK_DAYS,
    )


class RevisionAdminMixin:
    object_history_template = "admin/articles/article/history.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"

        def view(function, post_only=False):
            return self.admin_site.admin_view(require_POST(function) if post_only else function)

        article = "<path:object_id>/"
        revision = article + "revisions/<int:number>/"
        # Longest first ("<path:…>/preview/" would swallow a revision's preview),
        # all before the admin's own "<path:object_id>/" catch-all.
        return [
            path(revision + "diff/", view(self.revision_diff_view),
                 name=f"{name}_revision_diff"),
            path(revision + "preview/", view(self.revision_preview_view),
                 name=f"{name}_revision_preview"),
            path(revision + "restore/", view(self.revision_restore_view, post_only=True),
                 name=f"{name}_revision_restore"),
            path(article + "preview/", view(self.preview_view), name=f"{name}_preview"),
            path(article + "share-links/create/",
                 view(self.share_link_create_view, post_only=True),
                 name=f"{name}_sharelink_create"),
            path(article + "share-links/<int:link_id>/revoke/",
                 view(self.share_link_revoke_view, post_only=True),
                 name=f"{name}_sharelink_revoke"),
            *super().get_urls(),
        ]

    # Permissions --------------------------------------------------------------------------

    def _revision_for(self, article, number):
        return get_object_or_404(Revision.objects.select_related("created_by"),
                                 article=article, number=number)

    def _history_url(self, article):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_history"
        return reverse(name, args=[quote(article.pk)], current_app=self.admin_site.name)

    # History ----------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """Our events, revisions and share links above Django's own change log."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            return super().history_view(request, object_id, extra_context)  # 404/403 there
        current_hash = content_hash(snapshot(article))
        # The lists never show a snapshot itself: leave the JSON in the database.
        revisions = list(
            article.revisions.select_related("created_by").defer("data").order_by("-number")
        )
        for revision in revisions:
            revision.is_current = revision.content_hash == current_hash
            revision.is_approved = bool(article.approved_hash) and (
                revision.content_hash == article.approved_hash
            )
        events = list(
            Event.objects.filter(article=article)
            .select_related("actor", "revision")
            .defer("revision__data")
            .order_by("-created_at", "-id")
        )
        for event in events:
            event.label = workflow.event_label(event)
        share_links = list(
            article.share_links.select_related("created_by", "revision")
            .defer("revision__data")
            .order_by("-created_at")
        )
        can_edit = workflow.can_edit_content(article, request.user)
        context = {
            "title": _("Lịch sử & phiên bản: %(headline)s") % {"headline": article},
            "article": article,
            "events": events,
            "revisions": revisions,
            "share_links": share_links,
            "can_edit_content": can_edit,
            # A public article is shared by its public URL.
            "can_share": can_edit and not article.is_public,
            "share_form": ShareLinkForm(),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    # Diff and preview ---------------------------------------------------------------------

    def revision_diff_view(self, request, object_id, number):
        article = article_or_refuse(self, request, object_id)
        revision = self._revision_for(article, number)
        changes = diff(revision.data, snapshot(article))
        context = {
            **self.admin_site.each_context(request),
            "title": _("So sánh phiên bản #%(number)s với nội dung hiện tại")
            % {"number": revision.number},
            "subtitle": str(article),
            "opts": self.opts,
            "original": article,
            "article": article,
            "revision": revision,
            "changes": changes,
            "can_edit_content": workflow.can_edit_content(article, request.user),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revision_diff.html", context)

    def preview_view(self, request, object_id):
        article = article_or_refuse(self, request, object_id)
        data = snapshot(article)
        revision = workflow.latest_revision(article)
        if revision is not None and revision.content_hash == content_hash(data):
            note = _("Nội dung hiện tại (phiên bản #%(number)s).") % {"number": revision.number}
        else:
            note = _("Nội dung hiện tại, chưa lưu thành phiên bản.")
        return previews.render_snapshot(
            request, article, data, note=note, corrections=article.corrections.all()
        )

    def revision_preview_view(self, request, object_id, number):
        article = article_or_refuse(self, request, object_id)
        revision = self._revision_for(article, number)
        note = _("Phiên bản #%(number)s, lưu lúc %(time)s.") % {
            "number": revision.number,
            "time": display_time(revision.created_at),
        }
        return previews.render_snapshot(
            request, article, revision.data, note=note, corrections=article.corrections.all()
        )

    # Restore -------------------------------------------------------------------------------

    def revision_restore_view(self, request, object_id, number):
        """Put an old revision's content back as a new revision, under the same
        rules as a content save: approved content goes back to review."""
        article = article_or_refuse(self, request, object_id, edit=True)
        revision = self._revision_for(article, number)
        status_before = article.status
        restored = article.restore(revision, by=request.user)
        if restored is None:
            self.message_user(
                request,
                _("Nội dung hiện tại đã giống phiên bản #%(number)s; không có gì thay đổi.")
                % {"number": revision.number},
                messages.INFO,
            )
            return HttpResponseRedirect(self._history_url(article))
        self.log_change(request, article, restored.note)
        message = _("Đã khôi phục phiên bản #%(old)s thành phiên bản mới #%(new)s.") % {
            "old": revision.number,
            "new": restored.number,
        }
        if article.status != status_before:
            message += " " + _("Bài trở lại trạng thái “%(status)s”.") % {
                "status": article.get_status_display()
            }
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(self._history_url(article))

    # Share links -----------------------------------------------------------------------------

    def share_link_create_view(self, request, object_id):
        article = article_or_refuse(self, request, object_id, edit=True)
        form = ShareLinkForm(request.POST)
        if not form.is_valid():
            self.message_user(
                request,
                _("Không tạo được liên kết: thời hạn phải từ 1 đến %(max)s ngày.")
                % {"max": SHARE_LINK_MAX_DAYS},
                messages.ERROR,
            )
            return HttpResponseRedirect(self._history_url(article))
        if article.is_public:
            self.message_user(
                request,
                _("Bài đã đăng: hãy gửi đường dẫn công khai của bài."),
                messages.WARNING,
            )
            return HttpResponseRedirect(self._history_url(article))
        number = form.cleaned_data["revision"]
        if number:
            revision = self._revision_for(article, number)
        else:
            revision = workflow.latest_revision(article) or article.record_revision(request.user)
        link, token = ShareLink.objects.issue(
            article, revision, by=request.user, days=form.cleaned_data["days"]
        )
        url = request.build_absolute_uri(reverse("articles:shared_preview", args=[token]))
        # The token is shown on this page only, once: it is stored nowhere, not
        # even in a message (messages live in a cookie or the session).
        return self.history_view(
            request, str(article.pk), {"new_share_link": link, "new_share_url": url}
        )

    def share_link_revoke_view(self, request, object_id, link_id):
        article = article_or_refuse(self, request, object_id, edit=True)
        link = get_object_or_404(ShareLink, pk=link_id, article=article)
        revoked = ShareLink.objects.filter(pk=link.pk).revoke()
        if revoked:
            self.message_user(request, _("Đã thu hồi liên kết xem trước."), messages.SUCCESS)
        else:
            self.message_user(request, _("Liên kết này đã bị thu hồi trước đó."), messages.INFO)
        return HttpResponseRedirect(self._history_url(article))
