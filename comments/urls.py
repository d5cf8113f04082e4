from django.urls import path

from articles import caching

from . import views

app_name = "comments"

urlpatterns = [
    path("token/", caching.never_stored(views.csrf_token), name="token"),
    path("<int:article_id>/", caching.shareable(views.thread), name="thread"),
    path("<int:article_id>/gui/", caching.never_stored(views.post_comment), name="post"),
    path("bao-cao/<int:comment_id>/", caching.never_stored(views.report_comment), name="report"),
]
