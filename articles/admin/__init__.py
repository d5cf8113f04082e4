"""The admin for articles: the article form and its workflow, photos, and the rows articles show."""

from . import articles, library, photos

__all__ = ["articles", "library", "photos"]
