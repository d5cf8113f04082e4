from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.importer import (
    ArticleImportError,
    decode_article_bytes,
    parse_article_text,
    publish_imported,
    save_parsed,
)
from articles.models import Article, Section
from articles.tagging import tag_names
from articles.workflow import WorkflowError
from newsroom.formats import display_time
from newsroom.media import S3_ERRORS


class NotPublished(CommandError):
    """The file was imported, but the workflow refused to publish it."""


class Command(BaseCommand):
    @property
    def help(self):
        # Translated when the parser is built: argparse cannot take a lazy string.
        return _(
            "Nhập bài từ tệp văn bản xuất từ báo: dòng 1 là tít, dòng 2 là ngày giờ "
            "(dd/mm/YYYY - HH:MM), rồi sapo, chú thích ảnh (lặp hai lần), nội dung và "
            "dòng tác giả. Nhập lại cùng một bài (cùng tít và giờ đăng, dù tệp đổi tên) "
            "sẽ cập nhật bài đó, không tạo bài mới. Mỗi tệp được nhập trọn vẹn hoặc không "
            "gì cả; tệp lỗi được báo và lệnh kết thúc với mã lỗi, các tệp tốt vẫn được "
            "nhập. Không có --photo, chú thích ảnh được gắn vào ảnh đại diện hiện có của "
            "bài, nếu chưa có ảnh thì chỉ được báo ra; nhập lại với --photo để gắn ảnh."
        )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("Tệp bài."))
        parser.add_argument(
            "--section", metavar="SLUG",
            help=_("Đường dẫn của chuyên mục. Mặc định: không gán chuyên mục."),
        )
        parser.add_argument(
            "--publish", action="store_true",
            help=_(
                "Đăng bài vào giờ ghi trong tệp, qua quy trình biên tập (gửi duyệt, duyệt, "
                "đăng; ghi là do lệnh này làm) và các điều kiện đăng bài. Thiếu điều kiện nào "
                "thì lệnh báo ra, kết thúc với mã lỗi và bài vẫn là bản nháp. Mặc định: bài "
                "mới là bản nháp, bài nhập lại giữ trạng thái cũ."
            ),
        )
        parser.add_argument(
            "--photo", metavar="IMAGE",
            help=_("Ảnh đại diện (JPEG, PNG, WebP); chỉ dùng khi nhập một tệp."),
        )
        parser.add_argument(
            "--tags", metavar="TAGS",
            help=_(
                "Các thẻ của bài, cách nhau bằng dấu phẩy (“An ninh, Công đoàn”); thay các "
                "thẻ hiện có. Mặc định: bài nhập lại giữ thẻ cũ."
            ),
        )

    def handle(self, *args, files, section=None, publish=False, photo=None, tags=None, **options):
        if photo and len(files) > 1:
            raise CommandError(_("--photo chỉ dùng được khi nhập một tệp."))
        if photo and not Path(photo).is_file():
            raise CommandError(_("Không có tệp ảnh %(file)s.") % {"file": photo})
        if section is not None:
            section = self.find_section(section)
        if tags is not None:
            tags = self.check_tags(tags)
        failures, unpublished = [], []
        for name in files:
            try:
                self.import_file(name, section, publish, photo, tags)
            except NotPublished as error:
                unpublished.append(str(error))
                if len(files) > 1:
                    self.stderr.write(str(error))
            except CommandError as error:
                failures.append(str(error))
                if len(files) > 1:
                    self.stderr.write(str(error))
        if len(files) == 1 and (failures or unpublished):
            raise CommandError((failures or unpublished)[0])
        summary = []
        if failures:
            summary.append(
                _("Không nhập được %(failed)s trong %(total)s tệp.")
                % {"failed": len(failures), "total": len(files)}
            )
        if unpublished:
            summary.append(
                _("Đã nhập nhưng chưa đăng %(count)s trong %(total)s tệp.")
                % {"count": len(unpublished), "total": len(files)}
            )
        if summary:
            raise CommandError(" ".join(summary))

    def find_section(self, slug):
        try:
            return Section.objects.get(slug=slug)
        except Section.DoesNotExist:
            slugs = ", ".join(Section.objects.values_list("slug", flat=True)) or "-"
            raise CommandError(
                _("Không có chuyên mục có đường dẫn “%(slug)s”. Các chuyên mục hiện có: %(slugs)s.")
                % {"slug": slug, "slugs": slugs}
            ) from None

    def check_tags(self, text):
        try:
            return tag_names(text)
        except ValidationError as error:
            raise CommandError(
                _("Không dùng được --tags: %(error)s") % {"error": " ".join(error.messages)}
            ) from None

    def import_file(self, name, section, publish, photo, tags=None):
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s") % {"file": name, "error": error.strerror}
            ) from None
        try:
            parsed = parse_article_text(decode_article_bytes(data, name), name)
            existed = Article.objects.filter(import_key=parsed.import_key).exists()
            if photo:
                with open(photo, "rb") as handle:
                    image = File(handle, Path(photo).name)
                    article = save_parsed(parsed, section, image, tags=tags)
            else:
                article = save_parsed(parsed, section, tags=tags)
        except ArticleImportError as error:
            raise CommandError(
                _("Không đọc được tệp %(file)s, dòng %(line)s: %(error)s")
                % {"file": error.filename, "line": error.line, "error": error.message}
            ) from None
        except OSError as error:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s")
                % {"file": error.filename or name, "error": error.strerror}
            ) from None
        except S3_ERRORS as error:  # the bucket down: nothing of this file was saved
            raise CommandError(
                _("Không lưu được ảnh %(photo)s cho tệp %(file)s: kho lưu trữ ảnh không trả "
                  "lời (%(error)s). Chưa có gì được lưu; hãy nhập lại sau.")
                % {"photo": photo, "file": name, "error": error}
            ) from None
        except ValidationError as error:
            raise CommandError(
                _("Không dùng được ảnh %(photo)s cho tệp %(file)s: %(error)s")
                % {"photo": photo, "file": name, "error": " ".join(error.messages)}
            ) from None
        message = _("Đã cập nhật bài %(id)s “%(headline)s” từ %(file)s.") if existed else _(
            "Đã tạo bài %(id)s “%(headline)s” từ %(file)s."
        )
        values = {"id": article.pk, "headline": article.headline, "file": name}
        self.stdout.write(self.style.SUCCESS(message % values))
        if parsed.caption and article.lead_photo_use() is None:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Bài chưa có ảnh đại diện nên chú thích ảnh chưa được lưu; nhập lại "
                        "với --photo để gắn ảnh. Chú thích: “%(caption)s”"
                    )
                    % {"caption": parsed.caption}
                )
            )
        if publish:
            self.publish(article, name)

    def publish(self, article, name):
        """Through the workflow, after the import has been saved: a refusal
        leaves the imported article as it is, and is reported with every reason."""
        try:
            events = publish_imported(article, name)
        except WorkflowError as error:
            raise NotPublished(
                _("Chưa đăng bài %(id)s “%(headline)s” từ %(file)s (bài vẫn ở trạng thái "
                  "“%(status)s”): %(reasons)s")
                % {
                    "id": article.pk, "headline": article.headline, "file": name,
                    "status": article.get_status_display(), "reasons": " ".join(error.messages),
                }
            ) from None
        values = {"id": article.pk, "time": display_time(article.published_at)}
        if not events:
            message = _("Bài %(id)s đã đăng từ trước.")
        elif article.status == Article.Status.SCHEDULED:
            message = _("Đã hẹn giờ đăng bài %(id)s lúc %(time)s.")
        else:
            message = _("Đã đăng bài %(id)s, giờ đăng %(time)s.")
        self.stdout.write(self.style.SUCCESS(message % values))
