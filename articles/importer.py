"""Import articles from the paper's plain-text export.

The format, one article per file, paragraphs separated by blank lines::

    Headline
    10/01/2020 - 13:04                  (local time of the site)
    BDK.VN - The lead, after the source tag.
    Caption of the lead photo.
    Caption of the lead photo.          (the export repeats it)
    Body paragraph…
    Tin, ảnh: Trần Quốc                 (byline lines)
    Chia sẻ bài viết                    (site chrome, dropped)

``parse_article_text`` reads the text without touching the database (except
to list the role labels when none are given); ``save_parsed`` writes it, and
``publish_imported`` publishes it through the editorial workflow.
"""

import codecs
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from newsroom.text import fold, nfc, slugify

from .images import clean_photo
from .models import Article, ArticlePhoto, Contributor, Credit, Photo, Revision, Role
from .tagging import check_tag_names

DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\s*(?:[-–—]\s*)?(\d{1,2}):(\d{2})")
DASH_RE = re.compile(r"\s+[-–—]\s+")
TAG_DASH_RE = re.compile(r"\s+[-–—](?:\s+|$)")
SPACES_RE = re.compile(r"[\s\u00a0\u202f]+")
INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u200c\u200d\u2060")
LABEL_SEPARATORS = re.compile(r"\s*(?:,|&|/|\bvà\b)\s*")
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\bvà\b)\s*")
SOURCE_RE = re.compile(r"[Tt]heo\s+(.+)")
COUNTER_RE = re.compile(r"\s*\(\d+\)$")

# Site chrome the export copies after the article, compared folded.
CHROME = {
    "chia se", "chia se bai viet", "binh luan", "gui binh luan", "viet binh luan",
    "y kien ban doc", "tin lien quan", "bai viet lien quan", "tin cung chuyen muc",
    "tin khac", "xem them", "in bai viet", "len dau trang", "ve dau trang", "quay lai",
}
# The article kind follows the first credited role, when it names one.
KIND_BY_ROLE = {"tin": Article.Kind.NEWS, "bai": Article.Kind.ARTICLE}
MAX_TAG_LENGTH = 30
MAX_NAME_LENGTH = 80
NOTE_LENGTH = Revision._meta.get_field("note").max_length


class ArticleImportError(Exception):
    """A file that cannot be imported, with the line where the problem is."""

    def __init__(self, filename, line, message):
        super().__init__(message)
        self.filename = filename
        self.line = line
        self.message = message


@dataclass
class Paragraph:
    line: int
    text: str


@dataclass
class ParsedCredit:
    role: str  # a Role label as stored; "" for a "Theo X" source
    name: str
    line: int
    is_source: bool = False


@dataclass
class ParsedArticle:
    filename: str
    headline: str
    published_at: datetime
    lead: str
    source_tag: str = ""
    caption: str = ""
    paragraphs: list[str] = field(default_factory=list)
    credits: list[ParsedCredit] = field(default_factory=list)

    @property
    def body(self):
        return "".join(f"<p>{escape(text)}</p>" for text in self.paragraphs)

    @property
    def import_key(self):
        """Local publish minute and headline slug: stable across file renames,
        NFC/NFD, case and punctuation, so a re-import finds the same article."""
        return f"text:{self.published_at:%Y%m%d%H%M}:{slugify(self.headline)}"[:250]


def decode_article_bytes(data, filename):
    """UTF-8 (with or without BOM), or UTF-16 with a BOM as Windows saves it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleImportError(
            filename, line, _("Tệp không phải văn bản UTF-8 (byte không đọc được).")
        ) from None


def clean_line(line):
    return SPACES_RE.sub(" ", line.translate(INVISIBLE)).strip()


def split_paragraphs(lines, first_line):
    """Group non-blank lines into paragraphs; ``first_line`` numbers lines[0]."""
    paragraphs, current = [], None
    for number, line in enumerate(lines, start=first_line):
        if not line:
            current = None
        elif current is None:
            current = Paragraph(number, line)
            paragraphs.append(current)
        else:
            current.text += " " + line
    return paragraphs


def is_chrome(text):
    return COUNTER_RE.sub("", fold(text)).strip(" :.!|>»") in CHROME


def looks_like_name(text):
    """A person or agency as bylines print it: short, starting with a capital."""
    return (
        0 < len(text) <= MAX_NAME_LENGTH
        and len(text.split()) <= 6
        and (text[0].isupper() or text[0].isdigit())
        and not re.search(r"[,;:!?]|\.$", text)
    )


def split_source_tag(lead):
    """Split "BDK.VN - Lead…" into ("BDK.VN", "Lead…").

    A tag is a parenthesised token ("(Dân trí)"), up to three all-capital
    words ("TTXVN", "TP.HCM"), or one word with a dot or two capitals
    ("VnExpress", "VTV.vn"). Anything else, such as "Sáng 10-1, ông A - …" or
    "Nguyễn Văn A - …", is real text and stays in the lead.
    """
    parts = TAG_DASH_RE.split(lead, maxsplit=1)
    if len(parts) < 2:
        return "", lead
    tag, rest = parts
    words = tag.split()
    if len(tag) > MAX_TAG_LENGTH or re.search(r"[,;:!?]", tag):
        return "", lead
    bracketed = re.fullmatch(r"\([^()]+\)", tag)
    all_caps = len(words) <= 3 and all(word.isupper() for word in words)
    one_word = (
        len(words) == 1
        and tag[0].isupper()
        and ("." in tag or sum(ch.isupper() for ch in tag) >= 2)
    )
    if bracketed or all_caps or one_word:
        return tag, rest
    return "", lead


def parse_byline(text, line, role_labels):
    """The credits of one byline line, or None when the line is not a byline.

    Understands "Tin, ảnh: A", "Bài: A - Ảnh: B", "Bài: A, B" and "Theo TTXVN";
    ``role_labels`` maps folded labels to stored ones ("anh" -> "Ảnh").
    """
    credits = []
    for segment in DASH_RE.split(text.rstrip(".")):
        source = SOURCE_RE.fullmatch(segment)
        if source and looks_like_name(source.group(1)):
            credits.append(ParsedCredit("", source.group(1), line, is_source=True))
            continue
        labels, colon, names = segment.partition(":")
        roles = [role_labels.get(fold(label)) for label in LABEL_SEPARATORS.split(labels)]
        names = NAME_SEPARATORS.split(names.strip())
        if not colon or None in roles or not all(looks_like_name(name) for name in names):
            return None
        credits.extend(ParsedCredit(role, name, line) for name in names for role in roles)
    return credits


def split_tail(paragraphs, role_labels):
    """Drop trailing site chrome and take the byline lines at the end."""
    credits, end = [], len(paragraphs)
    while end:
        paragraph = paragraphs[end - 1]
        if not is_chrome(paragraph.text):
            found = parse_byline(paragraph.text, paragraph.line, role_labels)
            if found is None:
                break
            credits[:0] = found
        end -= 1
    return paragraphs[:end], credits


def parse_datetime(match):
    day, month, year, hour, minute = (int(part) for part in match.groups())
    naive = datetime(year, month, day, hour, minute)  # ValueError for 32/13
    return timezone.make_aware(naive, timezone.get_default_timezone())


def default_role_labels():
    return list(Role.objects.values_list("label", flat=True))


def parse_article_text(text, filename, role_labels=None):
    """Parse one exported article; raises ``ArticleImportError`` with a line."""
    if role_labels is None:
        role_labels = default_role_labels()
    role_labels = {fold(label): label for label in role_labels}
    lines = [clean_line(line) for line in nfc(text).splitlines()]
    header = [(number, line) for number, line in enumerate(lines, start=1) if line][:2]
    if not header:
        raise ArticleImportError(filename, 1, _("Tệp trống."))
    headline_line, headline = header[0]
    if DATE_RE.fullmatch(headline):
        raise ArticleImportError(filename, headline_line, _("Thiếu tít: dòng đầu là ngày giờ."))
    if len(headline) > Article._meta.get_field("headline").max_length:
        raise ArticleImportError(filename, headline_line, _("Tít quá dài."))
    if len(header) < 2:
        raise ArticleImportError(
            filename, headline_line + 1, _("Thiếu dòng ngày giờ dạng dd/mm/YYYY - HH:MM.")
        )
    date_line, date_text = header[1]
    match = DATE_RE.fullmatch(date_text)
    if not match:
        raise ArticleImportError(
            filename, date_line,
            _("Thiếu dòng ngày giờ dạng dd/mm/YYYY - HH:MM, gặp “%(text)s”.") % {"text": date_text},
        )
    try:
        published_at = parse_datetime(match)
    except ValueError:
        raise ArticleImportError(
            filename, date_line, _("Ngày giờ không hợp lệ: “%(text)s”.") % {"text": date_text}
        ) from None

    paragraphs = split_paragraphs(lines[date_line:], first_line=date_line + 1)
    paragraphs, credits = split_tail(paragraphs, role_labels)
    if not paragraphs:
        raise ArticleImportError(filename, date_line + 1, _("Thiếu sapo sau dòng ngày giờ."))
    source_tag, lead = split_source_tag(paragraphs[0].text)
    if not lead:
        raise ArticleImportError(filename, paragraphs[0].line, _("Sapo trống."))
    rest = [paragraph.text for paragraph in paragraphs[1:]]
    caption = ""
    if len(rest) >= 2 and rest[0] == rest[1]:
        caption, rest = rest[0], rest[2:]
    return ParsedArticle(
        filename=filename, headline=headline, published_at=published_at, lead=lead,
        source_tag=source_tag, caption=caption, paragraphs=rest, credits=credits,
    )


def find_contributor(name, people):
    """The contributor called ``name`` (real or pen name): an exact,
    case-insensitive match first, then one that differs only in accents."""
    for key in (str.casefold, fold):
        wanted = key(name)
        for person in people:
            if wanted in (key(person.name), key(person.pen_name)):
                return person
    return None


def save_credits(article, parsed):
    """Replace the article's credits; returns the names credited for photos."""
    article.credits.all().delete()
    roles = {fold(role.label): role for role in Role.objects.all()}
    source_role = next((role for role in roles.values() if role.is_source), None)
    people = list(Contributor.objects.order_by("pk"))
    photo_credits = []
    for order, credit in enumerate(parsed.credits):
        role = source_role if credit.is_source else roles.get(fold(credit.role))
        if role is None:
            raise ArticleImportError(
                parsed.filename, credit.line,
                _("Không có vai trò “%(role)s” để ghi công.") % {"role": credit.role or _("Nguồn")},
            )
        contributor = None
        if not role.is_source:
            contributor = find_contributor(credit.name, people)
            if contributor is None:
                contributor = Contributor.objects.create(name=credit.name)
                people.append(contributor)
            if role.is_photo:
                photo_credits.append((role, contributor.display_name))
        Credit.objects.create(
            article=article, contributor=contributor, role=role, order=order,
            name="" if contributor else credit.name,
        )
    return photo_credits


def same_image(photo, content):
    try:
        if photo.image.size != content.size:
            return False
        with photo.image.open("rb") as stored:
            same = stored.read() == content.read()
    except OSError:  # the stored file is gone
        return False
    content.seek(0)
    return same


def save_lead_photo(article, parsed, content, photo_credits):
    """Make the clean image the lead photo, reusing the current one when it is
    the same image (a re-import), so the library does not fill with copies."""
    names = list(dict.fromkeys(name for _role, name in photo_credits))
    details = {
        "alt_text": parsed.caption[:250],
        "caption": parsed.caption,
        "creator": ", ".join(names)[:150],
        "credit_line": f"{photo_credits[0][0].label}: {', '.join(names)}"[:200] if names else "",
    }
    current = article.lead_photo_use()
    if current and same_image(current.photo, content):
        photo = current.photo
        for name, value in details.items():
            setattr(photo, name, value)
        photo.save()
    else:
        photo = Photo.objects.create(image=content, **details)
    article.photo_uses.filter(is_lead=True).delete()
    ArticlePhoto.objects.create(article=article, photo=photo, is_lead=True, caption=parsed.caption)


@transaction.atomic
def save_parsed(parsed, section=None, photo=None, tags=None):
    """Create or update the article imported from ``parsed``; all or nothing.

    - ``section``: set when given; an update without one keeps the section.
    - A new article is a draft, with the file's time as its intended time; an
      update keeps its status, so a re-import never unpublishes. Publishing is
      ``publish_imported``, through the workflow.
    - ``photo``: an image file, validated and re-encoded by ``clean_photo``
      (``ValidationError`` if unusable), becomes the lead photo with the
      caption. Without it the caption goes to the current lead photo, if any.
    - ``tags``: tag names that replace the article's tags, checked as the
      admin's tag field checks them (``ValidationError`` for a name too long);
      without them an update keeps its tags.
    Credits are replaced; photos used inline are left as they are.
    """
    content = clean_photo(photo) if photo is not None else None
    tags = check_tag_names(tags) if tags is not None else None
    # Locked, so an admin save cannot land between this read and the write.
    article = Article.objects.select_for_update().filter(import_key=parsed.import_key).first()
    created = article is None
    if created:
        article = Article(import_key=parsed.import_key)  # a draft
    article.headline = parsed.headline
    article.source_tag = parsed.source_tag
    article.lead = parsed.lead
    article.body = parsed.body
    article.published_at = parsed.published_at
    if parsed.credits and not parsed.credits[0].is_source:
        article.kind = KIND_BY_ROLE.get(fold(parsed.credits[0].role), article.kind)
    if section is not None:
        article.section = section
    article.save()
    if not created:  # a change form opened before the import is stale
        Article.objects.filter(pk=article.pk).bump_version()
        article.refresh_from_db(fields=["version"])
    if tags is not None:
        article.tags.set(tags)
    photo_credits = save_credits(article, parsed)
    if content is not None:
        save_lead_photo(article, parsed, content, photo_credits)
    elif parsed.caption:
        article.photo_uses.filter(is_lead=True).update(caption=parsed.caption)
    note = _("Nhập từ tệp %(file)s") % {"file": Path(parsed.filename).name}
    if len(note) > NOTE_LENGTH:  # a long file name: the note is a label, not content
        note = note[: NOTE_LENGTH - 1] + "…"
    article.record_revision(None, note=note)
    return article


COMMAND = "import_article"


def publish_imported(article, filename):
    """Publish an imported article at its file's time (a time still ahead
    schedules it) through the workflow's own transitions, recorded as done by
    the import command, with the publish gates. Raises ``WorkflowError``
    (``PublishBlocked`` lists every failed gate) and changes nothing then: the
    imported article stays as it was saved. Returns the Events made (none
    when the article was already published)."""
    note = _("Nhập từ tệp %(file)s") % {"file": filename}
    return article.publish_by_command(COMMAND, note, at=article.published_at)
