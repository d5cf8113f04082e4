"""The admin for articles: the article form and its workflow, photos, and the rows articles show."""

from . import articles, chains, library, photos

__all__ = ["articles", "chains", "library", "photos"]
