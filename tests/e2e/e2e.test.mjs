// End-to-end tests of the browser client against the real server, with
// several people in one council, each in their own browser context:
//   山田 (facilitator, 西部保健所), 佐藤 (member, 北広島町),
//   田中 (member, 山県郡医師会), 鈴木 (observer, 県本庁).
// Run: cd tests/e2e && npm ci && node --test
// Env: RENKEI_BINARY (server binary), RENKEI_WEB (built client, default
// client-web/dist), CHROMIUM (default /usr/bin/chromium).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts, watchPage, defineIndicator,
} from "./harness.mjs";

const T = { timeout: 90_000 };

describe("Renkei browser client", { timeout: 600_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  let council;
  const people = {}; // key -> {token, participant, context, page, dialogs, errors}

  async function enter(key, token, { width = 1280, height = 900 } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const person = { token, context, page, dialogs: [], pageErrors: [], consoleErrors: [], sent: [] };
    await watchPage(page, person);
    page.on("dialog", async (d) => {
      person.dialogs.push(d.message());
      await d.dismiss().catch(() => {});
    });
    await page.goto(`${server.base}/join/${token}`);
    await page.waitForURL(/\/councils\/[^/]+/);
    await waitFor(page, ".conn-online", `${key} connected`);
    people[key] = person;
    return person;
  }

  async function waitFor(page, selector, message, timeout = 10_000) {
    await page.locator(selector).first().waitFor({ state: "attached", timeout }).catch((e) => {
      throw new Error(`${message}: ${selector} did not appear (${e.message.split("\n")[0]})`);
    });
  }

  async function tab(page, id) {
    await page.click(`#tab-${id}`);
    await page.locator(`#panel-${id}`).waitFor({ state: "visible" });
  }

  async function issueTexts(page, scope = ".board .issue-list > .issue > .issue-text") {
    return page.locator(scope).allTextContents();
  }

  async function postIssue(page, text, theme) {
    await tab(page, "board");
    await page.fill(".post-form textarea", text);
    if (theme !== undefined) await page.fill(".post-form input[data-focus-key=issue-theme]", theme);
    await page.click(".post-form button[type=submit]");
  }

  async function waitForIssue(page, text, who = "page") {
    await waitUntil(async () => (await issueTexts(page, ".board .issue > .issue-text")).includes(text), {
      message: `${who} to show issue ${JSON.stringify(text)}`,
    });
  }

  async function issueIdByText(page, text) {
    return page.evaluate((t) => {
      for (const el of document.querySelectorAll(".board .issue")) {
        if (el.querySelector(":scope > .issue-text")?.textContent === t) return el.dataset.issue;
      }
      return null;
    }, text);
  }

  async function shot(page, name, width) {
    if (width) {
      await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
      await page.waitForTimeout(350);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", "西部圏域 地域共生ケア会議", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    council = created.council;
    const sato = cli("invite", "--db", db, "--council", council, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member");
    const tanaka = cli("invite", "--db", db, "--council", council, "--name", "田中 一郎", "--org", "山県郡医師会", "--role", "member");
    const suzuki = cli("invite", "--db", db, "--council", council, "--name", "鈴木 次郎", "--org", "県本庁", "--role", "observer");
    assert.match(sato.link, /^\/join\//);
    people.tokens = { yamada: created.token, sato: sato.token, tanaka: tanaka.token, suzuki: suzuki.token };
    server = await startServer({ db });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("joining: who I am, who is connected, and no token kept by the browser", T, async () => {
    const f = await enter("yamada", people.tokens.yamada);
    const m1 = await enter("sato", people.tokens.sato);
    const m2 = await enter("tanaka", people.tokens.tanaka, { width: 768, height: 1024 });
    const o = await enter("suzuki", people.tokens.suzuki);

    const expectMe = async (p, name, org, role) => {
      assert.equal(await p.page.locator(".me-name").textContent(), name);
      assert.equal(await p.page.locator(".me-org").textContent(), org);
      assert.equal(await p.page.locator(".me .badge").textContent(), role);
    };
    await expectMe(f, "山田 花子", "西部保健所", "ファシリテーター");
    await expectMe(m1, "佐藤 恵子", "北広島町", "メンバー");
    await expectMe(m2, "田中 一郎", "山県郡医師会", "メンバー");
    await expectMe(o, "鈴木 次郎", "県本庁", "オブザーバー");

    for (const [key, p] of Object.entries({ yamada: f, sato: m1, tanaka: m2, suzuki: o })) {
      const url = p.page.url();
      assert.ok(!url.includes(people.tokens[key]), "the token is not in the address");
      assert.match(new URL(url).pathname, new RegExp(`^/councils/${council}$`));
      const stored = await p.page.evaluate(() => {
        const all = [];
        for (let i = 0; i < localStorage.length; i++) all.push(localStorage.key(i) + "=" + localStorage.getItem(localStorage.key(i)));
        for (let i = 0; i < sessionStorage.length; i++) all.push(sessionStorage.key(i) + "=" + sessionStorage.getItem(sessionStorage.key(i)));
        return { all: all.join("\n"), cookie: document.cookie, history: history.length };
      });
      assert.ok(!stored.all.includes(people.tokens[key]), "the token is not in web storage");
      assert.ok(!stored.cookie.includes(people.tokens[key]), "the token is not in a script-readable cookie");
    }

    // Presence: everyone sees the four participants connected.
    for (const p of [f, m1, m2, o]) {
      await waitUntil(async () => (await p.page.locator(".presence-item").count()) === 4, { message: "4 connected" });
    }
    const names = await f.page.locator(".presence-name > span:first-child").allTextContents();
    assert.deepEqual(names.sort(), ["佐藤 恵子", "山田 花子", "田中 一郎", "鈴木 次郎"].sort());

    // Observers see everything but have no action controls.
    assert.equal(await o.page.locator(".observer-banner").count(), 1);
    assert.equal(await o.page.locator(".post-form").count(), 0);
  });

  test("(a) a member posts an issue and the facilitator sees it live; board grouped by organisation or theme", T, async () => {
    const { yamada: f, sato: m1, tanaka: m2 } = people;
    await postIssue(m1.page, "退院調整ルールの運用が病院ごとに異なる", "退院調整ルール");
    await waitForIssue(f.page, "退院調整ルールの運用が病院ごとに異なる", "facilitator");
    await postIssue(m2.page, "在宅医の夜間対応の負担が大きい", "在宅医療");
    await waitForIssue(m1.page, "在宅医の夜間対応の負担が大きい", "member");
    await postIssue(f.page, "認知症初期集中支援チームの周知が不十分", "認知症初期集中支援");
    await waitForIssue(m2.page, "認知症初期集中支援チームの周知が不十分", "member 2");
    await postIssue(m1.page, "入院時の情報共有シートが使われていない", "退院調整ルール");
    await waitForIssue(f.page, "入院時の情報共有シートが使われていない", "facilitator");

    // Grouped by organisation by default.
    const orgGroups = await f.page.locator(".issue-group-title > span:first-child").allTextContents();
    assert.deepEqual(orgGroups, ["北広島町", "山県郡医師会", "西部保健所"]);
    await f.page.click(".segmented button:has-text('テーマ別')");
    const themeGroups = await f.page.locator(".issue-group-title > span:first-child").allTextContents();
    assert.deepEqual(themeGroups, ["退院調整ルール", "在宅医療", "認知症初期集中支援"]);
    await shot(f.page, "board-by-theme-1280");
    await f.page.click(".segmented button:has-text('機関別')");

    // The facilitator merges a duplicate: it folds under its target for everyone.
    const from = await issueIdByText(f.page, "入院時の情報共有シートが使われていない");
    const into = await issueIdByText(f.page, "退院調整ルールの運用が病院ごとに異なる");
    await f.page.click(`.issue[data-issue="${from}"] .issue-tools button`);
    await f.page.selectOption(`[data-focus-key="merge-into-${from}"]`, into);
    await f.page.click(`.issue[data-issue="${from}"] .merge-form button[type=submit]`);
    for (const p of [f, m1, m2, people.suzuki]) {
      await waitUntil(async () => (await p.page.locator(`.issue[data-issue="${into}"] .merged summary`).count()) === 1, { message: "merged summary" });
      const summary = await p.page.locator(`.issue[data-issue="${into}"] .merged summary`).textContent();
      assert.equal(summary, "統合された課題 1件");
      assert.equal(await p.page.locator(`.issue-list > .issue[data-issue="${from}"]`).count(), 0, "merged issue not shown at the top level");
    }
    assert.equal(await m1.page.locator(".board-summary").textContent(), "課題 3件（統合済み 1件）");
    await shot(m1.page, "board-1280");
    await shot(m2.page, "board-768");
  });

  test("agenda: the facilitator starts a meeting from a template; item, purpose, stages and timer for everyone", T, async () => {
    const { yamada: f, sato: m1, suzuki: o } = people;
    const agendas = await f.page.evaluate(() => fetch("/api/agendas").then((r) => r.json()));
    assert.ok(agendas.some((a) => a.id === "community-care-council"));
    await f.page.selectOption("select[data-focus-key=start-agenda]", "community-care-council");
    await f.page.fill("input[data-focus-key=start-title]", "第3回 西部圏域 地域共生ケア会議");
    await f.page.click(".agenda button[type=submit]");
    await waitFor(m1.page, ".meeting-title", "member sees the meeting");
    assert.match(await m1.page.locator(".meeting-title").textContent(), /第3回 西部圏域 地域共生ケア会議/);

    await f.page.click(".agenda-controls button:has-text('最初の議題へ')");
    for (const p of [f, m1, o]) {
      await waitUntil(async () => (await p.page.locator(".item-title").textContent().catch(() => "")) === "開会・会議の目的・守秘義務の確認", { message: "first item" });
      await waitUntil(async () => /^0[45]:\d\d$/.test(await p.page.locator(".timer-value").textContent()), { message: "countdown" });
      assert.equal(await p.page.locator(".timer-label").textContent(), "残り時間");
    }
    await f.page.click(".agenda-controls button:has-text('次の議題')");
    await f.page.click(".agenda-controls button:has-text('次の議題')");
    await f.page.click(".agenda-controls button:has-text('次の議題')");
    for (const p of [f, m1]) {
      await waitUntil(async () => (await p.page.locator(".item-title").textContent()) === "各機関からの課題提出", { message: "item 4" });
    }
    assert.match(await m1.page.locator(".item-count").textContent(), /議題 4 \/ 9/);
    assert.match(await m1.page.locator(".current-item .chips").textContent(), /相互理解・課題共有・共通認識/);
    assert.match(await m1.page.locator(".item-purpose").textContent(), /地域課題を出し合い/);
    const timer = await m1.page.locator(".timer-value").textContent();
    assert.match(timer, /^1[45]:\d\d$/, "15-minute timebox counts down");
    // Members have no meeting controls.
    assert.equal(await m1.page.locator(".agenda-controls").count(), 0);
    // Overtime is shown clearly: a page whose clock runs 16 minutes ahead.
    const late = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
    await late.clock.install();
    const latePage = await late.newPage();
    await latePage.goto(`${server.base}/join/${people.tokens.suzuki}`);
    await latePage.locator(".timer-value").waitFor();
    await latePage.clock.fastForward("16:00");
    await waitUntil(async () => (await latePage.locator(".timer.timer-over").count()) === 1, { message: "overtime shown" });
    assert.equal(await latePage.locator(".timer-label").textContent(), "時間超過");
    assert.match(await latePage.locator(".timer-value").textContent(), /^\+0[01]:\d\d$/);
    await latePage.screenshot({ path: join(artifacts, "agenda-overtime-1280.png"), clip: { x: 0, y: 0, width: 1280, height: 720 } });
    await late.close();
    await shot(f.page, "agenda-1280");
    await shot(f.page, "agenda-768", 768);
    await f.page.setViewportSize({ width: 1280, height: 900 });
  });

  test("(b) a full ranking round: opened, three ballots incl. keyboard and drag reordering, closed, result chart", T, async () => {
    const { yamada: f, sato: m1, tanaka: m2, suzuki: o } = people;
    const i1 = await issueIdByText(f.page, "退院調整ルールの運用が病院ごとに異なる");
    const i2 = await issueIdByText(f.page, "在宅医の夜間対応の負担が大きい");
    const i3 = await issueIdByText(f.page, "認知症初期集中支援チームの周知が不十分");

    await tab(f.page, "ranking");
    // All active issues are preselected; choose Borda.
    await f.page.check(".radio-card input[value=borda]");
    await f.page.click(".view-ranking form button[type=submit]:has-text('投票を開始')");
    for (const p of [f, m1, m2, o]) {
      await tab(p.page, "ranking");
      await waitFor(p.page, ".ranking-open", "open ranking");
    }
    const orderOf = (p) => p.page.locator(".ranking-open .ballot > .ballot-item").evaluateAll((els) => els.map((e) => e.dataset.issue));
    assert.deepEqual(await orderOf(m1), [i1, i2, i3]);
    assert.equal(await o.page.locator(".ranking-open .ballot").count(), 0, "observer has no ballot");

    // 佐藤: keyboard only. Alt+↑ twice on the third item, then the ↓ button.
    await m1.page.locator(`.ballot-item[data-issue="${i3}"]`).focus();
    await m1.page.keyboard.press("Alt+ArrowUp");
    await m1.page.keyboard.press("Alt+ArrowUp");
    assert.deepEqual(await orderOf(m1), [i3, i1, i2]);
    assert.equal(await m1.page.evaluate(() => document.activeElement?.dataset.issue), i3, "focus follows the moved item");
    await waitUntil(async () => /1位に移動しました/.test(await m1.page.locator("#announcer").textContent()), { message: "aria-live announcement" });
    await m1.page.locator(`[data-focus-key="b-${(await m1.page.locator(".ranking-open").getAttribute("data-ranking"))}-${i1}-down"]`).focus();
    await m1.page.keyboard.press("Enter");
    assert.deepEqual(await orderOf(m1), [i3, i2, i1]);
    await shot(m1.page, "ranking-ballot-1280");
    await m1.page.locator(".ranking-open .ballot-wrap button[type=submit]").focus();
    await m1.page.keyboard.press("Enter");
    await waitUntil(async () => (await m1.page.locator(".ranking-open .ok-note").count()) === 1, { message: "voted note" });

    // 田中: drags the second item to the top.
    const handle = m2.page.locator(`.ballot-item[data-issue="${i2}"] .drag-handle`);
    await m2.page.locator(".ranking-open .ballot").scrollIntoViewIfNeeded();
    const target = m2.page.locator(`.ballot-item[data-issue="${i1}"]`);
    const hb = await handle.boundingBox();
    const tb = await target.boundingBox();
    await m2.page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await m2.page.mouse.down();
    await m2.page.mouse.move(hb.x + hb.width / 2, tb.y + 4, { steps: 8 });
    await m2.page.mouse.up();
    assert.deepEqual(await orderOf(m2), [i2, i1, i3]);
    await m2.page.click(".ranking-open .ballot-wrap button[type=submit]");

    // 山田 votes the order as shown.
    await f.page.click(".ranking-open .ballot-wrap button[type=submit]");
    await waitUntil(async () => (await f.page.locator(".ranking-open .ballot-count").textContent()) === "投票 3 / 3人", { message: "3 ballots" });

    // Close (two presses: the second confirms).
    await f.page.click(".ranking-open button:has-text('投票を締め切る')");
    await f.page.click("dialog.ask-dialog button:has-text('締め切る')");
    for (const p of [f, m1, m2, o]) {
      await waitFor(p.page, ".ranking-result canvas", "result chart");
      assert.equal(await p.page.locator(".ranking-open").count(), 0);
      assert.match(await p.page.locator(".ranking-result .result-meta").textContent(), /投票 3人/);
    }
    // Borda with 3 candidates (2, 1, 0 points): i2 = 1+1+2 = 4, i1 = 2+0+1 = 3, i3 = 0+2+0 = 2.
    const rows = await m1.page.locator(".ranking-result tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [
      ["1位", "在宅医の夜間対応の負担が大きい", "4"],
      ["2位", "退院調整ルールの運用が病院ごとに異なる", "3"],
      ["3位", "認知症初期集中支援チームの周知が不十分", "2"],
    ]);
    const canvas = await m1.page.locator(".ranking-result canvas").boundingBox();
    assert.ok(canvas.width > 200 && canvas.height > 100, "the chart is drawn at a visible size");
    assert.match(await m1.page.locator(".ranking-result canvas").getAttribute("aria-label"), /1位 在宅医の夜間対応の負担が大きい（4）/);
    // The board shows the rank.
    await tab(m1.page, "board");
    assert.equal(await m1.page.locator(`.issue[data-issue="${i2}"] .badge-accent`).textContent(), "1位（ボルダ法・第1回）");
    await tab(m1.page, "ranking");
    await m1.page.waitForTimeout(400); // chart animation
    await shot(m1.page, "ranking-result-1280");
    await tab(m2.page, "ranking");
    await m2.page.waitForTimeout(400);
    await shot(m2.page, "ranking-result-768");
  });

  test("dot voting shows the remaining dots", T, async () => {
    const { yamada: f, sato: m1, tanaka: m2 } = people;
    await f.page.check(".radio-card input[value=dots]");
    await f.page.fill("input[data-focus-key=open-dots]", "3");
    await f.page.click(".view-ranking form button[type=submit]:has-text('投票を開始')");
    await waitFor(m1.page, ".ranking-open .dots-list", "dot ballot");
    assert.equal(await m1.page.locator(".dots-left").textContent(), "残り 3 / 3 ドット");
    const plus = m1.page.locator(".dots-item").first().locator("button").nth(1);
    await plus.click();
    await plus.click();
    assert.equal(await m1.page.locator(".dots-left").textContent(), "残り 1 / 3 ドット");
    await tab(m2.page, "ranking");
    await shot(m2.page, "ranking-dots-768");
    await m1.page.locator(".dots-item").nth(1).locator("button").nth(1).click();
    assert.equal(await m1.page.locator(".dots-left").textContent(), "残り 0 / 3 ドット");
    assert.ok(await m1.page.locator(".dots-item").nth(2).locator("button").nth(1).isDisabled(), "no dots left to place");
    await m1.page.click(".ranking-open .ballot-wrap button[type=submit]");
    await waitUntil(async () => /投票 1 \/ 3人/.test(await f.page.locator(".ranking-open .ballot-count").textContent()), { message: "dot ballot counted" });
    await f.page.click(".ranking-open button:has-text('投票を締め切る')");
    await f.page.click("dialog.ask-dialog button:has-text('締め切る')");
    await waitUntil(async () => (await m1.page.locator(".ranking-result").count()) === 2, { message: "second result" });
  });

  test("proposals: stances with reasons, live tally, outcome", T, async () => {
    const { yamada: f, sato: m1, tanaka: m2, suzuki: o } = people;
    for (const p of [f, m1, m2, o]) await tab(p.page, "proposals");
    await f.page.check(".segmented-radio input[value=vision]");
    await f.page.fill("textarea[data-focus-key=proposal-text]", "住み慣れた地域で、入院から在宅まで切れ目なく支援が受けられる");
    await f.page.click(".view-proposals form button[type=submit]");
    await waitFor(m1.page, ".proposal", "open proposal");
    const card = (p) => p.page.locator(".proposal").first();
    await card(m1).locator(".stance-option-agree label").click();
    await card(m1).locator("input[data-focus-key^=reason-]").fill("北広島町として賛成");
    await card(m1).locator("button[type=submit]").click();
    await card(m2).locator(".stance-option-abstain label").click();
    await card(m2).locator("button[type=submit]").click();
    await card(f).locator(".stance-option-agree label").click();
    await card(f).locator("button[type=submit]").click();
    await waitUntil(async () => (await card(o).locator(".tally-agree .tally-n").textContent()) === "2", { message: "tally agree 2" });
    assert.equal(await card(o).locator(".tally-abstain .tally-n").textContent(), "1");
    assert.match(await card(o).locator(".stance-list").textContent(), /北広島町として賛成/);
    assert.equal(await card(o).locator(".outlook").textContent(), "このまま締め切ると：採択");
    assert.equal(await card(o).locator("form").count(), 0, "observer cannot take a stance");
    await o.page.waitForTimeout(400); // chart animation
    await shot(m1.page, "proposals-live-1280");
    await card(f).locator("button:has-text('締め切って結果を確定')").click();
    await f.page.click("dialog.ask-dialog button:has-text('締め切って確定する')");
    await waitUntil(async () => (await m2.page.locator(".vision p").textContent().catch(() => "")) === "住み慣れた地域で、入院から在宅まで切れ目なく支援が受けられる", { message: "adopted vision" });
    assert.match(await m2.page.locator(".proposal-closed .badge").first().textContent(), /採択/);
  });

  test("(c) a role agreement: others' opinions are recorded, the owner organisation's consent decides (合意済み)", T, async () => {
    const { yamada: f, sato: m1, tanaka: m2, suzuki: o } = people;
    for (const p of [f, m1, m2, o]) await tab(p.page, "roles");
    await m2.page.fill("[data-focus-key=role-title]", "退院前カンファレンスの開催");
    await m2.page.fill("[data-focus-key=role-owner]", "北広島町");
    await m2.page.fill("[data-focus-key=role-due]", "2026-03-31");
    await m2.page.fill("[data-focus-key=role-detail]", "町内の病院と月1回");
    await m2.page.fill("[data-focus-key=role-theme]", "退院調整ルール");
    await m2.page.click(".view-roles form.grid-form button[type=submit]");
    await waitFor(m1.page, "tbody[data-role]", "role row");
    const row = (p) => p.page.locator("tbody[data-role]").first();
    assert.equal(await row(m1).locator(".badge-state-proposed").textContent(), "合意待ち");

    // 田中 (not the owner) supports it: recorded, state unchanged.
    await row(m2).locator("[data-focus-key^=consent-note-]").fill("医師会も協力します");
    await row(m2).locator("button:has-text('賛同する')").click();
    await waitUntil(async () => /医師会も協力します/.test(await row(f).locator(".opinions").textContent().catch(() => "")), { message: "opinion listed" });
    assert.equal(await row(f).locator(".status .badge").first().textContent(), "合意待ち");

    // 佐藤 (北広島町, the owner) accepts: agreed everywhere.
    await row(m1).locator("button:has-text('担当として合意する')").click();
    for (const p of [f, m1, m2, o]) {
      await waitUntil(async () => (await row(p).locator(".status .badge").first().textContent()) === "合意済み", { message: "合意済み" });
    }
    // The due date has passed: marked overdue in words.
    assert.match(await row(o).locator(".due").textContent(), /期限超過/);
    // Status: shown to the facilitator and the owner organisation only.
    assert.equal(await row(m2).locator(".status-form").count(), 0);
    assert.equal(await row(o).locator("button, select, input").count(), 0, "observer: no controls");
    assert.equal(await row(f).locator(".status-form").count(), 1);
    await row(m1).locator("select[data-focus-key^=status-]").selectOption("in_progress");
    await row(m1).locator(".status-form button[type=submit]").click();
    await waitUntil(async () => (await row(o).locator(".status-text").textContent()) === "実施中", { message: "status 実施中" });

    // A second role, not yet decided, for the table view.
    await f.page.fill("[data-focus-key=role-title]", "在宅医療・介護連携の研修会");
    await f.page.fill("[data-focus-key=role-owner]", "山県郡医師会");
    await f.page.fill("[data-focus-key=role-due]", "2027-02-28");
    await f.page.click(".view-roles form.grid-form button[type=submit]");
    await waitUntil(async () => (await o.page.locator("tbody[data-role]").count()) === 2, { message: "two roles" });
    await shot(f.page, "roles-1280");
    await shot(m2.page, "roles-768");
  });

  test("indicators and theme stages", T, async () => {
    const { yamada: f, sato: m1, suzuki: o } = people;
    await tab(f.page, "indicators");
    await defineIndicator(f.page, { name: "退院時引継ぎ率", kind: "process", unit: "%", baseline: "69.1", target: "90" });
    await tab(m1.page, "indicators");
    await waitFor(m1.page, ".indicator", "indicator");
    await m1.page.fill("[data-focus-key^=rep-value-]", "78.5");
    await m1.page.fill("[data-focus-key^=rep-period-]", "2026-10");
    await m1.page.click(".report-form button[type=submit]");
    await tab(o.page, "indicators");
    await waitFor(o.page, ".indicator canvas", "indicator chart");
    assert.match(await o.page.locator(".indicator .figures").textContent(), /78\.5/);

    await tab(f.page, "themes");
    await f.page.fill("[data-focus-key=stage-theme]", "退院調整ルール");
    await f.page.selectOption("[data-focus-key=stage-stage]", "3");
    await f.page.fill("[data-focus-key=stage-reason]", "役割分担に合意したため");
    await f.page.click(".view-themes form button[type=submit]");
    await tab(o.page, "themes");
    await waitUntil(async () => /段階3/.test(await o.page.locator('.theme[data-theme="退院調整ルール"] .step-current').textContent().catch(() => "")) ||
      (await o.page.locator('.theme[data-theme="退院調整ルール"] .step-current .step-no').textContent().catch(() => "")) === "3", { message: "stage 3" });
    assert.match(await o.page.locator('.theme[data-theme="退院調整ルール"] .history').textContent(), /役割分担に合意したため/);
    await tab(o.page, "indicators");
    await o.page.waitForTimeout(400);
    await shot(o.page, "indicators-1280");
    await tab(people.tanaka.page, "themes");
    await shot(people.tanaka.page, "themes-768");
  });

  test("(d) server restart: reconnect, no duplicates, a command made offline is delivered exactly once", T, async () => {
    const { yamada: f, sato: m1 } = people;
    for (const p of [f, m1]) await tab(p.page, "board");
    const before = await issueTexts(f.page);
    const port = server.port;

    await kill(server.process);
    await waitUntil(async () => /再接続中|オフライン/.test(await m1.page.locator(".conn").textContent()), { message: "indicator shows reconnecting" });
    const offlineText = "再起動中に投稿した課題：訪問看護の人材確保";
    await postIssue(m1.page, offlineText, "在宅医療");
    await waitUntil(async () => (await m1.page.locator(".conn-pending").textContent()) === "未送信 1件", { message: "queued command" });
    await m1.page.waitForTimeout(1500); // a few reconnect attempts fail meanwhile

    server = await startServer({ db, port });
    for (const p of [f, m1]) {
      await waitUntil(async () => (await p.page.locator(".conn").textContent()).startsWith("接続済み"), { timeout: 20_000, message: "reconnected" });
    }
    await waitForIssue(f.page, offlineText, "facilitator after restart");
    await waitUntil(async () => (await m1.page.locator(".conn-pending").textContent()) === "", { message: "queue drained" });
    await f.page.waitForTimeout(500);
    for (const p of [f, m1]) {
      const after = await issueTexts(p.page);
      assert.equal(after.length, before.length + 1, "exactly one new issue on screen");
      assert.equal(new Set(after).size, after.length, "no duplicates on screen");
      assert.equal(after.filter((t) => t === offlineText).length, 1);
    }
    const record = await f.page.evaluate((c) => fetch(`/api/councils/${c}/record`).then((r) => r.json()), council);
    assert.equal(record.issues.filter((i) => i.text === offlineText).length, 1, "delivered exactly once");
    // The queued command went out once, after the reconnect; command ids are
    // random, at most 64 characters, never reused for another command.
    const offlineCmds = m1.sent.filter((c) => c.op === "issue.post" && c.args.text === offlineText);
    assert.equal(offlineCmds.length, 1, "the queued command was written once");
    for (const p of [f, m1]) {
      const ids = p.sent.map((c) => c.id);
      assert.ok(ids.every((id) => typeof id === "string" && id.length >= 1 && id.length <= 64), "ids of 1-64 characters");
      assert.equal(new Set(ids).size, ids.length, "no id used for two commands");
    }
    // The ranking results and roles survived and were not duplicated either.
    await tab(f.page, "ranking");
    assert.equal(await f.page.locator(".ranking-result").count(), 2);
    await tab(f.page, "roles");
    assert.equal(await f.page.locator("tbody[data-role]").count(), 2);
  });

  test("(e) hostile text in issues and role titles renders as literal text", T, async () => {
    const { yamada: f, sato: m1, suzuki: o } = people;
    const payloads = [
      "<img src=x onerror=alert(1)>",
      "<script>alert(1)</script>",
      "＜script＞alert(1)＜/script＞",
      "\u202Etxt.exe\u202C <b>太字</b>",
      "ゼロ\u200B幅\u200C文字\u200D<svg onload=alert(1)>\uFEFFです",
      "\"><img src=x onerror=\"window.__xss=1\">",
      "{{constructor.constructor('alert(1)')()}} ${alert(1)}",
    ];
    for (const text of payloads) {
      await postIssue(m1.page, text, "<i>テーマ</i>");
      await waitForIssue(f.page, text, "facilitator");
    }
    await tab(m1.page, "roles");
    const roleTitle = "<img src=x onerror=alert(1)>研修＜script＞";
    await m1.page.fill("[data-focus-key=role-title]", roleTitle);
    await m1.page.fill("[data-focus-key=role-owner]", "北広島町");
    await m1.page.click(".view-roles form.grid-form button[type=submit]");
    for (const p of [f, m1, o]) {
      await tab(p.page, "roles");
      await waitUntil(async () => (await p.page.locator(".role-title").allTextContents()).includes(roleTitle), { message: "role title literal" });
      await tab(p.page, "board");
      const texts = await issueTexts(p.page, ".board .issue > .issue-text");
      for (const text of payloads) assert.ok(texts.includes(text), `literal text: ${JSON.stringify(text)}`);
      assert.ok((await p.page.locator(".chip-theme").allTextContents()).includes("<i>テーマ</i>"));
      const dom = await p.page.evaluate(() => ({
        imgs: document.querySelectorAll("img, svg image, iframe").length,
        svgs: [...document.querySelectorAll("svg")].length,
        scripts: [...document.scripts].map((s) => s.src),
        bold: document.querySelectorAll("main b, main i").length,
        xss: window.__xss,
      }));
      assert.equal(dom.imgs, 0, "no element created from user text");
      assert.equal(dom.svgs, 0);
      assert.equal(dom.bold, 0);
      assert.deepEqual(dom.scripts.map((s) => new URL(s).pathname), ["/app.js"]);
      assert.equal(dom.xss, undefined);
    }
    await shot(m1.page, "board-hostile-text-1280");
    await f.page.waitForTimeout(300);
    for (const p of Object.values(people)) {
      if (p && p.dialogs) assert.deepEqual(p.dialogs, [], "no dialog opened");
    }
  });

  test("language: English on request, remembered (and nothing else stored)", T, async () => {
    const { tanaka: m2 } = people;
    await m2.page.click(".lang-switch button[lang=en]");
    assert.equal(await m2.page.locator("#tab-board > span").first().textContent(), "Issues");
    assert.equal(await m2.page.locator(".me .badge").textContent(), "Member");
    await m2.page.reload();
    await waitFor(m2.page, ".conn-online", "reconnected after reload");
    assert.equal(await m2.page.locator("#tab-board > span").first().textContent(), "Issues");
    assert.equal(await m2.page.evaluate(() => document.documentElement.lang), "en");
    const keys = await m2.page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(keys, ["renkei.lang"]);
    await tab(m2.page, "roles");
    await shot(m2.page, "roles-en-768");
    await m2.page.click(".lang-switch button[lang=ja]");
    assert.equal(await m2.page.locator("#tab-board > span").first().textContent(), "課題ボード");
  });

  test("the facilitator ends the meeting; pages for visitors without a session", T, async () => {
    const { yamada: f, sato: m1 } = people;
    await f.page.click(".agenda-controls button:has-text('会議を終了…')");
    await f.page.click("dialog.ask-dialog button:has-text('会議を終了する')");
    await waitUntil(async () => /開催中の会議はありません/.test(await m1.page.locator(".agenda").textContent()), { message: "meeting ended for members" });
    assert.match(await m1.page.locator(".agenda").textContent(), /第3回 西部圏域 地域共生ケア会議/);

    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP" });
    const page = await visitor.newPage();
    await page.goto(`${server.base}/councils/${council}`);
    await page.locator(".message-card h1").waitFor();
    assert.equal(await page.locator(".message-card h1").textContent(), "この会議にはまだ参加していません");
    await page.goto(`${server.base}/`);
    await page.locator("#landing h1").waitFor({ state: "visible" });
    assert.match(await page.locator("#landing h1").textContent(), /合意が残る会議/);
    const bad = await page.goto(`${server.base}/join/not-a-valid-token`);
    assert.equal(bad.status(), 401);
    await visitor.close();
    // A participant who has joined gets a way back from the introduction page.
    await m1.page.goto(`${server.base}/`);
    await m1.page.locator("#resume a").waitFor();
    assert.equal(await m1.page.locator("#resume a").getAttribute("href"), `/councils/${council}`);
    await m1.page.click("#resume a");
    await waitFor(m1.page, ".conn-online", "back in the council");
  });

  test("no script errors and no content-security-policy violations; logout ends the session", T, async () => {
    for (const [key, p] of Object.entries(people)) {
      if (!p?.page) continue;
      assert.deepEqual(p.pageErrors, [], `${key}: uncaught errors`);
      assert.deepEqual(await p.page.evaluate(() => window.__csp), [], `${key}: CSP violations`);
    }
    const { tanaka: m2 } = people;
    // A second tab of the same browser: logging out in one ends the other.
    const other = await m2.context.newPage();
    await other.goto(`${server.base}/councils/${council}`);
    await waitFor(other, ".conn-online", "second tab connected");
    await m2.page.click("button:has-text('ログアウト')");
    await waitFor(m2.page, ".message-card h1", "signed-out page");
    assert.equal(await m2.page.locator(".message-card h1").textContent(), "ログアウトしました");
    const status = await m2.page.evaluate(() => fetch("/api/session").then((r) => r.status));
    assert.equal(status, 401);
    await waitFor(other, ".message-card h1", "the other tab is signed out too", 15_000);
    assert.equal(await other.locator(".message-card h1").textContent(), "この会議への参加は終了しました");
  });
});
