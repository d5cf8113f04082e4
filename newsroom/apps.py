from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    """The project itself as an app: its management commands and the user admin."""

    default = True
    name = "newsroom"

    def ready(self):
        from articles import caching

        from . import replicas

        # A reader who has just posted reads from the primary: their pages are theirs.
        caching.register_reader_cookie(replicas.PIN_COOKIE)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site whose changelists screen their query strings."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"
