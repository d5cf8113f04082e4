"""Article admin: the writing page. Autosave, a preview of the form as it is,
"Gửi duyệt" on the add page, live counts, and the formatted body when read-only.

An autosave (``models.Autosave``) is a per-person safety copy of what the form
holds, posted by ``newsroom_admin/writing.js`` after a few idle seconds. It
never touches the article: no status, no revision, no version bump, so the
conflict check (``conflict.py``) is unchanged. Reopening the page offers it
back; restoring fills the form (with the version it was typed against, so a
save over newer changes still gets the conflict page) and saving deletes it.
"""

import json

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from newsroom.formats import display_time

from .. import previews, workflow
from ..models import Article, Autosave, Contributor
from ..revisions import TEXT_FIELDS, snapshot
from ..richtext import sanitize_body
from ..submitted import parse_int, submitted_credits, submitted_photos, submitted_snapshot
from .access import article_or_refuse
from .conflict import VERSION_FIELD
from .workflow import submitted_with_gaps

# The form fields an autosave keeps (the inlines, credits and photos, are not kept).
AUTOSAVE_FIELDS = ["kicker", "headline", "source_tag", "lead", "body", "section", "kind", "tags"]
RESTORE_PARAM = "autosave"
SUBMIT_BUTTON = "_submit_review"
MAX_VERSION = 2**31 - 1  # a PositiveIntegerField everywhere


def empty_snapshot():
    """The snapshot of an article not written yet: what the add page's preview starts from."""
    data = {name: "" for name in TEXT_FIELDS}
    data |= {"kind": Article.Kind.NEWS, "section": None, "tags": [], "credits": [], "photos": []}
    return data


def form_snapshot(post, base):
    """``base`` with everything the change form ``post`` holds, its credit and
    photo rows too: what the preview shows. Nothing is saved."""
    data = submitted_snapshot(post, base)
    if "credits-TOTAL_FORMS" in post:
        data["credits"] = [
            {
                "role": credit["role"].pk,
                "role_label": credit["role"].label,
                "contributor": person.pk if isinstance(person, Contributor) else None,
                "name": "" if isinstance(person, Contributor) else person,
                "display_name": person.name if isinstance(person, Contributor) else person,
                "order": parse_int(credit["order"]) or 0,
            }
            for credit in submitted_credits(post)
            if credit["role"] and (person := credit["person"])
        ]
    if "photo_uses-TOTAL_FORMS" in post:
        data["photos"] = [
            {
                "photo": use["photo"].pk,
                "file": use["photo"].image.name,
                "is_lead": use["is_lead"],
                "after_paragraph": parse_int(use["after_paragraph"]),
                "caption": use["caption"],
                "alt_text": use["alt_text"],
                "order": order,
            }
            for order, use in enumerate(submitted_photos(post))
            if use["photo"]
        ]
        data["photos"].sort(key=lambda use: not use["is_lead"])
    return data


class WritingAdminMixin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"

        def post_only(function):
            return self.admin_site.admin_view(require_POST(function))

        # Before every "<path:object_id>/…" pattern, which "add/…" would match.
        return [
            path("add/autosave/", post_only(self.autosave_view), name=f"{name}_autosave_add"),
            path("add/autosave/discard/", post_only(self.autosave_discard_view),
                 name=f"{name}_autosave_discard_add"),
            path("add/preview-form/", post_only(self.form_preview_view),
                 name=f"{name}_form_preview_add"),
            path("<path:object_id>/autosave/", post_only(self.autosave_view),
                 name=f"{name}_autosave"),
            path("<path:object_id>/autosave/discard/", post_only(self.autosave_discard_view),
                 name=f"{name}_autosave_discard"),
            path("<path:object_id>/preview-form/", post_only(self.form_preview_view),
                 name=f"{name}_form_preview"),
            *super().get_urls(),
        ]

    def writing_url(self, view, article=None):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
        if article is None:
            return reverse(f"{name}_add", current_app=self.admin_site.name)
        return reverse(name, args=[quote(article.pk)], current_app=self.admin_site.name)

    def writable_article(self, request, object_id):
        """The article ``object_id`` the user may change (None for the add page,
        which needs the add permission); 404 or 403 otherwise."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        return article_or_refuse(self, request, object_id, edit=True)

    def autosave_for(self, request, article):
        return Autosave.objects.filter(user=request.user, article=article).first()

    # Autosave -----------------------------------------------------------------------------

    def autosave_view(self, request, object_id=None):
        """Keep what the form holds as the user's autosave; nothing else changes."""
        article = self.writable_article(request, object_id)
        data = {name: request.POST[name] for name in AUTOSAVE_FIELDS if name in request.POST}
        version = None
        if article is not None:
            version = parse_int(request.POST.get(VERSION_FIELD))
            if version is None or not 0 < version <= MAX_VERSION:
                version = article.version
        autosave, _created = Autosave.objects.update_or_create(
            user=request.user, article=article, defaults={"data": data, "version": version}
        )
        return JsonResponse({
            "saved_at": autosave.saved_at.isoformat(),
            "message": _("Đã lưu tạm lúc %(time)s (chưa lưu vào bài).")
            % {"time": display_time(autosave.saved_at)},
        })

    def autosave_discard_view(self, request, object_id=None):
        article = self.writable_article(request, object_id)
        Autosave.objects.filter(user=request.user, article=article).delete()
        self.message_user(request, _("Đã bỏ bản lưu tạm."), messages.INFO)
        if article is None:
            return HttpResponseRedirect(reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_add",
                current_app=self.admin_site.name,
            ))
        return HttpResponseRedirect(self.writing_url("change", article))

    def get_form(self, request, obj=None, change=False, **kwargs):
        """With ``?autosave=restore``, a form that starts from the user's autosave."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method != "GET" or request.GET.get(RESTORE_PARAM) != "restore":
            return form
        autosave = self.autosave_for(request, obj)
        if autosave is None:
            return form
        restored = {
            name: value for name, value in autosave.data.items() if name in form.base_fields
        }
        if obj is not None and autosave.version is not None:
            restored[VERSION_FIELD] = autosave.version
        request.newsroom_restored = autosave

        class RestoredForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**(kwargs.get("initial") or {}), **restored}
                super().__init__(*args, **kwargs)

        RestoredForm.__name__ = form.__name__
        return RestoredForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved for real: the safety copy has done its job (a new article's one too).
        article = form.instance if change else None
        Autosave.objects.filter(user=request.user, article=article).delete()

    # The page ------------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = add or (obj is not None and self.has_change_permission(request, obj))
        if editable and not context.get("is_popup"):
            context["writing"] = self.writing_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def writing_context(self, request, article):
        restored = getattr(request, "newsroom_restored", None)
        # A form sent back with errors holds the newest text: no offer of an older one.
        refused = request.method == "POST"
        autosave = None if restored or refused else self.autosave_for(request, article)
        shown = restored or autosave
        view = self.writing_url
        context = {
            "restored": restored,
            "autosave": autosave,
            "saved_at": shown and display_time(shown.saved_at),
            "stale": bool(
                article is not None and shown and shown.version not in (None, article.version)
            ),
            "restore_url": f"?{RESTORE_PARAM}=restore",
            "discard_url": view("autosave_discard", article),
            "preview_url": view("form_preview", article),
            "can_submit": article is None and request.user.has_perm("articles.submit_article"),
            "submit_button": SUBMIT_BUTTON,
        }
        context["config"] = config = {
            "autosave_url": view("autosave", article),
            "idle_ms": int(settings.NEWSROOM_AUTOSAVE_IDLE_SECONDS * 1000),
            # Text on the page that the article does not have yet: leaving asks first.
            "unsaved": bool(restored) or refused,
            "limits": {
                "headline": settings.NEWSROOM_HEADLINE_MAX_CHARS,
                "lead": settings.NEWSROOM_LEAD_MAX_CHARS,
                "body": None,
            },
            "text": {
                "chars": _("ký tự"),
                "words": pgettext("word count", "từ"),
                "over": _("dài hơn mức đề nghị"),
                "saving": _("Đang lưu tạm…"),
                "failed": _("Chưa lưu tạm được; bản trong trang vẫn còn, hãy lưu bài."),
                "body_label": _("Nội dung bài viết"),
            },
        }
        # In a data attribute, not a <script> block: the admin's CSP wants a
        # nonce on every inline script, and this is data.
        context["config_json"] = json.dumps(config, ensure_ascii=False)
        return context

    # Preview of the form -------------------------------------------------------------------

    def form_preview_view(self, request, object_id=None):
        """The public page for what the form holds now: no save, no revision."""
        article = self.writable_article(request, object_id)
        base = snapshot(article) if article is not None else empty_snapshot()
        shown = article if article is not None else Article()  # a draft, not saved
        corrections = article.corrections.all() if article is not None else ()
        return previews.render_snapshot(
            request, shown, form_snapshot(request.POST, base),
            note=_("Nội dung đang có trong form, chưa lưu."), corrections=corrections,
        )

    # Gửi duyệt on the add page -------------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        """"Gửi duyệt": the article is saved (as a draft), then submitted through
        the workflow like the button of the workflow box."""
        if SUBMIT_BUTTON not in request.POST or IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        try:
            obj.submit(by=request.user)
        except workflow.WorkflowError as error:
            self.message_user(
                request,
                _("Đã lưu bài “%(headline)s” thành bản nháp nhưng chưa gửi duyệt được: "
                  "%(reasons)s") % {"headline": obj.headline, "reasons": " ".join(error.messages)},
                messages.ERROR,
            )
        else:
            self.message_user(
                request, _("Đã lưu và gửi bài “%(headline)s” để duyệt.") % {
                    "headline": obj.headline
                }, messages.SUCCESS,
            )
            if warning := submitted_with_gaps(obj):
                self.message_user(request, warning, messages.WARNING)
        return HttpResponseRedirect(self.writing_url("change", obj))

    # The body, read-only -------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [
                "body_view" if field == "body" else field for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            fields.append("body_view")
        return fields

    @admin.display(description=gettext_lazy("nội dung"))
    def body_view(self, obj):
        """The body as readers see it (sanitised again: never trust stored HTML)."""
        body = mark_safe(sanitize_body(obj.body or ""))  # noqa: S308 - sanitised just now
        return format_html('<div class="body-view">{}</div>', body)
