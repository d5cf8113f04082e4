"""The production stack for real: Django with DEBUG off under gunicorn
(deploy/gunicorn.conf.py, two workers), nginx in front with the production
locations (deploy/nginx/newsroom.conf through deploy/nginx/local.conf), Redis
as the shared cache, all on loopback ports. Static files must come from
WhiteNoise, photos from nginx, and every public page must carry the policy and
need nothing inline.

nginx comes from Debian (apt-get install nginx); on a developer machine without
it these tests are skipped, and CI (CI=true) installs it, so there a missing
nginx is a failure, never a skip.
"""

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.newsroom.test_csp import PUBLIC_POLICY, inline_code
from tests.newsroom.test_deploy import clean_environment

ROOT = Path(settings.BASE_DIR)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HAVE_NGINX = Path(NGINX).exists()
BIN = Path(sys.executable).parent
PASSWORD = "mat-khau-thu-nghiem-2026"
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.skipif(
    not HAVE_NGINX and not os.environ.get("CI"),
    reason=f"no nginx at {NGINX} (apt-get install nginx)",
)

SEED = f"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from tests.factories import add_credit, add_photo, image_upload, make_article, make_photo
User = get_user_model()
User.objects.create_superuser("quantri", password={PASSWORD!r})
User.objects.create_user("bientap", password={PASSWORD!r}, is_staff=True)
article = make_article(headline="Phối hợp đảm bảo an ninh trật tự", tags=["An ninh"])
add_credit(article, name="Trần Quốc")
add_photo(article, make_photo(upload=image_upload(size=(1600, 900))), is_lead=True)
print(json.dumps({{"article": article.get_absolute_url(), "id": article.pk}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Response:
    def __init__(self, raw):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read()

    @property
    def text(self):
        return self.body.decode()

    def cookies(self):
        found = self.headers.get_all("Set-Cookie", [])
        return dict(cookie.split(";", 1)[0].split("=", 1) for cookie in found)


def fetch(port, path, method="GET", headers=None, body=None, cookies=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request(method, path, body=body, headers=headers)
        return Response(connection.getresponse())
    finally:
        connection.close()


def wait_until_up(port, process, what):
    for _attempt in range(240):
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        try:
            if fetch(port, "/robots.txt").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{what} did not answer on port {port}")


class Assets(HTMLParser):
    """Stylesheets, scripts (and the import map's modules) and images of a page."""

    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts, self.images = [], [], []
        self._importmap = False
        self.importmap = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "script" and attrs.get("type") == "importmap":
            self._importmap = True
        elif tag in ("img", "source"):
            for name in ("src", "srcset"):
                for candidate in (attrs.get(name) or "").split(","):
                    if candidate.strip():
                        self.images.append(candidate.split()[0])

    def handle_data(self, data):
        if self._importmap:
            self.importmap.update(json.loads(data)["imports"])
            self._importmap = False


def assets(html):
    parser = Assets()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def stack():
    if not HAVE_NGINX:
        pytest.fail(f"CI is set but nginx is missing at {NGINX}")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-stack-"))
    # nginx's workers run as another user (nobody) when the master is root: they
    # must reach the media and nginx's own temporary folders.
    tmp.chmod(0o755)
    app_port, web_port = free_port(), free_port()
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        DJANGO_HSTS_SECONDS="31536000",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"newsroom-test-prod-stack-{uuid.uuid4().hex[:8]}",
        NEWSROOM_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        NEWSROOM_SITE_URL=f"http://127.0.0.1:{web_port}",
        GUNICORN_BIND=f"127.0.0.1:{app_port}",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="",
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
            timeout=300, check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("manage.py", "migrate", "--noinput", "--verbosity", "0")
    manage("manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    seeded = json.loads(manage("-c", SEED).strip().splitlines()[-1])
    (tmp / "media" / "not-a-photo.html").write_text("<script>alert(1)</script>")

    prefix = tmp / "nginx"
    prefix.mkdir()
    config = (ROOT / "deploy/nginx/local.conf").read_text()
    for name, value in {
        "PREFIX": prefix, "LISTEN": f"127.0.0.1:{web_port}", "UPSTREAM": f"127.0.0.1:{app_port}",
        "MEDIA_ROOT": tmp / "media", "DEPLOY": ROOT / "deploy",
    }.items():
        config = config.replace(f"@{name}@", str(value))
    (prefix / "nginx.conf").write_text(config)

    logs = open(tmp / "servers.log", "w")  # noqa: SIM115 - closed at teardown
    gunicorn = subprocess.Popen(
        [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py"], env=env, cwd=ROOT,
        stdout=logs, stderr=subprocess.STDOUT,
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"],
        stdout=logs, stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(app_port, gunicorn, "gunicorn")
        wait_until_up(web_port, nginx, "nginx")
        yield {"web": web_port, "app": app_port, "env": env, "manage": manage, **seeded}
    finally:
        for process, stop in ((nginx, signal.SIGQUIT), (gunicorn, signal.SIGTERM)):
            if process.poll() is None:
                process.send_signal(stop)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        logs.close()
        print((tmp / "servers.log").read_text()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)


def log_in(port, username, password=PASSWORD):
    form = fetch(port, "/admin/login/")
    cookies = form.cookies()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = fetch(
        port, "/admin/login/?next=/admin/", "POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode({
            "csrfmiddlewaretoken": token, "username": username, "password": password,
            "next": "/admin/",
        }),
        cookies=cookies,
    )
    return response, {**cookies, **response.cookies()}


def test_page_css_comes_hashed_and_compressed(stack):
    page = fetch(stack["web"], "/")
    assert page.status == 200
    (stylesheet,) = assets(page.text).stylesheets
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    css = fetch(stack["web"], stylesheet, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    # The fonts it names were collected and hashed too.
    font = re.search(rb"url\(\"?([^\")]+\.woff2)", gzip.decompress(css.body))
    font_url = "/static/css/" + font.group(1).decode()
    assert fetch(stack["web"], os.path.normpath(font_url)).status == 200


def test_admin_css_and_the_editors_scripts_are_served(stack):
    login_page = fetch(stack["web"], "/admin/login/")
    assert login_page.status == 200
    for stylesheet in assets(login_page.text).stylesheets:
        assert fetch(stack["web"], stylesheet).status == 200, stylesheet

    response, cookies = log_in(stack["web"], "quantri")
    assert response.status == 302, response.text[:2000]
    form = fetch(stack["web"], f"/admin/articles/article/{stack['id']}/change/", cookies=cookies)
    assert form.status == 200
    found = assets(form.text)
    editor = [src for src in found.scripts if "django_prose_editor/" in src]
    assert editor, found.scripts
    modules = [*editor, *found.importmap.values()]
    assert any(re.search(r"/editor\.[0-9a-f]{12}\.js$", url) for url in modules), modules
    for url in {*found.scripts, *modules, *found.stylesheets}:
        served = fetch(stack["web"], url, cookies=cookies)
        assert served.status == 200, url
        assert served.headers["Content-Type"].split(";")[0] in {
            "text/javascript", "application/javascript", "text/css",
        }, url


def test_renditions_come_from_nginx_as_images_that_cannot_run(stack):
    page = fetch(stack["web"], stack["article"])
    assert page.status == 200
    images = [url for url in assets(page.text).images if url.startswith("/media/")]
    renditions = [url for url in images if url.startswith("/media/renditions/")]
    assert renditions, images
    for url, kind in (
        (next(u for u in renditions if u.endswith(".jpg")), "image/jpeg"),
        (next(u for u in renditions if u.endswith(".webp")), "image/webp"),
    ):
        photo = fetch(stack["web"], url)
        assert photo.status == 200, url
        assert photo.headers["Content-Type"] == kind
        assert photo.headers["Server"].startswith("nginx")
        assert photo.headers["X-Content-Type-Options"] == "nosniff"
        assert photo.headers["Content-Security-Policy"] == (
            "default-src 'none'; img-src 'self'; sandbox"
        )
        # Django itself never serves media with DEBUG off.
        assert fetch(stack["app"], url).status == 404
    # Anything under /media/ that is not a photo is never served.
    assert fetch(stack["web"], "/media/not-a-photo.html").status == 404
    assert fetch(stack["web"], "/media/../manage.py").status in (400, 404)


def test_public_pages_carry_the_policy_and_need_nothing_inline(stack):
    for path in ("/", stack["article"], "/tim-kiem/?q=an+ninh"):
        page = fetch(stack["web"], path)
        assert page.status == 200, path
        assert page.headers["Content-Security-Policy"] == PUBLIC_POLICY
        assert inline_code(page.text) == [], path
        assert "nonce" not in page.text


def test_a_client_cannot_fake_https(stack):
    spoofed = {"X-Forwarded-Proto": "https", "X_Forwarded_Proto": "https"}
    # HSTS is configured, and sent only on requests Django takes for HTTPS.
    for port in (stack["web"], stack["app"]):
        page = fetch(port, "/", headers=spoofed)
        assert page.status == 200
        assert "Strict-Transport-Security" not in page.headers


def test_uploads_above_the_photo_cap_stop_at_nginx(stack):
    body = b"x" * (22 * 1024 * 1024)
    response = fetch(
        stack["web"], "/admin/login/", "POST", body=body,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status == 413


def test_failed_logins_are_counted_across_workers_until_an_administrator_unlocks(stack):
    for _attempt in range(8):
        response, _cookies = log_in(stack["web"], "bientap", "sai-mat-khau")
        assert response.status == 200
    response, _cookies = log_in(stack["web"], "bientap")
    assert response.status == 200
    assert "Đăng nhập tạm bị khóa" in response.text

    output = stack["manage"]("manage.py", "unlock_login", "bientap")
    assert "Đã mở khóa: bientap" in output
    response, _cookies = log_in(stack["web"], "bientap")
    assert response.status == 302


def test_example_site_config_is_valid_nginx(tmp_path):
    if not HAVE_NGINX:
        pytest.fail(f"CI is set but nginx is missing at {NGINX}")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate (apt-get install openssl)"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=bao.example.vn", "-keyout", key, "-out", certificate],
        check=True, capture_output=True, timeout=60,
    )
    site = (ROOT / "deploy/nginx/site.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/bao.example.vn/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/bao.example.vn/privkey.pem", str(key))
    snippet = ROOT / "deploy/nginx/newsroom.conf"
    site = site.replace("include snippets/newsroom.conf;", f"include {snippet};")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
