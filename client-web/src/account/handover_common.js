// Dates of handover (CONTINUITY.md: a date is a day in Japan, UTC+9, and a
// handover dated D starts at 00:00 JST on D): today in Japan, the next
// 4月1日 (the usual day of 異動), and 「4月1日から」 for a seat that starts
// later.
import { t, lang } from "../i18n.js";

const JST_MS = 9 * 3600 * 1000;

// "YYYY-MM-DD" in Japan of a UTC time (ms or ISO text).
export function jstDate(when = Date.now()) {
  const ms = typeof when === "string" ? Date.parse(when) : when;
  if (!Number.isFinite(ms)) return "";
  return new Date(ms + JST_MS).toISOString().slice(0, 10);
}

// The next 4月1日 after today in Japan (today's, when it is 4月1日 itself:
// a handover on the day takes effect at once).
export function nextAprilFirst(today = jstDate()) {
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-04-01`;
  return today <= thisYear ? thisYear : `${year + 1}-04-01`;
}

// 「4月1日から」 / "From 1 April" for a seat starting at `iso` (UTC).
export function startsText(iso) {
  const ymd = jstDate(iso);
  if (!ymd) return "";
  const m = Number(ymd.slice(5, 7));
  const d = Number(ymd.slice(8, 10));
  const date = new Intl.DateTimeFormat(lang() === "en" ? "en-GB" : "ja-JP", { month: "long", day: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(2000, m - 1, d)));
  return t("ho.startsFrom", { m, d, date });
}
