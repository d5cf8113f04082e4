"""Purges by surrogate key: after a change that alters public pages commits, the
pages naming its keys leave the app's page cache and every configured proxy.

Keys (README, "Page cache and proxy"): each shareable page names what it shows
(``caching.shows``); this module says which keys a change touches:

* ``article-N``: the article's own page (also its 404/410/301 answers);
* ``section-N``: pages showing the section's name; ``list-section-N``: the
  section's list of articles; ``tag-N``: the tag page and the article pages showing
  the tag (their related box lists the tag's articles); ``contributor-N``: the
  contributor's page;
* ``home``, ``feeds`` (feeds and sitemaps), ``sitemaps`` (the sitemaps only:
  a minor correction moves their ``lastmod``, not the feeds), ``search``; ``nav``:
  every HTML page (the sections menu).

``purge(*keys)`` runs after the current transaction commits (at once outside one).
The app cache is purged at once by moving each key's generation on (``caching``);
each URL in ``NEWSROOM_PURGE_URLS`` gets ``PURGE`` with the keys in an ``xkey-purge``
header (Varnish's xkey, deploy/varnish/newsroom.vcl) from the ``purge_proxies``
task: on the worker in production, retried while a proxy is away.
"""

import http.client
import logging
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.tasks import task

from newsroom import replicas
from newsroom.worker.retry import retry_later

from . import caching

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 2  # seconds per proxy


def article_keys(article):
    """Every key of a page that shows ``article``: its own page, the lists it is on,
    home, the feeds and search."""
    keys = {f"article-{article.pk}", "home", "feeds", "search"}
    section = article.section
    while section is not None:
        keys.add(f"list-section-{section.pk}")
        section = section.parent
    keys.update(f"tag-{pk}" for pk in article.tags.values_list("pk", flat=True))
    keys.update(
        f"contributor-{pk}" for pk in article.credits.values_list("contributor_id", flat=True)
    )
    return keys


def purge(*keys):
    """Purge the pages naming any of ``keys``, once the current transaction commits."""
    keys = sorted({key for key in keys if key})
    if keys:
        transaction.on_commit(lambda: send(keys), robust=True)


def snapshot_keys(article, data):
    """The list keys of what a revision's ``data`` showed ``article`` on (the
    section, tags and contributors it may have left since)."""
    keys = set()
    section = (data.get("section") or {}).get("id")
    if section:
        Section = type(article)._meta.get_field("section").related_model
        for pk, parent in Section.objects.filter(pk=section).values_list("pk", "parent_id"):
            keys |= {f"list-section-{pk}", f"list-section-{parent}" if parent else ""}
    names = data.get("tags") or []
    if names:
        Tag = type(article)._meta.get_field("tags").related_model
        tags = Tag.objects.filter(name__in=names).values_list("pk", flat=True)
        keys.update(f"tag-{pk}" for pk in tags)
    credits = data.get("credits", ())
    keys.update(f"contributor-{c['contributor']}" for c in credits if c.get("contributor"))
    return keys


def purge_article_pk(pk):
    """``purge_article`` for the article ``pk`` (e.g. a comment's, after commit)."""
    Article = apps.get_model("articles", "Article")
    purge_article(Article.objects.get(pk=pk))


def purge_article(article, before=None):
    """Purge every page showing ``article``, now and (``before``: a revision's
    data) as it was."""
    purge(*article_keys(article), *(snapshot_keys(article, before) if before else ()))


def send(keys):
    """Purge ``keys`` now from the app cache (so it is never stale), and queue the
    proxies' purge as a task (``purge_proxies``)."""
    replicas.note_change()  # no page is rebuilt from a replica that lacks the change
    caching.purge_keys(keys)
    if settings.NEWSROOM_PURGE_URLS:
        purge_proxies.enqueue(list(keys))


class PurgeFailed(Exception):
    """Some proxy refused or did not answer a purge (the admin shows which)."""


@task
def purge_proxies(keys, urls=None, attempt=1):
    """``PURGE`` with ``keys`` at each proxy of ``urls`` (by default every one in
    ``NEWSROOM_PURGE_URLS``). Idempotent: purging twice only purges. The proxies
    that failed are tried again later, alone (``worker.retry``), and this attempt
    fails with their errors; meanwhile their pages live out their short lifetime."""
    urls = settings.NEWSROOM_PURGE_URLS if urls is None else urls
    header = " ".join(keys)
    failed = {}
    for url in urls:
        error = _purge_one(url, header)
        if error:
            logger.warning("Purge of %s at %s failed: %s", header, url, error)
            failed[url] = error
    if failed:
        retry_later(purge_proxies, keys, list(failed), attempt=attempt)
        raise PurgeFailed("; ".join(f"{url}: {error}" for url, error in failed.items()))
    return len(urls)


def _purge_one(url, header):
    """One proxy's purge: None when it answered, else what went wrong."""
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else None
    connection = (kind or http.client.HTTPConnection)(
        parts.hostname, parts.port, timeout=PURGE_TIMEOUT
    )
    try:
        connection.request("PURGE", parts.path or "/", headers={"xkey-purge": header})
        response = connection.getresponse()
        response.read()
    except OSError as error:
        return str(error) or type(error).__name__
    finally:
        connection.close()
    if response.status >= 400:
        return f"HTTP {response.status}"
    return None


# Housekeeping receivers (post_save/post_delete, connected in apps.py) ---------------------------

# Past this many articles, a library row's change purges every page ("nav").
MAX_ARTICLES_PER_PURGE = 200


def library_row_changed(sender, instance, **kwargs):
    """A section, tag, contributor, role or photo was saved or deleted."""
    name = type(instance).__name__
    if name == "Section":  # in every page's menu and in its feed's title
        purge("nav", "feeds", f"section-{instance.pk}")
        return
    if name == "Tag":  # the tag page and the article pages showing the tag
        purge("feeds", f"tag-{instance.pk}")
        return
    keys = {f"contributor-{instance.pk}"} if name == "Contributor" else set()
    if instance.pk is not None:
        shown = instance.articles_showing()
        shown = shown.filter(status__in=(*shown.model.PUBLIC_STATUSES, "withdrawn"))
        articles = list(shown.select_related("section__parent")[: MAX_ARTICLES_PER_PURGE + 1])
        if len(articles) > MAX_ARTICLES_PER_PURGE:
            keys |= {"nav", "feeds"}
        elif name == "Photo":  # also on the lists, as thumbnails
            for article in articles:
                keys |= article_keys(article)
        else:  # bylines
            keys |= {f"article-{article.pk}" for article in articles}
    purge(*keys)
