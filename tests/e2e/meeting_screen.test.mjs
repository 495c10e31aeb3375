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
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts,
  FLAGGED_TEXT, shotAt as shot, defineIndicator, joinAs,
} from "./harness.mjs";

const T = { timeout: 90_000 };
const FLAGGED = FLAGGED_TEXT;
const LONG_NAME = "西部圏域 地域共生ケア会議（退院調整ルール・認知症初期集中支援・精神障害者の地域移行 合同部会）";

describe("meeting screen", { timeout: 400_000 }, () => {
  let dir;
  let server;
  let browser;
  const tokens = {};
  const people = {}; // key -> {page, context, sent, pageErrors, consoleErrors}

  async function enter(key, options = {}) {
    // Sockets the page opens, counted where they are made.
    const init = () => {
      const Native = window.WebSocket;
      window.__sockets = 0;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          window.__sockets += 1;
        }
      };
    };
    people[key] = await joinAs(browser, server.base, tokens[key], { ...options, init });
    return people[key];
  }

  const pill = (page) => page.locator(".conn .conn-text").textContent();
  const issueTexts = (page) => page.locator(".board .issue > .issue-text").allTextContents();

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

  async function tab(page, id) {
    await page.click(`#tab-${id}`);
    await page.locator(`#panel-${id}`).waitFor({ state: "visible" });
  }

  async function box(page, selector) {
    return page.locator(selector).first().boundingBox();
  }

  // What a person sees contains no "null", "undefined" or internal ids.
  async function assertCleanText(page) {
    const text = await page.locator("body").innerText();
    assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\bNaN\b/);
    assert.doesNotMatch(text, /\b(c\d+-)?(p|i|r|m|ind|role)\d+\b/, "no internal ids");
  }

  test("layout: one-row header, the agenda as a strip on a tablet, the task in view, 44 px handles, the ballot before the setup", T, async () => {
    const { yamada: f, sato: m } = people;
    // The facilitator at 1280: one row even with a long council name.
    await f.page.setViewportSize({ width: 1280, height: 900 });
    const name = f.page.locator(".appbar .council-name");
    assert.equal(await name.getAttribute("title"), LONG_NAME);
    assert.ok(await name.evaluate((el) => el.scrollWidth > el.clientWidth), "the name is cut with an ellipsis");
    assert.ok((await box(f.page, ".appbar")).height < 70, "one header row at 1280 px");

    // A meeting on its fourth item (各機関からの課題提出 → the issue board).
    await f.page.selectOption("select[data-focus-key=start-agenda]", "community-care-council");
    await f.page.fill("input[data-focus-key=start-title]", "第3回 合同部会");
    await f.page.click(".agenda button[type=submit]");
    await f.page.click(".agenda-controls button:has-text('最初の議題へ')");
    await m.page.setViewportSize({ width: 768, height: 1024 });
    await tab(m.page, "indicators"); // somewhere else
    for (let i = 0; i < 3; i++) {
      const before = await f.page.locator(".item-title").textContent();
      await f.page.click(".agenda-controls button:has-text('次の議題')");
      await waitUntil(async () => (await f.page.locator(".item-title").textContent()) !== before, { message: "next item" });
    }
    await waitUntil(async () => (await m.page.locator(".item-title").textContent()) === "各機関からの課題提出", { message: "item 4 on the tablet" });

    // The tablet: header one row, the agenda a strip, participants folded,
    // the board (the item's task) selected and on the first screen.
    await waitUntil(() => m.page.locator("#panel-board").isVisible(), { message: "the item's task (board) selected" });
    assert.ok((await box(m.page, ".appbar")).height < 70, "one header row at 768 px");
    assert.equal(await m.page.locator(".side .presence").isVisible(), false, "participants folded");
    const side = await box(m.page, ".side");
    assert.ok(side.height < 260, `agenda strip is compact (${side.height} px)`);
    const form = await box(m.page, "#panel-board .post-form textarea");
    assert.ok(form.y + form.height < 1024, "the issue form is on the first screen");
    await shot(m.page, "meeting-tablet-strip", 768);
    const toggle = m.page.locator(".side-toggle");
    assert.ok((await toggle.boundingBox()).height >= 44);
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await m.page.locator(".side .presence").isVisible(), true);
    await shot(m.page, "meeting-tablet-expanded", 768);
    await toggle.click();
    assert.equal(await m.page.locator(".side .presence").isVisible(), false);
    await shot(f.page, "meeting-desktop", 1280);

    // A ranking: the setup form gives way to the ballot.
    await tab(f.page, "ranking");
    const setup = f.page.locator(".view-ranking form:has(button:has-text('投票を開始'))");
    assert.equal(await setup.isVisible(), true);
    await f.page.check(".radio-card input[value=borda]");
    await f.page.click(".view-ranking form button[type=submit]:has-text('投票を開始')");
    await f.page.locator(".ranking-open").waitFor();
    await waitUntil(async () => !(await setup.isVisible()), { message: "the setup form hidden while voting" });
    const ballot = await box(f.page, ".ranking-open");
    assert.ok(ballot.y < 500, "the ballot is near the top");
    await f.page.click(".setup-toggle");
    assert.equal(await setup.isVisible(), true, "the setup form can be brought back");
    await f.page.click(".setup-toggle");
    await shot(f.page, "ranking-open-facilitator", 1280);
    await tab(m.page, "ranking");
    await m.page.locator(".ranking-open .drag-handle").first().waitFor();
    for (const handle of await m.page.locator(".ranking-open .drag-handle").all()) {
      const b = await handle.boundingBox();
      assert.ok(b.width >= 44 && b.height >= 44, `drag handle ${b.width}x${b.height}`);
    }
    await shot(m.page, "ranking-open-tablet", 768);
    await assertCleanText(m.page);
    await assertCleanText(f.page);
    await f.page.click(".ranking-open button:has-text('投票を締め切る')");
    await f.page.locator("dialog.ask-dialog[open] button:has-text('締め切る')").click();
    await waitUntil(() => setup.isVisible(), { message: "the setup form back after closing" });
  });

  test("input as people type it: 和暦 periods and dates, errors beside fields, counter, clamped cards, theme cleared", T, async () => {
    const { yamada: f, sato: m } = people;
    const page = m.page;
    await page.setViewportSize({ width: 768, height: 1024 });
    // Issue form: the theme does not stay for the next post.
    await tab(page, "board");
    await page.fill(".post-form textarea", "訪問看護と病院の情報共有の様式が統一されていない");
    await page.fill(".post-form input[name=theme]", "退院調整ルール");
    await page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await page.locator(".post-form textarea").inputValue()) === "", { message: "posted" });
    assert.equal(await page.locator(".post-form input[name=theme]").inputValue(), "", "theme cleared after posting");
    assert.equal(await page.locator(".toast", { hasText: "送信待ち" }).count(), 0, "no queued notice while connected");
    // An empty post: the error is beside the field.
    await page.click(".post-form button[type=submit]");
    const textarea = page.locator(".post-form textarea");
    assert.equal(await textarea.getAttribute("aria-invalid"), "true");
    const errId = (await textarea.getAttribute("aria-describedby")).split(" ")[0];
    assert.match(await page.locator(`#${errId}`).textContent(), /.+/);
    assert.equal(await page.locator(".toast-error").count(), 0, "no toast for a field error");
    // The counter from 1,600 characters.
    await textarea.fill("あ".repeat(1500));
    assert.equal(await textarea.getAttribute("aria-invalid"), null, "the error clears when typing");
    assert.equal(await page.locator(".post-form .char-counter").isVisible(), false);
    await textarea.fill("あ".repeat(1650));
    assert.equal(await page.locator(".post-form .char-counter").textContent(), "残り 350文字");
    // A long card is clamped.
    const long = "地域の医療機関と介護事業所の連携について、".repeat(12);
    await textarea.fill(long);
    await page.click(".post-form button[type=submit]");
    const card = page.locator(".board .issue", { hasText: "地域の医療機関と介護事業所" }).first();
    await card.waitFor();
    const more = card.locator(".clamp-toggle");
    assert.equal(await more.textContent(), "続きを読む");
    const clampedHeight = (await card.locator(".issue-text").boundingBox()).height;
    await more.click();
    assert.equal(await more.textContent(), "閉じる");
    assert.ok((await card.locator(".issue-text").boundingBox()).height > clampedHeight);
    await shot(page, "board-input", 768);
    await shot(page, "board-input", 1280);

    // Indicator periods typed as people write them.
    await tab(f.page, "indicators");
    await defineIndicator(f.page, { name: "退院時引継ぎ率", kind: "process", unit: "%", baseline: "69.1", target: "90" });
    await tab(page, "indicators");
    await page.locator(".indicator").waitFor();
    const period = page.locator("[data-focus-key^=rep-period-]");
    await page.fill("[data-focus-key^=rep-value-]", "78.5");
    await period.fill("2026年13月");
    await page.click(".report-form button[type=submit]");
    assert.equal(await period.getAttribute("aria-invalid"), "true");
    const periodErr = (await period.getAttribute("aria-describedby")).split(" ")[0];
    assert.match(await page.locator(`#${periodErr}`).textContent(), /令和8年11月/);
    await shot(page, "indicator-error", 768);
    await period.fill("令和8年11月");
    assert.equal(await period.getAttribute("aria-invalid"), null);
    await page.click(".report-form button[type=submit]");
    await waitUntil(() => m.sent.some((c) => c.op === "indicator.report"), { message: "report sent" });
    assert.equal(m.sent.find((c) => c.op === "indicator.report").args.period, "2026-11");
    // The first report is back (the card re-renders with it) before the
    // second is typed, so the re-render cannot race the typing.
    await waitUntil(async () => /78\.5/.test(await page.locator(".indicator").first().textContent()), { message: "first report shown" });
    await page.fill("[data-focus-key^=rep-value-]", "80");
    await page.fill("[data-focus-key^=rep-period-]", "R8.12");
    await page.click(".report-form button[type=submit]");
    await waitUntil(() => m.sent.filter((c) => c.op === "indicator.report").length === 2, { message: "second report" });
    assert.equal(m.sent.filter((c) => c.op === "indicator.report")[1].args.period, "2026-12");

    // A role's due date in 令和.
    await tab(page, "roles");
    await page.fill("[data-focus-key=role-title]", "退院前カンファレンスの開催");
    await page.fill("[data-focus-key=role-owner]", "北広島町");
    const due = page.locator("[data-focus-key=role-due]");
    await due.fill("令和9年2月30日");
    await page.click(".view-roles form.grid-form button[type=submit]");
    assert.equal(await due.getAttribute("aria-invalid"), "true");
    await due.fill("令和9年3月31日");
    await page.click(".view-roles form.grid-form button[type=submit]");
    await waitUntil(() => m.sent.some((c) => c.op === "role.propose"), { message: "role sent" });
    assert.equal(m.sent.find((c) => c.op === "role.propose").args.due, "2027-03-31");
    await shot(page, "roles-input", 768);
    await assertCleanText(page);
  });

  test("a stale error notice goes when a command succeeds", T, async () => {
    const { yamada: f } = people;
    await tab(f.page, "ranking");
    for (const box of await f.page.locator(".view-ranking form input[type=checkbox]").all()) await box.uncheck();
    await f.page.click(".view-ranking form button[type=submit]:has-text('投票を開始')");
    const notice = f.page.locator(".toast-error", { hasText: "候補を2件以上選んでください" });
    await notice.waitFor();
    // Something else then goes through: the notice no longer holds.
    await tab(f.page, "board");
    await f.page.fill(".post-form textarea", "通所リハビリの送迎範囲が市町村で異なる");
    await f.page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await notice.count()) === 0, { timeout: 3000, message: "the notice taken down (its own lifetime is 10 s)" });
  });

  test("the landing page speaks to participants", T, async () => {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: "ja-JP" });
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    await page.locator("#landing h1").waitFor({ state: "visible" });
    const text = await page.locator("#landing").innerText();
    assert.match(text, /招待リンクから参加してください/);
    assert.match(text, /事務局/);
    assert.doesNotMatch(text, /renkei (council|invite)|--db|hello|WebSocket|PROTOCOL/);
    await page.screenshot({ path: join(artifacts, "landing-768.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, "landing-1280.png"), fullPage: true });
    await context.close();
  });

  test("no script errors", () => {
    for (const p of Object.values(people)) {
      assert.deepEqual(p.pageErrors, []);
    }
  });
});
