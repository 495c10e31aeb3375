// Static checks of the browser client's source (no browser needed): user
// text must go through text nodes, never through HTML parsing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./harness.mjs";

const src = join(repoRoot, "client-web/src");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".js") ? [path] : [];
  });
}

test("client source never parses HTML or evaluates strings", () => {
  const forbidden = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\s*\(|new Function|setAttribute\(\s*["']style["'])/;
  const offenders = [];
  for (const file of files(src)) {
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      if (forbidden.test(line)) offenders.push(`${relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test("the page shell has no inline script or style (CSP: script-src 'self'; style-src 'self')", () => {
  const html = readFileSync(join(repoRoot, "client-web/index.html"), "utf8");
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, "no inline <script>");
  assert.doesNotMatch(html, /\sstyle\s*=/i, "no style attributes");
  assert.doesNotMatch(html, /<style/i, "no <style> element");
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, "no inline event handlers");
  assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//i, "no external resources");
});
