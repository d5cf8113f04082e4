"""The photo library: upload, focal point, narrow-photo warnings."""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from newsroom.media import STORAGE_ERRORS

from ..images import clean_photo
from ..meta import IMAGE_WIDTH, narrow_crop
from ..models import Photo
from .shown import ShownRowAdminMixin

logger = logging.getLogger(__name__)

# No inline style (the admin's Content-Security-Policy refuses it): the sizes are
# classes of newsroom_admin/admin.css, the focal point an SVG circle.
THUMBNAIL_HTML = '<img src="{}" class="admin-thumb admin-thumb-{}" alt="{}">'

FOCAL_PREVIEW_HTML = (
    '<span class="focal-preview"><img src="{}" alt="">'
    '<svg class="focal-point" aria-hidden="true">'
    '<circle cx="{}%" cy="{}%" r="10" stroke="#c00"/>'
    '<circle cx="{}%" cy="{}%" r="8" stroke="#fff"/></svg></span>'
    '<br><span class="help">{}</span>'
)

NARROW_MARK_HTML = '{} × {} <span class="narrow-photo" title="{}">⚠ {}</span>'


def thumbnail(photo, height=60, alt=""):
    """The photo ``height`` px high (60 or 90, the sizes admin.css knows); ``alt``
    when it is all a link holds."""
    if photo is None or not photo.image:
        return "—"
    return format_html(THUMBNAIL_HTML, photo.image.url, height, alt)


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
        try:
            super().save_model(request, obj, form, change)
        except BaseException:
            form.discard_stored_image()  # no orphan file for a row never written
            raise
        warning = narrow_photo_warning(obj)
        if warning:
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description=_("ảnh"))
    def preview(self, obj):
        return thumbnail(obj, alt=obj.alt_text)  # a link to the photo

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
