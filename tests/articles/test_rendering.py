from types import SimpleNamespace

from django.test import SimpleTestCase

from articles.rendering import body_with_photos, split_blocks


class SplitBlocksTests(SimpleTestCase):
    def test_top_level_blocks(self):
        html = "<p>Một <strong>hai</strong></p>\n<h2>Ba</h2><ul><li>a</li><li>b</li></ul>"
        html += "<hr><p>Bốn</p>"
        self.assertEqual(
            split_blocks(html),
            [
                "<p>Một <strong>hai</strong></p>",
                "\n<h2>Ba</h2>",
                "<ul><li>a</li><li>b</li></ul>",
                "<hr>",
                "<p>Bốn</p>",
            ],
        )

    def test_multiline_and_entities(self):
        html = "<p>A &amp; B\nC</p>\n<blockquote><p>D</p>\n<p>E</p></blockquote>"
        self.assertEqual(
            split_blocks(html),
            ["<p>A &amp; B\nC</p>", "\n<blockquote><p>D</p>\n<p>E</p></blockquote>"],
        )

    def test_empty(self):
        self.assertEqual(split_blocks(""), [])


class BodyWithPhotosTests(SimpleTestCase):
    def test_photos_after_their_paragraph_or_at_the_end(self):
        first = SimpleNamespace(after_paragraph=1)
        start = SimpleNamespace(after_paragraph=0)
        end = SimpleNamespace(after_paragraph=None)
        beyond = SimpleNamespace(after_paragraph=9)
        parts = body_with_photos("<p>1</p><p>2</p>", [first, start, end, beyond])
        self.assertEqual(
            parts,
            [
                ("photo", start),
                ("html", "<p>1</p>"),
                ("photo", first),
                ("html", "<p>2</p>"),
                ("photo", end),
                ("photo", beyond),
            ],
        )
