// End-to-end tests of how decisions are made on the meeting screen: closing
// a vote or a proposal and ending a meeting are asked in a dialog that names
// who present has not answered; stances (a block needs a reason, concerns
// stay in view); which ranking counts (この結果を採用); revisions of a
// proposal; redaction (伏せ字); the personal-information badge from live
// events; the indicator chart per organisation; roles awaiting consent on
// 次回に向けて. 山田 (facilitator, 西部保健所), 佐藤 (member, 北広島町) and
// 田中 (member, 安芸高田市) have the meeting screen open; 高橋 (member,
// 三次市) is invited but absent; 鈴木 (observer, 県本庁) watches.
// Run: cd tests/e2e && node --test decisions.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts,
  joinAs, connectScripted, sendScripted,
} from "./harness.mjs";

const T = { timeout: 90_000 };
const YAMADA = "山田 花子（西部保健所）";
const SATO = "佐藤 恵子（北広島町）";
const TANAKA = "田中 一郎（安芸高田市）";

describe("decisions on the meeting screen", { timeout: 600_000 }, () => {
  let dir;
  let server;
  let browser;
  let driver; // a page holding scripted WebSocket connections (test data)
  let council;
  const tokens = {};
  const people = {}; // key -> {page, sent, pageErrors, consoleErrors}
  const ids = {};
  const serverHas = {};
  // Skips a test whose server operation this server does not have yet.
  const needs = (t, op) => {
    if (serverHas[op]) return false;
    t.skip(`the server has no ${op}`);
    return true;
  };

  async function enter(key) {
    people[key] = await joinAs(browser, server.base, tokens[key]);
    return people[key];
  }

  const connect = (key) => connectScripted(driver, key, tokens[key], council);
  const cmd = (key, op, args) => sendScripted(driver, key, op, args);

  // `target`: a locator scrolled into view after the resize.
  async function shot(page, name, { width = 1280, full = false, target = null } = {}) {
    await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
    await page.waitForTimeout(300);
    if (target) await target.scrollIntoViewIfNeeded();
    else if (full) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `decisions-${name}-${width}.png`), fullPage: full });
  }

  async function shots(page, name, options = {}) {
    await shot(page, name, { ...options, width: 768 });
    await shot(page, name, { ...options, width: 1280 });
  }

  // No "null", "undefined" or internal ids (c1-i1, c1-r2…) in rendered text.
  async function assertCleanText(page, where) {
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\bNaN\b/, `${where}: no null/undefined`);
    assert.doesNotMatch(text, /\bc\d+-[a-z]+\d+\b/, `${where}: no internal ids`);
  }

  const askDialog = (page) => page.locator("dialog.ask-dialog[open]");
  const sentOps = (person, op) => person.sent.filter((c) => c.op === op);

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    const db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", "西部圏域 地域共生ケア会議", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    council = created.council;
    tokens.yamada = created.token;
    tokens.sato = cli("invite", "--db", db, "--council", council, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member").token;
    tokens.tanaka = cli("invite", "--db", db, "--council", council, "--name", "田中 一郎", "--org", "安芸高田市", "--role", "member").token;
    tokens.takahashi = cli("invite", "--db", db, "--council", council, "--name", "高橋 実", "--org", "三次市", "--role", "member").token;
    tokens.suzuki = cli("invite", "--db", db, "--council", council, "--name", "鈴木 次郎", "--org", "県本庁", "--role", "observer").token;
    server = await startServer({ db });
    browser = await launchBrowser();
    const context = await browser.newContext();
    driver = await context.newPage();
    await driver.goto(`${server.base}/`);
    for (const key of ["yamada", "sato", "tanaka"]) await connect(key);
    // Whether this server has the v1.1 operations (ranking.adopt,
    // text.redact): a probe with an unknown id answers not_found, an older
    // server unknown_op.
    for (const op of ["ranking.adopt", "text.redact"]) {
      const answer = await cmd("yamada", op, { ranking: "none", target: "none", reason: "probe" }).then(() => "ok", (e) => e.message);
      serverHas[op] = !/unknown_op/.test(answer);
    }
    await enter("yamada");
    await enter("sato");
    await enter("tanaka");
    await enter("suzuki");

    await cmd("yamada", "meeting.start", { title: "第3回 地域共生ケア会議", agenda: "community-care-council" });
    await cmd("yamada", "meeting.advance", { item: 0 });
    for (const [key, text] of [
      ["sato", "退院調整ルールの運用が病院ごとに異なる"],
      ["tanaka", "夜間の訪問看護の担い手が足りない"],
      ["sato", "独居高齢者の見守り体制が地区で差がある"],
    ]) {
      const posted = await cmd(key, "issue.post", { text, theme: "在宅医療" });
      (ids.issues ??= []).push(posted.issue);
    }
  });

  after(async () => {
    for (const [key, person] of Object.entries(people)) {
      assert.deepEqual(person.pageErrors, [], `${key}: no script errors`);
    }
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("closing a vote asks first, naming those present who have not voted; Esc and キャンセル keep it open", T, async () => {
    const { yamada: f, sato: m, tanaka: m2 } = people;
    const opened = await cmd("yamada", "ranking.open", { candidates: ids.issues, method: "dots", dots: 3 });
    ids.r1 = opened.ranking;
    await cmd("sato", "ranking.ballot", { ranking: ids.r1, dots: { [ids.issues[0]]: 2, [ids.issues[1]]: 1 } });
    await f.page.click("#tab-ranking");
    const close = f.page.locator(".ranking-open button:has-text('投票を締め切る')");
    await waitUntil(async () => /1/.test(await f.page.locator(".ranking-open .ballot-count").textContent()), { message: "the ballot counted" });

    // A double click opens the dialog once and closes nothing.
    await close.dblclick();
    const dialog = askDialog(f.page);
    await dialog.waitFor();
    await f.page.waitForTimeout(400);
    assert.equal(sentOps(f, "ranking.close").length, 0, "no ranking.close on a double click");
    assert.equal(await f.page.locator("dialog.ask-dialog[open]").count(), 1, "one dialog");
    assert.equal(await dialog.locator(".ask-title").textContent(), "「ドット投票・第1回」の投票を締め切りますか？");
    // Those present (presence), not every invitee: 高橋 is absent, 鈴木 observes.
    assert.equal(await dialog.locator(".pending-count").textContent(), "未投票 2人（出席者）");
    assert.deepEqual((await dialog.locator(".pending-names li").allTextContents()).sort(), [TANAKA, YAMADA].sort());
    assert.match(await dialog.textContent(), /投票済み 1人/);
    // Default focus on キャンセル; Tab stays in the dialog.
    assert.equal(await f.page.evaluate(() => document.activeElement?.textContent), "キャンセル");
    for (let i = 0; i < 3; i++) {
      await f.page.keyboard.press("Tab");
      assert.ok(await f.page.evaluate(() => !!document.activeElement?.closest("dialog.ask-dialog")), "focus stays in the dialog");
    }
    await shots(f.page, "close-vote");
    // Esc cancels, focus back on the button.
    await f.page.keyboard.press("Escape");
    await waitUntil(async () => (await f.page.locator("dialog.ask-dialog").count()) === 0, { message: "dialog gone after Esc" });
    assert.equal(await f.page.evaluate(() => document.activeElement?.textContent), "投票を締め切る");
    // Enter on the default button (キャンセル) does not close the vote either.
    await close.click();
    await askDialog(f.page).waitFor();
    await f.page.keyboard.press("Enter");
    await waitUntil(async () => (await f.page.locator("dialog.ask-dialog").count()) === 0, { message: "dialog gone after Enter on キャンセル" });
    assert.equal(sentOps(f, "ranking.close").length, 0);

    // The list follows presence: 田中 votes, then only 山田 is left.
    await cmd("tanaka", "ranking.ballot", { ranking: ids.r1, dots: { [ids.issues[1]]: 3 } });
    await waitUntil(async () => /2/.test(await f.page.locator(".ranking-open .ballot-count").textContent()), { message: "two ballots" });
    await close.click();
    assert.equal(await askDialog(f.page).locator(".pending-count").textContent(), "未投票 1人（出席者）");
    await askDialog(f.page).locator("button:has-text('締め切る')").click();
    await waitUntil(async () => (await m.page.locator(".ranking-result").count()) === 1, { message: "closed for the member" });
    assert.equal(sentOps(f, "ranking.close").length, 1);
    // Alone on its candidates, never adopted: it counts, and the board says where the rank is from.
    await m2.page.click("#tab-board");
    const badges = await m2.page.locator(".board .issue .badge").allTextContents();
    assert.ok(badges.includes("1位（ドット投票・第1回）"), `badge names its ranking: ${badges}`);
    await assertCleanText(f.page, "ranking tab");
  });

  test("stances: a block needs a reason, concerns stay open, the tally names who has not responded, closing asks", T, async () => {
    const { yamada: f, sato: m, tanaka: m2 } = people;
    const opened = await cmd("yamada", "proposal.open", { kind: "direction", text: "退院前カンファレンスを全病院で標準化する" });
    ids.p1 = opened.proposal;
    await m.page.click("#tab-proposals");
    const card = (page) => page.locator(`.proposal[data-proposal="${ids.p1}"]`);
    await card(m.page).waitFor();

    // 阻止 without a reason: nothing is sent, the error is beside the field.
    await card(m.page).locator(".stance-option-block label").click();
    const reason = card(m.page).locator(".stance-form input[type=text]");
    assert.equal(await reason.getAttribute("aria-required"), "true");
    assert.match(await card(m.page).locator(".stance-form label").filter({ hasText: "理由" }).textContent(), /阻止のときは必須/);
    await card(m.page).locator(".stance-form button[type=submit]").click();
    const error = card(m.page).locator(".field-error");
    await error.waitFor({ state: "visible" });
    assert.equal(await error.textContent(), "阻止するときは理由を書いてください。");
    assert.equal(await reason.getAttribute("aria-invalid"), "true");
    assert.equal(await m.page.evaluate(() => document.activeElement?.dataset.focusKey?.startsWith("reason-")), true, "focus on the reason");
    await m.page.waitForTimeout(300);
    assert.equal(sentOps(m, "proposal.stance").length, 0, "no stance sent without a reason");
    await shots(m.page, "block-reason", { target: card(m.page).locator(".stance-form") });
    await reason.fill("訪問看護ステーションの体制が整っていない");
    assert.equal(await error.isVisible(), false);
    await card(m.page).locator(".stance-form button[type=submit]").click();

    await m2.page.click("#tab-proposals");
    await card(m2.page).locator(".stance-option-disagree label").click();
    await card(m2.page).locator(".stance-form input[type=text]").fill("中山間地の病院は人員が足りない");
    await card(m2.page).locator(".stance-form button[type=submit]").click();

    // The facilitator sees both concerns without unfolding anything, and who present has not responded.
    await f.page.click("#tab-proposals");
    await waitUntil(async () => (await card(f.page).locator(".concerns .stance-row").count()) === 2, { message: "two concerns" });
    assert.equal(await card(f.page).locator(".concerns").isVisible(), true);
    assert.deepEqual(await card(f.page).locator(".concerns .stance-reason").allTextContents(),
      ["訪問看護ステーションの体制が整っていない", "中山間地の病院は人員が足りない"]);
    assert.equal(await card(f.page).locator(".proposal-grid .pending-count").textContent(), "未回答 1人（出席者）");
    assert.deepEqual(await card(f.page).locator(".proposal-grid .pending-names li").allTextContents(), [YAMADA]);

    // Closing asks, and names who has not responded.
    await card(f.page).locator("button:has-text('締め切って結果を確定')").dblclick();
    const dialog = askDialog(f.page);
    await dialog.waitFor();
    await f.page.waitForTimeout(300);
    assert.equal(sentOps(f, "proposal.close").length, 0, "no proposal.close on a double click");
    assert.equal(await dialog.locator(".pending-count").textContent(), "未回答 1人（出席者）");
    assert.equal(await f.page.evaluate(() => document.activeElement?.textContent), "キャンセル");
    await shots(f.page, "close-proposal");
    await dialog.locator("button:has-text('締め切って確定する')").click();
    await waitUntil(async () => (await m.page.locator(`.proposal-closed[data-proposal="${ids.p1}"]`).count()) === 1, { message: "closed" });
    // Closed: the block and the disagreement stay in view.
    const closed = m.page.locator(`.proposal-closed[data-proposal="${ids.p1}"]`);
    assert.equal(await closed.locator(".concerns").isVisible(), true);
    assert.equal(await closed.locator(".concerns .stance-reason").first().isVisible(), true);
    await assertCleanText(f.page, "proposals tab");
  });

  test("ending the meeting warns about open votes, open proposals and skipped items, then shows the summary", T, async () => {
    const { yamada: f, sato: m } = people;
    // Left open: a second ranking and a proposal; a role agreed with a due date.
    await cmd("yamada", "ranking.open", { candidates: ids.issues.slice(0, 2), method: "borda" });
    await cmd("yamada", "proposal.open", { kind: "vision", text: "住み慣れた地域で最期まで暮らせる圏域" });
    const role = await cmd("sato", "role.propose", { title: "退院調整ルールの改訂案を作る", owner_org: "北広島町", due: "2027-01-29" });
    await cmd("sato", "role.consent", { role: role.role, consent: true });
    ids.role1 = role.role;

    await f.page.locator(".agenda-controls button:has-text('会議を終了')").dblclick();
    const dialog = askDialog(f.page);
    await dialog.waitFor();
    await f.page.waitForTimeout(300);
    assert.equal(sentOps(f, "meeting.end").length, 0, "no meeting.end on a double click");
    const text = await dialog.textContent();
    assert.match(text, /締め切っていない投票 1件/);
    assert.match(text, /ボルダ法・第2回/);
    assert.match(text, /締め切っていない提案 1件/);
    assert.match(text, /住み慣れた地域で最期まで暮らせる圏域/);
    assert.match(text, /進行していない議題 \d+件/);
    assert.equal(await f.page.evaluate(() => document.activeElement?.textContent), "キャンセル");
    await shots(f.page, "end-meeting");
    await dialog.locator("button:has-text('会議を終了する')").click();

    // The summary, for everyone.
    for (const person of [f, m]) {
      const summary = person.page.locator(".meeting-summary");
      await summary.waitFor();
      const decisions = await summary.locator(".summary-decisions li").allTextContents();
      assert.ok(decisions.includes("優先順位1位（ドット投票・第1回）：夜間の訪問看護の担い手が足りない"), `ranking decision: ${decisions}`);
      assert.ok(decisions.includes("役割：退院調整ルールの改訂案を作る（北広島町）"), `role decision: ${decisions}`);
      const homework = await summary.locator(".summary-homework li").allTextContents();
      assert.equal(homework.length, 1);
      assert.match(homework[0], /退院調整ルールの改訂案を作る — 北広島町/);
      assert.match(homework[0], /期限 2027/);
      const minutes = await summary.locator("a:has-text('議事録')").getAttribute("href");
      assert.match(minutes, new RegExp(`/api/councils/${council}/meetings/[^/]+/minutes\\.html$`));
      assert.equal(await summary.locator("a:has-text('次回に向けて')").getAttribute("href"), `/councils/${council}/review`);
    }
    await shots(m.page, "summary", { full: true });
    await assertCleanText(m.page, "summary");
  });

  test("indicators: one line per organisation, and whose latest figure and progress they are", T, async () => {
    const { yamada: f } = people;
    const defined = await cmd("yamada", "indicator.define", { name: "退院前カンファレンス実施率", kind: "process", unit: "%", baseline: 10, target: 50 });
    await cmd("sato", "indicator.report", { indicator: defined.indicator, value: 20, period: "2026-10" });
    await cmd("tanaka", "indicator.report", { indicator: defined.indicator, value: 40, period: "2026-10" });
    await cmd("sato", "indicator.report", { indicator: defined.indicator, value: 30, period: "2026-11" });
    await f.page.click("#tab-indicators");
    const card = f.page.locator(`.indicator[data-indicator="${defined.indicator}"]`);
    await waitUntil(async () => /2026-11/.test(await card.textContent()), { message: "the reports" });
    // The chart's text alternative: a series per organisation, none replacing another.
    const label = await card.locator("canvas").getAttribute("aria-label");
    assert.match(label, /北広島町: 2026-10 20%、2026-11 30%/);
    assert.match(label, /安芸高田市: 2026-10 40%/);
    const terms = await card.locator(".figures dt").allTextContents();
    assert.deepEqual(terms, ["現状値", "最新の実績（北広島町）", "最新の実績（安芸高田市）", "目標値"]);
    const progress = await card.locator(".progress-wrap > span.small").allTextContents();
    assert.deepEqual(progress, ["北広島町の達成度 50%", "安芸高田市の達成度 75%"]);
    await shots(f.page, "indicators", { target: card });
    await assertCleanText(f.page, "indicators tab");
  });

  test("次回に向けて lists the roles awaiting their owner organisation's consent", T, async () => {
    const { yamada: f } = people;
    await cmd("tanaka", "role.propose", { title: "見守りネットワークの連絡先一覧を作る", owner_org: "三次市", due: "2027-02-26" });
    await cmd("tanaka", "role.propose", { title: "夜間対応の当番表を試行する", owner_org: "安芸高田市" });
    const page = await f.page.context().newPage();
    await page.goto(`${server.base}/councils/${council}/review`);
    const section = page.locator("#rev-awaiting");
    await section.waitFor();
    assert.match(await section.locator("h2").textContent(), /合意待ちの役割/);
    const items = section.locator(".review-item");
    assert.equal(await items.count(), 2);
    assert.equal(await items.nth(0).locator(".review-item-title").textContent(), "見守りネットワークの連絡先一覧を作る");
    assert.match(await items.nth(0).locator(".review-meta").textContent(), /三次市の合意待ち.*期限：2027/);
    assert.match(await items.nth(1).locator(".review-meta").textContent(), /安芸高田市の合意待ち/);
    assert.match(await items.nth(0).locator("a").getAttribute("href"), /\/record#/);
    // The agreed role is not waiting.
    assert.doesNotMatch(await section.textContent(), /退院調整ルールの改訂案を作る/);
    await shots(page, "review-awaiting", { target: section });
    await assertCleanText(page, "review page");
    await page.close();
  });

  // ---- with the server's ranking.adopt, revises, text.redact and pii ----

  test("この結果を採用: of two overlapping rankings, the adopted one gives the board's badges; the record says which counts", T, async (t) => {
    if (needs(t, "ranking.adopt")) return;
    const { yamada: f, sato: m } = people;
    // The second ranking (ボルダ法・第2回) shares candidates with the first.
    const r2 = [...(await driver.evaluate(() => [...window.__renkei.conns.get("yamada").events.values()]))]
      .find((e) => e.op === "ranking.opened" && e.data.method === "borda").data.ranking;
    await cmd("sato", "ranking.ballot", { ranking: r2, order: [ids.issues[0], ids.issues[1]] });
    await cmd("yamada", "ranking.close", { ranking: r2 });
    await f.page.click("#tab-ranking");
    const result = (page, id) => page.locator(`.ranking-result[data-ranking="${id}"]`);
    await result(f.page, r2).waitFor();
    assert.equal(await result(f.page, r2).locator(".ranking-status .badge").textContent(), "採用待ち");
    assert.equal(await result(f.page, ids.r1).locator(".ranking-status .badge").textContent(), "採用待ち");
    // Two results for the same issues, none adopted: no rank badge on the board.
    await m.page.click("#tab-board");
    await waitUntil(async () => (await m.page.locator(".board .issue .badge-accent").count()) === 0, { message: "no badge while undecided" });
    assert.equal(await m.page.locator("button:has-text('この結果を採用')").count(), 0, "members cannot adopt");

    await result(f.page, r2).locator("button:has-text('この結果を採用')").click();
    await waitUntil(async () => (await result(f.page, r2).locator(".ranking-status .badge").textContent()) === "決定", { message: "adopted" });
    assert.deepEqual(sentOps(f, "ranking.adopt").map((c) => c.args), [{ ranking: r2 }]);
    assert.equal(await result(f.page, ids.r1).locator(".ranking-status .badge").textContent(), "参考");
    await waitUntil(async () => (await m.page.locator(`.issue[data-issue="${ids.issues[0]}"] .badge-accent`).count()) === 1, { message: "badge from the adopted ranking" });
    assert.equal(await m.page.locator(`.issue[data-issue="${ids.issues[0]}"] .badge-accent`).textContent(), "1位（ボルダ法・第2回）");
    await shots(f.page, "adopted", { target: result(f.page, r2) });
    // The last meeting's summary follows: the dot vote is no longer its decision.
    await waitUntil(async () => !/ドット投票・第1回/.test(await m.page.locator(".meeting-summary").textContent()), { message: "summary without the replaced ranking" });

    const record = await f.page.context().newPage();
    await record.goto(`${server.base}/councils/${council}/record#${r2}`);
    await record.locator(`li[id="${r2}"] .badge-ranking-decision`).waitFor();
    assert.equal(await record.locator(`li[id="${ids.r1}"] .badge-ranking-reference`).textContent(), "参考");
    await assertCleanText(record, "record page");
    await shots(record, "record-rankings", { target: record.locator(`li[id="${r2}"]`) });
    await record.close();
  });

  test("修正して再提案: the form is prefilled, the new proposal revises the old one, each links to the other", T, async (t) => {
    if (needs(t, "ranking.adopt")) return;
    const { yamada: f, sato: m } = people;
    await f.page.click("#tab-proposals");
    const old = f.page.locator(`.proposal-closed[data-proposal="${ids.p1}"]`);
    await old.locator("button:has-text('修正して再提案')").click();
    const text = f.page.locator("textarea[data-focus-key=proposal-text]");
    assert.equal(await text.inputValue(), "退院前カンファレンスを全病院で標準化する");
    assert.equal(await f.page.locator(".segmented-radio input[value=direction]").isChecked(), true);
    assert.equal(await f.page.evaluate(() => document.activeElement?.dataset.focusKey), "proposal-text");
    assert.match(await f.page.locator(".revising-note").textContent(), /修正案として提案します/);
    await shots(f.page, "revise", { target: f.page.locator(".revising-note") });
    await text.fill("退院前カンファレンスを全病院で標準化する（中山間地の病院は2027年度から）");
    await f.page.click(".view-proposals form button[type=submit]:has-text('提案')");
    await waitUntil(() => sentOps(f, "proposal.open").some((c) => c.args.revises === ids.p1), { message: "proposal.open with revises" });
    await m.page.click("#tab-proposals");
    const fresh = m.page.locator(".proposal:not(.proposal-closed)").filter({ hasText: "中山間地の病院は2027年度から" });
    await fresh.waitFor();
    const back = fresh.locator(".revision-link a");
    assert.equal(await back.getAttribute("href"), `#proposal-${ids.p1}`);
    assert.equal(await back.textContent(), "退院前カンファレンスを全病院で標準化する");
    const forward = m.page.locator(`.proposal-closed[data-proposal="${ids.p1}"] .revision-link`);
    assert.match(await forward.textContent(), /修正案が提案されています/);
    assert.equal(await f.page.locator(`.proposal-closed[data-proposal="${ids.p1}"] button:has-text('修正して再提案')`).count(), 0);
    await assertCleanText(m.page, "proposals after a revision");
  });

  test("伏せ字にする: the author or the facilitator, with a required reason; every open screen shows the redaction at once", T, async (t) => {
    if (needs(t, "text.redact")) return;
    const { yamada: f, sato: m, tanaka: m2, suzuki: o } = people;
    const secret = "山田太郎さん（82歳）の退院が遅れた件";
    const posted = await cmd("sato", "issue.post", { text: secret });
    for (const p of [f, m, m2, o]) await p.page.click("#tab-board");
    const issue = (page) => page.locator(`.issue[data-issue="${posted.issue}"]`);
    await issue(m.page).waitFor();
    // Only the author and the facilitator are offered it.
    assert.equal(await issue(m2.page).locator("button:has-text('伏せ字にする')").count(), 0);
    assert.equal(await issue(o.page).locator("button:has-text('伏せ字にする')").count(), 0);
    assert.equal(await issue(f.page).locator("button:has-text('伏せ字にする')").count(), 1);

    await issue(m.page).locator("button:has-text('伏せ字にする')").click();
    const dialog = askDialog(m.page);
    await dialog.waitFor();
    assert.equal(await m.page.evaluate(() => document.activeElement?.textContent), "キャンセル");
    assert.match(await dialog.textContent(), /記録・議事録・検索・書き出しから完全に削除され/);
    await dialog.locator("button.btn-danger").click();
    assert.equal(await dialog.locator(".field-error").isVisible(), true, "a reason is required");
    assert.equal(sentOps(m, "text.redact").length, 0);
    await dialog.locator("textarea").fill("個人が特定される記載のため");
    await shots(m.page, "redact-dialog");
    await dialog.locator("button.btn-danger").click();
    for (const p of [f, m, m2, o]) {
      await waitUntil(async () => /（伏せ字：個人が特定される記載のため）/.test(await issue(p.page).textContent()), { message: "redacted live" });
      assert.doesNotMatch(await p.page.locator("body").textContent(), /山田太郎/);
    }
    assert.match(await issue(f.page).locator(".redacted").getAttribute("title"), /佐藤 恵子（北広島町）/);

    // The facilitator redacts someone else's stance reason.
    await f.page.click("#tab-proposals");
    const row = f.page.locator(`.proposal-closed[data-proposal="${ids.p1}"] .stance-row`).filter({ hasText: "佐藤 恵子" });
    await row.locator("button:has-text('伏せ字にする')").click();
    await askDialog(f.page).locator("textarea").fill("施設名が特定されるため");
    await askDialog(f.page).locator("button.btn-danger").click();
    await m.page.click("#tab-proposals");
    await waitUntil(async () => /（伏せ字：施設名が特定されるため）/.test(await m.page.locator(`.proposal-closed[data-proposal="${ids.p1}"]`).textContent()), { message: "stance reason redacted" });
    const redact = sentOps(f, "text.redact");
    assert.equal(redact.length, 1);
    assert.equal(redact[0].args.target, ids.p1);
    assert.ok(redact[0].args.participant, "the stance's participant");
    assert.equal(redact[0].args.reason, "施設名が特定されるため");

    // A browser that arrives later gets the rewritten catch-up.
    const late = await browser.newContext({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await late.newPage();
    await page.goto(`${server.base}/join/${tokens.takahashi}`);
    await page.locator(".conn-online").waitFor({ state: "attached" });
    await waitUntil(async () => /（伏せ字：個人が特定される記載のため）/.test(await page.locator(`.issue[data-issue="${posted.issue}"]`).textContent()), { message: "redacted in catch-up" });
    await page.goto(`${server.base}/councils/${council}/record#${posted.issue}`);
    await waitUntil(async () => /（伏せ字：個人が特定される記載のため）/.test(await page.locator(`li[id="${posted.issue}"]`).textContent()), { message: "redacted in the record" });
    assert.doesNotMatch(await page.locator("body").textContent(), /山田太郎/);
    await shots(page, "record-redacted", { target: page.locator(`li[id="${posted.issue}"]`) });
    await late.close();
  });

  test("the personal-information badge of a live event shows at once, without a reload", T, async (t) => {
    if (needs(t, "ranking.adopt")) return;
    const { yamada: f, tanaka: m2 } = people;
    await f.page.click("#tab-board");
    const posted = await cmd("tanaka", "issue.post", { text: "安芸高田市吉田町1-2-3の独居の方の見守りが途切れた" });
    const badge = f.page.locator(`.issue[data-issue="${posted.issue}"] .badge-pii`);
    await badge.waitFor({ timeout: 5000 });
    assert.match(await badge.textContent(), /個人情報の可能性/);
    const role = await cmd("sato", "role.propose", { title: "連絡先 090-1234-5678 に毎週電話する", owner_org: "北広島町" });
    await m2.page.click("#tab-roles");
    await m2.page.locator(`tbody[data-role="${role.role}"] .badge-pii`).waitFor({ timeout: 5000 });
    await shots(f.page, "pii-live", { target: f.page.locator(`.issue[data-issue="${posted.issue}"]`) });
    // The role table: the badge and, for the facilitator, 伏せ字にする on titles and notes.
    await f.page.click("#tab-roles");
    const row = f.page.locator(`tbody[data-role="${role.role}"]`);
    await row.locator(".badge-pii").waitFor({ timeout: 5000 });
    assert.equal(await row.locator(".role-row button:has-text('伏せ字にする')").count(), 1);
    await shots(f.page, "roles", { target: row });
    await assertCleanText(f.page, "roles tab");
  });
});
