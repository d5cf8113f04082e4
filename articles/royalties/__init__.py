"""Royalties (nhuận bút): a line per credit of a published article, monthly statements."""
