// End-to-end test of 代理入力 (proxy input, server/docs/CONTINUITY.md
// section 4) on the meeting screen: 山田 (facilitator, 西部保健所) enters an
// issue and a stance for 田中 (member, 安芸高田市), who takes part by phone;
// the items are labelled 代理入力 with who entered them, 田中's own screen
// says so and lets 田中 replace the stance, and the minutes name who entered
// the issue. 佐藤 (member) is another attendee; 鈴木 (observer) can never be
// chosen. Screenshots at 1280 and 768 px in tests/artifacts.
// Run: cd tests/e2e && node --test proxy_input.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts,
  joinAs, connectScripted, sendScripted,
} from "./harness.mjs";

const T = { timeout: 90_000 };

describe("proxy input on the meeting screen", { timeout: 300_000 }, () => {
  let dir;
  let server;
  let browser;
  let driver;
  let council;
  let meeting;
  let proposal;
  const tokens = {};
  const ids = {};
  const people = {};

  const cmd = (key, op, args) => sendScripted(driver, key, op, args);

  async function shots(page, name, target = null) {
    for (const width of [1280, 768]) {
      await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
      await page.waitForTimeout(300);
      if (target) await target.scrollIntoViewIfNeeded();
      else await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(artifacts, `proxy-${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    const db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", "西部圏域 地域共生ケア会議", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    council = created.council;
    tokens.yamada = created.token;
    const invite = (name, org, role) => cli("invite", "--db", db, "--council", council, "--name", name, "--org", org, "--role", role);
    const sato = invite("佐藤 恵子", "北広島町", "member");
    const tanaka = invite("田中 一郎", "安芸高田市", "member");
    const suzuki = invite("鈴木 次郎", "県本庁", "observer");
    tokens.sato = sato.token;
    tokens.tanaka = tanaka.token;
    ids.tanaka = tanaka.participant;
    ids.suzuki = suzuki.participant;
    server = await startServer({ db });
    browser = await launchBrowser();
    const context = await browser.newContext();
    driver = await context.newPage();
    await driver.goto(`${server.base}/`);
    await connectScripted(driver, "yamada", tokens.yamada, council);
    meeting = (await cmd("yamada", "meeting.start", { title: "第4回 地域共生ケア会議" })).meeting;
    proposal = (await cmd("yamada", "proposal.open", { kind: "direction", text: "退院前カンファレンスを全病院で標準化する" })).proposal;
    people.yamada = await joinAs(browser, server.base, tokens.yamada);
    people.tanaka = await joinAs(browser, server.base, tokens.tanaka);
  });

  after(async () => {
    for (const [key, person] of Object.entries(people)) {
      assert.deepEqual(person.pageErrors, [], `${key}: no script errors`);
      assert.deepEqual(await person.page.evaluate(() => window.__csp), [], `${key}: no CSP violations`);
    }
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("only the facilitator has 代理入力; observers and oneself cannot be chosen", T, async () => {
    const { yamada: f, tanaka: m } = people;
    assert.equal(await m.page.locator(".proxy-bar").count(), 0, "a member has no proxy input");
    await f.page.click(".proxy-open");
    const select = f.page.locator("#proxy-attendee");
    await waitUntil(async () => (await select.locator("option").count()) > 1, { message: "attendees listed" });
    const options = await select.locator("option").allTextContents();
    assert.deepEqual(options, ["参加者を選んでください", "佐藤 恵子（北広島町）", "田中 一郎（安芸高田市）"]);
    await shots(f.page, "choose");
    // Starting without a choice does nothing.
    await f.page.click(".proxy-chooser button.btn-primary");
    assert.equal(await f.page.locator(".proxy-banner").isVisible(), false);
    await select.selectOption(ids.tanaka);
    await f.page.click(".proxy-chooser button.btn-primary");
    const banner = f.page.locator(".proxy-banner");
    await banner.waitFor({ state: "visible" });
    assert.match(await banner.textContent(), /代理入力中/);
    assert.match(await banner.textContent(), /田中 一郎（安芸高田市）さんの入力として送信されます（入力者：山田 花子）/);
    // The header still says who is signed in.
    assert.match(await f.page.locator("header").textContent(), /山田 花子/);
  });

  test("an issue and a stance entered for 田中 carry on_behalf_of and are labelled 代理入力", T, async () => {
    const { yamada: f } = people;
    await f.page.click("#tab-board");
    await f.page.fill(".post-form textarea", "電話で聞いた：夜間の訪問看護の担い手が足りない");
    await f.page.click(".post-form button[type=submit]");
    const issue = f.page.locator(".board .issue", { hasText: "電話で聞いた" });
    await issue.waitFor();
    await waitUntil(async () => (await issue.locator(".chip-proxy").count()) === 1, { message: "issue labelled" });
    assert.equal(await issue.locator(".chip-proxy").textContent(), "代理入力（入力者：山田 花子）");
    assert.equal(await issue.locator(".issue-author").textContent(), "田中 一郎");
    await shots(f.page, "issue", issue);

    await f.page.click("#tab-proposals");
    const card = f.page.locator(`.proposal[data-proposal="${proposal}"]`);
    await card.locator(".stance-option-disagree label").click();
    await card.locator(".stance-form input[type=text]").fill("電話で：人員が足りない");
    await card.locator(".stance-form button[type=submit]").click();
    const row = card.locator(".stance-row", { hasText: "田中 一郎" });
    await row.waitFor();
    assert.equal(await row.locator(".chip-proxy").textContent(), "代理入力（入力者：山田 花子）");
    await shots(f.page, "stance", card);

    const sent = f.sent.filter((c) => c.op === "issue.post" || c.op === "proposal.stance");
    assert.equal(sent.length, 2);
    for (const c of sent) assert.equal(c.on_behalf_of, ids.tanaka, `${c.op} on behalf of 田中`);

    // Ops that cannot be proxied are refused before they are sent.
    const before = f.sent.length;
    await f.page.evaluate(() => document.querySelector(".proxy-stop")?.scrollIntoView());
    assert.equal(f.sent.length, before);
  });

  test("田中 sees the stance marked and replaces it; the mark goes", T, async () => {
    const { tanaka: m } = people;
    await m.page.click("#tab-proposals");
    const card = m.page.locator(`.proposal[data-proposal="${proposal}"]`);
    const note = card.locator(".proxy-mine");
    await note.waitFor();
    assert.equal(await note.textContent(), "あなたの意思表示は山田 花子さんが代理入力しました。選び直して送信すると置き換わります。");
    await m.page.click("#tab-board");
    const issue = m.page.locator(".board .issue", { hasText: "電話で聞いた" });
    assert.equal(await issue.locator(".chip-proxy").textContent(), "代理入力（入力者：山田 花子）");
    await m.page.click("#tab-proposals");
    await shots(m.page, "attendee", card);
    await card.locator(".stance-option-agree label").click();
    await card.locator(".stance-form button[type=submit]").click();
    await waitUntil(async () => (await card.locator(".proxy-mine").count()) === 0, { message: "the note gone" });
    const row = card.locator(".stance-row", { hasText: "田中 一郎" });
    await waitUntil(async () => (await row.locator(".chip-proxy").count()) === 0, { message: "the label gone" });
    assert.equal(m.sent.filter((c) => c.on_behalf_of).length, 0, "田中's own commands are not proxied");
  });

  test("ending proxy input restores the facilitator's screen; the minutes name who entered it", T, async () => {
    const { yamada: f } = people;
    await f.page.click(".proxy-stop");
    await f.page.locator(".proxy-banner").waitFor({ state: "hidden" });
    assert.equal(await f.page.locator(".proxy-open").isVisible(), true);
    await f.page.click("#tab-board");
    await f.page.fill(".post-form textarea", "自分の課題");
    await f.page.click(".post-form button[type=submit]");
    await f.page.locator(".board .issue", { hasText: "自分の課題" }).waitFor();
    const own = f.sent.filter((c) => c.op === "issue.post").at(-1);
    assert.equal(own.on_behalf_of, undefined, "not proxied after the end");

    await cmd("yamada", "meeting.end", {});
    const res = await f.page.request.get(`${server.base}/api/councils/${council}/meetings/${meeting}/minutes.md`);
    assert.equal(res.status(), 200);
    const md = await res.text();
    assert.match(md, /電話で聞いた：夜間の訪問看護の担い手が足りない」（安芸高田市 田中 一郎）（代理入力：山田 花子）/);
    assert.match(md, /田中 一郎/);

    // The record page labels the issue too.
    await f.page.goto(`${server.base}/councils/${council}/record`);
    const label = f.page.locator(".chip-proxy").first();
    await label.waitFor();
    assert.equal(await label.textContent(), "代理入力（入力者：山田 花子）");
  });
});
