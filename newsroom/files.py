"""The local-disk storage for photos and renditions (the default; an S3 bucket
writes whole objects by itself, newsroom/media.py)."""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class WholeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear whole: each is written to a
    temporary file in its folder, then linked under its name. A reader (nginx,
    a page checking that a rendition exists) never sees half a file, and a
    worker killed mid-write leaves no truncated file that the next one would
    take as built. A name already taken is never overwritten: as Django's own,
    the file gets the next free name."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            while True:
                try:
                    os.link(temporary, full_path)  # fails if the name is taken
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            os.unlink(temporary)
        os.chmod(full_path, self.file_permissions_mode or 0o644)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")
