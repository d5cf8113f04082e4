"""The reader's paper in a real browser (issue 14), on a phone (390 px) and a
desktop (1366 px): home with no article twice and no inner scroll box, lists
with thumbnails and sapo, the article's rail beside it or below it, the search
box, and no axe-core violation of any level on home, section, tag, article,
search, 404 and 410 pages. With E2E_DOCS_SCREENSHOTS=1 it writes the README's
screenshots (docs/screenshots/home-390.png…)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles import reads
from articles.models import Article
from tests.e2e import axe
from tests.e2e import test_journeys as journeys
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)

pytestmark = [*journeys.pytestmark, axe.pytestmark]
expect = journeys.expect

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SIZES = {390: journeys.PHONE, 1366: DESKTOP}

STORIES = [
    ("Thời sự", "Phối hợp đảm bảo an ninh trật tự dịp Tết Nguyên đán"),
    ("Kinh tế", "Giá dừa tăng mạnh, nông dân phấn khởi"),
    ("Nông nghiệp", "Nông dân xuống giống vụ đông xuân sớm"),
    ("Thể thao", "Đội bóng tỉnh giành vé lên hạng Nhất"),
    ("Văn hóa", "Lễ hội đình làng thu hút hàng nghìn du khách"),
    ("Thời sự", "Khánh thành cầu nông thôn nối hai xã ven sông"),
    ("Kinh tế", "Xuất khẩu trái cây tăng 20% so với cùng kỳ"),
    ("Nông nghiệp", "Mô hình trồng bưởi hữu cơ cho thu nhập cao"),
    ("Thể thao", "Giải việt dã truyền thống có hơn 500 vận động viên"),
    ("Văn hóa", "Phục dựng nghề dệt chiếu truyền thống"),
    ("Thời sự", "Tỉnh tổ chức đối thoại với thanh niên"),
    ("Kinh tế", "Chợ phiên nông sản cuối tuần đông khách"),
    ("Nông nghiệp", "Nắng nóng kéo dài, nông dân chủ động nước tưới"),
    ("Thể thao", "Học sinh tranh tài hội khỏe Phù Đổng"),
    ("Văn hóa", "Triển lãm ảnh về quê hương sông nước"),
    ("Thời sự", "Công an xã tuần tra đảm bảo bình yên thôn xóm"),
    ("Kinh tế", "Hợp tác xã đầu tư kho lạnh bảo quản nông sản"),
    ("Nông nghiệp", "Dự báo thời tiết thuận lợi cho vụ lúa mới"),
    ("Thể thao", "Câu lạc bộ cờ tướng phường đón thành viên mới"),
    ("Văn hóa", "Thư viện tỉnh mở cửa phục vụ buổi tối"),
    ("Thời sự", "Hội nghị sơ kết công tác dân vận năm 2025"),
    ("Kinh tế", "Doanh nghiệp nhỏ được hỗ trợ chuyển đổi số"),
]
LEAD = (
    "Sáng nay, đông đảo người dân và chính quyền địa phương đã cùng tham gia, "
    "góp phần tạo không khí phấn khởi trong những ngày đầu năm."
)


def no_inner_scroll_boxes(page):
    """Elements inside <main> that scroll on their own (a box with a scroll bar)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(el => {
            const style = getComputedStyle(el);
            return ['auto', 'scroll'].includes(style.overflowY)
                && el.scrollHeight > el.clientHeight + 1;
        }).map(el => el.className || el.tagName)"""
    )


class PublicPagesTests(journeys.BrowserTestCase):
    def setUp(self):
        super().setUp()
        sections = {}
        photos = [
            make_photo(
                upload=SimpleUploadedFile(
                    f"anh-{i}.jpg", journeys.jpeg_bytes(), content_type="image/jpeg"
                ),
                alt_text="Cánh đồng và bầu trời", caption="Ảnh minh họa.", credit_line="Ảnh: T.Q",
            )
            for i in range(3)
        ]
        reporter = make_contributor("Trần Quốc")
        now = timezone.now()
        self.articles = []
        for i, (section_name, headline) in enumerate(STORIES):
            if section_name not in sections:
                sections[section_name] = make_section(section_name, order=len(sections))
            article = make_article(
                headline=headline, lead=LEAD, section=sections[section_name],
                tags=["Tin địa phương", section_name],
                body="<p>Đoạn thứ nhất của bài.</p><p>Đoạn thứ hai của bài.</p>",
                published_at=now - timedelta(minutes=10 * (len(STORIES) - i)),
            )
            add_photo(article, photos[i % 3], is_lead=True)
            add_credit(article, reporter, "Tin", order=1)
            self.articles.append(article)
        self.section = sections["Nông nghiệp"]
        self.article = self.articles[-5]
        self.withdrawn = make_article(
            headline="Bài đã được gỡ khỏi trang", status=Article.Status.WITHDRAWN,
            section=self.section,
        )
        # "Đọc nhiều": reads counted as the beacon counts them, then flushed.
        for times, article in zip((9, 7, 5, 3, 2), self.articles[::4], strict=False):
            for _ in range(times):
                reads.count(article.pk)
        reads.flush()

    def open(self, width, path):
        page = self.new_page(**SIZES[width])
        response = page.goto(self.url(path))
        return page, response

    def assert_no_axe_violations(self, page):
        found = axe.run(page)["violations"]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
            for v in found
        ]
        self.assertEqual(summary, [], f"axe-core on {page.url}")

    def assert_search_box(self, page):
        search = page.get_by_role("search")
        expect(search).to_have_count(1)
        expect(search.get_by_role("searchbox", name="Tìm bài viết")).to_be_visible()
        expect(search.get_by_role("button", name="Tìm")).to_be_visible()

    def screenshot(self, page, name):
        journeys.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=journeys.SCREENSHOT_DIR / name, full_page=True)

    def test_home(self):
        for width in SIZES:
            with self.subTest(width=width):
                page, _response = self.open(width, "/")
                hrefs = page.eval_on_selector_all(
                    "main .item__headline a, main .latest-list__link",
                    "links => links.map(a => a.getAttribute('href'))",
                )
                self.assertGreater(len(hrefs), 15)
                self.assertEqual(len(hrefs), len(set(hrefs)), "an article twice on home")
                self.assertEqual(no_inner_scroll_boxes(page), [])
                secondary = page.locator(".home-secondary .item")
                expect(secondary).to_have_count(4)
                for i in range(4):
                    expect(secondary.nth(i).locator("img")).to_be_visible()
                more = page.get_by_role("link", name="Xem thêm tin mới")
                more.scroll_into_view_if_needed()
                expect(more).to_be_in_viewport()
                expect(page.locator(".section-block .item--big img").first).to_be_attached()
                expect(page.locator(".sections-nav a[aria-current=page]")).to_have_text("Trang chủ")
                self.assert_search_box(page)
                scroll_width, inner_width = journeys.no_horizontal_scroll(page)
                self.assertLessEqual(scroll_width, inner_width)
                self.assert_no_axe_violations(page)
                self.screenshot(page, f"home-{width}.png")
                more.click()
                expect(page).to_have_url(self.url("/tin-moi-nhat/"))
                expect(page.locator("h1")).to_have_text("Tin mới nhất")
        self.assert_no_script_errors()

    def test_section_and_tag_lists(self):
        for width in SIZES:
            for path in (self.section.get_absolute_url(), "/tag/tin-dia-phuong/"):
                with self.subTest(width=width, path=path):
                    page, _response = self.open(width, path)
                    items = page.locator("main .article-list .item")
                    self.assertGreater(items.count(), 3)
                    first = items.first
                    expect(first.locator(".item__photo img")).to_be_visible()
                    expect(first.locator(".item__lead")).to_contain_text("Sáng nay")
                    photo, text = (
                        first.locator(".item__photo").bounding_box(),
                        first.locator(".item__text").bounding_box(),
                    )
                    # The sapo beside the thumbnail, not under it.
                    self.assertGreaterEqual(text["x"], photo["x"] + photo["width"] - 1)
                    self.assertEqual(no_inner_scroll_boxes(page), [])
                    self.assert_search_box(page)
                    self.assert_no_axe_violations(page)
                    if path == self.section.get_absolute_url():
                        expect(page.locator(".sections-nav a[aria-current=page]")).to_have_text(
                            "Nông nghiệp"
                        )
                        if width == 1366:
                            self.screenshot(page, "section-1366.png")
        self.assert_no_script_errors()

    def test_article_with_its_rail(self):
        for width in SIZES:
            with self.subTest(width=width):
                beacons = []
                page = self.new_page(**SIZES[width])
                page.on(
                    "request",
                    lambda r, seen=beacons: "/luot-doc/" in r.url and seen.append(r.method),
                )
                page.goto(self.url(self.article.get_absolute_url()))
                expect(page.get_by_role("navigation", name="Bạn đang ở")).to_contain_text(
                    "Nông nghiệp"
                )
                rail = page.locator(".rail")
                for title in ("Đọc nhiều", "Tin mới", "Cùng chuyên mục"):
                    expect(rail.get_by_role("heading", name=title, exact=True)).to_be_visible()
                expect(rail.locator(".rail__most-read li").first).to_contain_text(
                    self.articles[0].headline
                )
                article_box = page.locator("article.article").bounding_box()
                rail_box = rail.bounding_box()
                if width == 1366:  # beside the article
                    self.assertGreaterEqual(rail_box["x"], article_box["x"] + article_box["width"])
                    self.assertLess(rail_box["y"], article_box["y"] + 200)
                else:  # below it
                    self.assertGreaterEqual(rail_box["y"], article_box["y"] + article_box["height"])
                    self.assertLessEqual(rail_box["x"] + rail_box["width"], 390)
                expect(page.locator(".related .item").first).to_be_visible()
                self.assert_search_box(page)
                self.assertEqual(no_inner_scroll_boxes(page), [])
                self.assert_no_axe_violations(page)
                page.wait_for_function("() => document.readyState === 'complete'")
                self.assertIn("POST", beacons)
                self.screenshot(page, f"article-{width}.png")
        self.assert_no_script_errors()

    def test_search_404_and_410(self):
        for width in SIZES:
            for path, status in (
                ("/tim-kiem/?q=n%C3%B4ng+d%C3%A2n", 200),
                ("/tim-kiem/", 200),
                ("/khong-co-trang-nay/", 404),
                (self.withdrawn.get_absolute_url(), 410),
            ):
                with self.subTest(width=width, path=path):
                    page, response = self.open(width, path)
                    self.assertEqual(response.status, status)
                    self.assert_search_box(page)
                    if status != 200:
                        expect(page.locator(".suggestions li")).to_have_count(8)
                        expect(page.locator(".error-page .search-box__input")).to_be_visible()
                    self.assert_no_axe_violations(page)
        self.assert_no_script_errors()
