from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.royalties.sync import sync_royalties


class Command(BaseCommand):
    @property
    def help(self):
        return _("Cập nhật các dòng nhuận bút theo bài đã đăng và bài bị gỡ (chạy lại không "
                 "tạo trùng).")

    def handle(self, *args, **options):
        created, settled, refreshed = sync_royalties()
        self.stdout.write(
            _("Nhuận bút: %(created)s dòng mới, %(settled)s dòng hủy hoặc trừ lại, "
              "%(refreshed)s dòng tính lại.")
            % {"created": created, "settled": settled, "refreshed": refreshed}
        )
