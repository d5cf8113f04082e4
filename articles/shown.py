"""Who may change a row that articles show: a library photo, a contributor, a
section, a role, a tag.

What an article out of its author's hands shows (in review, approved,
scheduled, published or withdrawn) changes only through that article's
workflow, or by someone who may publish (DESIGN: "there is no side door
through another model"). So a row those articles show may be changed by:

* a user with ``articles.publish_article`` (editors, superusers), always;
* anyone else with the model's change permission only while every article
  showing it is a draft (or "changes requested") that they may edit
  themselves: a reporter fixing the caption of a photo only their own draft
  uses.

The rule reads the database, never the form: the admin checks it for every
change, delete and bulk action, and once more under row locks at save time.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

# How many of the articles in the way a message names.
NAMED_ARTICLES = 5


class ShownContentLocked(PermissionDenied):
    """``user`` may not change ``obj``: ``articles`` (the first few) show it."""

    def __init__(self, obj, articles):
        self.obj = obj
        self.articles = list(articles)
        super().__init__(refusal_message(obj, self.articles))


def may_publish(user):
    return bool(user.is_active and user.is_staff and user.has_perm("articles.publish_article"))


def articles_in_the_way(obj, user):
    """The articles showing ``obj`` that stop ``user`` changing it (a queryset)."""
    showing = obj.articles_showing()
    if may_publish(user):
        return showing.none()
    own = showing.model.objects.drafting().editable_by(user)
    return showing.exclude(pk__in=own.values("pk"))


def may_change(obj, user):
    """Whether ``user`` may change or delete ``obj`` (besides the model permission)."""
    if obj.pk is None:
        return True  # a new row: no article shows it yet
    return not articles_in_the_way(obj, user).exists()


def check_may_change(obj, user):
    """Raise ``ShownContentLocked`` unless ``user`` may change ``obj``.

    The drafts the answer relies on are locked until the caller's transaction
    ends, so none of them can be submitted (or published) in between: a save
    that passes this check lands while every article showing the row is still
    a draft of the user's own.
    """
    if obj.pk is None or may_publish(user):
        return
    with transaction.atomic():
        drafts = obj.articles_showing().drafting().select_for_update(of=("self",))
        list(drafts.values_list("pk", flat=True))
        blocking = list(articles_in_the_way(obj, user)[:NAMED_ARTICLES])
    if blocking:
        raise ShownContentLocked(obj, blocking)


def describe(articles):
    """“Headline” (Đã đăng), “Headline” (Chờ duyệt)…"""
    return ", ".join(
        _("“%(headline)s” (%(status)s)")
        % {"headline": article.headline, "status": article.get_status_display()}
        for article in articles
    )


def refusal_message(obj, articles):
    return _(
        "Không thể sửa hoặc xóa %(object)s “%(name)s” vì các bài sau đang dùng: "
        "%(articles)s. Chỉ người có quyền đăng bài mới được thay đổi những gì một bài đã gửi "
        "duyệt, đã duyệt, hẹn giờ, đã đăng hoặc đã gỡ đang hiện; người khác chỉ sửa được khi "
        "mọi bài dùng nó là bản nháp của chính họ. Hãy nhờ biên tập viên, hoặc dùng một bản "
        "mới (chẳng hạn tải ảnh lên thành ảnh mới) cho bài của bạn."
    ) % {"object": obj._meta.verbose_name, "name": obj, "articles": describe(articles)}


def publisher_notice(obj, articles):
    return _(
        "Bài đã gửi duyệt, đã duyệt, hẹn giờ, đã đăng hoặc đã gỡ đang dùng %(object)s này: "
        "%(articles)s. Lưu ở đây là thay đổi ngay những gì các bài đó hiện, không qua duyệt lại."
    ) % {"object": obj._meta.verbose_name, "articles": describe(articles)}
