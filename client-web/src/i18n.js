// Japanese first, English on request. The chosen language is the only thing
// this client keeps in localStorage.
import { STRINGS } from "./strings.js";

const STORAGE_KEY = "renkei.lang";
const listeners = new Set();
let current = readStoredLanguage();

function readStoredLanguage() {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === "en" ? "en" : "ja";
  } catch {
    return "ja";
  }
}

export function lang() {
  return current;
}

// t("issues.count", {n: 3}) → "3件". Unknown keys fall back to Japanese,
// then to the key itself so a missing string is visible, never blank.
export function t(key, params) {
  const entry = STRINGS[key];
  let text = entry ? (entry[current] ?? entry.ja) : key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) =>
      params[name] === undefined ? whole : String(params[name]),
    );
  }
  return text;
}

// {ja, en} objects from agenda templates.
export function pick(localised) {
  if (!localised) return "";
  if (typeof localised === "string") return localised;
  return localised[current] || localised.ja || localised.en || "";
}

// Server error messages are "<日本語> / <English>".
export function serverMessage(message) {
  if (typeof message !== "string") return "";
  const cut = message.indexOf(" / ");
  if (cut < 0) return message;
  return current === "en" ? message.slice(cut + 3) : message.slice(0, cut);
}

export function setLang(next) {
  if (next !== "ja" && next !== "en") return;
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  translateStatic(document);
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Re-translates elements built with h(…, {i18n}) or {i18nAttr}.
export function translateStatic(root) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const attr of ["aria-label", "placeholder", "title"]) {
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
    }
  }
  document.title = t("app.documentTitle");
}

const dateFormats = new Map();
function formatter(options) {
  const key = current + JSON.stringify(options);
  if (!dateFormats.has(key)) {
    dateFormats.set(key, new Intl.DateTimeFormat(current === "en" ? "en-GB" : "ja-JP", options));
  }
  return dateFormats.get(key);
}

// "2026-11-24T10:00:00.123Z" → "11/24 19:00" (local time)
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return formatter({ month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(d);
}

// "2027-03-31" → "2027年3月31日" / "31 Mar 2027"
export function formatDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
  if (!m) return ymd || "";
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return formatter({ year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(d);
}

export function formatNumber(n) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "";
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "ja-JP", {
    maximumFractionDigits: 2,
  }).format(n);
}
