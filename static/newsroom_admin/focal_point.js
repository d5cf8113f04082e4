/* The photo form's focal point (articles/admin/photos.py focal_editor):
   - a click on the picture sets "điểm nhấn ngang/dọc" (0–1, the stored values;
     the two fields stay for fine-tuning and for the keyboard);
   - the crops the site cuts (16:9, 4:3, 1:1, as articles/renditions.py:
     crop_size and crop_box) are previewed and follow live;
   - a file chosen before saving is shown at once, with its real size.
   Everything is placed through the CSSOM: the admin's CSP refuses style="". */
"use strict";

function startFocalEditor() {
  const editor = document.querySelector("[data-focal-editor]");
  if (!editor) {
    return;
  }
  // Read-only (a photo the user may not change): the stored point, no clicking.
  const inputX = document.getElementById("id_focal_x") || { value: editor.dataset.focalX };
  const inputY = document.getElementById("id_focal_y") || { value: editor.dataset.focalY };
  const editable = inputX instanceof HTMLInputElement && inputY instanceof HTMLInputElement;
  const picture = editor.querySelector(".focal-editor__image");
  const circles = editor.querySelectorAll(".focal-point circle");
  const crops = editor.querySelectorAll(".focal-crop");
  const fileInput = document.getElementById("id_image");
  const sizes = document.querySelectorAll(".photo-dimensions");

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), high);
  }

  function focal(input) {
    const value = Number.parseFloat(String(input.value).replace(",", "."));
    return Number.isFinite(value) ? clamp(value, 0, 1) : 0.5;
  }

  // Python's round(): halves go to the even neighbour, as on the server.
  function round(value) {
    const floor = Math.floor(value);
    const rest = value - floor;
    if (rest === 0.5) {
      return floor % 2 === 0 ? floor : floor + 1;
    }
    return Math.round(value);
  }

  // articles/renditions.py crop_size and crop_box, in the photo's pixels.
  function cropBox(width, height, ratioWidth, ratioHeight, fx, fy) {
    const ratio = ratioWidth / ratioHeight;
    let cropWidth = width;
    let cropHeight = height;
    if (width / height > ratio) {
      cropWidth = Math.max(1, Math.min(width, round(height * ratio)));
    } else {
      cropHeight = Math.max(1, Math.min(height, round(width / ratio)));
    }
    const left = clamp(round(fx * width - cropWidth / 2), 0, width - cropWidth);
    const top = clamp(round(fy * height - cropHeight / 2), 0, height - cropHeight);
    return { left, top, cropWidth, cropHeight };
  }

  function update() {
    const fx = focal(inputX);
    const fy = focal(inputY);
    circles.forEach((circle) => {
      circle.setAttribute("cx", (fx * 100).toFixed(1) + "%");
      circle.setAttribute("cy", (fy * 100).toFixed(1) + "%");
    });
    const width = picture.naturalWidth;
    const height = picture.naturalHeight;
    if (!width || !height) {
      return;
    }
    crops.forEach((crop) => {
      const ratioWidth = Number(crop.dataset.ratioWidth);
      const ratioHeight = Number(crop.dataset.ratioHeight);
      const box = cropBox(width, height, ratioWidth, ratioHeight, fx, fy);
      // object-fit: cover in a box of the crop's ratio shows exactly the crop
      // when object-position is the crop's offset over the room there is.
      const x = width > box.cropWidth ? (box.left / (width - box.cropWidth)) * 100 : 50;
      const y = height > box.cropHeight ? (box.top / (height - box.cropHeight)) * 100 : 50;
      const image = crop.querySelector("img");
      image.style.objectPosition = x.toFixed(2) + "% " + y.toFixed(2) + "%";
      crop.dataset.left = String(box.left);
      crop.dataset.top = String(box.top);
    });
  }

  function showSize() {
    if (picture.naturalWidth && picture.naturalHeight) {
      const text = picture.naturalWidth + " × " + picture.naturalHeight;
      sizes.forEach((size) => {
        size.textContent = text;
      });
    }
  }

  if (editable) {
    picture.classList.add("focal-editor__image--editable");
  }
  picture.addEventListener("click", (event) => {
    if (!editable) {
      return;
    }
    const rect = picture.getBoundingClientRect();
    const fx = clamp((event.clientX - rect.left) / rect.width, 0, 1);
    const fy = clamp((event.clientY - rect.top) / rect.height, 0, 1);
    inputX.value = fx.toFixed(3);
    inputY.value = fy.toFixed(3);
    // As if typed: the form knows it changed.
    inputX.dispatchEvent(new Event("input", { bubbles: true }));
    inputY.dispatchEvent(new Event("input", { bubbles: true }));
    update();
  });
  if (editable) {
    inputX.addEventListener("input", update);
    inputY.addEventListener("input", update);
  }
  picture.addEventListener("load", () => {
    showSize();
    update();
  });

  // A file chosen (the add page, or a replacement): shown before saving.
  let chosen = null;
  if (fileInput) {
    fileInput.addEventListener("change", () => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) {
        return;
      }
      if (chosen) {
        URL.revokeObjectURL(chosen);
      }
      chosen = URL.createObjectURL(file);
      editor.querySelectorAll("img").forEach((image) => {
        image.src = chosen;
      });
      editor.hidden = false;
    });
  }

  if (picture.complete && picture.naturalWidth) {
    update();
  }
}

// Loaded in the <head> (the admin's form media): start once the form is there.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startFocalEditor);
} else {
  startFocalEditor();
}
