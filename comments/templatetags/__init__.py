"""Template tags for the comment block under an article."""
