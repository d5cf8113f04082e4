from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from PIL import Image

from articles import renditions
from articles.models import Photo
from newsroom.media import S3_ERRORS


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Tạo các bản ảnh (16:9, 4:3, 1:1 và nguyên khung; mọi cỡ; WebP và JPEG) "
            "còn thiếu cho mọi ảnh. Bản đã có được giữ nguyên: chạy lại không tạo lại gì."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--photo", type=int, action="append", help=_("Chỉ ảnh có mã này (dùng nhiều lần).")
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help=_(
                "Xoá cả các tệp thừa: bản ảnh không còn dùng và thư mục bản ảnh của ảnh đã xoá."
            ),
        )

    def handle(self, *args, photo=None, prune=False, **options):
        try:
            self.build(photo, prune)
        except S3_ERRORS as error:  # the bucket down: what was built stays, rerun later
            raise CommandError(
                _(
                    "Kho lưu trữ ảnh không trả lời (%(error)s). Chạy lại lệnh khi kho hoạt "
                    "động: các bản ảnh đã tạo được giữ nguyên."
                )
                % {"error": error}
            ) from None

    def build(self, photo, prune):
        photos = Photo.objects.order_by("pk").only(
            "pk", "image", "width", "height", "focal_x", "focal_y"
        )
        if photo:
            photos = photos.filter(pk__in=photo)
        seen = built = kept = failed = deleted = 0
        for item in photos.iterator(chunk_size=200):
            seen += 1
            usable = renditions.renderable(item)
            if prune:
                deleted += renditions.prune(
                    item.pk, keep=renditions.standard_names(item) if usable else ()
                )
            if not usable:
                failed += 1
                continue
            specs = renditions.standard_specs(item)
            try:
                _made, count = renditions.ensure(item, specs, use_cache=False)
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                failed += 1
                self.stderr.write(
                    _("Ảnh #%(pk)s: không đọc được (%(error)s).") % {"pk": item.pk, "error": error}
                )
                continue
            built += count
            kept += len(specs) - count
        self.stdout.write(
            _("%(photos)d ảnh: tạo mới %(built)d bản, đã có %(kept)d bản, lỗi %(failed)d ảnh.")
            % {"photos": seen, "built": built, "kept": kept, "failed": failed}
        )
        if prune:
            deleted += self.prune_deleted_photos(photo)
            self.stdout.write(_("Đã xoá %(count)d tệp thừa.") % {"count": deleted})

    def prune_deleted_photos(self, selected):
        """Delete the rendition folders of photos that no longer exist."""
        try:
            folders, _files = default_storage.listdir("renditions")
        except FileNotFoundError:
            return 0
        ids = {int(name) for name in folders if name.isdigit()}
        if selected:
            ids &= set(selected)
        ids -= set(Photo.objects.values_list("pk", flat=True))
        return sum(renditions.prune(photo_id) for photo_id in sorted(ids))
