// The meeting screen as nurses use it, against the real server: the
// connection indicator after network drops and a server that stops
// answering, queued texts checked for personal information before they
// leave, the layout at 768 and 1280 px, and input as people type it.
// 山田 (facilitator, 西部保健所), 佐藤 (member, 北広島町).
// Run: cd tests/e2e && node --test meeting_screen.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts, watchPage,
} from "./harness.mjs";

const T = { timeout: 90_000 };
const FLAGGED = "山田太郎さん（82歳）が退院後に自宅で転倒し、訪問看護の導入が遅れた";
const LONG_NAME = "西部圏域 地域共生ケア会議（退院調整ルール・認知症初期集中支援・精神障害者の地域移行 合同部会）";

describe("meeting screen", { timeout: 400_000 }, () => {
  let dir;
  let server;
  let browser;
  const tokens = {};
  const people = {}; // key -> {page, context, sent, sockets, pageErrors, consoleErrors}

  async function enter(key, { width = 1280, height = 900 } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const person = { page, context, sent: [], pageErrors: [], consoleErrors: [] };
    // Sockets the page opens, counted where they are made.
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      window.__sockets = 0;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          window.__sockets += 1;
        }
      };
    });
    await watchPage(page, person);
    await page.goto(`${server.base}/join/${tokens[key]}`);
    await page.waitForURL(/\/councils\/[^/]+/);
    await page.locator(".conn-online").waitFor({ state: "attached" });
    people[key] = person;
    return person;
  }

  const pill = (page) => page.locator(".conn .conn-text").textContent();
  const issueTexts = (page) => page.locator(".board .issue > .issue-text").allTextContents();

  async function shot(page, name, width) {
    await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(artifacts, `${name}-${width}.png`) });
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    const db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", LONG_NAME, "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    const sato = cli("invite", "--db", db, "--council", created.council, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member");
    Object.assign(tokens, { yamada: created.token, sato: sato.token });
    server = await startServer({ db });
    browser = await launchBrowser();
    await enter("yamada");
    await enter("sato");
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) {
      try {
        process.kill(server.process.pid, "SIGCONT");
      } catch {
        /* gone */
      }
      await kill(server.process);
    }
    if (dir) removeDir(dir);
  });

  test("the indicator follows the network: offline, then 接続済み again with what was missed", T, async () => {
    const { yamada: f, sato: m } = people;
    await m.page.click("#tab-board");
    await f.page.click("#tab-board");
    assert.equal(await pill(m.page), "接続済み");
    await m.context.setOffline(true);
    await waitUntil(async () => (await pill(m.page)) === "オフライン", { message: "オフライン" });
    assert.equal(await m.page.locator(".conn-wrap button").isVisible(), true, "今すぐ再接続 offered");
    // Meanwhile the facilitator posts.
    await f.page.fill(".post-form textarea", "夜間の受け入れ先が決まらない");
    await f.page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await issueTexts(f.page)).includes("夜間の受け入れ先が決まらない"), { message: "the post" });
    await m.context.setOffline(false);
    await waitUntil(async () => (await pill(m.page)) === "接続済み", { timeout: 5000, message: "接続済み after the network is back" });
    await waitUntil(async () => (await issueTexts(m.page)).includes("夜間の受け入れ先が決まらない"), { timeout: 5000, message: "the missed issue" });
    assert.equal(await m.page.locator(".conn-wrap button").isVisible(), false);
  });

  test("a server that stops answering is noticed by the heartbeat; 今すぐ再接続 opens a fresh socket", T, async () => {
    const { sato: m } = people;
    const pid = server.process.pid;
    process.kill(pid, "SIGSTOP");
    try {
      const started = Date.now();
      await waitUntil(async () => (await pill(m.page)) !== "接続済み", { timeout: 12_000, message: "the dead socket noticed" });
      assert.ok(Date.now() - started < 12_000);
      assert.match(await pill(m.page), /^(再接続中…|オフライン)$/);
      await shot(m.page, "conn-reconnecting", 1280);
      const sockets = () => m.page.evaluate(() => window.__sockets);
      const before = await sockets();
      await m.page.click(".conn-wrap button:has-text('今すぐ再接続')");
      await waitUntil(async () => (await sockets()) > before, { timeout: 3000, message: "a new socket after 今すぐ再接続" });
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await waitUntil(async () => (await pill(m.page)) === "接続済み", { timeout: 15_000, message: "接続済み after SIGCONT" });
    // Its answer to the heartbeat is not shown as an error.
    assert.equal(await m.page.locator(".toast-error, .toast.error").count(), 0);
  });

  test("a text queued offline is checked before it is sent on reconnect", T, async () => {
    const { yamada: f, sato: m } = people;
    const page = m.page;
    const warning = page.locator(".post-form .pii-warning");
    await m.context.setOffline(true);
    await waitUntil(async () => (await pill(page)) === "オフライン", { message: "オフライン" });
    await page.fill(".post-form textarea", FLAGGED);
    await page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await page.locator(".conn-pending").textContent()) === "未送信 1件", { message: "queued" });
    const sentBefore = m.sent.filter((c) => c.op === "issue.post").length;
    await m.context.setOffline(false);
    await warning.waitFor({ state: "visible", timeout: 8000 });
    assert.equal(await pill(page), "接続済み");
    await page.waitForTimeout(500);
    assert.equal(m.sent.filter((c) => c.op === "issue.post").length, sentBefore, "held back");
    assert.equal((await issueTexts(f.page)).includes(FLAGGED), false);
    await shot(page, "queued-warning", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    // 修正する: the queued text is withdrawn and given back to the field.
    await warning.locator("button:has-text('修正する')").click();
    assert.equal(await page.locator(".post-form textarea").inputValue(), FLAGGED);
    assert.equal(await page.locator(".conn-pending").textContent(), "");
    await page.waitForTimeout(300);
    assert.equal(m.sent.filter((c) => c.op === "issue.post").length, sentBefore);

    // Again, and this time このまま投稿する.
    await m.context.setOffline(true);
    await waitUntil(async () => (await pill(page)) === "オフライン", { message: "オフライン" });
    await page.click(".post-form button[type=submit]");
    await m.context.setOffline(false);
    await warning.waitFor({ state: "visible", timeout: 8000 });
    await warning.locator("button:has-text('このまま投稿する')").click();
    await waitUntil(async () => (await issueTexts(f.page)).includes(FLAGGED), { message: "posted anyway" });
    assert.equal(m.sent.filter((c) => c.op === "issue.post" && c.args.text === FLAGGED).length, 1);
  });
});
