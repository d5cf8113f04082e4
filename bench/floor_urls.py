"""The project's URLs plus ``/__bench/floor/`` (bench/floor_settings.py)."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site

PAGE = Path(os.environ["NEWSROOM_BENCH_FLOOR_FILE"]).read_bytes()


def floor(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench/floor/", floor), *site]
