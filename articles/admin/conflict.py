"""Article admin: refusing a stale save (optimistic locking) without losing text.

The change form carries the version the article had when the form was opened.
Saving claims the next version with a conditional UPDATE, inside the admin's
transaction: of two forms opened at the same version only the first save goes
through. The later one raises ``EditConflict``, which rolls the whole save back
(article, tags, credits, photos, revision) and answers with a conflict page
(HTTP 409) that shows who changed what meanwhile and gives the refused text back.
Workflow transitions bump the version too, so a form opened before a transition
is stale as well: the status may no longer allow the edit.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..models import Article
from ..revisions import diff, snapshot
from ..submitted import (
    parse_int,
    parse_time,
    submitted_credits,
    submitted_photos,
    submitted_snapshot,
)

VERSION_FIELD = "version_seen"
OPENED_FIELD = "opened_at"
STAMP_FIELDS = [VERSION_FIELD, OPENED_FIELD]

# The text fields given back on the conflict page, with their textarea heights.
REFUSED_TEXT_ROWS = {"kicker": 2, "headline": 2, "source_tag": 1, "lead": 5, "body": 20, "tags": 2}

class EditConflict(Exception):
    """The form was opened at ``seen``, which is no longer the article's version."""

    def __init__(self, seen):
        super().__init__(seen)
        self.seen = seen


class StampField(forms.Field):
    """A hidden value the form carries back unchanged; never a change to log."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionField(StampField, forms.IntegerField):
    pass


def claim_version(article_pk, seen):
    """Move the article from version ``seen`` to the next one; False if it is
    no longer at ``seen``. The UPDATE holds the row until the transaction ends,
    so a concurrent claim of the same version waits, then finds nothing."""
    if seen is None:
        return False
    return bool(Article.objects.filter(pk=article_pk, version=seen).bump_version())


class ConflictAdminMixin:
    conflict_template = "admin/articles/article/conflict.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (None, {"fields": STAMP_FIELDS, "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" in kwargs:
            fields = kwargs["fields"]
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name not in STAMP_FIELDS]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        stamps = {
            VERSION_FIELD: VersionField(
                label=_("phiên bản khi mở"), required=False, initial=obj.version
            ),
            OPENED_FIELD: StampField(
                label=_("mở lúc"), required=False, initial=timezone.now().isoformat()
            ),
        }
        return type(form.__name__, (form,), stamps)

    def save_model(self, request, obj, form, change):
        if change:
            seen = form.cleaned_data.get(VERSION_FIELD)
            if not claim_version(obj.pk, seen):
                raise EditConflict(seen)
            obj.version = seen + 1
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            refused = self.unsaveable_response(request, unquote(object_id))
            if refused is not None:
                return refused
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # The admin's transaction has rolled back: nothing of this save remains.
            article = self.get_object(request, unquote(object_id))
            return self.conflict_response(request, article, conflict.seen)

    def unsaveable_response(self, request, object_id):
        """The conflict page for a POST Django would refuse without giving the
        text back: the article is gone, or a change made since the form was
        opened (a submission, say) took away the right to edit it. None to let
        Django handle the POST, which keeps its 403 for forms never allowed."""
        article = self.get_object(request, object_id)
        if not self.has_view_or_change_permission(request, article):
            return None  # Django's 403: nothing about the article, not even that it exists
        if article is None:
            if not self.has_change_permission(request):
                return None
            return self.conflict_response(request, None, None)
        seen = parse_int(request.POST.get(VERSION_FIELD))
        if seen in (None, article.version) or self.has_change_permission(request, article):
            return None
        shown = article if self.has_view_permission(request, article) else None
        return self.conflict_response(request, shown, seen, can_edit=False)

    def conflict_response(self, request, article, seen, can_edit=True):
        post = request.POST
        context = {
            "can_edit": can_edit,
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Chưa lưu: bài đã được sửa trong lúc bạn làm việc"),
            "article": article,
            "seen": seen,
            "submitted": [
                (Article._meta.get_field(name).verbose_name, post[name], rows)
                for name, rows in REFUSED_TEXT_ROWS.items()
                if name in post
            ],
            "submitted_credits": submitted_credits(post),
            "submitted_photos": submitted_photos(post),
        }
        if article is not None:
            context |= self.conflict_history(article, seen, parse_time(post.get(OPENED_FIELD)))
            context["theirs"] = diff(context["start_data"], context["current_data"])
            context["yours"] = diff(
                context["start_data"], submitted_snapshot(post, context["start_data"])
            )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.conflict_template, context, status=409)

    def conflict_history(self, article, seen, opened_at):
        """What happened to ``article`` since a form opened at version ``seen``."""
        revisions = article.revisions.select_related("created_by")
        start = None
        if seen is not None:
            start = revisions.filter(article_version__lte=seen).order_by("-number").first()
        start = start or revisions.order_by("number").first()
        newer = revisions.filter(article_version__gt=seen) if seen is not None else revisions
        since = opened_at or (start.created_at if start else None)
        events = article.events.select_related("actor")
        events = events.filter(created_at__gt=since) if since else events[:10]
        current = snapshot(article)
        return {
            "start": start,
            "start_data": start.data if start else current,
            "current_data": current,
            "revisions_since": list(newer.order_by("-number")[:20]),
            "events_since": [(event, workflow.event_label(event)) for event in events[:20]],
        }
