"""Public comment views: a page of comments, posting, reporting, the tokens.

Article pages may be cached by a proxy or CDN, so the form in them carries no
per-reader token: comments.js fetches a CSRF token and a single-use render
token (``timetrap``) from ``csrf_token`` when the reader starts writing, and a
reader without JavaScript whose post fails the CSRF check gets the form back,
text included, with fresh tokens (``csrf_failure``).
"""

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, CommentsMode
from newsroom import cache as shared_cache

from . import posting, reading, reporting, timetrap
from .forms import CommentForm, ReportForm
from .models import Comment
from .posting import Result


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def published_article(pk):
    """The published article ``pk`` without its text: a comment's pages never
    show it, and under a burst of posts every byte of it is read in vain."""
    articles = Article.objects.published().defer("lead", "body", "search_text")
    return get_object_or_404(articles, pk=pk)


@never_cache
@require_GET
def csrf_token(request):
    """A CSRF token for comments.js (and the csrftoken cookie with it), and a
    new render token for the comment form being written (each is taken once)."""
    response = JsonResponse({"token": get_token(request), "rendered": timetrap.issue()})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def thread(request, article_id):
    """A page of an article's comments, after the ``?truoc=`` cursor: "Xem thêm
    bình luận" without JavaScript; with ``?fragment=1``, the part comments.js
    appends. ``?tra-loi=<id>`` shows the form as a reply to that comment."""
    article = published_article(article_id)
    cursor = None
    if "truoc" in request.GET:
        cursor = reading.decode_cursor(request.GET["truoc"])
        if cursor is None:
            raise Http404(_("Không có trang bình luận này."))
    oldest = request.GET.get(reading.SORT_PARAM) == reading.OLDEST
    page = reading.comments_page(article, cursor, oldest=oldest)
    if request.GET.get("fragment"):
        closed = posting.effective_mode(article) == CommentsMode.CLOSED
        return render(
            request,
            "comments/page.html",
            {"article": article, "page": page, "closed": closed, "oldest": oldest},
        )
    form = None
    if posting.effective_mode(article) != CommentsMode.CLOSED:
        reply_to = request.GET.get("tra-loi", "")
        form = CommentForm(
            article=article, initial={"parent": reply_to} if reply_to.isdigit() else {}
        )
    return render_thread(request, article, form, page=page, oldest=oldest)


@require_POST
def post_comment(request, article_id):
    article = published_article(article_id)
    # Whoever is logged in, this is a reader's comment: the newsroom replies
    # from the moderation queue (comments.admin, moderation.reply_as_newsroom).
    form = CommentForm(request.POST.copy(), article=article)
    if form.is_bot:
        # Dropped without a word: a bot is told nothing it could learn from.
        return accepted(request, article, None)
    if posting.effective_mode(article) == CommentsMode.CLOSED:
        return refused(request, article, form, *refusal(Result.CLOSED))
    if not form.is_valid():
        form.data["rendered"] = timetrap.usable(form.data.get("rendered"))
        return refused(request, article, form, _("Vui lòng sửa các lỗi dưới đây."), 400)
    if not shared_cache.available():
        # Neither the rate limits nor the single-use token can be checked: nothing
        # is stored, and the reader keeps their text (and their token) to send later.
        form.data["rendered"] = timetrap.usable(form.data.get("rendered"))
        return refused(request, article, form, *refusal(Result.UNAVAILABLE))
    trap = timetrap.spend(form.cleaned_data["rendered"])
    if trap is timetrap.Verdict.RENEW:
        form.data["rendered"] = timetrap.issue()
        return refused(request, article, form, _("Vui lòng gửi lại bình luận."), 400)
    if trap is timetrap.Verdict.TOO_FAST:
        message = _("Bạn gửi nhanh quá. Vui lòng đọc lại bình luận rồi gửi sau vài giây.")
        return refused(request, article, form, message, 400)
    # The token is spent: a form given back from here on carries a new one.
    form.data["rendered"] = timetrap.issue()
    data = form.cleaned_data
    outcome = posting.post_comment(
        article,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        parent=data["parent"],
        client=posting.client_hash(request),
    )
    if outcome.result in (Result.STORED, Result.HELD):
        return accepted(request, article, outcome.comment)
    return refused(request, article, form, *refusal(outcome.result, outcome.limit))


# Why a comment was not taken, and the HTTP status that says so.
REFUSALS = {
    (Result.CLOSED, ""): (gettext_lazy("Bài viết này đã đóng bình luận."), 403),
    (Result.RATE_LIMITED, posting.CLIENT_LIMIT): (
        gettext_lazy("Bạn gửi nhiều bình luận quá. Vui lòng chờ một lát rồi gửi lại."),
        429,
    ),
    (Result.RATE_LIMITED, posting.ARTICLE_LIMIT): (
        gettext_lazy(
            "Bài viết này đang nhận quá nhiều bình luận. Vui lòng chờ một lát rồi gửi lại."
        ),
        429,
    ),
    (Result.DUPLICATE, ""): (gettext_lazy("Bạn đã gửi bình luận này rồi."), 400),
    (Result.UNAVAILABLE, ""): (
        gettext_lazy(
            "Hệ thống bình luận đang tạm gián đoạn nên bình luận của bạn chưa được gửi. "
            "Vui lòng gửi lại sau ít phút."
        ),
        503,
    ),
    (Result.REFUSED, ""): (
        gettext_lazy("Bình luận của bạn không được đăng vì không phù hợp với quy định của báo."),
        400,
    ),
}


def refusal(result, limit=""):
    """The message (in the reader's language) and HTTP status for an Outcome
    that took no comment."""
    message, code = REFUSALS[result, limit]
    return str(message), code


def accepted(request, article, comment):
    """After a post: back to the article (or the comment's place in it); a held
    comment is remembered in a signed cookie so its author sees it there."""
    pending = comment is None or comment.status == Comment.Status.PENDING
    message = (
        _("Cảm ơn bạn. Bình luận đang chờ duyệt.") if pending else _("Bình luận đã được đăng.")
    )
    if wants_json(request):
        html = ""
        if comment is not None:
            html = render_to_string(
                "comments/comment.html", {"comment": comment, "pending": pending}, request
            )
        response = JsonResponse(
            {
                "ok": True,
                "status": comment.status if comment else Comment.Status.PENDING,
                "message": message,
                "html": html,
                "parent": comment.parent_id if comment else None,
            }
        )
    else:
        anchor = "binh-luan" if pending else f"binh-luan-{comment.pk}"
        response = redirect(f"{article.get_absolute_url()}#{anchor}")
    if comment is not None and pending:
        reading.remember_pending(request, response, comment)
    response["Cache-Control"] = "private, no-store"
    return response


def refused(request, article, form, message, status):
    """The form back, with the reader's text and why it was not taken."""
    if wants_json(request):
        html = render_to_string(
            "comments/form.html",
            {"article": article, "form": form, "message": message, "embed_token": True},
            request,
        )
        return JsonResponse({"ok": False, "message": message, "form": html}, status=status)
    return render_thread(request, article, form, message=message, status=status)


def render_thread(request, article, form, *, page=None, message="", status=200, oldest=False):
    closed = posting.effective_mode(article) == CommentsMode.CLOSED
    response = render(
        request,
        "comments/thread.html",
        {
            "article": article,
            "page": page or reading.comments_page(article),
            "form": None if closed else form,
            "closed": closed,
            "auto_closed": posting.is_auto_closed(article),
            "close_after_days": posting.setting("CLOSE_AFTER_DAYS"),
            "message": message,
            "cursor": request.GET.get("truoc", ""),
            "oldest": oldest,
            # A page answering a POST is never cached: it may carry a token.
            "embed_token": request.method == "POST",
        },
        status=status,
    )
    if request.method == "POST":
        response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def report_comment(request, comment_id):
    """A reader reports a published comment; enough distinct reports send it
    back to the moderators."""
    comment = get_object_or_404(
        Comment.objects.published().select_related("article"),
        pk=comment_id,
        article__in=Article.objects.published(),
    )
    form = ReportForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        code = 400 if request.method == "POST" else 200
        return render_report(request, comment, form, status=code)
    client = posting.client_hash(request)
    try:
        over_rate = reporting.over_rate(client)
    except posting.LimitsUnavailable:
        message = _("Hệ thống đang tạm gián đoạn. Vui lòng báo cáo lại sau ít phút.")
        return render_report(request, comment, form, message=message, status=503)
    if over_rate:
        message = _("Bạn đã báo cáo nhiều lần. Vui lòng thử lại sau.")
        return render_report(request, comment, form, message=message, status=429)
    try:
        reporting.report(comment, form.cleaned_data["reason"], client)
    except reporting.AlreadyReported:
        message = _("Bạn đã báo cáo bình luận này rồi.")
    else:
        message = _("Cảm ơn bạn. Tòa soạn sẽ xem xét bình luận này.")
    return render_report(request, comment, None, message=message)


def render_report(request, comment, form, *, message="", status=200):
    context = {"comment": comment, "article": comment.article, "form": form, "message": message}
    if wants_json(request):
        html = render_to_string("comments/report_form.html", context, request) if form else ""
        return JsonResponse(
            {"ok": status == 200, "message": message, "form": html}, status=status
        )
    fragment = request.GET.get("fragment")
    template = "comments/report_form.html" if fragment else "comments/report.html"
    return render(request, template, context, status=status)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. A comment or report posted without a valid token
    (a reader without JavaScript on a cached page) gets its form back with what
    was typed and a fresh token; anything else gets Django's own 403 page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    view_name = match.view_name if match else ""
    if request.method != "POST" or view_name not in ("comments:post", "comments:report"):
        return csrf.csrf_failure(request, reason)
    get_token(request)  # a new csrftoken cookie goes out with the response
    message = _("Phiên gửi đã hết hạn. Vui lòng gửi lại.")
    if view_name == "comments:report":
        comment = Comment.objects.published().filter(pk=match.kwargs["comment_id"]).first()
        if comment is None:
            return csrf.csrf_failure(request, reason)
        form = ReportForm(initial={"reason": request.POST.get("reason")})
        return render_report(request, comment, form, message=message, status=403)
    article = Article.objects.published().filter(pk=match.kwargs["article_id"]).first()
    if article is None:
        return csrf.csrf_failure(request, reason)
    fields = ("name", "email", "body", "parent", "rendered")
    initial = {name: request.POST.get(name, "") for name in fields}
    initial["rendered"] = timetrap.usable(initial["rendered"])
    form = CommentForm(article=article, initial=initial)
    if wants_json(request):
        return refused(request, article, form, message, 403)
    return render_thread(request, article, form, message=message, status=403)
