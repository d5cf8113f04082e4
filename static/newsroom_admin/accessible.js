/* Names for the admin's form controls that Django's markup leaves unnamed
   (axe-core: label, select-name, aria-input-field-name, aria-prohibited-attr),
   on every admin page (templates/admin/base_site.html):

   - a field in a table row (a tabular inline, an editable changelist) has no
     <label>: it is named by its column's heading;
   - an autocomplete (select2) box is named by its field's label, or column,
     followed by the value chosen; select2's inner "textbox" role, which has
     no name of its own, is dropped;
   - the search icon of a two-list picker (filter_horizontal) is a <span> with
     an aria-label and no role: it becomes an image.

   Rows and boxes added later (an inline's "add another", select2 and the
   pickers set up after load) are named as they appear: a MutationObserver's
   callback runs before the browser's next task, so nothing is seen unnamed. */
(function () {
  "use strict";

  var counter = 0;

  function ensureId(element, prefix) {
    if (!element.id) {
      counter += 1;
      element.id = prefix + "-" + counter;
    }
    return element.id;
  }

  function hasName(control) {
    return (control.labels && control.labels.length) ||
      control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby");
  }

  // The <th> above ``cell`` in its table's header row, or null.
  function columnHeading(cell) {
    var table = cell.closest("table");
    var header = table && table.tHead && table.tHead.rows[0];
    var heading = header && header.cells[cell.cellIndex];
    return heading && heading.textContent.trim() ? heading : null;
  }

  function nameTableControls(root) {
    root.querySelectorAll("td input, td select, td textarea").forEach(function (control) {
      if (control.type === "hidden" || hasName(control)) {
        return;
      }
      var heading = columnHeading(control.closest("td"));
      if (heading) {
        control.setAttribute("aria-labelledby", ensureId(heading, "column-heading"));
      }
    });
  }

  function nameAutocompletes(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT" || box.dataset.named) {
        return;
      }
      var label = select.labels && select.labels[0];
      var heading = label || (select.closest("td") && columnHeading(select.closest("td")));
      var rendered = box.querySelector(".select2-selection__rendered");
      if (rendered) {
        rendered.removeAttribute("role");
        rendered.removeAttribute("aria-readonly");
      }
      if (heading) {
        var ids = [ensureId(heading, "field-label")];
        if (rendered && rendered.id) {
          ids.push(rendered.id);
        }
        box.setAttribute("aria-labelledby", ids.join(" "));
      }
      box.dataset.named = "1";
    });
  }

  function fixPickerIcons(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll() {
    nameTableControls(document);
    nameAutocompletes(document);
    fixPickerIcons(document);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
  });
  window.addEventListener("load", nameAll);
})();
