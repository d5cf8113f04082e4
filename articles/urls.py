from django.urls import path, re_path

from . import caching, feeds, previews, views

app_name = "articles"

# Each URL declares whether its answer may be shared (articles/caching.py).
urlpatterns = [
    path("", caching.shareable(views.home), name="home"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]*)-a(?P<pk>[0-9]+)\.html$",
        caching.shareable(views.article_detail),
        name="detail",
    ),
    path("tag/<slug:slug>/", caching.shareable(views.tag_detail), name="tag"),
    path("tac-gia/<slug:slug>/", caching.shareable(views.contributor_detail), name="contributor"),
    path(
        "xem-truoc/<str:token>/",
        caching.never_stored(previews.shared_preview),
        name="shared_preview",
    ),
    path("tag/<slug:slug>/rss.xml", caching.shareable(feeds.TagFeed()), name="tag_feed"),
    path("<slug:slug>/rss.xml", caching.shareable(feeds.SectionFeed()), name="section_feed"),
    path("tim-kiem/", caching.shareable(views.search), name="search"),
    path("tin-moi-nhat/", caching.shareable(views.latest), name="latest"),
    path("luot-doc/<int:pk>/", caching.never_stored(views.count_read), name="read"),
    # Sections last: their slugs share the top level with everything above.
    path("<slug:slug>/", caching.shareable(views.section_detail), name="section"),
]
