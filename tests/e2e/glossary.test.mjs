// One word per concept: the client's strings take the glossary's terms
// (client-web/src/glossary.json) and use none of the variants it rules out;
// the checker the browser tests run on every page finds what it should.
import { test } from "node:test";
import assert from "node:assert/strict";
import { STRINGS } from "../../client-web/src/strings.js";
import { TERMS, term } from "../../client-web/src/glossary.js";
import { AVOIDED, wordingProblems } from "./wording.mjs";

test("every glossary term has Japanese and English, and no term is another's variant", () => {
  const words = new Set();
  for (const [key, entry] of Object.entries(TERMS)) {
    assert.ok(entry.ja && entry.en, `${key}: ja and en`);
    words.add(entry.ja);
  }
  for (const { variant, key } of AVOIDED) assert.ok(!words.has(variant), `${key}: 「${variant}」 is a term elsewhere`);
  assert.throws(() => term("no.such.term"), /glossary/);
});

test("no string of the interface uses a variant the glossary rules out", () => {
  const offenders = [];
  for (const [key, entry] of Object.entries(STRINGS)) {
    for (const lang of ["ja", "en"]) {
      for (const { variant, use } of AVOIDED) {
        if (entry[lang]?.includes(variant)) offenders.push(`${key} (${lang}): 「${variant}」 → 「${use}」`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test("the strings of glossary concepts are the glossary's terms", () => {
  const pairs = {
    "stance.block": "stance.block", "rec.stance.block": "stance.block",
    "method.schulze": "method.schulze", "rec.method.schulze": "method.schulze",
    "role.status.in_progress": "role.status.in_progress", "pg.roleStatus.in_progress": "role.status.in_progress",
    "role.state.proposed": "role.state.proposed", "pg.roleState.proposed": "role.state.proposed",
    "role.state.agreed": "role.state.agreed", "pg.roleState.agreed": "role.state.agreed",
    "stage.4": "stage.4", "pg.stage.4": "stage.4",
  };
  for (const [key, glossaryKey] of Object.entries(pairs)) {
    assert.deepEqual(STRINGS[key], term(glossaryKey), key);
  }
});

test("the wording check finds variants, literal null and undefined, and internal ids", () => {
  assert.deepEqual(wordingProblems("阻止 1・シュルツェ法・実施中・合意待ち・第2回会議・R8.11・2026-11"), []);
  assert.ok(wordingProblems("異議あり 2").length >= 1, "異議あり 2");
  assert.ok(wordingProblems("シュルツ方式で決定").length >= 1, "シュルツ方式で決定");
  assert.ok(wordingProblems("役割は進行中です").length >= 1, "役割は進行中です");
  assert.ok(wordingProblems("開催中の会議：null").length >= 1, "開催中の会議：null");
  assert.ok(wordingProblems("担当 undefined").length >= 1, "担当 undefined");
  assert.ok(wordingProblems("課題 c1-i1 を統合").length >= 1, "課題 c1-i1 を統合");
  assert.ok(wordingProblems("（c1 seq 1〜56）").length >= 1, "（c1 seq 1〜56）");
  assert.ok(wordingProblems("参加者 p3 が投票").length >= 1, "参加者 p3 が投票");
});
