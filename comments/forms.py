from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import posting, rules
from .models import Comment, Report

NAME_MAX_LENGTH = Comment._meta.get_field("name").max_length


class CommentForm(forms.Form):
    """A reader's comment or reply. Lengths are checked on the cleaned text and
    reported with the numbers, never cut: the inputs carry no ``maxlength``,
    which would make a browser drop the end of a pasted text silently."""

    name = forms.CharField(label=_("Tên của bạn"))
    email = forms.EmailField(
        label=_("E-mail (không bắt buộc, không hiện ra)"), required=False, max_length=254
    )
    body = forms.CharField(label=_("Bình luận"), widget=forms.Textarea(attrs={"rows": 4}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    # The honeypot: hidden from people by CSS; a bot filling every field fills it.
    website = forms.CharField(label=_("Để trống ô này"), required=False)
    # The time trap's single-use token (comments.timetrap). Empty in a page
    # that may be cached: comments.js fetches one, a POST's answer carries one.
    rendered = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["email"].widget.attrs.pop("maxlength", None)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_name(self):
        name = " ".join(rules.clean_text(self.cleaned_data["name"]).split())
        if not name:
            raise ValidationError(_("Vui lòng ghi tên của bạn."), code="required")
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                _("Tên dài tối đa %(limit)d ký tự (tên bạn ghi có %(length)d)."),
                code="max_length",
                params={"limit": NAME_MAX_LENGTH, "length": len(name)},
            )
        if rules.is_staff_like_name(name):
            raise ValidationError(
                _("Tên này dễ bị nhầm với tòa soạn. Vui lòng chọn tên khác."), code="staff_name"
            )
        return name

    def clean_body(self):
        body = rules.clean_text(self.cleaned_data["body"]).strip()
        if not body:
            raise ValidationError(_("Vui lòng viết bình luận."), code="required")
        limit = posting.setting("MAX_LENGTH")
        if len(body) > limit:
            raise ValidationError(
                _("Bình luận dài tối đa %(limit)d ký tự; bình luận của bạn có %(length)d ký tự."),
                code="max_length",
                params={"limit": limit, "length": len(body)},
            )
        return body

    def clean_parent(self):
        """Replies go to a published top-level comment of the same article: one level."""
        pk = self.cleaned_data["parent"]
        if pk is None:
            return None
        parent = (
            Comment.objects.published()
            .top_level()
            .filter(pk=pk, article=self.article)
            .only("pk", "article_id", "name")
            .first()
        )
        if parent is None:
            raise ValidationError(
                _("Không trả lời được bình luận này. Bạn có thể gửi bình luận mới."),
                code="parent",
            )
        return parent

    @property
    def is_bot(self):
        """The honeypot was filled: read from the raw data, before any validation."""
        return bool(self.data.get("website", "").strip())


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
