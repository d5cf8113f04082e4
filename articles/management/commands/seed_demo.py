"""Demo data for a development machine: ``make run`` calls this every time, so a
second run is cheap and creates nothing."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from articles import demo
from articles.models import Article
from articles.planning import demo as planning_demo
from articles.royalties import demo as royalties_demo
from newsroom.media import S3_ERRORS


def _number(value):
    return number_format(value, force_grouping=True)


def _photo_size(value):
    width, _x, height = value.partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise CommandError(_("Kích thước ảnh phải có dạng RỘNGxCAO, ví dụ 1200x800.")) from None
    if min(size) < 1:
        raise CommandError(_("Kích thước ảnh phải có dạng RỘNGxCAO, ví dụ 1200x800."))
    return size


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse refuses lazy objects.
        return _(
            "Tạo dữ liệu mẫu: chuyên mục, người đóng góp, tài khoản mẫu và khoảng 30 bài "
            "viết. Chạy lại nhiều lần không tạo trùng."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=0, metavar="N",
            help=_("Tạo thêm N bài đã đăng (không ảnh) để đo tải."),
        )
        parser.add_argument(
            "--allow-demo-passwords", action="store_true",
            help=_("Cho phép tạo tài khoản mẫu với mật khẩu công khai khi DEBUG tắt."),
        )
        parser.add_argument(
            "--photo-size", type=_photo_size, default=demo.PHOTO_SIZE, metavar="RỘNGxCAO",
            help=_("Kích thước ảnh mẫu, mặc định 1200x800."),
        )

    def handle(self, *args, **options):
        if options["articles"] < 0:
            raise CommandError(_("Số bài phải là số không âm."))
        if demo.missing_accounts() and not settings.DEBUG and not options["allow_demo_passwords"]:
            raise CommandError(
                _(
                    "Không tạo tài khoản mẫu có mật khẩu công khai khi DEBUG đang tắt. "
                    "Nếu thật sự muốn, chạy lại với --allow-demo-passwords."
                )
            )
        try:
            accounts, articles = self.create_demo(options["photo_size"])
        except S3_ERRORS as error:  # the bucket down: the transaction is rolled back
            raise CommandError(
                _("Kho lưu trữ ảnh không trả lời (%(error)s). Chưa có gì được lưu.")
                % {"error": error}
            ) from None
        self.write_accounts(accounts)
        self.write_articles(articles)
        if options["articles"]:
            self.write_bulk(options["articles"])

    def create_demo(self, photo_size):
        with transaction.atomic():
            demo.ensure_sections()
            contributors = demo.ensure_contributors()
            accounts = demo.ensure_accounts()
            users = {account.username: user for account, user, _created in accounts}
            demo.link_contributors(contributors, users)
            demo.setup_demo_groups(users)
            royalties_demo.ensure_base_amount()
            demo.ensure_chains()
            if demo.demo_articles_exist():
                articles = None
            else:
                articles = demo.create_demo_articles(contributors, users, photo_size)
            planning_demo.create_demo_entries(users)  # the day's plan (README "Kế hoạch đề tài")
        return accounts, articles

    def write_accounts(self, accounts):
        rows = [(_("Tài khoản"), _("Vai trò"), _("Mật khẩu"), _("Ghi chú"))]
        for account, _user, created in accounts:
            note = _("mới tạo") if created else _("đã có từ trước, mật khẩu giữ nguyên")
            rows.append((account.username, str(account.role), account.password, note))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        rows.insert(1, tuple("-" * width for width in widths))
        self.stdout.write(_("Tài khoản mẫu (chỉ để thử trên máy phát triển):"))
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
        admin_url = f"{settings.NEWSROOM['SITE_URL']}/admin/"
        self.stdout.write(_("Đăng nhập trang quản trị: %(url)s") % {"url": admin_url})

    def write_articles(self, articles):
        if articles is None:
            self.stdout.write(_("Đã có bài mẫu, không tạo thêm."))
            return
        public = sum(article.is_public for article in articles)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo %(count)s bài mẫu, %(public)s bài bạn đọc xem được.")
                % {"count": len(articles), "public": public}
            )
        )

    def write_bulk(self, count):
        started = time.monotonic()

        def progress(done, total):
            numbers = {"done": _number(done), "total": _number(total)}
            self.stdout.write(_("Đã tạo %(done)s/%(total)s bài…") % numbers)

        demo.create_bulk_articles(count, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã tạo thêm %(count)s bài trong %(seconds)s giây. Hiện có %(total)s bài.")
                % {
                    "count": _number(count),
                    "seconds": number_format(time.monotonic() - started, 1),
                    "total": _number(Article.objects.count()),
                }
            )
        )
