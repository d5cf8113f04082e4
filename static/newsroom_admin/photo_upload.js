/* The article form's drop zone (articles/admin/uploads.py): photos dropped on
   it, or chosen with "Chọn ảnh", are uploaded one after another to the library
   (checked on the server like any upload); each one adds a row of "Ảnh trong
   bài" pointing to it, with its thumbnail, ready for a caption. The first one
   becomes the lead photo when the article has none. A file refused gets its
   reason next to its name; nothing else on the form changes. The rows are
   saved with the article (on the add page too). */
"use strict";

(function () {
  const zone = document.querySelector("[data-photo-drop]");
  const group = document.getElementById("photo_uses-group");
  const form = document.getElementById("article_form");
  if (!zone || !group || !form) {
    return;
  }
  const config = JSON.parse(zone.dataset.config);
  const text = config.text;
  const input = zone.querySelector(".photo-drop__input");
  const list = zone.querySelector(".photo-drop__list");
  const token = form.querySelector("[name=csrfmiddlewaretoken]");
  let queue = Promise.resolve();

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));
  }

  function rows() {
    // Rows on the page (not Django's hidden template, not rows marked for deletion).
    return [...group.querySelectorAll(".inline-related")].filter((row) => {
      if (row.classList.contains("empty-form") || row.id.endsWith("-empty")) {
        return false;
      }
      const deleted = row.querySelector("input[name$='-DELETE']");
      return !(deleted && deleted.checked);
    });
  }

  function hasLead() {
    return rows().some((row) => {
      const box = row.querySelector("input[name$='-is_lead']");
      return box && box.checked;
    });
  }

  function nextOrder() {
    let top = -1;
    rows().forEach((row) => {
      const order = row.querySelector("input[name$='-order']");
      const value = order ? Number.parseInt(order.value, 10) : Number.NaN;
      if (Number.isFinite(value)) {
        top = Math.max(top, value);
      }
    });
    return top + 1;
  }

  function addRow(answer, file) {
    const before = new Set(rows());
    const order = nextOrder();
    const lead = !hasLead();
    const add = group.querySelector(".add-row a");
    if (!add) {
      return null;
    }
    add.click(); // Django's inlines.js adds the row and sends "formset:added"
    const row = rows().find((candidate) => !before.has(candidate));
    if (!row) {
      return null;
    }
    const photo = answer.photo;
    const select = row.querySelector("select[name$='-photo']");
    select.append(new Option(photo.label, String(photo.id), true, true));
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change"); // select2 shows the choice
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    const orderInput = row.querySelector("input[name$='-order']");
    if (orderInput) {
      orderInput.value = String(order);
    }
    const leadBox = row.querySelector("input[name$='-is_lead']");
    if (lead && leadBox) {
      leadBox.checked = true;
    }
    const preview = row.querySelector(".field-preview .readonly");
    if (preview) {
      const image = document.createElement("img");
      image.src = photo.url;
      image.className = "photo-use-thumb";
      image.alt = format(text.thumbnail, { name: file.name });
      preview.replaceChildren(image);
    }
    row.dataset.uploadedPhoto = String(photo.id);
    form.dispatchEvent(new Event("change", { bubbles: true })); // unsaved: leaving asks
    return { row, lead };
  }

  function report(item, message, kind) {
    const status = item.querySelector(".photo-drop__status");
    status.textContent = message;
    status.className = "photo-drop__status" + (kind ? " photo-drop__" + kind : "");
  }

  function upload(file) {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.className = "photo-drop__name";
    name.textContent = file.name + ": ";
    const status = document.createElement("span");
    status.className = "photo-drop__status";
    item.append(name, status);
    list.append(item);
    report(item, text.uploading);
    const data = new FormData();
    data.append(config.field, file, file.name);
    return fetch(config.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({}))
          .then((answer) => ({ response, answer })),
      )
      .then(({ response, answer }) => {
        if (!response.ok || !answer.photo) {
          const errors = answer.errors && answer.errors.length ? answer.errors : null;
          report(item, errors ? errors.join(" ") : format(text.failed, { status: response.status }),
            "error");
          return;
        }
        const added = addRow(answer, file);
        let message = answer.message;
        if (added && added.lead) {
          message += " " + text.lead;
          if (answer.lead_warning) {
            message += " ⚠ " + answer.lead_warning;
          }
        }
        report(item, message, "done");
      })
      .catch(() => {
        report(item, text.offline, "error");
      });
  }

  function uploadAll(files) {
    [...files].forEach((file) => {
      queue = queue.then(() => upload(file));
    });
    return queue;
  }

  input.addEventListener("change", () => {
    if (input.files && input.files.length) {
      uploadAll(input.files).then(() => {
        input.value = "";
      });
    }
  });

  zone.addEventListener("dragover", (event) => {
    if (event.dataTransfer && [...event.dataTransfer.types].includes("Files")) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("photo-drop--over");
    }
  });
  zone.addEventListener("dragleave", () => {
    zone.classList.remove("photo-drop--over");
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("photo-drop--over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      uploadAll(event.dataTransfer.files);
    }
  });
})();
