"""The Content-Security-Policy, checked in a real browser (Chromium).

Every page the newsroom works in (the article form with its rich-text editor,
the photo form with its focal-point preview, the comment queue, the lists) and
the reader's pages are opened under the policy the site sends, and the browser
must report no violation: nothing the pages need is blocked, so the policy can
stay strict (no 'unsafe-inline' anywhere).
"""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import renditions
from tests.e2e.test_journeys import (
    PASSWORD,
    BrowserTestCase,
    expect,
    jpeg_bytes,
    log_in,
)
from tests.factories import add_credit, add_photo, make_article, make_comment, make_photo

# Recorded before any of the page's own code runs (an init script is not
# subject to the page's policy).
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""


class ContentSecurityPolicyBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.photo = make_photo(
            upload=SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
        )
        self.article = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự",
            body="<p>Đoạn <strong>một</strong>.</p><p>Đoạn hai.</p>",
            tags=["An ninh"],
        )
        add_credit(self.article, name="Trần Quốc")
        add_photo(self.article, self.photo, is_lead=True)
        make_comment(self.article, body="Bài viết rất hay, cảm ơn tòa soạn.")
        get_user_model().objects.create_superuser("quantri", password=PASSWORD)

    def visit(self, page, path):
        response = page.goto(self.url(path))
        # The page is judged under the policy the site really sends.
        policy = response.headers["content-security-policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe", policy)
        page.wait_for_load_state("networkidle")
        return page.evaluate("window.__cspViolations")

    def test_admin_pages_raise_no_violation(self):
        page = self.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        log_in(page, self.url, "quantri")
        violations = {}
        for path in (
            "/admin/",
            f"/admin/articles/article/{self.article.pk}/change/",
            "/admin/articles/article/add/",
            "/admin/articles/article/",
            f"/admin/articles/photo/{self.photo.pk}/change/",
            "/admin/articles/photo/",
            "/admin/comments/comment/",
            "/admin/auth/user/",
        ):
            violations[path] = self.visit(page, path)
        # The editor really ran (its module scripts build it), and the focal point
        # is drawn without inline style.
        page.goto(self.url(f"/admin/articles/article/{self.article.pk}/change/"))
        expect(page.locator(".ProseMirror[contenteditable=true]")).to_contain_text("Đoạn một.")
        page.goto(self.url(f"/admin/articles/photo/{self.photo.pk}/change/"))
        marker = page.locator(".focal-editor .focal-point circle").first.bounding_box()
        preview = page.locator(".focal-editor__image").bounding_box()
        centre = preview["x"] + preview["width"] / 2
        self.assertAlmostEqual(marker["x"] + marker["width"] / 2, centre, delta=2)
        # The crop previews are placed through the CSSOM, which the CSP allows,
        # where the server cuts them (1200 × 800 at 16:9: 1200 × 675 from y = 62).
        crop = page.locator(".focal-crop-16x9")
        expect(crop).to_have_attribute("data-top", str(renditions.crop_box(self.photo, "16x9")[1]))
        self.assertEqual(crop.locator("img").evaluate(
            "image => getComputedStyle(image).objectPosition"), "50% 49.6%")
        self.maxDiff = None
        self.assertEqual({path: found for path, found in violations.items() if found}, {})
        self.assert_no_script_errors()

    def test_public_pages_raise_no_violation(self):
        page = self.new_page(viewport={"width": 390, "height": 844})
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        violations = {}
        for path in (
            "/",
            self.article.get_absolute_url(),
            self.article.section.get_absolute_url(),
            "/tim-kiem/?q=an+ninh",
        ):
            violations[path] = self.visit(page, path)
        self.maxDiff = None
        self.assertEqual({path: found for path, found in violations.items() if found}, {})
        self.assert_no_script_errors()
