// Forms as people fill them in: errors shown beside their field; a
// character counter near a text's limit; long texts clamped with 続きを読む.
// (Dates and periods: parse_input.js.)
import { h, nextId } from "./dom.js";
import { t } from "./i18n.js";
export { parseDate, parsePeriod } from "./parse_input.js";

let onFieldCorrected = null;
// What else to clear when a field in error is edited (the app's error
// notices).
export function setOnFieldCorrected(fn) {
  onFieldCorrected = fn;
}

// Shows `message` beside `control` (inside its .field), marks it invalid
// and focuses it; the error goes when the field is edited.
export function showFieldError(control, message) {
  const holder = control.closest(".field") || control.parentElement;
  let box = holder.querySelector(":scope > .field-error");
  if (!box) {
    box = h("p", { class: "field-error", id: nextId("err") });
    holder.appendChild(box);
  }
  box.textContent = message;
  control.setAttribute("aria-invalid", "true");
  const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!described.includes(box.id)) control.setAttribute("aria-describedby", [box.id, ...described].join(" "));
  if (!control.dataset.errorWatched) {
    control.dataset.errorWatched = "1";
    control.addEventListener("input", () => {
      clearFieldError(control);
      onFieldCorrected?.();
    });
  }
  control.focus();
}

export function clearFieldError(control) {
  const holder = control.closest(".field") || control.parentElement;
  const box = holder?.querySelector(":scope > .field-error");
  if (!box) return;
  const described = (control.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== box.id);
  if (described.length) control.setAttribute("aria-describedby", described.join(" "));
  else control.removeAttribute("aria-describedby");
  control.removeAttribute("aria-invalid");
  box.remove();
}

export const COUNTER_FROM = 1600;

// 「残り n文字」 under a text field from COUNTER_FROM characters on.
export function withCounter(control) {
  const max = Number(control.maxLength) > 0 ? Number(control.maxLength) : 2000;
  const counter = h("p", { class: "char-counter", "aria-live": "polite", hidden: true });
  const update = () => {
    const length = control.value.length;
    counter.hidden = length < COUNTER_FROM;
    counter.textContent = counter.hidden ? "" : t("input.remaining", { n: Math.max(0, max - length) });
    counter.classList.toggle("char-counter-near", max - length <= 100);
  };
  control.addEventListener("input", update);
  // A form that clears the field sets .value without an input event.
  control.form?.addEventListener("submit", () => setTimeout(update, 0));
  return counter;
}

export const CLAMP_FROM = 140; // characters; about four lines of a card

// A card's long text, clamped, with 続きを読む / 閉じる. `open` remembers
// expanded texts by key across re-renders.
export function clampedText(className, text, key, open) {
  const p = h("p", { class: className, text });
  if (!text || text.length <= CLAMP_FROM) return p;
  p.classList.add("clamped");
  if (!p.id) p.id = nextId("clamp");
  const toggle = h("button", { type: "button", class: "btn-link clamp-toggle", "aria-controls": p.id, dataset: { focusKey: `clamp-${key}` } });
  const set = (expanded) => {
    p.classList.toggle("clamped", !expanded);
    toggle.textContent = t(expanded ? "input.showLess" : "input.showMore");
    toggle.setAttribute("aria-expanded", String(expanded));
    if (expanded) open.add(key);
    else open.delete(key);
  };
  toggle.addEventListener("click", () => set(p.classList.contains("clamped")));
  set(open.has(key));
  return [p, toggle];
}
