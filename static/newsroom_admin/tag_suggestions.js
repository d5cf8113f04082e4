/* Existing tags suggested while typing in the article's "Thẻ" field (comma
   separated): the word after the last comma is looked up through the admin's
   own autocomplete view (staff only, with the permission to view tags), and
   the answers fill a <datalist>, each one the whole field as it would read
   with that tag, so choosing it completes the last word. */
"use strict";

(function () {
  const input = document.getElementById("id_tags");
  const config = document.getElementById("tag-suggestions-config");
  if (!input || !config) {
    return;
  }
  const list = document.createElement("datalist");
  list.id = "id_tags_suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let timer = null;
  let asked = "";

  function suggest() {
    const value = input.value;
    const cut = value.lastIndexOf(",");
    const head = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
    const term = value.slice(cut + 1).trim();
    if (!term || term === asked) {
      return;
    }
    asked = term;
    const taken = new Set(
      head.split(",").map((name) => name.trim().toLowerCase()).filter(Boolean),
    );
    const url = new URL(config.dataset.url, window.location.href);
    url.search = new URLSearchParams({
      app_label: "articles",
      model_name: "article",
      field_name: "tags",
      term,
    }).toString();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((answer) => {
        if (input.value !== value) {
          return; // typed on meanwhile: the next answer will do
        }
        list.replaceChildren(
          ...answer.results
            .filter((tag) => !taken.has(tag.text.toLowerCase()))
            .map((tag) => new Option(tag.text, head + tag.text)),
        );
      })
      .catch(() => {
        list.replaceChildren();
      });
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
})();
