// Pieces shared by the record pages (記録, 次回に向けて, 検索, 比較): reading
// the council's documents, dates in Japan time, links into the record, and
// the loading, error and empty states.
import { h } from "../dom.js";
import { t, lang, formatDate, formatNumber } from "../i18n.js";

// GET a JSON document of the council with the session cookie. Throws an
// Error with .status (0 when the server could not be reached) and, when the
// server said why, .serverMessage ("<日本語> / <English>").
export async function fetchJson(url, { signal } = {}) {
  let res;
  try {
    res = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }, signal });
  } catch (cause) {
    if (cause?.name === "AbortError") throw cause;
    const error = new Error("network");
    error.status = 0;
    throw error;
  }
  if (!res.ok) {
    const error = new Error(`HTTP ${res.status}`);
    error.status = res.status;
    try {
      const body = await res.json();
      if (body && typeof body.message === "string") error.serverMessage = body.message;
    } catch {
      /* no JSON body */
    }
    throw error;
  }
  return res.json();
}

export function councilBase(councilId) {
  return `/councils/${encodeURIComponent(councilId)}`;
}

export function apiBase(councilId) {
  return `/api/councils/${encodeURIComponent(councilId)}`;
}

// Themes have no id of their own: their element id is made from the name.
export function themeAnchor(name) {
  return `theme-${String(name).replace(/\s+/g, "_")}`;
}

// A link to an entity of the record page: /councils/<id>/record#c1-i7
export function recordHref(councilId, anchor) {
  return `${councilBase(councilId)}/record#${encodeURIComponent(anchor)}`;
}

export function minutesHref(councilId, meetingId, format = "html") {
  return `${apiBase(councilId)}/meetings/${encodeURIComponent(meetingId)}/minutes.${format}`;
}

// ---- dates: always the day and time in Japan ----------------------------------
const formats = new Map();
function formatter(locale, options) {
  const key = locale + JSON.stringify(options);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, { timeZone: "Asia/Tokyo", ...options }));
  return formats.get(key);
}
function locale() {
  return lang() === "en" ? "en-GB" : "ja-JP";
}
function parse(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

// "2026-10-20T05:00:00.000Z" → "2026年10月20日"
export function dateJst(iso) {
  const d = parse(iso);
  return d ? formatter(locale(), { year: "numeric", month: "long", day: "numeric" }).format(d) : "";
}

// → "2026年10月20日(火)"
export function dateWeekdayJst(iso) {
  const d = parse(iso);
  return d ? formatter(locale(), { year: "numeric", month: "long", day: "numeric", weekday: "short" }).format(d) : "";
}

// → "2026年10月20日 14:00"
export function dateTimeJst(iso) {
  const d = parse(iso);
  return d ? formatter(locale(), { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(d) : "";
}

// → "14:00"
export function timeJst(iso) {
  const d = parse(iso);
  return d ? formatter(locale(), { hour: "2-digit", minute: "2-digit" }).format(d) : "";
}

// → "令和8年10月20日" (the Japanese era calendar)
export function warekiJst(iso) {
  const d = parse(iso);
  return d ? formatter("ja-JP-u-ca-japanese", { era: "long", year: "numeric", month: "long", day: "numeric" }).format(d) : "";
}

// A <time> element for an event time.
export function timeEl(iso, text = dateTimeJst(iso)) {
  return h("time", { datetime: iso, text });
}

// "2027-03-31" (a due date) → "2027年3月31日"
export function dueText(ymd) {
  return formatDate(ymd);
}

// "2026-10" → "2026年10月"; "2026-10-05" → "2026年10月5日"
export function periodText(period) {
  const m = /^(\d{4})-(\d{2})$/.exec(period || "");
  if (!m) return formatDate(period);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, 1));
  return new Intl.DateTimeFormat(locale(), { year: "numeric", month: "long", timeZone: "UTC" }).format(d);
}

export function numberText(value, unit) {
  const n = formatNumber(value);
  return unit ? `${n} ${unit}` : n;
}

// ---- people and labels ---------------------------------------------------------
// "佐藤 恵子（北広島町）"
export function who(by) {
  if (!by) return "";
  const name = by.name || by.participant || "";
  return by.org ? t("pg.personWithOrg", { name, org: by.org }) : name;
}

const PII_KINDS = ["name_with_age", "birth_date", "address", "phone"];

// A visible warning for text that may hold personal information.
// The text of a record item, or 「（伏せ字：<reason>）」 once redacted
// (`item.redacted`: {seq, at, by, reason}); an emptied text without the
// reason (a list that does not carry it) reads 「（伏せ字）」.
export function redactedText(item, text) {
  if (!item?.redacted) return text || t("redact.short");
  return item.redacted.reason ? t("redact.withReason", { reason: item.redacted.reason }) : t("redact.short");
}

export function piiBadge(pii) {
  if (!Array.isArray(pii) || !pii.length) return null;
  const kinds = pii.map((k) => (PII_KINDS.includes(k) ? t(`pg.pii.${k}`) : k)).join(t("pg.listSep"));
  return h("span", { class: "badge badge-pii", title: t("pg.piiHint") },
    h("span", { "aria-hidden": "true", text: "⚠ " }),
    t("pg.piiBadge", { kinds }));
}

export function issueStatusBadge(status) {
  return h("span", { class: `badge badge-issue-${status}`, text: t(`pg.issueStatus.${status}`) });
}

export function roleStateBadge(state) {
  return h("span", { class: `badge badge-state-${state}`, text: t(`pg.roleState.${state}`) });
}

export function roleStatusBadge(status) {
  return h("span", { class: `badge badge-progress badge-progress-${status}`, text: t(`pg.roleStatus.${status}`) });
}

export function overdueBadge() {
  return h("span", { class: "badge badge-overdue" },
    h("span", { "aria-hidden": "true", text: "⚠ " }),
    t("pg.overdue"));
}

// ---- states ------------------------------------------------------------------------
// The title and lead of a page (also the document title).
export function pageHead(shell, titleKey, leadKey) {
  shell.setTitle(t(titleKey));
  return h("div", { class: "page-head" },
    h("h1", { class: "page-title", text: t(titleKey) }),
    h("p", { class: "lead", text: t(leadKey) }));
}

// Shows `head` with the error or the loading state and returns true when
// the page has nothing else to show yet.
export function showPending(main, head, { error, loaded, retry }) {
  if (error) main.replaceChildren(head, errorState(error, { retry }));
  else if (!loaded) main.replaceChildren(head, loadingState());
  else return false;
  return true;
}

export function loadingState() {
  return h("p", { class: "page-loading", role: "status", text: t("pg.loading") });
}

// A failed read: 403 (another council), 404, the server unreachable, other.
export function errorState(error, { retry } = {}) {
  const status = error?.status;
  const key = status === 403 ? "pg.error.forbidden" : status === 404 ? "pg.error.notFound" : status === 0 ? "pg.error.network" : "pg.error.other";
  return h("div", { class: "page-error", role: "alert" },
    h("p", { class: "page-error-title", text: t(`${key}Title`) }),
    h("p", { text: t(`${key}Body`, { status: status ?? "" }) }),
    retry ? h("button", { type: "button", class: "btn", text: t("pg.retry"), onclick: retry }) : null);
}

export function emptyState(text) {
  return h("p", { class: "empty", text });
}

// A section of a page with its heading (h2) and an element id for the
// table of contents.
export function pageSection(id, title, ...children) {
  return h("section", { class: "card page-section", id, "aria-labelledby": `${id}-h` },
    h("h2", { class: "card-title", id: `${id}-h`, text: title }),
    ...children);
}

// Opens the <details> around an element, scrolls it into view below the
// sticky header and moves keyboard focus to it.
export function revealTarget(el) {
  if (!el) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (p.tagName === "DETAILS") p.open = true;
  }
  if (el.tagName === "DETAILS") el.open = true;
  if (!el.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) el.setAttribute("tabindex", "-1");
  for (const other of document.querySelectorAll(".is-target")) other.classList.remove("is-target");
  el.classList.add("is-target");
  el.scrollIntoView({ block: "start" });
  el.focus({ preventScroll: true });
  return true;
}

export function hashTarget() {
  const raw = location.hash.slice(1);
  if (!raw) return null;
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    /* keep it as it is */
  }
  return document.getElementById(id);
}
