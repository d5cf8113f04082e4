"""The article admin: the form with its credits and photos, list, search.

The workflow buttons, revisions and the conflict check are mixins of their own
modules (``workflow``, ``revisions``, ``conflict``)."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .. import search
from ..models import Article, ArticlePhoto, Contributor, Credit
from ..tagging import TagNamesField
from .conflict import ConflictAdminMixin
from .photos import narrow_photo_warning, thumbnail
from .revisions import RevisionAdminMixin
from .uploads import PhotoUploadAdminMixin
from .workflow import WorkflowAdminMixin
from .writing import WritingAdminMixin


class FoldedSearchMixin:
    """The site's article search in the admin, over every status: "dam bao" finds "đảm bảo"."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        try:
            # The changelist keeps its own ordering; no typo fallback for staff.
            return search.search(queryset, search_term, fuzzy=False), False
        except search.InvalidQuery as problem:
            self.message_user(request, str(problem), messages.WARNING)
            return queryset.none(), False



class CreditInline(admin.TabularInline):
    """The credits. On the add page, the writer's own credit is there already
    (``default_credit``), so a reporter adds no row for their own byline."""

    model = Credit
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["role", "contributor", "name", "order"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None and default_credit(request) else 0


def default_credit(request):
    """The initial credit row of a new article: the logged-in user's
    Contributor, in the role their profile gives. None for a user without a
    Contributor (the add page tells them how to get one)."""
    if not hasattr(request, "newsroom_default_credit"):
        contributor = Contributor.objects.filter(user=request.user).first()
        request.newsroom_default_credit = contributor and {
            "contributor": contributor.pk,
            "role": getattr(contributor.role_for_new_article(), "pk", None),
        }
    return request.newsroom_default_credit


class ArticlePhotoFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_lead") and not form.cleaned_data.get("DELETE")
        ]
        if len(leads) > 1:
            raise forms.ValidationError(_("Mỗi bài chỉ có một ảnh đại diện."))


class ArticlePhotoInline(admin.StackedInline):
    model = ArticlePhoto
    formset = ArticlePhotoFormSet
    template = "admin/articles/article/includes/photo_inline.html"  # with the drop zone
    extra = 0
    autocomplete_fields = ["photo"]  # picks a library photo by a folded search, no popup
    fields = [("photo", "preview"), ("is_lead", "after_paragraph", "order"), "caption", "alt_text"]
    readonly_fields = ["preview"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo":
            # New photos come through the drop zone, not a "+" popup.
            field.widget.can_add_related = False
        return field

    @admin.display(description=_("xem trước"))
    def preview(self, obj):
        return thumbnail(obj.photo if obj.pk else None, 90)


@admin.register(Article)
class ArticleAdmin(
    PhotoUploadAdminMixin,
    WritingAdminMixin,
    WorkflowAdminMixin,
    RevisionAdminMixin,
    ConflictAdminMixin,
    FoldedSearchMixin,
    admin.ModelAdmin,
):
    search_fields = ["headline"]  # shows the search box; matching is folded
    search_help_text = _("Tìm theo tít, sapo và nội dung, có dấu hay không dấu đều được.")
    list_display = ["headline", "section", "status_badge", "published_at", "created_by"]
    list_filter = ["status", "section", "kind"]
    list_select_related = ["section", "created_by"]
    date_hierarchy = "published_at"
    inlines = [CreditInline, ArticlePhotoInline]
    autocomplete_fields = ["section"]
    formfield_overrides = {TaggableManager: {"form_class": TagNamesField}}

    class Media:
        css = {"all": ["newsroom_admin/admin.css", "newsroom_admin/prosemirror.css"]}

    fieldsets = [
        (None, {"fields": ["kicker", "headline", "source_tag", "lead", "body"]}),
        (_("Phân loại"), {"fields": ["section", "kind", "tags"]}),
        (_("Đăng bài"), {"fields": ["status", "published_at", "updated_at"]}),
        (_("Đường dẫn"), {"fields": ["slug"], "classes": ["collapse"]}),
    ]

    def view_on_site(self, obj):
        """A link to the public page only where readers can see the article."""
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Only on the empty page: a posted row that equals its initial values
        # would count as unchanged and be skipped.
        if isinstance(inline, CreditInline) and request.method == "GET" and obj.pk is None:
            credit = default_credit(request)
            if credit:
                kwargs["initial"] = [credit]
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add and not context.get("is_popup") and not default_credit(request):
            context["no_contributor_hint"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the tags, credits and photos are saved: one snapshot of it all.
        form.instance.record_revision(request.user)
        lead = form.instance.photo_uses.filter(is_lead=True).select_related("photo").first()
        warning = lead and narrow_photo_warning(lead.photo, lead=True)
        if warning:
            self.message_user(request, warning, messages.WARNING)
