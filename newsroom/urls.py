from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from articles import caching, feeds, sitemaps

from . import views
from .login_throttle import LoginForm

admin.site.site_header = _("Tòa soạn")
admin.site.site_title = _("Tòa soạn")
admin.site.index_title = _("Quản trị nội dung")
admin.site.login_form = LoginForm

# A staff member who meets a 403 or a 404 inside the admin gets it in the admin's
# layout, with a way back; every other 403 and 404 is answered as before.
handler403 = "newsroom.views.permission_denied"
handler404 = "newsroom.views.page_not_found"

urlpatterns = [
    # Ahead of the admin's own "view on site" redirect, which checks no permission.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        caching.never_stored(admin.site.admin_view(views.view_on_site)),
    ),
    path("admin/", admin.site.urls),
    path("ngon-ngu/<str:code>/", caching.per_reader(views.switch_language), name="switch_language"),
    path("binh-luan/", include("comments.urls")),
    path("robots.txt", caching.shareable(sitemaps.robots_txt), name="robots_txt"),
    path("rss.xml", caching.shareable(feeds.LatestFeed()), name="rss"),
    path(
        "sitemap.xml",
        caching.shareable(sitemaps.sitemap_index),
        name="sitemap_index",
    ),
    re_path(
        r"^sitemap-bai-viet-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        caching.shareable(sitemaps.month_sitemap),
        name="sitemap_month",
    ),
    # The article sitemap by pages of 5,000 before the months (?p=N): to the index.
    path(
        "sitemap-articles.xml",
        caching.shareable(sitemaps.old_article_sitemap),
        name="old_article_sitemap",
    ),
    path(
        "sitemap-news.xml",
        caching.shareable(sitemap_views.sitemap),
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        caching.shareable(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap_section",
    ),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(
        settings.MEDIA_URL, view=caching.shareable(serve), document_root=settings.MEDIA_ROOT
    )
