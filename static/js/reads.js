// "Đọc nhiều": one beacon per article page a browser shows (articles/reads.py).
// A page without JavaScript, or a bot, is not counted; the beacon sends no cookie
// the page needs and the page stays cacheable as it is.
(function () {
  "use strict";
  var article = document.querySelector("[data-read-url]");
  if (!article || !navigator.sendBeacon || document.visibilityState === "prerender") {
    return;
  }
  navigator.sendBeacon(article.getAttribute("data-read-url"));
})();
