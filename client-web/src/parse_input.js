// Dates and report periods as people type them, in 西暦 or 和暦 (令和), with
// full-width digits, normalised to what the protocol takes (YYYY-MM,
// YYYY-MM-DD). Pure functions (unit-tested in tests/e2e/parse_input.test.mjs).

const REIWA_OFFSET = 2018; // 令和1年 (元年) = 2019

function halfWidth(text) {
  return String(text)
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[／．－ー−]/g, (c) => ({ "／": "/", "．": ".", "－": "-", "ー": "-", "−": "-" })[c])
    .replace(/\s+/g, "")
    .replace(/元(?=年)/, "1");
}

// [year, rest] with the era resolved, or null.
function splitYear(text) {
  const s = halfWidth(text);
  let m = /^(?:令和|R)(\d{1,2})(?:年|[./-])(.*)$/i.exec(s);
  if (m) return Number(m[1]) >= 1 ? [REIWA_OFFSET + Number(m[1]), m[2]] : null;
  m = /^(\d{4})(?:年|[./-])(.*)$/.exec(s);
  return m ? [Number(m[1]), m[2]] : null;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function daysIn(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// "YYYY-MM-DD" for a date typed as 2027-03-31, 2027/3/31, 2027年3月31日,
// 令和9年3月31日, R9.3.31 (full-width digits too); null otherwise.
export function parseDate(text) {
  const split = splitYear(text);
  if (!split) return null;
  const [year, rest] = split;
  const m = /^(\d{1,2})(?:月|[./-])(\d{1,2})日?$/.exec(rest);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

// "YYYY-MM" for a report period typed as 2026-11, 2026/11, 2026年11月,
// 令和8年11月, R8.11; a full date gives "YYYY-MM-DD" (a period may be a
// day); null otherwise.
export function parsePeriod(text) {
  const date = parseDate(text);
  if (date) return date;
  const split = splitYear(text);
  if (!split) return null;
  const [year, rest] = split;
  const m = /^(\d{1,2})月?$/.exec(rest);
  if (!m) return null;
  const month = Number(m[1]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12) return null;
  return `${year}-${pad(month)}`;
}
