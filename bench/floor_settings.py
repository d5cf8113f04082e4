"""Settings for bench/http_bench.py: the project's own, plus the floor view.

The floor is a plain Django view that returns the bytes of a saved article page
(``NEWSROOM_BENCH_FLOOR_FILE``) through the same middleware as every page:
what any Django page costs before our own work. Never used outside the bench.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
