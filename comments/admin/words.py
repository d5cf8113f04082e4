"""The word list's admin, with a "test this text" page that runs the comment
rules on any text and shows what they would do and why."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles.models import CommentsMode

from .. import rules
from ..models import RemovedWord, Word


class WordTestForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung bình luận"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "vLargeTextField"}),
        max_length=rules.scan_limit(),
        strip=False,
    )
    name = forms.CharField(label=_("Tên người bình luận"), required=False, max_length=200)
    mode = forms.ChoiceField(
        label=_("Chế độ duyệt"),
        choices=[(mode.value, mode.label) for mode in (CommentsMode.POST, CommentsMode.PRE)],
        initial=CommentsMode.POST,
    )
    first_time = forms.BooleanField(label=_("Người bình luận lần đầu"), required=False)


@admin.register(Word)
class WordAdmin(admin.ModelAdmin):
    list_display = ["text", "list", "created_at"]
    list_filter = ["list"]
    search_fields = ["text"]
    fields = ["text", "list"]

    def get_urls(self):
        test = path(
            "test/",
            self.admin_site.admin_view(self.test_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_test",
        )
        return [test, *super().get_urls()]

    def test_view(self, request):
        """Run ``rules.check`` on the text typed in (POST, or GET with ?text=)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        form = WordTestForm(data if "text" in data else None)
        result = None
        if form.is_valid():
            text = rules.clean_text(form.cleaned_data["text"])
            name = rules.clean_text(form.cleaned_data["name"])
            verdict = rules.check(
                text,
                name,
                mode=form.cleaned_data["mode"],
                first_time=form.cleaned_data["first_time"],
            )
            result = {
                "verdict": verdict,
                "action_label": ACTION_LABELS[verdict.action],
                "text": rules.highlight(text, verdict.reasons),
                "name": rules.highlight(name, verdict.reasons) if name else "",
            }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Thử một đoạn bình luận"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/comments/word/test.html", context)


ACTION_LABELS = {
    rules.PUBLISH: _("Hiện ngay"),
    rules.HOLD: _("Giữ lại để duyệt"),
    rules.REJECT: _("Từ chối"),
}


@admin.register(RemovedWord)
class RemovedWordAdmin(admin.ModelAdmin):
    """Default words a moderator deleted: ``load_default_words`` skips them.
    Deleting an entry here lets the next load add the word back."""

    list_display = ["text", "removed_at"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
