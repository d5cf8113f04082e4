from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Bình luận")

    def ready(self):
        from articles import caching
        from newsroom.text import normalize_models_on_save

        from . import reading

        normalize_models_on_save(self)
        # A reader holding it sees their own held comments: pages differ for them.
        caching.register_reader_cookie(reading.PENDING_COOKIE)
