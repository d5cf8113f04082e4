"""Data for the comment rules (comments/rules.py): look-alike letters,
teencode, gambling vocabulary and the names only the newsroom may use.

Plain data, so a moderator's complaint ("they now write 'đkmm'") is a one-line
change here. Words the paper bans or suspects live in the database (Word),
editable in the admin; this module only holds what the rules need to *read*
obfuscated text and the spam signals that are not a matter of taste.
"""

# Letters from other scripts that look like Latin ones (UTS #39 confusables,
# the ones seen in practice), small capitals (U+1D00 block and friends) and
# IPA letters used as small capitals. Fullwidth and mathematical letters need
# no entry: NFKC already maps them.
LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "п": "n",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "У": "y", "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Small capitals
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴆ": "đ", "ᴇ": "e", "ꜰ": "f", "ɢ": "g",
    "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o",
    "ᴘ": "p", "ǫ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w",
    "ʏ": "y", "ᴢ": "z", "ᴁ": "ae", "ᴐ": "o", "ᴑ": "o", "ᴓ": "o",
    # Latin letters with a stroke or hook that pass for plain ones
    "ı": "i", "ł": "l", "ø": "o", "ƀ": "b", "ɗ": "đ", "ɖ": "đ",
}

# Digits and symbols standing in for letters inside a word ("l0n", "adm1n").
# "1" reads as "i" or "l": both are tried.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
LEET_ALTERNATIVES = {"1": "l"}

# Teencode, keyed by its folded form (no accents, "đ" -> "d"). Each code maps
# to the words it stands for and what to do when none of them is in the word
# lists: "hold" (the code itself is abuse) or None (only the list decides).
TEENCODE = {
    "dm": (("địt mẹ", "đụ mẹ", "đụ má", "đéo mẹ"), "hold"),
    "dmm": (("địt mẹ mày", "đụ mẹ mày", "đụ má mày"), "hold"),
    "dcm": (("địt con mẹ", "đụ con mẹ"), "hold"),
    "dcmm": (("địt con mẹ mày", "đụ con mẹ mày"), "hold"),
    "dkm": (("địt con mẹ", "đụ con mẹ"), "hold"),
    "dkmm": (("địt con mẹ mày", "đụ con mẹ mày"), "hold"),
    "dmcs": (("địt mẹ cộng sản",), "hold"),
    "vcl": (("vãi cả lồn", "vãi lồn"), "hold"),
    "vkl": (("vãi cả lồn", "vãi lồn"), "hold"),
    "vl": (("vãi lồn",), "hold"),
    "vcc": (("vãi cả cặc", "vãi cặc"), "hold"),
    "clgt": (("cái lồn gì thế",), "hold"),
    "cc": (("cặc",), "hold"),
    "clm": (("con lồn mẹ", "cái lồn mẹ"), "hold"),
    "cmm": (("con mẹ mày",), "hold"),
    "occho": (("óc chó",), "hold"),
}

# Gambling advertising. Hold-only, so accent-free matching is fine; typed
# with accents, a word must still be exact ("kéo" is not "kèo").
GAMBLING = [
    "nhà cái", "tài xỉu", "cá cược", "cá độ", "nổ hũ", "bắn cá", "đổi thưởng",
    "bắn cá đổi thưởng", "lô đề", "số đề", "đánh đề", "soi cầu", "soi kèo", "kèo",
    "kèo nhà cái", "tỷ lệ kèo", "casino", "đánh bài online", "game bài", "slot",
    "xóc đĩa", "bầu cua", "lô tô online", "nạp rút", "cược", "baccarat", "poker online",
    "kubet", "fb88", "w88", "789bet", "sv388", "jun88", "new88", "hi88", "f8bet",
    "shbet", "8kbet", "mb66", "okvip", "i9bet", "vn88", "188bet", "12bet", "fun88",
]

# Phrases that introduce a Zalo handle.
ZALO_PHRASES = ["zl", "za lo", "add zalo", "kết bạn zalo", "ib zalo", "inbox zalo", "liên hệ zalo"]

# Names only the newsroom uses, compared after folding and removing every
# space, separator and look-alike. Short ones must be the whole name (or a
# whole word of it): "bbt" must not refuse "Bbtuan". "Quản trị" alone is
# left out: folded, it is the given name "Quân Trí".
STAFF_NAMES = [
    "tòa soạn", "toà soạn", "ban biên tập", "biên tập viên", "quản trị viên", "ban quản trị",
    "administrator", "moderator", "thư ký tòa soạn", "phóng viên",
    "người kiểm duyệt", "kiểm duyệt viên",
]
STAFF_SHORT_NAMES = ["admin", "bbt", "btv", "qtv", "mod", "bqt", "pv"]

# Folded forms of listed words that are everyday words typed without accents
# ("di" is "đi", "du" is "du lịch", "buoi" is "buổi", "diem" is "điểm"): a
# lone plain word with one of these forms is never a folded match, even in a
# text written without accents. The list's word itself ("đĩ", "đụ", "buồi",
# "điếm"), a phrase or a disguised spelling still match. "lon" and "cac" are
# left to fold on purpose: alone and unaccented they are far more often the
# obscenity than "lớn" or "các".
EVERYDAY_FOLDED = frozenset({
    "di", "du", "deo", "buoi", "nung", "dan", "diem", "cut", "khua", "dech",
})
