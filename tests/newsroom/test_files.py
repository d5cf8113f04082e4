"""The local-disk storage writes whole files (newsroom/files.py)."""

import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import SimpleTestCase

from newsroom.files import WholeFileSystemStorage


class WholeFileSystemStorageTests(SimpleTestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-files-"))
        self.storage = WholeFileSystemStorage(location=self.root)

    def test_a_file_is_written_whole_and_readable_by_others(self):
        name = self.storage.save("renditions/1/a.jpg", ContentFile(b"x" * 100_000))
        self.assertEqual(name, "renditions/1/a.jpg")
        path = self.root / name
        self.assertEqual(path.read_bytes(), b"x" * 100_000)
        self.assertEqual(path.stat().st_mode & 0o777, 0o644)
        self.assertEqual(os.listdir(path.parent), ["a.jpg"])  # no partial file left

    def test_a_taken_name_is_never_overwritten(self):
        first = self.storage.save("photos/anh.jpg", ContentFile(b"first"))
        second = self.storage.save("photos/anh.jpg", ContentFile(b"second"))
        self.assertNotEqual(first, second)
        self.assertEqual(self.storage.open(first).read(), b"first")
        self.assertEqual(self.storage.open(second).read(), b"second")
        self.assertEqual(sorted(os.listdir(self.root / "photos")), sorted(
            [Path(first).name, Path(second).name]))

    def test_a_failed_write_leaves_nothing(self):
        class Broken(ContentFile):
            def chunks(self, chunk_size=None):
                yield b"half"
                raise OSError("disk full")

        with self.assertRaises(OSError):
            self.storage.save("photos/broken.jpg", Broken(b""))
        self.assertEqual(os.listdir(self.root / "photos"), [])
