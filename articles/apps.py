from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Bài viết")

    def ready(self):
        from newsroom.text import normalize_models_on_save

        normalize_models_on_save(self)
