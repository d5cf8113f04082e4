from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from comments import default_words, rules
from comments.models import RemovedWord, Word


class Command(BaseCommand):
    help = _(
        "Thêm vào danh sách từ lọc các từ mặc định còn thiếu. Không thêm lại từ "
        "người kiểm duyệt đã xóa, không đổi từ đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--include-removed", action="store_true",
            help=_("thêm lại cả những từ mặc định người kiểm duyệt đã xóa"),
        )

    def handle(self, *args, include_removed=False, **options):
        with transaction.atomic():
            added = default_words.load(Word, RemovedWord, include_removed=include_removed)
            skipped = 0 if include_removed else RemovedWord.objects.count()
        if added:
            # bulk_create sends no post_save: tell the rules' cached lexicon.
            rules.words_changed()
        self.stdout.write(
            _("Đã thêm %(added)d từ; bỏ qua %(skipped)d từ đã bị xóa.")
            % {"added": added, "skipped": skipped}
        )
