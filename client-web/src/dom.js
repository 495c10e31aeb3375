// Small DOM helpers. Every piece of text goes in through text nodes
// (createTextNode / textContent): nothing here ever parses HTML, so user
// text (issue texts, names, organisations, reasons) is always literal.
import { t } from "./i18n.js";

// h("button", {class: "btn", onclick: fn, "aria-label": "…"}, "text", child…)
// Props:
//   class        class name string
//   text         textContent
//   i18n         a dictionary key: sets the text and re-translates on a
//                language switch (see i18n.js)
//   i18nAttr     {attribute: key}: translated attributes (aria-label, placeholder, title)
//   on<event>    event listener (onclick, oninput, onkeydown…)
//   dataset      {key: value}
//   id, for, value, checked, disabled, hidden, type, name… set as properties
//   anything else (aria-*, role, data-*, …) set with setAttribute
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = String(value);
      else if (key === "i18n") {
        el.dataset.i18n = value;
        el.textContent = t(value);
      } else if (key === "i18nAttr") {
        for (const [attr, k] of Object.entries(value)) {
          el.setAttribute(attr, t(k));
          el.setAttribute(`data-i18n-${attr}`, k);
        }
      } else if (key === "dataset") Object.assign(el.dataset, value);
      else if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else if (key === "for") el.htmlFor = value;
      else if (PROPERTIES.has(key)) el[key] = value;
      else el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

const PROPERTIES = new Set([
  "id", "value", "checked", "disabled", "hidden", "type", "name", "htmlFor",
  "tabIndex", "required", "min", "max", "step", "maxLength", "rows",
  "placeholder", "selected", "draggable", "open", "title", "multiple", "autocomplete",
]);

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

// Replaces the content of `parent` with `children` (nested arrays, null and
// false skipped, as in h()).
export function setChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

// Replaces the content of `container` with `children`, keeping keyboard
// focus: the element that had focus inside the container is found again in
// the new content by its data-focus-key and focused.
export function replaceKeepingFocus(container, children) {
  const active = document.activeElement;
  let key = null;
  let selection = null;
  if (active && container.contains(active)) {
    key = active.dataset.focusKey || null;
    if (key && "selectionStart" in active) {
      try {
        selection = [active.selectionStart, active.selectionEnd];
      } catch {
        selection = null;
      }
    }
  }
  container.replaceChildren();
  append(container, children);
  if (key) {
    const again = container.querySelector(`[data-focus-key="${cssEscape(key)}"]`);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection && "setSelectionRange" in again) {
        try {
          again.setSelectionRange(selection[0], selection[1]);
        } catch {
          /* not a text field */
        }
      }
    }
  }
}

export function cssEscape(value) {
  if (globalThis.CSS && CSS.escape) return CSS.escape(value);
  return String(value).replace(/["\\]/g, "\\$&");
}

let uid = 0;
// A unique element id for label/aria wiring.
export function nextId(prefix = "r") {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled form field: <div class="field"><label for>…</label>control hint</div>
export function field(labelKey, control, options = {}) {
  if (!control.id) control.id = nextId("f");
  const label = h("label", { for: control.id });
  label.appendChild(h("span", { i18n: labelKey }));
  if (options.optional) label.appendChild(h("span", { class: "optional", i18n: "form.optional" }));
  const parts = [label, control];
  if (options.hintKey) {
    const hint = h("p", { class: "hint", id: nextId("hint"), i18n: options.hintKey });
    control.setAttribute("aria-describedby", hint.id);
    parts.push(hint);
  }
  return h("div", { class: `field ${options.class || ""}`.trim() }, parts);
}

export function visuallyHidden(text) {
  return h("span", { class: "vh", text });
}
