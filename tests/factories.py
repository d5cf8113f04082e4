"""Plain factory functions for tests: ``make_article(**overrides)``."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import roles
from articles.images import clean_photo
from articles.models import Article, ArticlePhoto, Contributor, Credit, Photo, Role, Section

_counter = itertools.count(1)


def make_user(username=None, **overrides):
    username = username or f"user{next(_counter)}"
    defaults = {"email": f"{username}@example.com", "is_staff": True}
    defaults.update(overrides)
    password = defaults.pop("password", "pw-for-tests-only")
    user = get_user_model().objects.create_user(username=username, password=password, **defaults)
    return user


def make_member(group, username=None, **overrides):
    """A staff user in one of the newsroom's groups (created by migration 0006)."""
    user = make_user(username, **overrides)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_reporter(username=None, **overrides):
    return make_member(roles.REPORTERS, username, **overrides)


def make_editor(username=None, **overrides):
    return make_member(roles.EDITORS, username, **overrides)


def make_section(name=None, **overrides):
    return Section.objects.create(name=name or f"Chuyên mục {next(_counter)}", **overrides)


def make_contributor(name=None, **overrides):
    return Contributor.objects.create(name=name or f"Phóng viên {next(_counter)}", **overrides)


def role(label):
    """One of the default roles created by migration: Tin, Bài, Ảnh, Nguồn…"""
    return Role.objects.get(label=label)


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def image_upload(name="anh.jpg", fmt="JPEG", size=(64, 48), **save_kwargs):
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(
        name, image_bytes(fmt, size, **save_kwargs), content_type=content_type
    )


def make_photo(**overrides):
    upload = overrides.pop("upload", None) or image_upload()
    defaults = {"alt_text": "Ảnh minh họa", "caption": "Chú thích ảnh.", "credit_line": "Ảnh: T.Q"}
    defaults.update(overrides)
    return Photo.objects.create(image=clean_photo(upload), **defaults)


def make_article(**overrides):
    """A published article (one minute old) unless ``status`` says otherwise."""
    defaults = {
        "headline": f"Bài viết số {next(_counter)}",
        "lead": "Sáng nay, hội nghị đã diễn ra.",
        "body": "<p>Đoạn một.</p><p>Đoạn hai.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(minutes=1),
    }
    defaults.update(overrides)
    # Stored as a publication would leave it (Article.save() derives nothing).
    if defaults["status"] in Article.PUBLIC_STATUSES:
        defaults["published_at"] = defaults["published_at"] or timezone.now()
    if defaults["status"] == Article.Status.PUBLISHED:
        defaults.setdefault("first_published_at", None)
        defaults["first_published_at"] = defaults["first_published_at"] or defaults["published_at"]
    tags = defaults.pop("tags", None)
    if "section" not in defaults:
        defaults["section"] = make_section()
    article = Article.objects.create(**defaults)
    if tags:
        article.tags.add(*tags)
    return article


def add_credit(article, contributor=None, role_label="Tin", name="", order=0):
    return Credit.objects.create(
        article=article, contributor=contributor, name=name, role=role(role_label), order=order
    )


def add_photo(article, photo=None, **overrides):
    return ArticlePhoto.objects.create(article=article, photo=photo or make_photo(), **overrides)


def make_comment(article, status="pending", minutes_ago=0, **overrides):
    """A reader comment stored the way the site stores one (counts kept right)."""
    from comments import moderation

    fields = {
        "article": article,
        "name": "Bạn đọc",
        "body": "Bài viết hay.",
        "status": status,
        "client_hash": "c" * 64,
        "body_hash": "b" * 64,
        "created_at": timezone.now() - timedelta(minutes=minutes_ago),
    }
    fields.update(overrides)
    return moderation.create(**fields)
