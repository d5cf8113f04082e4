from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitTag

from . import search
from .admin_conflict import ConflictAdminMixin
from .admin_revisions import RevisionAdminMixin
from .admin_shown import ShownRowAdminMixin
from .admin_workflow import WorkflowAdminMixin
from .images import clean_photo
from .meta import IMAGE_WIDTH, narrow_crop
from .models import Article, ArticlePhoto, Contributor, Credit, Photo, Role, Section, Tag
from .tagging import TagNamesField

# No inline style (the admin's Content-Security-Policy refuses it): the sizes are
# classes of newsroom_admin/admin.css, the focal point an SVG circle.
THUMBNAIL_HTML = '<img src="{}" class="admin-thumb admin-thumb-{}" alt="">'

FOCAL_PREVIEW_HTML = (
    '<span class="focal-preview"><img src="{}" alt="">'
    '<svg class="focal-point" aria-hidden="true">'
    '<circle cx="{}%" cy="{}%" r="10" stroke="#c00"/>'
    '<circle cx="{}%" cy="{}%" r="8" stroke="#fff"/></svg></span>'
    '<br><span class="help">{}</span>'
)

NARROW_MARK_HTML = '{} × {} <span class="narrow-photo" title="{}">⚠ {}</span>'


def thumbnail(photo, height=60):
    """The photo ``height`` px high (60 or 90, the sizes admin.css knows)."""
    if photo is None or not photo.image:
        return "—"
    return format_html(THUMBNAIL_HTML, photo.image.url, height)


def narrow_photo_warning(photo, lead=False):
    """Why a photo narrower than 1200 px at 16:9, 4:3 or 1:1 is a problem, or ``None``."""
    narrow = narrow_crop(photo)
    if narrow is None:
        return None
    ratio, width = narrow
    if lead:
        message = _(
            "Ảnh đại diện của bài hẹp: bản cắt %(ratio)s chỉ rộng %(width)s px. Google và "
            "mạng xã hội cần ảnh 16:9, 4:3 và 1:1 rộng ít nhất %(minimum)s px để hiện ảnh lớn "
            "khi bài được tìm thấy hoặc chia sẻ, và ảnh không bao giờ được phóng to. "
            "Nên thay bằng ảnh lớn hơn."
        )
    else:
        message = _(
            "Ảnh hẹp: bản cắt %(ratio)s chỉ rộng %(width)s px. Google và mạng xã hội cần ảnh "
            "16:9, 4:3 và 1:1 rộng ít nhất %(minimum)s px để hiện ảnh lớn khi bài được tìm thấy "
            "hoặc chia sẻ, và ảnh không bao giờ được phóng to. Nên dùng ảnh gốc lớn hơn."
        )
    return message % {"ratio": ratio.replace("x", ":"), "width": width, "minimum": IMAGE_WIDTH}


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


@admin.register(Section)
class SectionAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "parent", "order", "description"]


@admin.register(Contributor)
class ContributorAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "pen_name", "slug", "user", "article_count"]
    search_fields = ["name", "pen_name", "slug"]
    ordering = ["name", "pk"]  # the Count annotation drops Meta.ordering (GROUP BY)
    autocomplete_fields = ["user"]
    fields = ["name", "pen_name", "slug", "bio", "user"]

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .annotate(num_articles=Count("credits__article", distinct=True))
        )

    @admin.display(description=_("số bài"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles


@admin.register(Role)
class RoleAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["label", "order", "is_source", "is_photo"]
    list_editable = ["order"]
    search_fields = ["label"]


admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug"]


class PhotoForm(forms.ModelForm):
    # A plain file field: our own check decodes the file and gives the errors.
    image = forms.FileField(
        label=_("ảnh"),
        help_text=_("JPEG, PNG hoặc WebP. Ảnh được lưu lại không kèm siêu dữ liệu (EXIF, GPS)."),
    )

    class Meta:
        model = Photo
        fields = [
            "image",
            "alt_text",
            "caption",
            "creator",
            "credit_line",
            "copyright_notice",
            "taken_at",
            "focal_x",
            "focal_y",
        ]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if "image" not in self.changed_data:
            return upload
        return clean_photo(upload)


@admin.register(Photo)
class PhotoAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "__str__", "credit_line", "dimensions", "uploaded_at"]
    list_display_links = ["preview", "__str__"]
    search_fields = ["alt_text", "caption", "creator", "credit_line"]
    readonly_fields = ["large_preview", "dimensions_checked"]
    date_hierarchy = "uploaded_at"

    class Media:
        css = {"all": ["newsroom_admin/admin.css"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warning = narrow_photo_warning(obj)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description=_("ảnh"))
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("xem trước"))
    def large_preview(self, obj):
        """The photo with its focal point marked: crops (16:9, 4:3, 1:1) keep it in frame."""
        if not obj.pk or not obj.image:
            return "—"
        x, y = f"{obj.focal_x * 100:.1f}", f"{obj.focal_y * 100:.1f}"
        return format_html(
            FOCAL_PREVIEW_HTML,
            obj.image.url,
            x,
            y,
            x,
            y,
            _(
                "Điểm nhấn: ảnh cắt 16:9, 4:3 và 1:1 luôn giữ điểm này trong khung. "
                "Sửa bằng “điểm nhấn ngang/dọc” (0 là mép trái/trên, 1 là mép phải/dưới)."
            ),
        )

    @admin.display(description=_("kích thước"))
    def dimensions(self, obj):
        """In the list: a marker on narrow photos, the warning as its tooltip."""
        warning = narrow_photo_warning(obj)
        if warning is None:
            return f"{obj.width} × {obj.height}"
        return format_html(NARROW_MARK_HTML, obj.width, obj.height, warning, _("ảnh hẹp"))

    @admin.display(description=_("kích thước"))
    def dimensions_checked(self, obj):
        """On the form: the warning in full under the size."""
        warning = narrow_photo_warning(obj)
        if warning is None:
            return f"{obj.width} × {obj.height}"
        return format_html(
            '{} × {}<div class="help narrow-photo">⚠ {}</div>', obj.width, obj.height, warning
        )


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["contributor"]
    fields = ["role", "contributor", "name", "order"]


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
    extra = 0
    autocomplete_fields = ["photo"]
    fields = [("photo", "preview"), ("is_lead", "after_paragraph", "order"), "caption", "alt_text"]
    readonly_fields = ["preview"]

    @admin.display(description=_("xem trước"))
    def preview(self, obj):
        return thumbnail(obj.photo if obj.pk else None, 90)


@admin.register(Article)
class ArticleAdmin(
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
