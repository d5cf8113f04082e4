"""The comments' admin: the moderation queue (``queue``) and the word list (``words``)."""

from . import queue, words

__all__ = ["queue", "words"]
