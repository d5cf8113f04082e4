from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("token/", views.csrf_token, name="token"),
    path("<int:article_id>/", views.thread, name="thread"),
    path("<int:article_id>/gui/", views.post_comment, name="post"),
    path("bao-cao/<int:comment_id>/", views.report_comment, name="report"),
]
