/* The article form as a writing page (articles/admin/writing.py):
   - live counts (characters, words) for the headline, lead and body, with the
     paper's recommended limits ("n/limit"; going over is only flagged);
   - the body editor named by its label for assistive technology;
   - an autosave of the form after a few idle seconds (and when the tab is
     hidden or closed), which never changes the article itself;
   - a warning before leaving the page with changes not saved. */
"use strict";

(function () {
  const configElement = document.getElementById("writing-config");
  const form = document.getElementById("article_form");
  if (!configElement || !form) {
    return;
  }
  const config = JSON.parse(configElement.dataset.config);
  const text = config.text;
  const status = form.querySelector(".writing-autosave-status");

  // Counts -----------------------------------------------------------------------------

  function countWords(value) {
    const trimmed = value.trim();
    return trimmed ? trimmed.split(/\s+/u).length : 0;
  }

  function bodyText(html) {
    const body = new DOMParser().parseFromString(html, "text/html").body;
    // One space between blocks, so "<p>a</p><p>b</p>" is two words.
    body.querySelectorAll("p, h2, h3, h4, li, blockquote, br").forEach((node) => {
      node.append(" ");
    });
    return body.textContent;
  }

  function addCounter(name, limit, read) {
    const input = document.getElementById("id_" + name);
    const row = form.querySelector(".field-" + name);
    if (!input || !row) {
      return;
    }
    const output = document.createElement("div");
    output.className = "writing-count";
    output.id = "id_" + name + "_count";
    row.append(output);
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);

    function update() {
      const value = read(input.value).normalize("NFC");
      const chars = [...value.trim()].length;
      const words = countWords(value);
      const over = Boolean(limit) && chars > limit;
      let shown = (limit ? chars + "/" + limit : String(chars)) + " " + text.chars;
      shown += " · " + words + " " + text.words;
      if (over) {
        shown += " — " + text.over;
      }
      output.textContent = shown;
      output.classList.toggle("writing-count--over", over);
    }
    input.addEventListener("input", update);
    update();
  }

  addCounter("headline", config.limits.headline, (value) => value);
  addCounter("lead", config.limits.lead, (value) => value);
  addCounter("body", config.limits.body, bodyText);

  // The body editor's accessible name -----------------------------------------------

  function nameEditor() {
    const row = form.querySelector(".field-body");
    const editor = row && row.querySelector(".ProseMirror[contenteditable]");
    if (!editor) {
      return false;
    }
    const label = row.querySelector("label[for=id_body]");
    if (label) {
      label.id = label.id || "id_body_label";
      editor.setAttribute("aria-labelledby", label.id);
    } else {
      editor.setAttribute("aria-label", text.body_label);
    }
    editor.setAttribute("aria-describedby", "id_body_count");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("role", "textbox");
    return true;
  }

  if (!nameEditor()) {
    const observer = new MutationObserver(() => {
      if (nameEditor()) {
        observer.disconnect();
      }
    });
    observer.observe(form, { childList: true, subtree: true });
  }

  // Autosave and the leave-page warning -----------------------------------------------

  let dirty = config.unsaved; // restored, or sent back with errors: not in the article yet
  let pending = false; // typed since the last autosave
  let submitting = false;
  let timer = null;

  function payload() {
    const data = new FormData(form);
    for (const [key, value] of [...data.entries()]) {
      if (value instanceof File) {
        data.delete(key);
      }
    }
    return data;
  }

  function autosave() {
    timer = null;
    if (submitting) {
      return;
    }
    pending = false;
    if (status) {
      status.textContent = text.saving;
    }
    fetch(config.autosave_url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then((answer) => {
        if (status) {
          status.textContent = answer.message;
        }
      })
      .catch(() => {
        pending = true;
        if (status) {
          status.textContent = text.failed;
        }
      });
  }

  function changed() {
    dirty = true;
    pending = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, config.idle_ms);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // A credit or photo row added (by hand or by the drop zone) or removed is a change.
  document.addEventListener("formset:added", changed);
  document.addEventListener("formset:removed", changed);

  form.addEventListener("submit", (event) => {
    // The preview opens in a new tab: this page stays, with its changes.
    if (event.submitter && event.submitter.formTarget === "_blank") {
      return;
    }
    submitting = true;
    window.clearTimeout(timer);
  });

  // Closing the tab or leaving: send what was typed since the last autosave.
  window.addEventListener("pagehide", () => {
    if (pending && !submitting && navigator.sendBeacon) {
      navigator.sendBeacon(config.autosave_url, payload());
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to show the dialog
    }
  });
})();
