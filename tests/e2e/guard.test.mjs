// End-to-end tests of the personal-information guard before posting and of
// closed sessions (非公開) with their confidentiality acknowledgement, against
// the real server: 山田 (facilitator, 西部保健所), 佐藤 (member, 北広島町),
// 鈴木 (observer, 県本庁).
// Run: cd tests/e2e && node --test guard.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts,
  FLAGGED_TEXT, shotAt as shot, joinAs,
} from "./harness.mjs";

const T = { timeout: 60_000 };
const FLAGGED = FLAGGED_TEXT;
const FRAGMENT = "山田太郎さん（82歳）";
const CLEAN = "退院後に訪問看護の導入が遅れる事例がある";
const WARNING = "個人が特定される可能性のある情報が含まれています（氏名と年齢 / 生年月日 / 住所 / 電話番号）。個別ケースの情報は会議体の記録に書かないでください。";
const CONFIDENTIAL = "この会議は非公開です。会議で知り得た個人情報や検討内容を外部に漏らさないことを確認してください。";

describe("personal-information guard and closed sessions", { timeout: 180_000 }, () => {
  let dir;
  let server;
  let browser;
  let council;
  const tokens = {};
  const ids = {};
  const people = {}; // key -> {page, sent, pageErrors, consoleErrors}

  async function enter(key, options) {
    people[key] = await joinAs(browser, server.base, tokens[key], options);
    return people[key];
  }

  async function reload(page) {
    await page.reload();
    await page.locator(".conn-online").waitFor({ state: "attached" });
  }

  async function issueTexts(page) {
    return page.locator(".board .issue > .issue-text").allTextContents();
  }

  const dialogOpen = (page) => page.evaluate(() => !!document.querySelector("dialog.confidentiality-dialog")?.open);

  async function acknowledge(page) {
    await waitUntil(() => dialogOpen(page), { message: "the confidentiality dialog" });
    await page.click("dialog.confidentiality-dialog button:has-text('確認しました')");
    await waitUntil(async () => !(await dialogOpen(page)), { message: "the dialog to close" });
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    const db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", "西部圏域 地域ケア会議", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    council = created.council;
    const sato = cli("invite", "--db", db, "--council", council, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member");
    const suzuki = cli("invite", "--db", db, "--council", council, "--name", "鈴木 次郎", "--org", "県本庁", "--role", "observer");
    Object.assign(tokens, { yamada: created.token, sato: sato.token, suzuki: suzuki.token });
    Object.assign(ids, { yamada: created.participant, sato: sato.participant, suzuki: suzuki.participant });
    server = await startServer({ db });
    browser = await launchBrowser();
    await enter("yamada");
    await enter("sato");
    await enter("suzuki");
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("(a) personal information in an issue: warned before posting, fixed or posted anyway", T, async () => {
    const { yamada: f, sato: m } = people;
    const page = m.page;
    await page.click("#tab-board");
    const warning = page.locator(".post-form .pii-warning");
    const textarea = page.locator(".post-form textarea");

    await textarea.fill(FLAGGED);
    await page.click(".post-form button[type=submit]");
    await warning.waitFor({ state: "visible" });
    assert.equal(await warning.getAttribute("role"), "alert");
    assert.equal(await warning.locator(".pii-message").textContent(), WARNING);
    assert.deepEqual(await warning.locator(".pii-fragment").allTextContents(), [FRAGMENT]);
    assert.deepEqual(await warning.locator(".pii-kind").allTextContents(), ["氏名と年齢"]);
    await shot(page, "guard-warning", 1280);
    await shot(page, "guard-warning", 768);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Nothing was sent: no command, and the other browser sees no issue.
    await page.waitForTimeout(500);
    assert.equal(m.sent.filter((c) => c.op === "issue.post").length, 0, "no issue.post before a decision");
    assert.deepEqual(await issueTexts(f.page), []);

    // 修正する: back to the field, the text kept.
    await warning.locator("button:has-text('修正する')").click();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.focusKey), "issue-text");
    assert.equal(await textarea.inputValue(), FLAGGED);
    // Editing withdraws "send anyway" (it would send an unchecked text).
    await textarea.fill(CLEAN);
    assert.equal(await warning.locator(".pii-send").isVisible(), false);
    await page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await issueTexts(f.page)).includes(CLEAN), { message: "the clean issue for the facilitator" });
    assert.equal(await warning.isVisible(), false);
    assert.equal(await textarea.inputValue(), "");

    // このまま投稿する: the flagged text is posted as written.
    await textarea.fill(FLAGGED);
    await page.click(".post-form button[type=submit]");
    await warning.waitFor({ state: "visible" });
    await warning.locator("button:has-text('このまま投稿する')").click();
    await waitUntil(async () => (await issueTexts(f.page)).includes(FLAGGED), { message: "the flagged issue for the facilitator" });
    assert.equal(await warning.isVisible(), false);
    const posted = m.sent.filter((c) => c.op === "issue.post").map((c) => c.args.text);
    assert.deepEqual(posted, [CLEAN, FLAGGED]);

    // The poster's browser badges what its guard found; the record flags it
    // too, so any browser badges it after reading the record.
    const badgeOf = (p, text) => p.locator(".board .issue", { has: p.locator(`.issue-text:text-is("${text}")`) }).locator(".badge-pii");
    await waitUntil(async () => (await badgeOf(page, FLAGGED).count()) === 1, { message: "the badge for the poster" });
    assert.equal(await badgeOf(page, FLAGGED).textContent(), "⚠ 個人情報の可能性：氏名と年齢");
    assert.equal(await badgeOf(page, CLEAN).count(), 0);
    const record = await page.evaluate((c) => fetch(`/api/councils/${c}/record`).then((r) => r.json()), council);
    assert.deepEqual(record.issues.find((i) => i.text === FLAGGED).pii, ["name_with_age"]);
    assert.equal(record.issues.find((i) => i.text === CLEAN).pii, undefined);
    await reload(f.page);
    await waitUntil(async () => (await badgeOf(f.page, FLAGGED).count()) === 1, { message: "the badge from the record" });
    assert.equal(await badgeOf(f.page, CLEAN).count(), 0);

    // When the check cannot be made (a server error, no network), the text
    // is posted without a word.
    for (const [how, text] of [["503", "山田一郎さん（90歳）の件（確認できないとき 1）"], ["abort", "山田二郎さん（91歳）の件（確認できないとき 2）"]]) {
      await page.route("**/api/check-text", (route) => (how === "abort" ? route.abort() : route.fulfill({ status: 503, body: "" })));
      await textarea.fill(text);
      await page.click(".post-form button[type=submit]");
      await waitUntil(async () => (await issueTexts(f.page)).includes(text), { message: `the issue posted unchecked (${how})` });
      assert.equal(await warning.isVisible(), false);
      await page.unroute("**/api/check-text");
    }
  });

  test("(a) the same guard on a role's title and detail: 修正する goes to the field with the finding", T, async () => {
    const { yamada: f, sato: m } = people;
    const page = m.page;
    await page.click("#tab-roles");
    const form = page.locator("#panel-roles form.grid-form");
    const warning = form.locator(".pii-warning");
    const title = "退院前カンファレンスの開催";
    const detail = "連絡先は北広島町有田1234番地、電話0826-72-2111";
    await page.fill("[data-focus-key=role-title]", title);
    await page.fill("[data-focus-key=role-owner]", "北広島町");
    await page.fill("[data-focus-key=role-detail]", detail);
    await form.locator("button[type=submit]").click();
    await warning.waitFor({ state: "visible" });
    assert.deepEqual(await warning.locator(".pii-kind").allTextContents(), ["住所", "電話番号"]);
    assert.ok((await warning.locator(".pii-fragment").allTextContents()).includes("0826-72-2111"));
    assert.equal(m.sent.filter((c) => c.op === "role.propose").length, 0, "nothing sent yet");
    await warning.locator("button:has-text('修正する')").click();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.focusKey), "role-detail");

    await warning.locator("button:has-text('このまま投稿する')").click();
    const row = (p) => p.locator("#panel-roles tbody[data-role]", { has: p.locator(`.role-title:text-is("${title}")`) });
    await waitUntil(async () => (await row(f.page).count()) === 1, { message: "the role for the facilitator" });
    assert.equal(await row(page).locator(".badge-pii").textContent(), "⚠ 個人情報の可能性：住所・電話番号");
    assert.equal(await page.locator("[data-focus-key=role-detail]").inputValue(), "");
    await page.click("#tab-board");
  });

  test("(a) stance reasons, consent and status notes and stage reasons go through the same guard", T, async () => {
    const { yamada: f, sato: m } = people;
    const flaggedNote = "佐藤花子様（８２才）の件で確認";
    const sendAnyway = async (scope) => {
      await scope.locator(".pii-warning").waitFor({ state: "visible" });
      assert.deepEqual(await scope.locator(".pii-warning .pii-kind").allTextContents(), ["氏名と年齢"]);
      await scope.locator(".pii-warning button:has-text('このまま投稿する')").click();
    };

    // A proposal (clean text) and a stance with a flagged reason.
    await f.page.click("#tab-proposals");
    await f.page.fill("textarea[data-focus-key=proposal-text]", "退院調整ルールを圏域全体で運用する");
    await f.page.click(".view-proposals form button[type=submit]");
    await m.page.click("#tab-proposals");
    const card = (p) => p.page.locator(".proposal").first();
    await card(m).waitFor();
    await card(m).locator(".stance-option-agree label").click();
    await card(m).locator("input[data-focus-key^=reason-]").fill(flaggedNote);
    await card(m).locator(".stance-form button[type=submit]").click();
    await card(m).locator(".pii-warning").waitFor({ state: "visible" });
    await shot(m.page, "guard-stance", 1280);
    await m.page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(m.sent.filter((c) => c.op === "proposal.stance").length, 0);
    await sendAnyway(card(m));
    await waitUntil(async () => (await card(f).locator(".stance-reason").allTextContents()).includes(flaggedNote), { message: "the stance reason" });
    await card(m).locator(".badge-pii").waitFor();

    // A consent note and a status note on the role of the test before.
    await m.page.click("#tab-roles");
    const row = m.page.locator("#panel-roles tbody[data-role]").first();
    await row.locator("[data-focus-key^=consent-note-]").fill(flaggedNote);
    await row.locator("button:has-text('担当として合意する')").click();
    await sendAnyway(row.locator(".consent"));
    await waitUntil(async () => (await row.locator(".badge-state-agreed").count()) === 1, { message: "the role agreed" });
    await row.locator("select[data-focus-key^=status-]").selectOption("in_progress");
    await row.locator("[data-focus-key^=status-note-]").fill(flaggedNote);
    await row.locator(".status-form button[type=submit]").click();
    await shot(m.page, "guard-status", 768);
    await m.page.setViewportSize({ width: 1280, height: 900 });
    await sendAnyway(row.locator(".status-box"));
    await waitUntil(async () => (await row.locator(".status-text").textContent()) === "実施中", { message: "status 実施中" });

    // A stage reason: corrected, then sent clean.
    await f.page.click("#tab-themes");
    await f.page.fill("[data-focus-key=stage-theme]", "退院調整ルール");
    await f.page.selectOption("[data-focus-key=stage-stage]", "2");
    await f.page.fill("[data-focus-key=stage-reason]", flaggedNote);
    await f.page.click(".view-themes form button[type=submit]");
    await f.page.locator(".view-themes .pii-warning").waitFor({ state: "visible" });
    await f.page.click(".view-themes .pii-warning button:has-text('修正する')");
    assert.equal(await f.page.evaluate(() => document.activeElement?.dataset.focusKey), "stage-reason");
    await f.page.fill("[data-focus-key=stage-reason]", "課題を共有したため");
    await f.page.click(".view-themes form button[type=submit]");
    await waitUntil(async () => (await f.page.locator(".theme .step-current .step-no").textContent().catch(() => "")) === "2", { message: "stage 2" });
    assert.equal(await f.page.locator(".view-themes .pii-warning").isVisible(), false);
    assert.deepEqual(f.sent.filter((c) => c.op === "theme.set_stage").map((c) => c.args.reason), ["課題を共有したため"]);
    await f.page.click("#tab-board");
    await m.page.click("#tab-board");
  });

  test("(b) a closed session asks everyone once to acknowledge confidentiality; an open one does not", T, async () => {
    const { yamada: f, sato: m, suzuki: o } = people;
    // The start form: 公開 by default, 非公開 chosen.
    assert.equal(await f.page.locator(".agenda input[name=meeting-session][value=open]").isChecked(), true);
    await f.page.click(".agenda .session-choice label:has-text('非公開')");
    await f.page.fill("input[data-focus-key=start-title]", "第1回 個別課題検討（非公開）");
    await f.page.click(".agenda button[type=submit]");
    const started = f.sent.filter((c) => c.op === "meeting.start");
    assert.equal(started.at(-1).args.session, "closed");

    // Everyone, observers and the facilitator included, is asked.
    for (const p of [m, o, f]) {
      await waitUntil(() => dialogOpen(p.page), { message: "the confidentiality dialog" });
    }
    const dialog = m.page.locator("dialog.confidentiality-dialog");
    assert.equal(await dialog.locator(".confidentiality-body").textContent(), CONFIDENTIAL);
    assert.equal(await m.page.evaluate(() => document.querySelector("dialog.confidentiality-dialog").matches(":modal")), true);
    assert.equal(await m.page.evaluate(() => document.activeElement?.textContent), "確認しました");
    assert.equal(await m.page.locator(".agenda .badge-session").textContent(), "非公開");
    await shot(m.page, "confidentiality-dialog", 1280);
    await shot(m.page, "confidentiality-dialog", 768);
    await m.page.setViewportSize({ width: 1280, height: 900 });

    // Esc does not dismiss it.
    await m.page.keyboard.press("Escape");
    await m.page.waitForTimeout(200);
    assert.equal(await dialogOpen(m.page), true);

    // A failed acknowledgement keeps the dialog open and says why.
    await o.page.route("**/confidentiality", (route) => route.fulfill({ status: 500, contentType: "application/json", body: "{\"error\":\"internal\"}" }));
    await o.page.click("dialog.confidentiality-dialog button:has-text('確認しました')");
    await o.page.locator(".confidentiality-error").waitFor({ state: "visible" });
    assert.match(await o.page.locator(".confidentiality-error").textContent(), /^確認を記録できませんでした：/);
    assert.equal(await dialogOpen(o.page), true);
    await o.page.unroute("**/confidentiality");
    await acknowledge(o.page);

    await acknowledge(m.page);
    await acknowledge(f.page);
    const meeting = await m.page.evaluate((c) => fetch(`/api/councils/${c}/record`).then((r) => r.json()).then((r) => r.meetings.at(-1)), council);
    assert.equal(meeting.session, "closed");
    for (const key of ["sato", "suzuki", "yamada"]) {
      const row = meeting.attendance.find((a) => a.participant === ids[key]);
      assert.match(row?.confidentiality_ack_at || "", /^\d{4}-\d{2}-\d{2}T/, `${key} acknowledged`);
    }

    // Not asked again after a reload (the record says it is done).
    await reload(m.page);
    await m.page.locator(".agenda .badge-session").waitFor();
    await m.page.waitForTimeout(800);
    assert.equal(await dialogOpen(m.page), false);

    // An open meeting asks nobody.
    await f.page.click(".agenda-controls button:has-text('会議を終了…')");
    await f.page.click("dialog.ask-dialog button:has-text('会議を終了する')");
    await f.page.locator(".agenda input[name=meeting-session]").first().waitFor();
    assert.equal(await f.page.locator(".agenda input[name=meeting-session][value=open]").isChecked(), true);
    await f.page.fill("input[data-focus-key=start-title]", "第2回 地域ケア会議");
    await f.page.click(".agenda button[type=submit]");
    await waitUntil(async () => (await m.page.locator(".agenda .badge-session").textContent().catch(() => "")) === "公開", { message: "the open meeting" });
    await m.page.waitForTimeout(800);
    for (const p of [m, o, f]) assert.equal(await dialogOpen(p.page), false);
    assert.equal(f.sent.filter((c) => c.op === "meeting.start").at(-1).args.session, "open");
  });

  test("(c) no script errors, console errors or content-security-policy violations", T, async () => {
    for (const [key, p] of Object.entries(people)) {
      assert.deepEqual(p.pageErrors, [], `${key}: uncaught errors`);
      // The failures the test itself injected are the only ones allowed.
      const injected = { suzuki: "/confidentiality", sato: "/api/check-text" };
      const errors = p.consoleErrors.filter((e) => !(injected[key] && e.url.endsWith(injected[key])));
      assert.deepEqual(errors, [], `${key}: console errors`);
      assert.deepEqual(await p.page.evaluate(() => window.__csp), [], `${key}: CSP violations`);
    }
  });
});
