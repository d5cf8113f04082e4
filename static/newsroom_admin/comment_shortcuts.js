// Keyboard shortcuts of a comment's moderation page: a key clicks the button
// or link that names it in data-shortcut (A approve, R reject, S spam, each
// then the next comment; N skip to the next). Never while the moderator types
// in a field, and never with Ctrl/Alt/Meta, so browser shortcuts keep working.
(function () {
  "use strict";

  function typing(target) {
    return Boolean(
      target &&
        (target.isContentEditable ||
          (target.closest && target.closest("input, textarea, select, [contenteditable]")))
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (event.key.length !== 1 || typing(event.target)) {
      return;
    }
    var control = document.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (!control || control.disabled) {
      return;
    }
    event.preventDefault();
    control.click();
  });
})();
