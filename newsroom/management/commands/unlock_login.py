from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from newsroom import login_throttle


class Command(BaseCommand):
    help = _(
        "Mở khóa đăng nhập của tài khoản và/hoặc địa chỉ máy khách bị khóa vì nhập sai "
        "mật khẩu quá nhiều lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="USERNAME")
        parser.add_argument(
            "--client", action="append", default=[], metavar="ADDRESS",
            help=_("địa chỉ IP của máy khách (có thể nhắc lại)"),
        )

    def handle(self, *args, usernames, client, **options):
        if not usernames and not client:
            raise CommandError(_("Hãy nêu ít nhất một tài khoản hoặc một --client ĐỊA_CHỈ."))
        for username in usernames:
            self.report(login_throttle.unlock(username=username), username)
        for address in client:
            self.report(login_throttle.unlock(address=address), address)

    def report(self, lifted, name):
        if lifted:
            self.stdout.write(_("Đã mở khóa: %(name)s") % {"name": name})
        else:
            self.stdout.write(_("Không bị khóa: %(name)s (đã xóa các lần sai)") % {"name": name})
