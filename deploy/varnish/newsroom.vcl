# Varnish in front of the newsroom (README, "Page cache and proxy"). Debian:
# apt-get install varnish varnish-modules; point the backend at gunicorn (or at
# nginx), and set NEWSROOM_PURGE_URLS=http://127.0.0.1:6081/ in the app's
# environment so that its purges reach this cache.
#
# * Pages are cached as the app's Cache-Control says (public, max-age, and
#   stale-while-revalidate as grace); private, no-cache, no-store and Set-Cookie
#   are never stored (Varnish's built-in rules).
# * Every cookie is stripped before lookup except the reader-state ones: the
#   session (logged in), the held-comment cookie, the just-posted cookie and
#   the language cookie. A request carrying one of them is passed to the app:
#   its page is its own.
# * The backend is probed at /readyz (200 when it can serve, else 503).
# * PURGE with an "xkey-purge: article-12 home" header, from localhost only,
#   removes every object tagged with one of the keys (the app's "xkey" header).
# * While the app is down, pages are served stale up to a day (stale-if-error).
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        .url = "/readyz";  # 200 "ok" when this app server can serve (README)
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        .initial = 3;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge header is required"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, the comments' forms, previews, the language switch: as they came
    # (README, "Caching: what a shared cache may store").
    if (req.http.Authorization || req.url ~ "^/(admin|binh-luan|xem-truoc|ngon-ngu)/") {
        return (pass);
    }
    # Reader state: the session, the held-comment cookie, the just-posted cookie
    # (read-your-writes with replicas), the language cookie (newsroom/settings.py
    # SESSION_COOKIE_NAME, comments/reading.py, newsroom/replicas.py,
    # LANGUAGE_COOKIE_NAME; articles.caching.reader_cookies lists them).
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|binh_luan_cho_duyet|newsroom_primary|newsroom_language)=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Stale-if-error: while the app is down, serve what is kept for up to a day.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Keep objects a day past their life, to serve while the app is down
    # (req.grace above limits it to stale-while-revalidate while it is up).
    if (beresp.ttl > 0s && beresp.http.Cache-Control ~ "public") {
        set beresp.grace = 24h;
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.X-Page-Cache;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
