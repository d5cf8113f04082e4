"""Article admin: photos dropped on the article form, uploaded one request a file.

``newsroom_admin/photo_upload.js`` posts each file to ``photo_upload_view``,
which checks and stores it exactly as the library's form does (``PhotoUploadForm``:
decoded JPEG/PNG/WebP, size and pixel caps, re-encoded without metadata) and
answers with the new Photo. The script then adds a row of "Ảnh trong bài"
pointing to it; the row is saved with the article, the add page included.
"""

import json

from django.contrib.admin.utils import quote
from django.db import transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Photo
from .photos import PhotoUploadForm, narrow_photo_warning, save_new_photo

UPLOAD_FIELD = "image"


class PhotoUploadAdminMixin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_photo_upload"
        view = self.admin_site.admin_view(require_POST(self.photo_upload_view))
        # Before "<path:object_id>/", which would match it.
        return [path("photos/upload/", view, name=name), *super().get_urls()]

    def photo_upload_url(self):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_photo_upload",
            current_app=self.admin_site.name,
        )

    def photo_upload_view(self, request):
        """One file in, one new library Photo out (JSON); errors as translated text."""
        if not request.user.has_perm(f"{Photo._meta.app_label}.add_photo"):
            return JsonResponse({"errors": [_("Bạn không có quyền tải ảnh lên thư viện.")]},
                                status=403)
        form = PhotoUploadForm(data={}, files=request.FILES)
        with transaction.atomic():
            if not form.is_valid():
                errors = [str(error) for errors in form.errors.values() for error in errors]
                return JsonResponse({"errors": errors}, status=400)
            photo = save_new_photo(form)
            photo_admin = self.admin_site._registry.get(Photo)
            if photo_admin is not None:
                photo_admin.log_addition(request, photo, [{"added": {}}])
        change_url = reverse(
            f"admin:{Photo._meta.app_label}_{Photo._meta.model_name}_change",
            args=[quote(photo.pk)], current_app=self.admin_site.name,
        )
        return JsonResponse({
            "photo": {
                "id": photo.pk,
                "label": str(photo),
                "url": photo.image.url,
                "width": photo.width,
                "height": photo.height,
                "change_url": change_url,
            },
            # Shown only if the photo becomes the article's lead photo.
            "lead_warning": narrow_photo_warning(photo, lead=True),
            "message": _("Đã tải lên (%(width)s × %(height)s).")
            % {"width": photo.width, "height": photo.height},
        }, status=201)

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        editable = add or (obj is not None and self.has_change_permission(request, obj))
        upload = editable and not context.get("is_popup") and self.photo_upload_config(request)
        # In a data attribute, not a <script> block (the admin's CSP).
        context["photo_upload"] = upload and json.dumps(upload, ensure_ascii=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def photo_upload_config(self, request):
        """What the drop zone's script needs, or ``None`` without the permission."""
        if not request.user.has_perm(f"{Photo._meta.app_label}.add_photo"):
            return None
        return {
            "url": self.photo_upload_url(),
            "field": UPLOAD_FIELD,
            "text": {
                "uploading": _("Đang tải lên…"),
                "failed": _("Không tải lên được (lỗi %(status)s). Hãy thử lại."),
                "offline": _("Không tải lên được: mất kết nối tới máy chủ. Hãy thử lại."),
                "thumbnail": _("Ảnh vừa tải lên: %(name)s"),
                "lead": _("Đặt làm ảnh đại diện của bài."),
            },
        }
