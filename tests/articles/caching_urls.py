"""A URLconf for tests/articles/test_caching_rules.py: views that answer what no view
of the site answers today (a cookie on a shareable page, a crash, a temporary redirect),
each declared as the site's views are."""

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.cache import patch_cache_control

from articles import caching


def page(request):
    return HttpResponse("Trang chung")


def sets_a_cookie(request):
    response = HttpResponse("Trang chung")
    response.set_cookie("chon", "1")
    return response


def crashes(request):
    raise RuntimeError("lỗi thử")


def redirects_for_now(request):
    return HttpResponseRedirect("/")


def refuses(request):
    return HttpResponse("Không được", status=403)


def says(**directives):
    def view(request):
        response = HttpResponse("Trang chung")
        patch_cache_control(response, **directives)
        return response

    return view


urlpatterns = [
    path("chung/", caching.shareable(page)),
    path("khong-khai-bao/", page),
    path("rieng/", caching.per_reader(page)),
    path("cookie/", caching.shareable(sets_a_cookie)),
    path("loi/", caching.shareable(crashes)),
    path("chuyen-tam/", caching.shareable(redirects_for_now)),
    path("tu-choi/", caching.shareable(refuses)),
    path("tu-noi-rieng/", caching.shareable(says(private=True))),
    path("tu-noi-khong-luu/", caching.shareable(says(no_store=True))),
    path("tu-noi-ngan/", caching.shareable(says(max_age=10))),
]
