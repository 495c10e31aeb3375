// Test harness: the real renkei binary on a temporary database, its CLI for
// test data, and Debian's Chromium driven by playwright-core (never a
// downloaded browser).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
export const binary = resolve(process.env.RENKEI_BINARY || join(repoRoot, "build-test/server/renkei"));
export const webDir = resolve(process.env.RENKEI_WEB || join(repoRoot, "client-web/dist"));
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
export const artifacts = resolve(process.env.RENKEI_ARTIFACTS || join(repoRoot, "tests/artifacts"));

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(binary)) missing.push(`server binary ${binary} (build it, or set RENKEI_BINARY)`);
  if (!existsSync(join(webDir, "app.js"))) missing.push(`${webDir}/app.js (run: cd client-web && npm ci && npm run build)`);
  if (!existsSync(chromiumPath)) missing.push(`${chromiumPath} (install: apt-get install -y chromium)`);
  if (missing.length) throw new Error(`e2e prerequisites missing:\n  ${missing.join("\n  ")}`);
  mkdirSync(artifacts, { recursive: true });
}

export function makeTempDir() {
  return mkdtempSync(join(tmpdir(), "renkei-e2e-"));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// Runs an admin command and returns its one JSON line.
export function cli(...args) {
  const out = execFileSync(binary, args, { encoding: "utf8", timeout: 20_000 });
  const line = out.trim().split("\n").pop();
  return JSON.parse(line);
}

// Starts `renkei serve` in its own process group (so that kill() takes down
// whatever it started) and resolves once it prints its address.
export function startServer({ db, port = 0 }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, ["serve", "--db", db, "--port", String(port), "--bind", "127.0.0.1", "--web", webDir], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      kill(child);
      reject(new Error(`server did not start within 20 s\nstdout: ${out}\nstderr: ${err}`));
    }, 20_000);
    child.stdout.on("data", (d) => {
      out += d.toString();
      const m = /renkei: listening on (http:\/\/[^\s]+)/.exec(out);
      if (m && !child.base) {
        child.base = m[1].replace(/\/$/, "");
        clearTimeout(timer);
        resolvePromise({ process: child, base: child.base, port: Number(new URL(child.base).port), log: () => err });
      }
    });
    child.stderr.on("data", (d) => {
      err += d.toString();
    });
    child.on("exit", (code) => {
      if (!child.base) {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before listening\nstdout: ${out}\nstderr: ${err}`));
      }
    });
  });
}

// Kills the server's process group (SIGKILL by default: a crash, not a
// polite shutdown) and waits until it is gone.
export function kill(child, signal = "SIGKILL") {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
    child.once("exit", () => resolvePromise());
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        resolvePromise();
      }
    }
  });
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

// Polls `fn` until it returns a truthy value (or throws after `timeout`).
export async function waitUntil(fn, { timeout = 10_000, interval = 100, message = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// Watches a page for what every browser test checks at the end: the
// commands it writes on its WebSockets (`person.sent`, in order), uncaught
// errors (`person.pageErrors`), console errors (`person.consoleErrors`,
// `{text, url}`) and content-security-policy violations (`window.__csp` in
// the page). Call before the first navigation.
export async function watchPage(page, person) {
  person.sent ??= [];
  person.pageErrors ??= [];
  person.consoleErrors ??= [];
  page.on("websocket", (ws) => {
    ws.on("framesent", (frame) => {
      try {
        const msg = JSON.parse(String(frame.payload));
        if (msg.type === "cmd") person.sent.push(msg);
      } catch {
        /* not JSON */
      }
    });
  });
  page.on("pageerror", (e) => person.pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") person.consoleErrors.push({ text: m.text(), url: m.location()?.url || "" });
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

// A text with a name and an age, which the personal-information guard flags
// (server/docs/PERSONAL_INFO.md).
export const FLAGGED_TEXT = "山田太郎さん（82歳）が退院後に自宅で転倒し、訪問看護の導入が遅れた";

// A screenshot of the page at `width` (900 px high at 1280 and wider, 1024
// below) in the artifacts folder as <name>-<width>.png.
export async function shotAt(page, name, width) {
  await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(artifacts, `${name}-${width}.png`) });
}

// The facilitator defines an indicator through the form of the 評価指標 tab
// (which must be shown).
export async function defineIndicator(page, { name, kind, unit, baseline, target }) {
  await page.fill("[data-focus-key=ind-name]", name);
  await page.selectOption("[data-focus-key=ind-kind]", kind);
  await page.fill("[data-focus-key=ind-unit]", unit);
  await page.fill("[data-focus-key=ind-baseline]", baseline);
  await page.fill("[data-focus-key=ind-target]", target);
  await page.click(".view-indicators form.grid-form button[type=submit]");
}

// A person in their own browser context, joined through their invite link
// and connected: {context, page, sent, pageErrors, consoleErrors}
// (watchPage). `init` runs in the page before its scripts (addInitScript).
export async function joinAs(browser, base, token, { width = 1280, height = 900, init = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const person = { context, page, sent: [], pageErrors: [], consoleErrors: [] };
  await watchPage(page, person);
  await page.goto(`${base}/join/${token}`);
  await page.waitForURL(/\/councils\/[^/]+/);
  await page.locator(".conn-online").waitFor({ state: "attached" });
  return person;
}

// Scripted clients for test data: WebSocket connections (hello with an
// invite token) held by a page of the server's origin, one per `key`.
export async function connectScripted(page, key, token, council) {
  await page.evaluate(async ({ key, token, council }) => {
    window.__renkei ??= { conns: new Map() };
    const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}/ws`);
    const conn = { ws, events: new Map(), waiters: new Map(), n: 0 };
    await new Promise((resolve, reject) => {
      ws.onopen = () => ws.send(JSON.stringify({ type: "hello", token, council, since: 0 }));
      ws.onerror = () => reject(new Error("websocket error"));
      ws.onmessage = (m) => {
        const msg = JSON.parse(m.data);
        if (msg.type === "event") conn.events.set(msg.seq, msg);
        else if (msg.type === "synced") resolve();
        else if (msg.type === "ack" || msg.type === "error") {
          const waiter = conn.waiters.get(msg.id);
          if (waiter) {
            conn.waiters.delete(msg.id);
            waiter(msg);
          } else if (msg.type === "error") reject(new Error(msg.message));
        }
      };
    });
    window.__renkei.conns.set(key, conn);
  }, { key, token, council });
}

// Sends a command on a scripted connection; resolves with the data of the
// event it produced (once that event has arrived), rejects on an error.
export async function sendScripted(page, key, op, args = {}) {
  return page.evaluate(({ key, op, args }) => {
    const conn = window.__renkei.conns.get(key);
    conn.n += 1;
    const id = `${key}-${conn.n}-${Math.random().toString(36).slice(2, 8)}`;
    return new Promise((resolve, reject) => {
      conn.waiters.set(id, (msg) => {
        if (msg.type !== "ack") return reject(new Error(`${op}: ${msg.code} ${msg.message}`));
        const started = Date.now();
        const poll = () => {
          const event = conn.events.get(msg.seq);
          if (event || Date.now() - started > 2000) resolve(event?.data || {});
          else setTimeout(poll, 10);
        };
        poll();
      });
      conn.ws.send(JSON.stringify({ type: "cmd", id, op, args }));
    });
  }, { key, op, args });
}
