"""Counting reads for "Đọc nhiều" without a database write per read.

A read is a beacon (``static/js/reads.js``, ``navigator.sendBeacon``) from an
article page that a browser ran: no JavaScript, no count; a bot's User-Agent, no
count. The beacon's view (``views.count_read``) touches the shared cache only:

* ``reads:<hour>:<article>``: the article's reads in that hour (UTC), by ``add``
  then ``incr`` (both atomic in Redis);
* ``reads:<hour>:n`` and ``reads:<hour>:slot:<i>``: the articles read in that
  hour, one slot each, registered by the read that created the counter, so the
  flush can find the counters without listing keys (Django's cache cannot).

``flush()`` (the ``flush_reads`` command, from cron every few minutes; README
"Background worker") moves the counts into ``ArticleReadCount`` rows (one per
article and hour), remakes the small ``MostRead`` ranking from the rows of the
last 7 days, deletes older rows and purges the ``most-read`` key, so the
article pages' rail fragment is made again. Pages read ``MostRead`` only.
"""

import re
from datetime import UTC, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from . import caching

# Counters live this long in the cache: a flush missed for a day loses nothing.
COUNTER_SECONDS = 2 * 24 * 3600
# Hours a flush looks back over (the counters' lifetime).
FLUSH_HOURS = COUNTER_SECONDS // 3600
# No hour registers more articles than this (a flood of made-up ids stops here).
MAX_SLOTS_PER_HOUR = 20_000
RANKED = 10  # rows kept a period; the rail shows the first public ones
PERIODS = {"day": timedelta(hours=24), "week": timedelta(days=7)}
MOST_READ_KEY = "most-read"  # the surrogate key of what shows the ranking
FLUSH_LOCK = "reads:flush-lock"

# Crawlers, link previews, monitors and headless browsers: not readers.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|headless|lighthouse"
    r"|pingdom|uptime|monitor|curl|wget|python|httpclient|okhttp|java/|go-http|scrapy"
    r"|phantomjs|selenium|puppeteer|playwright",
    re.IGNORECASE,
)


def is_bot(user_agent):
    """Whether a User-Agent is a crawler's, a preview's or a script's (or missing)."""
    return not user_agent or bool(BOT_AGENTS.search(user_agent))


def hour_of(moment):
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _hour_label(hour):
    return hour.strftime("%Y%m%d%H")


def _counter(label, article_id):
    return f"reads:{label}:{article_id}"


def count(article_id, now=None):
    """One read of article ``article_id``: cache operations only. The id is not
    checked here (that would be a query); the flush keeps only real articles."""
    label = _hour_label(hour_of(now or timezone.now()))
    key = _counter(label, article_id)
    if cache.add(key, 0, timeout=COUNTER_SECONDS):
        _register(label, article_id)
    try:
        cache.incr(key)
    except ValueError:  # evicted since, or the cache is down: the read is not counted
        pass


def _register(label, article_id):
    number_key = f"reads:{label}:n"
    cache.add(number_key, 0, timeout=COUNTER_SECONDS)
    try:
        slot = cache.incr(number_key)
    except ValueError:
        return
    if slot <= MAX_SLOTS_PER_HOUR:
        cache.set(f"reads:{label}:slot:{slot}", article_id, timeout=COUNTER_SECONDS)


def pending(hour):
    """{article id: reads not yet flushed} of one hour, from the cache."""
    label = _hour_label(hour)
    number = cache.get(f"reads:{label}:n") or 0
    if not number:
        return {}
    slots = cache.get_many(
        [f"reads:{label}:slot:{i}" for i in range(1, min(number, MAX_SLOTS_PER_HOUR) + 1)]
    )
    ids = {int(article_id) for article_id in slots.values()}
    counters = cache.get_many([_counter(label, article_id) for article_id in ids])
    return {
        article_id: counters[_counter(label, article_id)]
        for article_id in ids
        if counters.get(_counter(label, article_id))
    }


def flush(now=None):
    """Move the counted reads into ``ArticleReadCount``, remake ``MostRead`` and
    purge what shows it. Returns the number of reads moved. One flush at a
    time (a lock in the cache); a second one meanwhile returns 0."""
    from .models import Article, ArticleReadCount

    now = now or timezone.now()
    if not cache.add(FLUSH_LOCK, 1, timeout=600):
        return 0
    try:
        hours = [hour_of(now) - timedelta(hours=back) for back in range(FLUSH_HOURS)]
        counts = {hour: pending(hour) for hour in hours}
        ids = {article_id for by_article in counts.values() for article_id in by_article}
        existing = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        moved = 0
        for hour, by_article in counts.items():
            label = _hour_label(hour)
            for article_id, reads in by_article.items():
                # Taken off the counter first: reads counted meanwhile stay for the next flush.
                try:
                    cache.decr(_counter(label, article_id), reads)
                except ValueError:
                    continue
                if article_id not in existing:
                    continue
                with transaction.atomic():
                    updated = ArticleReadCount.objects.filter(
                        article_id=article_id, hour=hour
                    ).update(reads=F("reads") + reads)
                    if not updated:
                        ArticleReadCount.objects.create(
                            article_id=article_id, hour=hour, reads=reads
                        )
                moved += reads
        rank(now)
        return moved
    finally:
        cache.delete(FLUSH_LOCK)


@transaction.atomic
def rank(now=None):
    """Remake ``MostRead`` from the counts of each period, drop counts older than
    the longest period, and purge the pages' rail fragment."""
    from .models import Article, ArticleReadCount, MostRead

    now = now or timezone.now()
    ArticleReadCount.objects.filter(hour__lt=hour_of(now - max(PERIODS.values()))).delete()
    public = Article.objects.published(now).values("pk")
    rows = []
    for period, span in PERIODS.items():
        totals = (
            ArticleReadCount.objects.filter(hour__gte=hour_of(now - span), article__in=public)
            .values("article")
            .annotate(total=Sum("reads"))
            .order_by("-total", "-article")[:RANKED]
        )
        rows += [
            MostRead(period=period, rank=i, article_id=row["article"], reads=row["total"])
            for i, row in enumerate(totals, start=1)
        ]
    MostRead.objects.all().delete()
    MostRead.objects.bulk_create(rows)
    transaction.on_commit(lambda: caching.purge_keys([MOST_READ_KEY]))


def most_read(now=None, per_period=5):
    """{period: [article, …]}: the ranking's public articles (one query over the
    few ``MostRead`` rows)."""
    from .models import LIST_DEFERRED, Article, MostRead

    rows = (
        MostRead.objects.filter(
            article__status__in=Article.PUBLIC_STATUSES,
            article__published_at__lte=now or timezone.now(),
        )
        .select_related("article", "article__section")
        .defer(*(f"article__{name}" for name in LIST_DEFERRED))
    )
    ranking = {period: [] for period in PERIODS}
    for row in rows:
        if len(ranking[row.period]) < per_period:
            ranking[row.period].append(row.article)
    return ranking
