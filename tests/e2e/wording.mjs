// What no rendered page may show: a word the glossary rules out (one word per
// concept, client-web/src/glossary.json), a literal "null" or "undefined",
// or an internal id ("c1-i7", "c1 seq 1〜56", a bare council or participant
// id). Used by the browser tests on every page they visit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./harness.mjs";

const glossary = JSON.parse(readFileSync(join(repoRoot, "client-web/src/glossary.json"), "utf8"));

export const AVOIDED = Object.entries(glossary.terms).flatMap(([key, entry]) =>
  (entry.avoid || []).map((variant) => ({ variant, key, use: entry.ja })),
);

const INTERNALS = [
  { pattern: /\bnull\b/, what: '"null"' },
  { pattern: /\bundefined\b/, what: '"undefined"' },
  { pattern: /\bNaN\b/, what: '"NaN"' },
  { pattern: /\[object Object\]/, what: '"[object Object]"' },
  { pattern: /\bc\d+-[a-z]{1,2}\d+\b/, what: "an item id" },
  { pattern: /\bc\d+ seq\b/, what: "a log position" },
  { pattern: /(?<![\w./-])[cp]\d+(?![\w./-])/, what: "a council or participant id" },
];

// The problems in one text, each as "…what… in «context»".
export function wordingProblems(text) {
  const problems = [];
  const context = (index, length) => text.slice(Math.max(0, index - 20), index + length + 20).replace(/\s+/g, " ");
  for (const { variant, use } of AVOIDED) {
    const index = text.indexOf(variant);
    if (index >= 0) problems.push(`「${variant}」 (the glossary says 「${use}」) in «${context(index, variant.length)}»`);
  }
  for (const { pattern, what } of INTERNALS) {
    const m = pattern.exec(text);
    if (m) problems.push(`${what} in «${context(m.index, m[0].length)}»`);
  }
  return problems;
}

// The visible text of a page, with the accessible names and titles people
// hear and see on hover.
export async function pageWords(page) {
  return page.evaluate(() => {
    // innerText for what shows; every text node too (one a line, so that
    // neighbouring cells do not run together) for the tabs and panels that
    // are hidden right now.
    const parts = [document.title, document.body.innerText];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], img[alt]")) {
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        const value = el.getAttribute(name);
        if (value) parts.push(value);
      }
    }
    return parts.join("\n");
  });
}

export async function wordingProblemsOf(page) {
  return wordingProblems(await pageWords(page));
}
