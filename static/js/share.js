// Share buttons without third-party scripts: copy the link, and open the
// phone's own share sheet (which lists Zalo, Messenger…) where there is one.
(function () {
  "use strict";
  var status = document.querySelector(".share__status");

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-copy-link");
      var done = function () { if (status) { status.textContent = button.getAttribute("data-copied"); } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, function () { window.prompt("", url); });
      } else {
        window.prompt("", url);
      }
    });
  });

  if (navigator.share) {
    document.querySelectorAll("[data-share-url]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          title: button.getAttribute("data-share-title"),
          url: button.getAttribute("data-share-url")
        }).catch(function () { /* the reader closed the sheet */ });
      });
    });
  }
})();
