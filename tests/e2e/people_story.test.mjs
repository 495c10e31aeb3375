// The people story in the browser against the real server, from an empty
// database with one administrator made by the CLI (`renkei org add`, then
// `renkei person add --admin`); everything after that is done in the pages:
//  1. the administrator sets a password through the set-up link and enrols
//     TOTP (codes from oathtool), then adds a secretariat person of the
//     area (事務局 grant) in 事務局コンソール; the secretariat, in a second
//     browser, sets a password, enrols TOTP, signs in with password + code
//     and creates three organisations, four people and a council, and
//     seats a facilitator and members;
//  2. the facilitator sets a password through their link and enrols TOTP;
//  3. a member signs in, sees two councils on ホーム (the secretariat also
//     seated them in a one-on-one), opens the council from ホーム while the
//     facilitator has started a meeting, posts an issue on the meeting
//     screen and the facilitator sees it;
//  4. a person deactivated in the console is refused at sign-in; a set-up
//     link made expired (in the SQLite file, with Python's sqlite3 module)
//     is refused with a page that says what to do;
//  5. screenshots of the main steps at 1280 and 768 px.
// Runs once the server has the v2 command line (people_harness.mjs).
// Run: cd tests/e2e && node --test people_story.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, watchPage, shotAt,
} from "./harness.mjs";
import {
  hasPeopleServer, SKIP_REASON, setPasswordInBrowser, enrolInBrowser, signInInBrowser, fillField, expireSetupLinks,
} from "./people_harness.mjs";

const T = { timeout: 60_000 };
const AREA = "北広島保健所管内";
const COUNCIL = "北広島圏域 地域共生ケア会議";
const ONE_ON_ONE = "入退院支援の個別相談";
const ISSUE = "退院前カンファレンスの日程調整に時間がかかる";

const PEOPLE = {
  facilitator: { name: "中村 由美", org: "北広島町", kind: "市町村", login: "nakamura.yumi", password: "chiyoda station maple 3" },
  member: { name: "佐藤 恵子", org: "千代田中央病院", kind: "病院", login: "sato.keiko", password: "akiota river bridge 42" },
  member2: { name: "田中 一郎", org: "北広島町地域包括支援センター", kind: "地域包括支援センター", login: "tanaka.ichiro", password: "" },
  leaving: { name: "高橋 誠", org: "北広島町", kind: "市町村", login: "takahashi.makoto", password: "geihoku snow field 88" },
};
const ORGS = [
  ["北広島町", "municipality"],
  ["千代田中央病院", "hospital"],
  ["北広島町地域包括支援センター", "community_support_centre"],
];

describe("people story: administrator, secretariat, facilitator, member (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 300_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  const ids = {};
  const links = {};
  const everyone = [];
  let admin;
  let sec;
  let fac;
  let mem;

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    ids.hc = cli("org", "add", "--db", db, "--name", "北広島保健所", "--kind", "health_centre", "--area", AREA, "--prefecture", "広島県").org;
    const made = cli("person", "add", "--db", db, "--name", "山田 花子", "--org", ids.hc, "--login", "yamada.hanako", "--admin");
    links.admin = made.setup;
    server = await startServer({ db });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const person of everyone) {
      assert.deepEqual(person.pageErrors, [], `no script errors (${person.who})`);
      const csp = await person.page.evaluate(() => window.__csp).catch(() => []);
      assert.deepEqual(csp || [], [], `no CSP violations (${person.who})`);
    }
    await browser?.close();
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  async function newPerson(who, width = 1280) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const person = { who, context, page };
    await watchPage(page, person);
    everyone.push(person);
    return person;
  }

  async function shots(person, name) {
    for (const width of [1280, 768]) await shotAt(person.page, `story-${name}`, width);
    await person.page.setViewportSize({ width: 1280, height: 900 });
  }

  async function section(person, id) {
    const { page } = person;
    await page.goto(`${server.base}/console/${id}`);
    await page.locator(".con-section").waitFor();
    await page.locator(".con-section .page-loading").waitFor({ state: "detached" });
  }

  const dialogOf = (person) => person.page.locator("dialog.form-dialog");

  // The set-up link shown once after adding a person (or reissuing a link),
  // as a path; the dialog is closed.
  async function takeLink(person) {
    const box = person.page.locator(".con-link-dialog .con-link-text");
    await box.waitFor();
    const link = new URL(await box.inputValue()).pathname;
    assert.match(link, /^\/setup\/[^/]+$/);
    await person.page.keyboard.press("Escape");
    await person.page.locator(".con-link-dialog").waitFor({ state: "detached" });
    return link;
  }

  test("1a. the administrator sets a password, enrols TOTP and adds a secretariat person of the area", T, async () => {
    admin = await newPerson("admin");
    const { page } = admin;
    await setPasswordInBrowser(page, server.base, links.admin, "hokkaido winter nurse 7");
    await page.waitForURL(/\/me\/security/);
    await page.locator(".acc-required").waitFor();
    await enrolInBrowser(page, server.base);
    await section(admin, "people");
    await page.click("[data-focus-key=people-add]");
    const dialog = dialogOf(admin);
    await fillField(dialog, "氏名", "木村 直子");
    await fillField(dialog, "機関", "北広島保健所（保健所）");
    await fillField(dialog, "ログインID", "kimura.naoko");
    // The 事務局 grant is offered to administrators in the add dialog.
    assert.ok(await dialog.locator("#person-secretariat").isVisible(), "the dialog can grant 事務局");
    await dialog.locator("#person-secretariat").check();
    await shots(admin, "admin-add-secretariat");
    await dialog.locator("button[type=submit]").click();
    links.secretariat = await takeLink(admin);
    await page.locator(".con-table tr", { hasText: "木村 直子" }).waitFor();
    await shots(admin, "admin-people");
  });

  test("1b. the secretariat sets a password, enrols TOTP and signs in with password and code", T, async () => {
    sec = await newPerson("secretariat");
    const { page } = sec;
    await setPasswordInBrowser(page, server.base, links.secretariat, "kitahiroshima office 24");
    await page.waitForURL((url) => url.pathname === "/");
    await page.locator(".acc-offer").waitFor();
    assert.ok(await page.locator("a.acc-nav-link", { hasText: "事務局コンソール" }).isVisible(), "the secretariat sees the console link");
    const { secret } = await enrolInBrowser(page, server.base);
    sec.secret = secret;
    await page.click(".acc-signout");
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    await signInInBrowser(page, server.base, "kimura.naoko", "kitahiroshima office 24", secret);
    await page.locator("h1", { hasText: "ホーム" }).waitFor();
    const me = await (await page.request.get(`${server.base}/api/me`)).json();
    assert.deepEqual(me.grants, [{ role: "secretariat", scope: AREA }]);
  });

  test("1c. the secretariat adds three organisations, four people and a council, and seats them", T, async () => {
    const { page } = sec;
    const dialog = dialogOf(sec);
    await section(sec, "orgs");
    for (const [name, kind] of ORGS) {
      await page.click("[data-focus-key=orgs-add]");
      await fillField(dialog, "名称", name);
      await dialog.locator("select").selectOption(kind);
      await fillField(dialog, "管内", AREA);
      await fillField(dialog, "都道府県", "広島県");
      await dialog.locator("button[type=submit]").click();
      await dialog.waitFor({ state: "detached" });
      await page.locator(".con-table tr", { hasText: name }).first().waitFor();
    }
    await shots(sec, "secretariat-orgs");

    await section(sec, "people");
    for (const [key, p] of Object.entries(PEOPLE)) {
      await page.click("[data-focus-key=people-add]");
      await fillField(dialog, "氏名", p.name);
      await fillField(dialog, "機関", `${p.org}（${p.kind}）`);
      await fillField(dialog, "ログインID", p.login);
      assert.equal(await dialog.locator("#person-secretariat").count(), 0, "a secretariat grants nothing");
      await dialog.locator("button[type=submit]").click();
      links[key] = await takeLink(sec);
      await page.locator(".con-table tr", { hasText: p.name }).waitFor();
    }
    const people = await (await page.request.get(`${server.base}/api/console/people`)).json();
    for (const [key, p] of Object.entries(PEOPLE)) ids[key] = (people.people || people).find((x) => x.login === p.login).id;
    await shots(sec, "secretariat-people");

    for (const [name, kind, seats] of [
      [COUNCIL, "council", [["facilitator", "facilitator"], ["member", "member"], ["member2", "member"], ["leaving", "member"]]],
      [ONE_ON_ONE, "one_on_one", [["facilitator", "facilitator"], ["member", "member"]]],
    ]) {
      await section(sec, "councils");
      await page.click("[data-focus-key=councils-add]");
      await fillField(dialog, "名称", name);
      await dialog.locator(".field", { has: page.locator("label > span", { hasText: /^種類$/ }) }).locator("select").selectOption(kind);
      await fillField(dialog, "管内", AREA);
      if (kind === "council") await dialog.locator("textarea").fill("入退院支援\n在宅医療と介護の連携");
      await dialog.locator("button[type=submit]").click();
      await dialog.waitFor({ state: "detached" });
      if (kind === "council") await shots(sec, "secretariat-councils");
      await page.locator(".con-table tr", { hasText: name }).locator("button", { hasText: "席を管理" }).click();
      await page.waitForURL(/\/console\/councils\/[^/]+$/);
      ids[kind] = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
      await page.locator(".con-invite").waitFor();
      for (const [key, role] of seats) {
        const p = PEOPLE[key];
        await page.locator("[data-focus-key=seat-person]").selectOption({ label: `${p.name}（${p.org}）` });
        await page.selectOption("[data-focus-key=seat-role]", role);
        await page.click(".con-invite button[type=submit]");
        await page.locator(".con-table tr", { hasText: p.name }).waitFor();
      }
      const roles = await page.locator(".con-table tr", { hasText: PEOPLE.facilitator.name }).innerText();
      assert.ok(roles.includes("ファシリテーター"), roles);
    }
    await shots(sec, "secretariat-seats");
  });

  test("2. the facilitator sets a password through their link and enrols TOTP", T, async () => {
    fac = await newPerson("facilitator");
    const { page } = fac;
    await setPasswordInBrowser(page, server.base, links.facilitator, PEOPLE.facilitator.password);
    // A facilitator must enrol: the set-up leads to セキュリティ設定.
    await page.waitForURL(/\/me\/security/);
    await page.locator(".acc-required").waitFor();
    await shots(fac, "facilitator-enrol-required");
    await enrolInBrowser(page, server.base);
    await page.goto(`${server.base}/`);
    await page.locator(".home-card", { hasText: COUNCIL }).waitFor();
  });

  test("3. a member signs in, sees two councils on ホーム, opens the council and takes part in the meeting", T, async () => {
    // The facilitator opens the council from ホーム and starts a meeting.
    const f = fac.page;
    await f.locator(".home-card", { hasText: COUNCIL }).locator("a.home-card-link").click();
    await f.waitForURL(new RegExp(`/councils/${encodeURIComponent(ids.council)}$`));
    await f.locator(".conn-online").waitFor({ state: "attached" });
    await f.selectOption("select[data-focus-key=start-agenda]", "community-care-council");
    await f.fill("input[data-focus-key=start-title]", "第1回 北広島圏域 地域共生ケア会議");
    await f.click(".agenda button[type=submit]");
    await f.locator(".meeting-title").waitFor();

    mem = await newPerson("member", 768);
    const { page } = mem;
    await setPasswordInBrowser(page, server.base, links.member, PEOPLE.member.password);
    await page.waitForURL((url) => url.pathname === "/");
    await page.click(".acc-signout");
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    await signInInBrowser(page, server.base, PEOPLE.member.login, PEOPLE.member.password);
    await page.locator("h1", { hasText: "ホーム" }).waitFor();
    await waitUntil(async () => (await page.locator(".home-card").count()) === 2, { message: "two councils on ホーム" });
    const titles = await page.locator(".home-card .home-card-title").allInnerTexts();
    assert.deepEqual(titles.map((s) => s.trim()).sort(), [COUNCIL, ONE_ON_ONE].sort());
    // The offer to enrol no longer says the password was just set.
    await page.locator(".acc-offer").waitFor();
    assert.equal(await page.locator(".acc-offer", { hasText: "パスワードを設定しました" }).count(), 0);
    const card = page.locator(".home-card", { hasText: COUNCIL });
    assert.ok((await card.innerText()).includes("メンバー"));
    await card.locator(".home-live").waitFor();
    await shots(mem, "member-home");

    await card.locator("a.home-card-link").click();
    await page.waitForURL(new RegExp(`/councils/${encodeURIComponent(ids.council)}$`));
    await page.locator(".conn-online").waitFor({ state: "attached" });
    await page.locator(".meeting-title", { hasText: "第1回" }).waitFor();
    await page.click("#tab-board");
    await page.locator("#panel-board").waitFor({ state: "visible" });
    await page.fill(".post-form textarea", ISSUE);
    await page.click(".post-form button[type=submit]");
    await waitUntil(async () => (await f.locator(".board .issue > .issue-text").allTextContents()).includes(ISSUE), { message: "the facilitator sees the member's issue" });
    await f.click("#tab-board");
    const issue = f.locator(".board .issue", { has: f.locator(`.issue-text:text-is("${ISSUE}")`) });
    assert.ok((await issue.innerText()).includes(PEOPLE.member.name), "the issue names the member");
    await shots(mem, "member-meeting");
    await shots(fac, "facilitator-meeting");
    // A signed-in person's meeting screen leads back to ホーム and signs
    // out (サインアウト, as on ホーム) to the sign-in page.
    await page.locator(".appbar a.header-home-link", { hasText: "ホーム" }).click();
    await page.locator("h1", { hasText: "ホーム" }).waitFor();
    await page.locator(".home-card", { hasText: ONE_ON_ONE }).locator("a.home-card-link").click();
    await page.waitForURL(new RegExp(`/councils/${encodeURIComponent(ids.one_on_one)}$`));
    await page.locator(".conn-online").waitFor({ state: "attached" });
    await page.locator(".appbar button", { hasText: "サインアウト" }).click();
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    assert.equal((await page.request.get(`${server.base}/api/me`, { failOnStatusCode: false })).status(), 401, "signed out");
  });

  test("4a. a person deactivated in the console is refused at sign-in", T, async () => {
    const leaving = await newPerson("deactivated");
    await setPasswordInBrowser(leaving.page, server.base, links.leaving, PEOPLE.leaving.password);
    await leaving.page.waitForURL((url) => url.pathname === "/");

    const { page } = sec;
    await section(sec, "people");
    await page.locator(".con-table tr", { hasText: PEOPLE.leaving.name }).locator("button", { hasText: "利用停止" }).click();
    await dialogOf(sec).locator("button[type=submit]").click();
    await dialogOf(sec).waitFor({ state: "detached" });
    await waitUntil(async () => (await page.locator(".con-table tr", { hasText: PEOPLE.leaving.name }).count()) === 0, { message: "deactivated hidden" });

    // Their open session ends; signing in again is refused (with the
    // message of a wrong password: whether an account exists is not told).
    await waitUntil(async () => (await leaving.page.request.get(`${server.base}/api/me`, { failOnStatusCode: false })).status() === 401, { message: "session ended" });
    await signInInBrowser(leaving.page, server.base, PEOPLE.leaving.login, PEOPLE.leaving.password);
    const refusal = leaving.page.locator(".field-error", { hasText: "ログインIDまたはパスワードが違います" });
    await refusal.waitFor();
    assert.ok((await refusal.innerText()).includes("事務局にお問い合わせください"), "says whom to ask");
    assert.equal(await leaving.page.locator("h1", { hasText: "ホーム" }).count(), 0);
    await shots(leaving, "deactivated-refused");
  });

  test("4b. an expired set-up link is refused with a page that says what to do", T, async () => {
    assert.equal(expireSetupLinks(db, ids.member2), 1, "one unused link made expired");
    const late = await newPerson("expired link", 768);
    const { page } = late;
    await page.goto(`${server.base}${links.member2}`);
    await page.locator("h1", { hasText: "このリンクは使えません" }).waitFor();
    assert.ok((await page.locator("main").innerText()).includes("事務局に新しいリンクを依頼してください"));
    assert.equal(await page.locator("input[type=password]").count(), 0, "no password form");
    await shots(late, "setup-expired");
    // The secretariat sees it as 期限切れ.
    await section(sec, "invitations");
    const row = sec.page.locator(".con-table tr", { hasText: PEOPLE.member2.name });
    await row.first().waitFor();
    assert.ok((await row.first().innerText()).includes("期限切れ"), await row.first().innerText());
    await shots(sec, "secretariat-invitations");
  });
});
