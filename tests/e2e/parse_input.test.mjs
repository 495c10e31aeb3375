// The client's parsers of dates and report periods as people type them
// (client-web/src/parse_input.js), in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDate, parsePeriod } from "../../client-web/src/parse_input.js";

test("report periods in 西暦, 和暦 and full-width digits become YYYY-MM", () => {
  for (const [typed, expected] of [
    ["2026-11", "2026-11"],
    ["2026/11", "2026/11".replace("/", "-")],
    ["2026年11月", "2026-11"],
    ["2026年1月", "2026-01"],
    ["2026.3", "2026-03"],
    ["２０２６年１１月", "2026-11"],
    ["令和8年11月", "2026-11"],
    ["令和 8 年 11 月", "2026-11"],
    ["R8.11", "2026-11"],
    ["r8/4", "2026-04"],
    ["令和元年5月", "2019-05"],
    ["令和1年5月", "2019-05"],
    ["2026-11-30", "2026-11-30"],
    ["令和8年11月30日", "2026-11-30"],
  ]) {
    assert.equal(parsePeriod(typed), expected, typed);
  }
});

test("impossible or unreadable periods are refused", () => {
  for (const typed of ["", "2026", "2026-13", "2026年0月", "令和0年1月", "R8", "11月", "平成30年4月", "2026-11-31", "abc", "1999-12"]) {
    assert.equal(parsePeriod(typed), null, typed);
  }
});

test("due dates in 西暦 and 令和 become YYYY-MM-DD", () => {
  for (const [typed, expected] of [
    ["2027-03-31", "2027-03-31"],
    ["2027/3/31", "2027-03-31"],
    ["2027年3月31日", "2027-03-31"],
    ["令和9年3月31日", "2027-03-31"],
    ["R9.3.31", "2027-03-31"],
    ["令和元年5月1日", "2019-05-01"],
    ["２０２８年２月２９日", "2028-02-29"],
  ]) {
    assert.equal(parseDate(typed), expected, typed);
  }
  for (const typed of ["", "2027-02-29", "2027-04-31", "令和9年3月", "2027-3", "R9.13.1", "明日"]) {
    assert.equal(parseDate(typed), null, typed);
  }
});
