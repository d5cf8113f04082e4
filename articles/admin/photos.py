"""The photo library: upload, a grid with a folded search, the focal point set by
a click with the crops previewed, narrow-photo warnings."""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from newsroom.media import STORAGE_ERRORS
from newsroom.text import fold

from ..images import clean_photo
from ..meta import IMAGE_WIDTH, narrow_crop
from ..models import Photo
from ..renditions import RATIOS
from .shown import ShownRowAdminMixin

logger = logging.getLogger(__name__)

# No inline style (the admin's Content-Security-Policy refuses it): the sizes are
# classes of newsroom_admin/admin.css, the focal point an SVG circle.
THUMBNAIL_HTML = '<img src="{}" class="admin-thumb admin-thumb-{}" alt="{}">'

NARROW_MARK_HTML = '{} × {} <span class="narrow-photo" title="{}">⚠ {}</span>'


def thumbnail(photo, height=60, alt=""):
    """The photo ``height`` px high (60 or 90, the sizes admin.css knows); ``alt``
    when it is all a link holds."""
    if photo is None or not photo.image:
        return "—"
    return format_html(THUMBNAIL_HTML, photo.image.url, height, alt)


def narrow_photo_warning(photo, lead=False):
    """Why a photo whose 16:9 crop is under 1200 px is a problem as a lead photo
    (``meta.narrow_crop``), or ``None``. Inside the body any photo will do."""
    narrow = narrow_crop(photo)
    if narrow is None:
        return None
    ratio, width = narrow
    if lead:
        message = _(
            "Ảnh đại diện của bài hẹp: bản cắt %(ratio)s chỉ rộng %(width)s px. Ảnh chia sẻ "
            "lên mạng xã hội và ảnh lớn trên Google cần rộng ít nhất %(minimum)s px, và ảnh "
            "không bao giờ được phóng to. Nên thay bằng ảnh lớn hơn."
        )
    else:
        message = _(
            "Ảnh hẹp: bản cắt %(ratio)s chỉ rộng %(width)s px. Dùng trong bài thì được; làm "
            "ảnh đại diện thì mạng xã hội và Google cần rộng ít nhất %(minimum)s px, và ảnh "
            "không bao giờ được phóng to."
        )
    return message % {"ratio": ratio.replace("x", ":"), "width": width, "minimum": IMAGE_WIDTH}


def dimensions(photo):
    """The size, with a marker on narrow photos (the warning as its tooltip)."""
    warning = narrow_photo_warning(photo)
    if warning is None:
        return f"{photo.width} × {photo.height}"
    return format_html(NARROW_MARK_HTML, photo.width, photo.height, warning, _("ảnh hẹp"))


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

    def _post_clean(self):
        """Store a new image as the last step of validation, so that a storage
        that is down or refuses it is an error on this form (the editor's
        other fields kept), not a server error, and no Photo row is written
        without its file. ``Photo.save`` then finds the file stored and writes
        only the row; ``discard_stored_image`` removes the file if that fails."""
        super()._post_clean()
        self.stored_image = None
        if self.errors or "image" not in self.changed_data:
            return
        field = self.instance.image
        upload_name = field.name
        try:
            # Stores the file, then reads it back for its dimensions (Django's
            # ImageField): either step may fail.
            field.save(upload_name, field.file, save=False)
        except STORAGE_ERRORS as error:
            logger.error("Photo upload refused by the media storage: %r", error)
            if field.name != upload_name:  # stored, then reading it back failed
                self.stored_image = field.name
                self.discard_stored_image()
            self.add_error(
                "image",
                ValidationError(
                    _(
                        "Không lưu được ảnh: kho lưu trữ ảnh không trả lời hoặc từ chối lưu. "
                        "Chưa có gì được lưu; hãy chọn lại tệp ảnh và thử lại sau ít phút."
                    ),
                    code="storage_unavailable",
                ),
            )
            return
        self.stored_image = field.name

    def discard_stored_image(self):
        """Delete the file stored by validation when its row was not saved."""
        if self.stored_image:
            name = self.stored_image
            try:
                self.instance.image.storage.delete(name)
            except STORAGE_ERRORS as error:
                logger.error("Cannot delete the unsaved photo file %s: %r", name, error)
            self.stored_image = None


class PhotoUploadForm(PhotoForm):
    """The file alone, checked and stored as by the library's form: the article
    form's drop zone (``uploads.py``)."""

    class Meta(PhotoForm.Meta):
        fields = ["image"]


def save_new_photo(form):
    """``form.save()`` for a new photo, without an orphan file if the row fails."""
    try:
        return form.save()
    except BaseException:
        form.discard_stored_image()
        raise


def focal_editor(photo):
    """The picture to click for the focal point, with the crops the site cuts
    (``renditions.RATIOS``) previewed; ``newsroom_admin/focal_point.js`` moves
    them live. On the add page it waits for a chosen file."""
    saved = bool(photo.pk and photo.image)
    return render_to_string("admin/articles/photo/focal_editor.html", {
        "photo": photo,
        "saved": saved,
        "src": photo.image.url if saved else "",
        "ratios": [
            {"name": name, "label": name.replace("x", ":"), "width": ratio.numerator,
             "height": ratio.denominator}
            for name, ratio in RATIOS.items()
        ],
    })


@admin.register(Photo)
class PhotoAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "__str__", "credit_line", "dimensions", "uploaded_at"]
    list_display_links = ["preview", "__str__"]
    list_per_page = 48  # a grid of 4, 6 or 8 a row
    search_fields = ["search_text"]  # shows the search box; matching is folded
    search_help_text = _("Tìm theo mô tả, chú thích, tác giả, nguồn hoặc tên tệp; có dấu hay "
                         "không dấu đều được.")
    readonly_fields = ["large_preview", "dimensions_checked"]
    fields = [
        "image",
        "large_preview",
        "dimensions_checked",
        ("focal_x", "focal_y"),
        "alt_text",
        "caption",
        "creator",
        "credit_line",
        "copyright_notice",
        "taken_at",
    ]
    date_hierarchy = "uploaded_at"

    class Media:
        css = {"all": ["newsroom_admin/admin.css"]}
        js = ["newsroom_admin/focal_point.js"]

    def get_search_results(self, request, queryset, search_term):
        """Every word, folded, in ``Photo.search_text``: "dam bao" finds "đảm bảo"."""
        words = fold(search_term).split()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset, False

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except BaseException:
            form.discard_stored_image()  # no orphan file for a row never written
            raise
        # Once: "Lưu và tiếp tục" comes back to the form, which shows it in full.
        warning = narrow_photo_warning(obj)
        if warning and "_continue" not in request.POST:
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description=_("ảnh"))
    def preview(self, obj):
        return thumbnail(obj, alt=obj.alt_text)  # a link to the photo

    @admin.display(description=_("điểm nhấn"))
    def large_preview(self, obj):
        return focal_editor(obj)

    @admin.display(description=_("kích thước"))
    def dimensions(self, obj):
        return dimensions(obj)

    @admin.display(description=_("kích thước"))
    def dimensions_checked(self, obj):
        """On the form: the warning in full under the size. Before the first save
        the chosen file's size, read by focal_point.js (never "0 × 0")."""
        if not (obj.width and obj.height):
            return mark_safe('<span class="photo-dimensions">—</span>')  # noqa: S308 - constant
        warning = narrow_photo_warning(obj)
        if warning is None:
            return format_html('<span class="photo-dimensions">{} × {}</span>', obj.width,
                               obj.height)
        return format_html(
            '<span class="photo-dimensions">{} × {}</span>'
            '<div class="help narrow-photo">⚠ {}</div>', obj.width, obj.height, warning
        )
