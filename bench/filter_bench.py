"""Reader text through the comment filter (security.md B7): the time to render
pathological inputs, which must stay under 100 ms each; then the time the
comment rules (comments/rules.py, with the default word list) take to judge
them and texts made of the evasions issue 14 lists, at the form's limit. A
figure to read, not a test: the tests check what the filter outputs, never how
long it takes.

    .venv/bin/python bench/filter_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from comments import default_words, rules  # noqa: E402
from comments.templatetags.comment_tags import comment_text  # noqa: E402

INPUTS = {
    "dotted URL, entities, brackets": "https://" + "a." * 20_000 + "&quot;" * 5_000 + "(" * 5_000,
    "one long word": "a" * 50_000,
    "many short lines": "x\n" * 25_000,
    "nested brackets": "[(" * 20_000,
}


def _at_limit(piece):
    limit = rules.max_length()
    return (piece * (limit // len(piece) + 1))[:limit]


# The comment rules read at most twice the form's limit (rules.scan_limit).
RULE_INPUTS = {
    **INPUTS,
    "Vietnamese prose": _at_limit("Bà con Cần Thơ đi cắt lúa từ buổi sáng, trời mưa to. "),
    "letters split by dots": _at_limit("đ.ị.t m.ẹ "),
    "spelled domains": _at_limit("g o o g l e . c o m "),
    "phones with letters": _at_limit("O9l2 345 678 "),
    "messaging links": _at_limit("t.me/abc zalo.me/0912 "),
    "single letters and spaces": _at_limit("a b "),
}


def judge(runs):
    # The default list, without a database: the lexicon the rules would build.
    lexicon = rules.Lexicon(default_words.entries())
    rules.word_lexicon = lambda stats=None: lexicon
    print(f"\ncomment rules (rules.check, {len(default_words.entries())} default words)")
    print(f"{'input':34} {'chars':>7} {'median ms':>10} {'max ms':>8}")
    for name, text in RULE_INPUTS.items():
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            rules.check(text, "Bạn đọc", mode="post")
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name:34} {len(text):>7} {statistics.median(timings):>10.1f} {max(timings):>8.1f}")


def main(runs=20):
    settings.NEWSROOM["COMMENTS_ALLOW_LINKS"] = True
    print(f"{'input':34} {'chars':>7} {'median ms':>10} {'max ms':>8}")
    for name, text in INPUTS.items():
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            comment_text(text)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name:34} {len(text):>7} {statistics.median(timings):>10.1f} {max(timings):>8.1f}")
    judge(runs)


if __name__ == "__main__":
    main()
