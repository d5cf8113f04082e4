"""Reader text through the comment filter (security.md B7): the time to render
pathological inputs, which must stay under 100 ms each. A figure to read, not a
test: the tests check what the filter outputs, never how long it takes.

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

from comments.templatetags.comment_tags import comment_text  # noqa: E402

INPUTS = {
    "dotted URL, entities, brackets": "https://" + "a." * 20_000 + "&quot;" * 5_000 + "(" * 5_000,
    "one long word": "a" * 50_000,
    "many short lines": "x\n" * 25_000,
    "nested brackets": "[(" * 20_000,
}


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


if __name__ == "__main__":
    main()
