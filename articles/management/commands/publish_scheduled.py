from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article


class Command(BaseCommand):
    @property
    def help(self):
        # Translated when the parser is built: argparse cannot take a lazy string.
        return _(
            "Chuyển các bài hẹn giờ đã đến giờ sang “Đã đăng”, ghi sự kiện và gửi thư "
            "báo cho tác giả. Bạn đọc thấy bài đúng giờ hẹn dù lệnh có chạy hay không; "
            "lệnh chỉ làm các việc đi kèm. Chạy lại, hay chạy cùng lúc trên nhiều máy, "
            "không đăng hay báo trùng. Nên chạy mỗi phút (cron, systemd timer)."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ liệt kê các bài đã đến giờ, không thay đổi gì."),
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = Article.objects.due().order_by("published_at", "pk")
            for article in due:
                when = timezone.localtime(article.published_at)
                self.stdout.write(f"{when:%d/%m/%Y - %H:%M}  #{article.pk}  {article.headline}")
            count = len(due)
            self.stdout.write(
                ngettext("%(count)d bài đã đến giờ hẹn.", "%(count)d bài đã đến giờ hẹn.", count)
                % {"count": count}
            )
            return
        events = Article.objects.publish_due()
        count = len(events)
        self.stdout.write(
            ngettext(
                "Đã đăng %(count)d bài đến giờ hẹn.", "Đã đăng %(count)d bài đến giờ hẹn.", count
            )
            % {"count": count}
        )
