from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import reads


class Command(BaseCommand):
    @property
    def help(self):
        # Translated when the parser is built: argparse cannot take a lazy string.
        return _(
            "Chuyển lượt đọc đã đếm trong bộ nhớ đệm dùng chung (Redis) vào cơ sở dữ liệu "
            "và xếp lại mục “Đọc nhiều”. Nên chạy 5 phút một lần (cron, systemd timer); "
            "chạy cùng lúc trên nhiều máy không đếm trùng."
        )

    def handle(self, *args, **options):
        moved = reads.flush()
        self.stdout.write(
            ngettext("Đã chuyển %(count)d lượt đọc.", "Đã chuyển %(count)d lượt đọc.", moved)
            % {"count": moved}
        )
