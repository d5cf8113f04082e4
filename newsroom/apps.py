from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, on a site whose changelists screen their query strings."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
