"""A file storage that stops a rendition build half-way, once, for the kill test.

With ``NEWSROOM_TEST_PAUSE_FILE`` set, the first worker to write a second
rendition file of a photo creates that file (so the test knows it is there) and
sleeps until it is killed: at that moment one rendition is fully written and the
others are not. The file exists afterwards, so the next worker never pauses.
It pauses where a slow encode or a slow object store would keep a real worker.
"""

import os
import time

from newsroom.files import WholeFileSystemStorage

RENDITION_SUFFIXES = (".jpg", ".webp")


class PausingStorage(WholeFileSystemStorage):
    def path(self, name):
        path = super().path(name)
        marker = os.environ.get("NEWSROOM_TEST_PAUSE_FILE")
        if marker and name.startswith("renditions/") and name.endswith(RENDITION_SUFFIXES):
            folder = os.path.dirname(path)
            built = [f for f in os.listdir(folder) if f.endswith(RENDITION_SUFFIXES)] if (
                os.path.isdir(folder)
            ) else []
            if built and not os.path.exists(path):
                try:
                    os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    return path  # paused once already: this is the next worker
                while True:  # until SIGKILL
                    time.sleep(60)
        return path
