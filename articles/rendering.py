"""Place inline photos between the body's paragraphs."""

from html.parser import HTMLParser

VOID_ELEMENTS = {"br", "hr", "img", "wbr"}


class _BlockSplitter(HTMLParser):
    """Records where each top-level element of an HTML fragment ends."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends = []

    def _offset(self):
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            if self.depth == 0:
                self.ends.append(self._offset() + len(self.get_starttag_text()))
            return
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            end = self.rawdata.index(">", self._offset()) + 1
            self.ends.append(end)


def split_blocks(html):
    """Split a sanitised body into its top-level blocks (paragraphs, headings…)."""
    parser = _BlockSplitter()
    parser.line_starts = [0]
    for line in html.splitlines(keepends=True):
        parser.line_starts.append(parser.line_starts[-1] + len(line))
    parser.feed(html)
    parser.close()
    blocks, start = [], 0
    for end in parser.ends:
        if html[start:end].strip():
            blocks.append(html[start:end])
        start = end
    if html[start:].strip():
        blocks.append(html[start:])
    return blocks


def body_with_photos(body, photo_uses):
    """The body as a list of ("html", str) and ("photo", use) parts.

    An inline photo goes after the paragraph its use names (1 is the first);
    one without a position, or past the end, goes at the end of the body.
    """
    blocks = split_blocks(body)
    by_position = {}
    for use in photo_uses:
        position = use.after_paragraph if use.after_paragraph is not None else len(blocks)
        by_position.setdefault(min(position, len(blocks)), []).append(use)
    parts = [("photo", use) for use in by_position.get(0, [])]
    for index, block in enumerate(blocks, start=1):
        parts.append(("html", block))
        parts.extend(("photo", use) for use in by_position.get(index, []))
    return parts
