// Reader comments without reloading the page. Everything here also works
// without JavaScript: the links and forms point at real pages.
//
// The article page may come from a cache, so its form carries no tokens: when
// the reader starts writing (or sends), /binh-luan/token/ (never cached) gives
// a CSRF token and a render token for this form. The server takes a render
// token once and times the form from it, so a new one is fetched for each
// comment; a form the server sends back carries its own.
(function () {
  "use strict";
  var root = document.querySelector("[data-comments]");
  if (!root || !window.fetch || !window.FormData) { return; }
  var tokenUrl = root.getAttribute("data-token-url");
  var list = root.querySelector("[data-comments-list]");
  var csrf = null;  // the CSRF token, once fetched
  var home = null;  // where the comment form sits when it is not answering a comment

  // The CSRF token, after filling the form's render token if it has none.
  function tokens(form) {
    var rendered = form.querySelector("[name=rendered]");
    if (form.tokenRequest) { return form.tokenRequest; }
    if (csrf && (!rendered || rendered.value)) { return Promise.resolve(csrf); }
    var request = fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("token " + response.status); }
        return response.json();
      })
      .then(function (data) {
        csrf = data.token;
        if (rendered && !rendered.value) { rendered.value = data.rendered; }
        return csrf;
      });
    form.tokenRequest = request;
    request.catch(function () { if (form.tokenRequest === request) { form.tokenRequest = null; } });
    return request;
  }

  // A spent render token: the next comment from this form fetches a new one.
  function forgetTokens(form) {
    var rendered = form.querySelector("[name=rendered]");
    if (rendered) { rendered.value = ""; }
    form.tokenRequest = null;
  }

  // Server-rendered HTML (escaped on the server) as nodes.
  function nodes(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function post(form) {
    return tokens(form).then(function (value) {
      var field = form.querySelector("[name=csrfmiddlewaretoken]");
      if (field) { field.value = value; }
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": value }
      });
    }).then(function (response) { return response.json(); });
  }

  function commentForm() { return root.querySelector("[data-comment-form]"); }

  function setStatus(form, text) {
    var status = form.querySelector("[data-form-status]");
    if (status) { status.textContent = text; }
  }

  // A comment went through: what an earlier refusal said no longer holds.
  function clearErrors(form) {
    form.querySelectorAll(".comment-form__message, .errorlist").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
    });
  }

  function cancelReply(form) {
    form.querySelector("[name=parent]").value = "";
    form.querySelector("[data-replying]").hidden = true;
    if (home && home.parentNode) { home.parentNode.insertBefore(form, home); }
  }

  function sendComment(form) {
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    post(form).then(function (data) {
      if (!data.ok) {
        var fresh = nodes(data.form).querySelector("form");
        form.replaceWith(fresh);
        var alert = fresh.querySelector("[role=alert]");
        if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
        return;
      }
      if (data.html) {
        var parent = data.parent && root.querySelector("#binh-luan-" + data.parent + " [data-replies]");
        var empty = root.querySelector("[data-comments-empty]");
        if (empty) { empty.remove(); }
        var oldestFirst = root.querySelector("[data-comments-sort] [aria-current][href*='sap-xep=cu-nhat']");
        if (parent) { parent.appendChild(nodes(data.html)); } else if (oldestFirst) { list.appendChild(nodes(data.html)); } else { list.insertBefore(nodes(data.html), list.firstChild); }
      }
      form.querySelector("textarea").value = "";
      clearErrors(form);
      forgetTokens(form);
      cancelReply(form);
      setStatus(form, data.message);
    }).catch(function () {
      form.submit();  // the page without JavaScript knows what to do
    }).then(function () { button.disabled = false; });
  }

  function sendReport(form) {
    var box = form.closest("[data-report-box]");
    post(form).then(function (data) {
      var fresh = nodes(data.form || '<div class="report" data-report-box><p class="report__message" role="status"></p></div>').firstElementChild;
      if (!data.form) { fresh.querySelector(".report__message").textContent = data.message; }
      box.replaceWith(fresh);
    }).catch(function () { form.submit(); });
  }

  // The time trap counts from when the reader starts writing, not from when
  // a cache made the page.
  root.addEventListener("focusin", function (event) {
    var form = event.target.closest("[data-comment-form]");
    if (form) { tokens(form).catch(function () {}); }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      sendComment(form);
    } else if (form.matches("[data-report-form]")) {
      event.preventDefault();
      sendReport(form);
    }
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || !root.contains(link)) { return; }
    var form = commentForm();
    if (link.hasAttribute("data-more")) {
      event.preventDefault();
      var url = link.href.split("#")[0] + "&fragment=1";
      var wrap = link.parentNode;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("page " + response.status); }
          return response.text();
        })
        .then(function (html) { wrap.replaceWith(nodes(html)); })
        .catch(function () { window.location.href = link.href; });
    } else if (link.hasAttribute("data-sort")) {
      // "Mới nhất" / "Cũ nhất": the first page in that order, in place.
      event.preventDefault();
      var address = link.href.split("#")[0];
      fetch(address + (address.indexOf("?") < 0 ? "?" : "&") + "fragment=1", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("page " + response.status); }
          return response.text();
        })
        .then(function (html) {
          list.replaceChildren(nodes(html));
          link.parentNode.querySelectorAll("[data-sort]").forEach(function (other) {
            if (other === link) { other.setAttribute("aria-current", "true"); } else { other.removeAttribute("aria-current"); }
          });
        })
        .catch(function () { window.location.href = link.href; });
    } else if (link.hasAttribute("data-reply") && form) {
      event.preventDefault();
      if (!home) {
        home = document.createComment("comment-form");
        form.parentNode.insertBefore(home, form);
      }
      var comment = link.closest(".comment");
      comment.insertBefore(form, comment.querySelector("[data-replies]"));
      form.querySelector("[name=parent]").value = link.getAttribute("data-reply");
      form.querySelector("[data-replying]").hidden = false;
      form.querySelector("textarea").focus();
    } else if (link.hasAttribute("data-cancel-reply") && form) {
      event.preventDefault();
      cancelReply(form);
    } else if (link.hasAttribute("data-report")) {
      event.preventDefault();
      var holder = link.closest(".comment");
      var open = holder.querySelector(":scope > [data-report-box]");
      if (open) { open.remove(); return; }
      fetch(link.href + "?fragment=1", { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.text(); })
        .then(function (html) { link.parentNode.after(nodes(html)); })
        .catch(function () { window.location.href = link.href; });
    }
  });
})();
