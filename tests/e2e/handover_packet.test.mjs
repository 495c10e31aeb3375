// 引き継ぎ資料 in the browser against the real server (CONTINUITY.md §2):
// a newly transferred nurse signs in, finds the link on ホーム, and reads
// her organisation's packet — the overdue role first with its due date in
// Japanese, the role awaiting her consent, the theme's stage, the last
// meeting's decisions, links to the council and to the minutes, 印刷 (A4)
// and the Markdown download. A person of another organisation is refused.
// Screenshots at 1280 and 768 px in the artifacts folder; no script error
// and no Content-Security-Policy violation.
// Run: cd tests/e2e && RENKEI_BINARY=… node --test handover_packet.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, watchPage, shotAt, artifacts,
  connectScripted, sendScripted,
} from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, setUpAccount } from "./people_harness.mjs";
import { wordingProblemsOf } from "./wording.mjs";

const T = { timeout: 90_000 };
const PASSWORD = "hiroshima spring transfer 4";

describe("handover packet (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 300_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  const ids = {};
  const people = [];

  before(async () => {
    checkPrerequisites();
    mkdirSync(artifacts, { recursive: true });
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    const area = "北広島保健所管内";
    ids.town = cli("org", "add", "--db", db, "--name", "北広島町", "--kind", "municipality", "--area", area).org;
    ids.hospital = cli("org", "add", "--db", db, "--name", "千代田中央病院", "--kind", "hospital", "--area", area).org;
    const nurse = cli("person", "add", "--db", db, "--name", "佐藤 恵子", "--org", ids.town, "--login", "sato.keiko");
    ids.nurse = nurse.person;
    ids.nurseSetup = nurse.setup;
    const other = cli("person", "add", "--db", db, "--name", "田中 一郎", "--org", ids.hospital, "--login", "tanaka.ichiro");
    ids.otherSetup = other.setup;
    const council = cli("council", "create", "--db", db, "--name", "在宅医療・介護連携推進会議", "--facilitator-name", "山本 真理",
      "--facilitator-org", "北広島保健所", "--area", area);
    ids.council = council.council;
    ids.chairToken = council.token;
    const second = cli("council", "create", "--db", db, "--name", "認知症施策推進会議", "--facilitator-name", "木村 聡",
      "--facilitator-org", "北広島保健所", "--area", area);
    ids.second = second.council;
    for (const c of [ids.council, ids.second]) cli("seat", "add", "--db", db, "--council", c, "--person", ids.nurse, "--role", "member");
    cli("seat", "add", "--db", db, "--council", ids.council, "--person", other.person, "--role", "member");
    server = await startServer({ db });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const person of people) {
      assert.deepEqual(person.pageErrors, [], "no script errors");
      const csp = await person.page.evaluate(() => window.__csp).catch(() => []);
      assert.deepEqual(csp || [], [], "no CSP violations");
      await person.context.close();
    }
    await browser?.close();
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  async function newPerson(width = 1280) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo", acceptDownloads: true });
    const page = await context.newPage();
    const person = { context, page };
    await watchPage(page, person);
    people.push(person);
    return person;
  }

  let nurse;

  test("a meeting gives the town an overdue role, one awaiting its consent and a theme at stage 2", T, async () => {
    nurse = await newPerson();
    await setUpAccount(nurse.context, server.base, ids.nurseSetup, PASSWORD, { enrol: false });
    const { page } = nurse;
    await page.goto(`${server.base}/`);
    await page.locator(".home-card").first().waitFor();
    // The facilitator (invite token) and the nurse (her session cookie).
    await connectScripted(page, "chair", ids.chairToken, ids.council);
    await connectScripted(page, "nurse", undefined, ids.council);
    const started = await sendScripted(page, "chair", "meeting.start", { title: "第4回 推進会議" });
    ids.meeting = started.meeting;
    const overdue = await sendScripted(page, "chair", "role.propose", {
      title: "退院時カンファレンスの手引きを作る", owner_org: "北広島町", due: "2026-01-31", theme: "退院支援",
      detail: "病院・訪問看護・ケアマネと相談して案を作り、次回に示す",
    });
    await sendScripted(page, "nurse", "role.consent", { role: overdue.role, consent: true, note: "町で担当します" });
    await sendScripted(page, "chair", "role.propose", { title: "見守りネットワークの名簿を更新する", owner_org: "北広島町", due: "2099-03-31" });
    await sendScripted(page, "chair", "role.propose", { title: "退院連絡票の様式を見直す", owner_org: "千代田中央病院", due: "2099-01-31" });
    await sendScripted(page, "chair", "theme.set_stage", { theme: "退院支援", stage: 2, reason: "課題を共有し、役割を分担したため" });
    await sendScripted(page, "chair", "meeting.end", {});
    await sendScripted(page, "nurse", "role.status", { role: overdue.role, status: "in_progress", note: "病院と打合せを始めた" });
  });

  test("ホーム links to the packet; overdue first, Japanese dates, links to the council and the minutes", T, async () => {
    const { page } = nurse;
    await page.goto(`${server.base}/`);
    const link = page.locator("a.home-handover-link");
    await link.waitFor();
    assert.equal(await link.getAttribute("href"), `/handover/${ids.town}`);
    await shotAt(page, "handover-home-link", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    await link.click();
    await page.waitForURL(new RegExp(`/handover/${ids.town}$`));
    await page.locator(".ho-council").first().waitFor();
    assert.equal(await page.locator("h1").innerText(), "引き継ぎ資料：北広島町");
    assert.match(await page.locator(".ho-alert").innerText(), /期限を過ぎた役割が1件あります/);
    // The council with the overdue role comes first; its first role is the overdue one.
    const first = page.locator(".ho-council").first();
    assert.equal(await first.locator(".ho-council-title").innerText(), "在宅医療・介護連携推進会議");
    const role = first.locator(".ho-roles .ho-role").first();
    assert.ok(await role.evaluate((el) => el.classList.contains("is-overdue")));
    assert.match(await role.innerText(), /退院時カンファレンスの手引きを作る/);
    assert.match(await role.innerText(), /期限 2026年1月31日/);
    assert.match(await role.innerText(), /進捗：実施中/);
    assert.match(await role.locator(".ho-role-agreed").innerText(), /合意した会議：第4回 推進会議/);
    const minutes = role.locator(".ho-role-agreed a");
    assert.equal(await minutes.getAttribute("href"), `/api/councils/${ids.council}/meetings/${ids.meeting}/minutes.html`);
    assert.equal(await first.locator("a.ho-open").getAttribute("href"), `/councils/${ids.council}`);
    await role.locator(".ho-history summary").click();
    assert.match(await role.locator(".ho-history ol").innerText(), /担当機関が引き受け.*町で担当します/);
    const parts = first.locator(".ho-part");
    assert.match(await parts.nth(1).innerText(), /合意をお願いされている役割[\s\S]*見守りネットワークの名簿を更新する[\s\S]*2099年3月31日/);
    assert.match(await parts.nth(2).innerText(), /退院支援[\s\S]*段階2/);
    assert.match(await parts.nth(2).innerText(), /課題を共有し、役割を分担したため/);
    assert.match(await parts.nth(4).innerText(), /役割分担に合意/);
    assert.match(await parts.nth(5).innerText(), /退院連絡票の様式を見直す[\s\S]*千代田中央病院/);
    // The second council, with nothing overdue, after it.
    assert.equal(await page.locator(".ho-council").nth(1).locator(".ho-council-title").innerText(), "認知症施策推進会議");
    // Print and Markdown.
    assert.equal(await page.locator(".ho-actions a", { hasText: "印刷（A4）" }).getAttribute("href"), `/api/orgs/${ids.town}/handover.html`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".ho-actions a", { hasText: "Markdownでダウンロード" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^引き継ぎ資料_北広島町_\d{4}-\d{2}-\d{2}\.md$/);
    // Another period: the whole record.
    await page.locator(".ho-periods a", { hasText: "すべて" }).click();
    await page.locator(".ho-part-title", { hasText: "これまでの変更" }).first().waitFor();
    assert.match(page.url(), /\?since=all$/);
    assert.match(await page.locator(".ho-facts").first().innerText(), /記録の最初から/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shotAt(page, "handover-packet", 1280);
    await shotAt(page, "handover-packet", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(artifacts, "handover-packet-full-1280.png"), fullPage: true });
  });

  test("the A4 page prints the same packet with /print.css", T, async () => {
    const { page } = nurse;
    await page.goto(`${server.base}/api/orgs/${ids.town}/handover.html`);
    await page.locator("main.handover h1", { hasText: "引き継ぎ資料" }).waitFor();
    assert.match(await page.locator("main").innerText(), /2026年1月31日（期限超過）/);
    await shotAt(page, "handover-packet-print", 1280);
    await page.screenshot({ path: join(artifacts, "handover-packet-print-full-1280.png"), fullPage: true });
    await page.locator(".minutes-actions a", { hasText: "戻る" }).click();
    await page.waitForURL(new RegExp(`/handover/${ids.town}$`));
    await page.locator(".ho-council").first().waitFor();
  });

  test("the glossary's words and no internal id, in Japanese and English", T, async () => {
    const { page } = nurse;
    const problems = [];
    for (const lang of ["ja", "en"]) {
      await page.goto(`${server.base}/handover/${ids.town}?since=all`);
      await page.locator(".ho-council").first().waitFor();
      await page.click(`.lang-switch button[lang=${lang}]`);
      await page.locator("h1", { hasText: lang === "ja" ? "引き継ぎ資料" : "Handover packet" }).waitFor();
      for (const p of await wordingProblemsOf(page)) problems.push(`${lang}: ${p}`);
      if (lang === "en") {
        assert.match(await page.locator(".ho-roles .ho-role").first().innerText(), /Overdue/);
        await shotAt(page, "handover-packet-en", 768);
      }
    }
    await page.goto(`${server.base}/api/orgs/${ids.town}/handover.html?since=all`);
    for (const p of await wordingProblemsOf(page)) problems.push(`html: ${p}`);
    assert.deepEqual(problems, []);
    await page.goto(`${server.base}/`);
    await page.click(".lang-switch button[lang=ja]");
  });

  test("a person of another organisation is refused", T, async () => {
    const other = await newPerson(768);
    await setUpAccount(other.context, server.base, ids.otherSetup, PASSWORD, { enrol: false });
    await other.page.goto(`${server.base}/handover/${ids.town}`);
    await other.page.locator(".page-error").waitFor();
    assert.equal(await other.page.locator(".ho-council").count(), 0);
  });
});
