from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from PIL import Image

from articles import renditions
from articles.models import Photo


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

    def handle(self, *args, photo=None, **options):
        photos = Photo.objects.order_by("pk").only(
            "pk", "image", "width", "height", "focal_x", "focal_y"
        )
        if photo:
            photos = photos.filter(pk__in=photo)
        seen = built = kept = failed = 0
        for item in photos.iterator(chunk_size=200):
            seen += 1
            if not renditions._usable(item):
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
