"""The users' admin, with the action that lifts a login lock."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import login_throttle

User = get_user_model()


class NewsroomUserAdmin(UserAdmin):
    actions = [*(UserAdmin.actions or ()), "unlock_login"]

    @admin.action(description=_("Mở khóa đăng nhập (sau nhiều lần nhập sai mật khẩu)"),
                  permissions=["change"])
    def unlock_login(self, request, queryset):
        lifted = sum(login_throttle.unlock(username=user.get_username()) for user in queryset)
        if lifted:
            self.message_user(
                request,
                ngettext(
                    "Đã mở khóa đăng nhập cho %(count)d tài khoản.",
                    "Đã mở khóa đăng nhập cho %(count)d tài khoản.",
                    lifted,
                )
                % {"count": lifted},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("Không tài khoản nào trong số đã chọn đang bị khóa."), messages.INFO
            )


admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
