from django.urls import path, re_path

from . import feeds, previews, search, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]*)-a(?P<pk>[0-9]+)\.html$", views.article_detail, name="detail"
    ),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("tac-gia/<slug:slug>/", views.contributor_detail, name="contributor"),
    path("xem-truoc/<str:token>/", previews.shared_preview, name="shared_preview"),
    path("tag/<slug:slug>/rss.xml", feeds.TagFeed(), name="tag_feed"),
    path("<slug:slug>/rss.xml", feeds.SectionFeed(), name="section_feed"),
    path("tim-kiem/", search.search_view, name="search"),
    # Sections last: their slugs share the top level with everything above.
    path("<slug:slug>/", views.section_detail, name="section"),
]
