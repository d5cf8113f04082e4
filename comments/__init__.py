"""Reader comments: posting, reading, reporting and moderating them."""
