"""The word list a new install starts with (loaded by the migration
``0003_default_words``; ``manage.py load_default_words`` adds entries a later
release brings, never one a moderator deleted).

Two lists, the same as the admin's:

- BANNED, the comment is refused: sexual obscenities, the phrases built on
  them, their abbreviations and teencode spellings. None of them is an
  ordinary word once its accents are right ("lồn" is not "lớn", "buồi" is not
  "buổi"), and an unaccented match is only ever held (comments/rules.py).
- SUSPECT, the comment is held for a moderator: insults, slurs and vulgar
  words that a reader may also use fairly ("ngu" in "ngu dân", "óc chó" the
  walnut), so a person decides.

Left out on purpose, because they are everyday words, names or units: "chó"
and "bò" alone (animals), "mọi" (every), "vãi" (to sow), "cl" (Champions
League), "ml" (millilitre), "dell" (a brand), "lol", "đù" alone ("đù đờ"),
"Nam Kỳ"/"Bắc Kỳ" (history, street names).
"""

import unicodedata
from functools import lru_cache

BANNED = [
    # Words
    "lồn", "cặc", "buồi", "đụ", "địt", "đéo", "đĩ", "nứng",
    # Phrases built on them
    "địt mẹ", "địt mẹ mày", "địt con mẹ", "địt con mẹ mày", "địt bố", "địt cụ",
    "đụ má", "đụ mẹ", "đụ má mày", "đụ mẹ mày", "đụ con mẹ", "đụ con mẹ mày",
    "đéo mẹ", "đéo biết", "đéo hiểu",
    "vãi lồn", "vãi cả lồn", "vãi cặc", "vãi cả cặc", "vãi buồi",
    "cái lồn", "con lồn", "mặt lồn", "óc lồn", "lồn má", "lồn mẹ", "bú lồn", "liếm lồn",
    "con cặc", "cái cặc", "đầu cặc", "bú cặc", "cặc mẹ", "mặt cặc",
    "đầu buồi", "bú buồi", "cái buồi",
    "con đĩ", "đồ đĩ", "đĩ điếm", "đĩ chó", "nứng lồn",
    # Abbreviations and teencode (comments/vocabulary.py TEENCODE reads
    # "đm", "vcl", "cc"… by the phrases they stand for)
    "loz", "lìn", "kặc", "đjt", "djt", "đụ mạ", "đờ mờ", "vkl", "vcl", "đmm", "đkm",
    # English
    "fuck", "fucking", "fucker", "motherfucker", "cunt",
]

SUSPECT = [
    # Insults
    "ngu", "đồ ngu", "thằng ngu", "con ngu", "ngu như bò", "ngu như chó", "ngu dốt",
    "óc chó", "đồ chó", "thằng chó", "con chó cái", "chó má", "chó chết", "chó đẻ",
    "súc vật", "súc sinh", "khốn nạn", "thằng khốn", "mất dạy", "vô học", "mất nết",
    "đần", "đần độn", "óc lợn", "óc bò", "não phẳng", "não tàn", "thiểu năng",
    "rác rưởi", "đồ rác rưởi", "đồ điên", "thằng điên", "con điên", "thằng hâm",
    "câm mồm", "im mồm", "câm miệng", "cút đi", "biến đi cho khuất mắt",
    "đồ con hoang", "mẹ mày", "bố mày", "con mẹ nó", "cmn", "đù má", "đệch", "đếch",
    "cứt", "ăn cứt", "vãi đái", "điếm", "cave", "chịch", "đồ ăn hại",
    # Slurs (ethnic, regional, political, against gay people)
    "mọi rợ", "đồ mọi", "thằng mọi", "bọn mọi", "đồ mán", "bọn mán", "tàu khựa", "khựa",
    "ba que", "3 que", "bò đỏ", "parky", "bắc kỳ chó", "nam kỳ chó", "bê đê", "pê đê",
    # English
    "bitch", "shit", "bullshit", "asshole", "pussy",
]


def _key(text):
    return unicodedata.normalize("NFC", text).strip().casefold()


def entries():
    """[(text, list)…] of the default list, NFC, in the order above."""
    return [(unicodedata.normalize("NFC", t), "banned") for t in BANNED] + [
        (unicodedata.normalize("NFC", t), "suspect") for t in SUSPECT
    ]


@lru_cache(maxsize=1)
def _default_keys():
    return frozenset(_key(text) for text, _kind in entries())


def is_default(text):
    return _key(text) in _default_keys()


def load(word_model, removed_model, include_removed=False):
    """Add the default words the table lacks; ``word_model`` and
    ``removed_model`` are Word and RemovedWord (the migration passes its
    historical models). A word already there, in either list and in any
    case, is left as the moderator set it; a word a moderator removed
    (RemovedWord) is skipped unless ``include_removed``, which also forgets
    its removal. Returns the number of words added."""
    present = {_key(text) for text in word_model.objects.values_list("text", flat=True)}
    removed = {_key(text) for text in removed_model.objects.values_list("text", flat=True)}
    new = []
    for text, kind in entries():
        key = _key(text)
        if key in present or (key in removed and not include_removed):
            continue
        present.add(key)
        new.append(word_model(text=text, list=kind))
    word_model.objects.bulk_create(new)
    if include_removed:
        removed_model.objects.all().delete()
    return len(new)


def remember_removal(sender, instance, **kwargs):
    """Receiver of Word's post_delete: a default word a moderator deleted is
    recorded, so loading the defaults again skips it."""
    from .models import RemovedWord

    if is_default(instance.text):
        RemovedWord.objects.get_or_create(text=instance.text)


def remember_rename(sender, instance, raw=False, **kwargs):
    """Receiver of Word's pre_save: renaming a default word removes it too."""
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("text", flat=True).first()
    if old is not None and old != instance.text:
        remember_removal(sender, sender(text=old))
