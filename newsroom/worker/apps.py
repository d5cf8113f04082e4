from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "newsroom.worker"
    label = "worker"
    verbose_name = _("Tác vụ nền")
