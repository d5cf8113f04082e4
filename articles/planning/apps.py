from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "articles.planning"
    label = "planning"
    verbose_name = _("Kế hoạch đề tài")

    def ready(self):
        from newsroom.text import normalize_models_on_save

        normalize_models_on_save(self)
