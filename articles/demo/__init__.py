"""Demo data for ``manage.py seed_demo``: sections, contributors, demo
accounts, about thirty hand-written articles with generated photos, and a
fast generator of filler articles for benchmarks.

Every person, place, company and figure in here is made up.
"""

import html
import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw

from newsroom.text import fold, nfc, slugify

from ..images import clean_photo
from ..models import (
    ApprovalChain,
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    Photo,
    Role,
    Section,
    Tag,
    TaggedArticle,
)
from ..roles import (
    ACCOUNTANTS,
    EDITORS,
    EDITORS_IN_CHIEF,
    MANAGING_EDITORS,
    MODERATORS,
    REPORTERS,
    SECTION_HEADS,
)
from ..search import search_document, terms
from ..search.document import document_words
from .stories import STORIES

DEMO_KEY_PREFIX = "demo:"
BULK_KEY_PREFIX = "bulk:"
PHOTO_SIZE = (1200, 800)
BULK_BATCH_SIZE = 2000

SECTIONS = [
    "Thời sự",
    "Kinh tế",
    "Xã hội",
    "Văn hóa - Giải trí",
    "Thể thao",
    "An ninh - Trật tự",
    "Nông nghiệp",
    "Giáo dục",
]

CONTRIBUTORS = [
    # real name, pen name (printed in bylines when set), demo account
    ("Trần Quốc Bảo", "Quốc Bảo", "phongvien"),
    ("Lê Thị Hạnh", "Hạnh Lê", "bientap"),
    ("Nguyễn Minh Tâm", "Minh Tâm", None),
    ("Phạm Ngọc Diệp", "", None),
    ("Võ Thanh Phong", "Thanh Phong", None),
    ("Huỳnh Kim Ngân", "", None),
    ("Đặng Văn Lực", "Đ.V.L", None),
    ("Đoàn Mỹ Linh", "Mỹ Linh", None),
    ("Nguyễn Hữu Đức", "Hữu Đức", None),
]



@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    group: str | None = None
    superuser: bool = False
    also: tuple = ()  # other groups: the managing editor is an editor too


# Known passwords, printed by the command: for development machines only.
ACCOUNTS = [
    DemoAccount("admin", _("Quản trị viên"), "demo-admin-2026", superuser=True),
    DemoAccount("phongvien", _("Phóng viên"), "demo-phongvien-2026", REPORTERS),
    DemoAccount("bientap", _("Biên tập viên"), "demo-bientap-2026", EDITORS),
    DemoAccount("kiemduyet", _("Kiểm duyệt bình luận"), "demo-kiemduyet-2026", MODERATORS),
    DemoAccount("ketoan", _("Kế toán"), "demo-ketoan-2026", ACCOUNTANTS),
    DemoAccount("truongban", _("Trưởng ban"), "demo-truongban-2026", SECTION_HEADS),
    DemoAccount("thuky", _("Thư ký tòa soạn"), "demo-thuky-2026", MANAGING_EDITORS,
                also=(EDITORS,)),
    DemoAccount("tongbientap", _("Tổng biên tập"), "demo-tongbientap-2026", EDITORS_IN_CHIEF,
                also=(EDITORS,)),
]

# Approval chains (duyệt nhiều cấp): section, then its levels (group, label).
CHAINS = [
    ("Thời sự", [(SECTION_HEADS, "Trưởng ban"), (MANAGING_EDITORS, "Thư ký tòa soạn"),
                 (EDITORS_IN_CHIEF, "Tổng biên tập")]),
    ("Thể thao", [(SECTION_HEADS, "Trưởng ban"), (MANAGING_EDITORS, "Thư ký tòa soạn")]),
]


# Sections, contributors, accounts ------------------------------------------


def ensure_sections():
    return [
        Section.objects.get_or_create(name=name, defaults={"order": order})[0]
        for order, name in enumerate(SECTIONS, start=1)
    ]


def ensure_contributors():
    """The demo contributors, keyed by the name printed in bylines."""
    contributors = {}
    for name, pen_name, _username in CONTRIBUTORS:
        contributor, _created = Contributor.objects.get_or_create(
            name=name, defaults={"pen_name": pen_name}
        )
        contributors[contributor.display_name] = contributor
    return contributors


def missing_accounts():
    usernames = [account.username for account in ACCOUNTS]
    existing = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    return [account for account in ACCOUNTS if account.username not in existing]


def ensure_accounts():
    """Create the missing demo accounts; never touch an existing one's password.

    Returns ``[(account, user, created)]`` in the order of ``ACCOUNTS``.
    """
    User = get_user_model()
    missing = {account.username for account in missing_accounts()}
    result = []
    for account in ACCOUNTS:
        if account.username in missing:
            manager = User.objects
            create = manager.create_superuser if account.superuser else manager.create_user
            user = create(
                username=account.username,
                email=f"{account.username}@example.com",
                password=account.password,
                is_staff=True,
            )
        else:
            user = User.objects.get(username=account.username)
        result.append((account, user, account.username in missing))
    return result


def link_contributors(contributors, users):
    """Give the reporter's and the editor's contributor profiles their accounts."""
    by_name = {contributor.name: contributor for contributor in contributors.values()}
    for name, _pen_name, username in CONTRIBUTORS:
        contributor, user = by_name[name], users.get(username)
        if user is None or contributor.user_id:
            continue
        if not Contributor.objects.filter(user=user).exists():
            contributor.user = user
            contributor.save(update_fields=["user"])


def setup_demo_groups(users):
    """Put the demo accounts in their role's group (made by a migration)."""
    for account in ACCOUNTS:
        for name in filter(None, (account.group, *account.also)):
            users[account.username].groups.add(Group.objects.get(name=name))


def ensure_chains():
    """A chain of three levels for "Thời sự", of two for "Thể thao" (once)."""
    for section_name, levels in CHAINS:
        section = Section.objects.filter(name=section_name).first()
        if section is None or ApprovalChain.objects.filter(name=section_name).exists():
            continue
        chain = ApprovalChain.objects.create(name=section_name)
        chain.sections.add(section)
        for position, (group, label) in enumerate(levels, start=1):
            chain.levels.create(position=position, group=Group.objects.get(name=group),
                                label=label)


# Generated photos ------------------------------------------------------------

# sky, ground, sun, what the picture shows (for its alt text)
PALETTES = [
    ((40, 110, 170), (60, 140, 80), (250, 210, 90),
     "trời xanh, mặt trời vàng, đồi xanh lá"),
    ((235, 150, 90), (120, 70, 60), (255, 235, 160),
     "trời cam lúc hoàng hôn, đồi nâu sẫm"),
    ((150, 200, 230), (30, 100, 120), (255, 255, 255),
     "trời xanh nhạt, mặt trời trắng, đồi xanh đậm"),
    ((90, 60, 140), (40, 40, 70), (240, 200, 230),
     "trời tím, trăng hồng nhạt, đồi sẫm màu"),
    ((200, 220, 170), (150, 120, 40), (240, 120, 60),
     "trời xanh lơ ngả vàng, mặt trời cam, đồi nâu"),
    ((60, 70, 90), (90, 150, 140), (230, 230, 120),
     "trời xám xanh, mặt trời vàng nhạt, đồi xanh rêu"),
]


def picture_bytes(palette, size=PHOTO_SIZE):
    """A JPEG of a simple landscape: a sky gradient, a sun and a line of hills."""
    sky, ground, sun, _description = palette
    width, height = size
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, ground), Image.new("RGB", size, sky), mask)
    draw = ImageDraw.Draw(image)
    radius = max(height // 7, 1)
    cx, cy = int(width * 0.72), int(height * 0.3)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=sun)
    hills = [(0, height), (0, int(height * 0.72)), (int(width * 0.3), int(height * 0.58)),
             (int(width * 0.62), int(height * 0.76)), (width, int(height * 0.62)), (width, height)]
    draw.polygon(hills, fill=tuple(channel // 2 for channel in ground))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


class PhotoPool:
    """Generated pictures, cleaned like uploads; one Photo per (picture, credit line)."""

    def __init__(self, size=PHOTO_SIZE):
        self.size = size
        self.files = {}
        self.photos = {}

    def photo(self, index, credit_line, creator=""):
        index %= len(PALETTES)
        key = (index, credit_line)
        if key not in self.photos:
            self.photos[key] = Photo.objects.create(
                image=self._file(index),
                alt_text=f"Ảnh minh họa: {PALETTES[index][3]}",
                caption="Ảnh minh họa.",
                creator=creator,
                credit_line=credit_line,
                copyright_notice=f"© {settings.NEWSROOM['NAME']}",
            )
        return self.photos[key]

    def _file(self, index):
        if index not in self.files:
            name = f"anh-minh-hoa-{index + 1}.jpg"
            upload = SimpleUploadedFile(
                name, picture_bytes(PALETTES[index], self.size), content_type="image/jpeg"
            )
            cleaned = clean_photo(upload)
            self.files[index] = (cleaned.name, cleaned.read())
        name, data = self.files[index]
        return ContentFile(data, name=name)


# Hand-written demo articles ----------------------------------------------------


def parse_byline(byline):
    """The credits of a byline written as printed, as ``[(role label, name)]``.

    "Tin, ảnh: Quốc Bảo", "Bài: A - Ảnh: B", "Bài: A, B" and "Theo TTXVN"
    (the source role, given as ``None``).
    """
    credits = []
    for part in byline.split(" - "):
        if part.startswith("Theo "):
            credits += [(None, name) for name in part.removeprefix("Theo ").split(", ")]
            continue
        labels, names = part.split(": ")
        for name in names.split(", "):
            for label in labels.split(", "):
                credits.append((label[:1].upper() + label[1:], name))
    return credits


def demo_articles_exist():
    return Article.objects.filter(import_key__startswith=DEMO_KEY_PREFIX).exists()


def _body_html(paragraphs):
    return "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def _publish_times(stories, now):
    """A published time for each published story, spread over the last 30 days."""
    published = [i for i, story in enumerate(stories) if "status" not in story]
    random.Random(2026).shuffle(published)  # mix the sections on every day
    step = timedelta(days=29) / max(len(published) - 1, 1)
    return {i: now - timedelta(minutes=15) - k * step for k, i in enumerate(published)}


def _story_times(story, published_at, now):
    """(published_at, updated_at) of a story: scheduled ones go out in two hours."""
    if story.get("status") == Article.Status.SCHEDULED:
        return now + timedelta(hours=2), None
    if published_at and "updated" in story:
        return published_at, min(published_at + timedelta(hours=story["updated"]), now)
    return published_at, None


def _add_photos(article, story, number, credits, pool):
    """A lead photo (and an inline one after paragraph 2) credited like the byline."""
    photographers = [name for role, _c, name in credits if role.is_photo]
    sources = [name for role, _c, name in credits if role.is_source]
    credit_line = f"Ảnh: {', '.join(photographers or sources or ['Tư liệu'])}"
    creator = ", ".join(photographers)
    ArticlePhoto.objects.create(
        article=article, photo=pool.photo(number, credit_line, creator), is_lead=True,
        caption=story["caption"],
    )
    if "inline" in story:
        ArticlePhoto.objects.create(
            article=article, photo=pool.photo(number + 3, credit_line, creator),
            after_paragraph=2, caption=story["inline"], order=1,
        )


def create_demo_articles(contributors, users, photo_size=PHOTO_SIZE):
    """Create the hand-written demo articles; returns them."""
    now = timezone.now()
    sections = {section.name: section for section in Section.objects.filter(name__in=SECTIONS)}
    roles = {role.label: role for role in Role.objects.all()}
    source_role = Role.objects.filter(is_source=True).order_by("order").first()
    publish_times = _publish_times(STORIES, now)
    pool = PhotoPool(photo_size)
    articles = []
    for number, story in enumerate(STORIES):
        credits = [
            (roles[label] if label else source_role, contributors.get(name), name)
            for label, name in parse_byline(story["byline"])
        ]
        author = next((c.user for _r, c, _n in credits if c and c.user_id), users["phongvien"])
        published_at, updated_at = _story_times(story, publish_times.get(number), now)
        state = story.get("status", Article.Status.PUBLISHED)
        article = Article.objects.create(
            headline=story["headline"],
            kicker=story.get("kicker", ""),
            lead=story["lead"],
            body=_body_html(story["body"]),
            section=sections[story["section"]],
            kind=story.get("kind", Article.Kind.NEWS),
            status=state,
            published_at=published_at,
            first_published_at=published_at if state == Article.Status.PUBLISHED else None,
            updated_at=updated_at,
            created_by=author,
            import_key=f"{DEMO_KEY_PREFIX}{number + 1}",
        )
        Credit.objects.bulk_create(
            Credit(article=article, role=role, contributor=contributor,
                   name="" if contributor else name, order=order)
            for order, (role, contributor, name) in enumerate(credits)
        )
        article.tags.add(*story["tags"])
        _add_photos(article, story, number, credits, pool)
        article.record_revision(author)
        articles.append(article)
    return articles


# Bulk filler articles for benchmarks ---------------------------------------------


def _words(*phrases):
    return [nfc(phrase) for phrase in phrases]


BULK_SUBJECTS = _words(
    "UBND tỉnh", "UBND xã", "UBND phường", "Sở Nông nghiệp và Môi trường", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Công an tỉnh", "Tỉnh đoàn", "Hội Nông dân tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh", "Ban quản lý dự án", "hợp tác xã", "các doanh nghiệp",
    "nhiều hộ dân", "lực lượng chức năng", "ngành điện lực", "Liên đoàn Lao động tỉnh",
)
BULK_ACTIONS = _words(
    "triển khai", "đẩy mạnh", "hoàn thành", "khởi công", "tổ chức", "hỗ trợ", "kiểm tra",
    "tuyên truyền về", "ra quân thực hiện", "nhân rộng", "ký kết", "bàn giao", "tổng kết",
    "phát động", "rà soát", "đầu tư", "phát triển",
)
BULK_TOPICS = _words(
    "mô hình trồng dừa hữu cơ", "công trình nước sạch", "tuyến đường giao thông nông thôn",
    "chương trình khuyến học", "kế hoạch phòng chống xâm nhập mặn",
    "đợt cao điểm bảo đảm an toàn giao thông", "hội thi văn nghệ quần chúng",
    "dự án nhà ở xã hội", "lớp tập huấn kỹ thuật nuôi tôm", "giải bóng đá thiếu niên",
    "phiên chợ nông sản an toàn", "chiến dịch tiêm chủng mở rộng",
    "phong trào hiến máu tình nguyện",
    "mô hình chuyển đổi số ở ấp", "chương trình mỗi xã một sản phẩm", "cầu giao thông nông thôn",
    "vùng trồng sầu riêng đạt chuẩn", "kế hoạch chỉnh trang đô thị", "lễ hội văn hóa truyền thống",
    "đợt khám bệnh miễn phí cho người cao tuổi", "chương trình sữa học đường",
    "hệ thống camera giám sát an ninh", "mô hình nuôi cá trong mương vườn",
    "dự án kè chống sạt lở bờ sông", "phong trào xây dựng gia đình văn hóa",
    "công tác đảm bảo an ninh trật tự", "nông nghiệp công nghệ cao",
)
BULK_PLACES = _words(
    "tại xã An Hòa", "ở phường Bến Sông", "trên địa bàn xã Thạnh Lợi", "tại các xã cù lao",
    "ở vùng ven biển", "tại xã Mỹ Xuân", "trong toàn tỉnh", "ở phường An Lạc", "tại xã Long Điền",
    "tại xã Phú Mỹ", "ở khu công nghiệp Giao Long Tây", "dọc sông Vàm Rạch",
)
BULK_TIMES = _words(
    "trong năm nay", "từ đầu tháng", "trong quý tới", "ngay từ đầu mùa khô", "trong dịp cuối năm",
    "trong tuần qua", "giai đoạn 2026-2030", "trong những ngày tới", "từ đầu năm đến nay",
)
BULK_SOURCES = _words(
    "lãnh đạo địa phương", "ban tổ chức", "đại diện sở", "nhiều người dân", "cơ quan chức năng",
    "các chuyên gia", "chính quyền xã",
)
BULK_RESULTS = _words(
    "được người dân đồng tình ủng hộ", "vượt kế hoạch đề ra", "mang lại hiệu quả thiết thực",
    "góp phần nâng cao thu nhập cho bà con", "cần được nhân rộng trong thời gian tới",
    "còn một số khó khăn cần tháo gỡ", "giúp cải thiện rõ đời sống người dân",
    "bảo đảm đúng tiến độ và chất lượng", "thu hút đông đảo người dân tham gia",
)
BULK_TAGS = _words(
    "dừa", "nông nghiệp", "giao thông", "giáo dục", "y tế", "an sinh xã hội", "du lịch",
    "xây dựng nông thôn mới", "chuyển đổi số", "xâm nhập mặn", "an toàn giao thông", "OCOP",
    "thanh niên", "phụ nữ", "môi trường", "văn hóa", "thể thao", "doanh nghiệp", "đầu tư công",
    "cải cách hành chính", "xuất khẩu", "cù lao", "thủy sản", "khuyến học",
)


def _capitalize(text):
    return text[:1].upper() + text[1:]


def _statement(rng):
    return _capitalize(
        f"{rng.choice(BULK_SUBJECTS)} {rng.choice(BULK_ACTIONS)} {rng.choice(BULK_TOPICS)} "
        f"{rng.choice(BULK_PLACES)} {rng.choice(BULK_TIMES)}."
    )


def _assessment(rng):
    return f"Theo {rng.choice(BULK_SOURCES)}, {rng.choice(BULK_TOPICS)} {rng.choice(BULK_RESULTS)}."


def _paragraph(rng):
    sentences = [_statement(rng) if rng.random() < 0.6 else _assessment(rng)
                 for _i in range(rng.randint(2, 4))]
    return html.escape(" ".join(sentences), quote=False)


def bulk_article(rng, number, section_ids, published_at):
    """One filler article, ready for ``bulk_create`` (which skips ``save()``)."""
    headline = _capitalize(
        f"{rng.choice(BULK_ACTIONS)} {rng.choice(BULK_TOPICS)} {rng.choice(BULK_PLACES)}"
    )
    body = "".join(f"<p>{_paragraph(rng)}</p>" for _i in range(rng.randint(3, 6)))
    lead = f"{_statement(rng)} {_assessment(rng)}"
    return Article(
        headline=headline,
        slug=slugify(headline, max_length=200) or "bai-viet",
        headline_folded=fold(headline)[:250],
        lead=lead,
        body=body,
        search_text=search_document(headline, lead, body),
        section_id=rng.choice(section_ids),
        kind=Article.Kind.ARTICLE if rng.random() < 0.2 else Article.Kind.NEWS,
        status=Article.Status.PUBLISHED,
        published_at=published_at,
        first_published_at=published_at,
        import_key=f"{BULK_KEY_PREFIX}{number}",
    )


def bulk_credits(rng, article, contributor_ids, roles, source_role):
    """Credits in the usual shapes: "Tin: A", "Tin, ảnh: A", "Bài: A - Ảnh: B", "Theo TTXVN"."""
    shape = rng.random()
    first, second = rng.sample(contributor_ids, 2)
    if shape < 0.05:
        specs = [(source_role, None, "TTXVN")]
    elif shape < 0.6:
        specs = [(roles["Tin"], first, "")]
    elif shape < 0.8:
        specs = [(roles["Tin"], first, ""), (roles["Ảnh"], first, "")]
    else:
        specs = [(roles["Bài"], first, ""), (roles["Ảnh"], second, "")]
    return [
        Credit(article=article, role=role, contributor_id=contributor_id, name=name,
               order=order)
        for order, (role, contributor_id, name) in enumerate(specs)
    ]


def ensure_bulk_tags():
    existing = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=BULK_TAGS)}
    return [existing.get(name) or Tag.objects.create(name=name).pk for name in BULK_TAGS]


def create_bulk_articles(count, batch_size=BULK_BATCH_SIZE, progress=None):
    """Add ``count`` published filler articles with credits and tags, in batches.

    Uses ``bulk_create``, so everything ``Article.save()`` would do is done
    here: slug, folded headline, NFC text, safe ``<p>`` body, publish times.
    Django caps each INSERT at the database's variable limit (SQLite), so
    ``batch_size`` only sets how many rows go into one transaction.
    """
    section_ids = list(Section.objects.values_list("pk", flat=True))
    contributor_ids = list(Contributor.objects.values_list("pk", flat=True))
    roles = {role.label: role for role in Role.objects.all()}
    source_role = Role.objects.filter(is_source=True).order_by("order").first()
    tag_ids = ensure_bulk_tags()
    section_names = dict(Section.objects.values_list("pk", "name"))
    tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    contributor_names = {
        contributor.pk: contributor.display_name for contributor in Contributor.objects.all()
    }
    start = Article.objects.filter(import_key__startswith=BULK_KEY_PREFIX).count()
    rng = random.Random(start)
    now = timezone.now()
    # About a hundred articles a day, going back at least a month.
    span = max(timedelta(days=30), timedelta(days=count / 100)).total_seconds()
    # Oldest first, as a paper publishes and an archive is imported: the table's
    # physical order then follows publication time, as it does in production.
    ages = sorted((rng.uniform(60, span) for _i in range(count)), reverse=True)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        articles = [
            bulk_article(rng, start + done + i + 1, section_ids,
                         now - timedelta(seconds=ages[done + i]))
            for i in range(size)
        ]
        credits, tagged, counts = [], [], Counter()
        for article in articles:
            own_credits = bulk_credits(rng, article, contributor_ids, roles, source_role)
            own_tags = rng.sample(tag_ids, rng.randint(1, 4))
            credits += own_credits
            tagged += [TaggedArticle(content_object=article, tag_id=tag_id) for tag_id in own_tags]
            # What Article.search_labels() gives once the rows exist.
            labels = [section_names[article.section_id]]
            labels += sorted(tag_names[tag_id] for tag_id in own_tags)
            labels += [credit.name or contributor_names[credit.contributor_id]
                       for credit in own_credits]
            article.search_text = search_document(
                article.headline, article.lead, article.body, labels
            )
            counts.update(document_words(article.search_text))
        with transaction.atomic():
            Article.objects.bulk_create(articles, batch_size=batch_size)
            Credit.objects.bulk_create(credits, batch_size=batch_size)
            TaggedArticle.objects.bulk_create(tagged, batch_size=batch_size)
            terms.add_counts(counts)
        done += size
        if progress:
            progress(done, count)
    return done
