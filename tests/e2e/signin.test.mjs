// Sign-in in the browser against the real server (PROTOCOL.md v2,
// "People, organisations and sign-in"; PEOPLE.md): an administrator made
// with `renkei person add --admin` opens the set-up link, sets a password
// (a weak one refused beside the field), is sent to セキュリティ設定 from
// every page until a second factor is enrolled, enrols TOTP through the QR
// code's secret and keeps the recovery codes; then signs out and in again
// with the authenticator code and with a recovery code (each works once).
// A member seated with `renkei seat add` finds the council on ホーム as a
// plain link, with the offer to enrol. A used link, wrong passwords until
// rate_limited, and `renkei person deactivate` ending the session.
// Runs once the server has the v2 command line (people_harness.mjs).
// Run: cd tests/e2e && node --test signin.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, watchPage, shotAt,
} from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, totp, awayFromStepEnd } from "./people_harness.mjs";

const T = { timeout: 90_000 };
const ADMIN_PASSWORD = "hokkaido winter nurse 7";
const MEMBER_PASSWORD = "akiota river bridge 42";

describe("sign-in (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 400_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  const ids = {};
  const people = [];

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    ids.hc = cli("org", "add", "--db", db, "--name", "北広島保健所", "--kind", "health_centre", "--area", "北広島保健所管内").org;
    ids.town = cli("org", "add", "--db", db, "--name", "北広島町", "--kind", "municipality", "--area", "北広島保健所管内").org;
    const admin = cli("person", "add", "--db", db, "--name", "山田 花子", "--org", ids.hc, "--login", "yamada.hanako", "--admin");
    ids.admin = admin.person;
    ids.adminSetup = admin.setup;
    const member = cli("person", "add", "--db", db, "--name", "佐藤 恵子", "--org", ids.town, "--login", "sato.keiko");
    ids.member = member.person;
    ids.memberSetup = member.setup;
    const council = cli("council", "create", "--db", db, "--name", "北広島圏域 地域共生ケア会議", "--facilitator-name", "事務局", "--facilitator-org", "北広島保健所");
    ids.council = council.council;
    ids.seat = cli("seat", "add", "--db", db, "--council", ids.council, "--person", ids.member, "--role", "member").participant;
    server = await startServer({ db });
    browser = await launchBrowser();
  });

  after(async () => {
    for (const person of people) {
      assert.deepEqual(person.pageErrors, [], "no script errors");
      const csp = await person.page.evaluate(() => window.__csp).catch(() => []);
      assert.deepEqual(csp || [], [], "no CSP violations");
    }
    await browser?.close();
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  async function newPerson(width = 1280) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const person = { context, page };
    await watchPage(page, person);
    people.push(person);
    return person;
  }

  let admin;
  let secret;
  let recovery;

  test("the administrator sets a password through the set-up link", T, async () => {
    admin = await newPerson();
    const { page } = admin;
    assert.match(ids.adminSetup, /^\/setup\/[^/]+$/);
    await page.goto(`${server.base}${ids.adminSetup}`);
    await page.locator("h1", { hasText: "パスワードの設定" }).waitFor();
    const who = await page.locator(".acc-who").innerText();
    assert.ok(who.includes("山田 花子") && who.includes("北広島保健所") && who.includes("yamada.hanako"), who);
    assert.ok(await page.locator(".acc-note-2fa").isVisible(), "told that an authenticator app follows");
    await shotAt(page, "signin-setup", 1280);
    const pw = page.locator("input[type=password]");
    await pw.nth(0).fill("pass12345");
    await pw.nth(1).fill("pass12345");
    await page.click("button[type=submit]");
    // Under 10 characters: caught before sending.
    await page.locator(".field-error", { hasText: "10文字以上" }).waitFor();
    await pw.nth(0).fill("password1234");
    await pw.nth(1).fill("password1234");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "よく使われている" }).waitFor();
    await pw.nth(0).fill(ADMIN_PASSWORD);
    await pw.nth(1).fill(ADMIN_PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/me\/security/);
    assert.ok(!page.url().includes(ids.adminSetup.split("/").pop()), "the token left the address");
    await page.locator(".acc-required", { hasText: "管理者とファシリテーター" }).waitFor();
  });

  test("until a second factor is enrolled every page sends the administrator to セキュリティ設定", T, async () => {
    const { page } = admin;
    for (const path of ["/", "/console", "/console/people"]) {
      await page.goto(`${server.base}${path}`);
      await page.waitForURL(/\/me\/security$/);
    }
    const res = await page.request.get(`${server.base}/api/home`, { failOnStatusCode: false });
    assert.equal(res.status(), 403);
    assert.equal((await res.json()).code, "second_factor_enrolment_required");
  });

  test("enrolment: QR code and the secret in groups of 4, a wrong code refused, ten recovery codes shown once", T, async () => {
    const { page } = admin;
    await page.goto(`${server.base}/me/security`);
    await page.click("[data-focus-key=sec-start]");
    await page.locator(".acc-qr-box svg path").waitFor({ state: "attached" });
    const grouped = await page.locator(".acc-secret-text code").innerText();
    assert.match(grouped, /^([A-Z2-7=]{1,4} )*[A-Z2-7=]{1,4}$/, grouped);
    secret = grouped.replace(/\s+/g, "");
    for (const width of [1280, 768]) await shotAt(page, "signin-enrol", width);
    await page.setViewportSize({ width: 1280, height: 900 });
    const wrong = String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, "0");
    await page.fill("[data-focus-key=sec-code]", wrong);
    await page.click(".acc-confirm-form button[type=submit]");
    await page.locator(".field-error", { hasText: "数字が違います" }).waitFor();
    await awayFromStepEnd();
    await page.fill("[data-focus-key=sec-code]", totp(secret));
    await page.click(".acc-confirm-form button[type=submit]");
    await page.locator(".acc-codes-list li").nth(9).waitFor();
    recovery = await page.locator(".acc-codes-list li").allInnerTexts();
    assert.equal(recovery.length, 10);
    for (const code of recovery) assert.match(code.trim(), /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/i);
    await shotAt(page, "signin-recovery-codes", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.check("#sec-saved");
    await page.getByRole("button", { name: "保存しました" }).click();
    await page.locator(".page-note", { hasText: "認証アプリを登録しました" }).waitFor();
    await page.goto(`${server.base}/`);
    await page.locator("h1", { hasText: "ホーム" }).waitFor();
    assert.ok(await page.locator("a.acc-nav-link", { hasText: "事務局コンソール" }).isVisible(), "an administrator sees the console link");
  });

  test("sign out, then in again: wrong password, the code step, a wrong code, the right one", T, async () => {
    const { page } = admin;
    await page.click(".acc-signout");
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    assert.ok(await page.getByText("招待リンクをお持ちの方").isVisible());
    for (const width of [1280, 768]) await shotAt(page, "signin-page", width);
    await page.setViewportSize({ width: 1280, height: 900 });
    const home = await page.request.get(`${server.base}/api/home`, { failOnStatusCode: false });
    assert.equal(home.status(), 401, "signed out");

    await page.fill("input[name=username]", "yamada.hanako");
    await page.fill("input[name=password]", "not the password");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "ログインIDまたはパスワードが違います" }).waitFor();
    await page.fill("input[name=password]", ADMIN_PASSWORD);
    await page.click("button[type=submit]");
    await page.locator(".acc-signin-title", { hasText: "確認コードの入力" }).waitFor();
    await page.fill("input[name=code]", "000000" === totp(secret) ? "111111" : "000000");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "確認コードが違う" }).waitFor();
    // The next time step (one step of drift is accepted): never the code
    // already used for the enrolment.
    await page.fill("input[name=code]", totp(secret, 30));
    await page.click("button[type=submit]");
    await page.locator("h1", { hasText: "ホーム" }).waitFor();
  });

  test("a recovery code signs in once", T, async () => {
    const { page } = admin;
    await page.click(".acc-signout");
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    for (const attempt of [0, 1]) {
      await page.fill("input[name=username]", "yamada.hanako");
      await page.fill("input[name=password]", ADMIN_PASSWORD);
      await page.click("button[type=submit]");
      await page.locator("input[name=code]").waitFor();
      await page.fill("input[name=code]", recovery[0].trim());
      await page.click("button[type=submit]");
      if (attempt === 0) {
        await page.locator("h1", { hasText: "ホーム" }).waitFor();
        await page.click(".acc-signout");
        await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
      } else {
        await page.locator(".field-error", { hasText: "確認コードが違う" }).waitFor();
      }
    }
  });

  let member;

  test("a member sets a password and finds the council on ホーム as a link, with the offer to enrol", T, async () => {
    member = await newPerson(768);
    const { page } = member;
    await page.goto(`${server.base}${ids.memberSetup}`);
    await page.locator("h1", { hasText: "パスワードの設定" }).waitFor();
    assert.equal(await page.locator(".acc-note-2fa").count(), 0, "no second factor required of a member");
    const pw = page.locator("input[type=password]");
    await pw.nth(0).fill(MEMBER_PASSWORD);
    await pw.nth(1).fill(MEMBER_PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL((url) => url.pathname === "/");
    await page.locator(".acc-offer", { hasText: "パスワードを設定しました" }).waitFor();
    const card = page.locator(".home-card", { hasText: "北広島圏域 地域共生ケア会議" });
    await card.waitFor();
    assert.equal(await card.locator("a.home-card-link").getAttribute("href"), `/councils/${ids.council}`);
    assert.ok((await card.innerText()).includes("メンバー"));
    assert.equal(await page.locator("a.acc-nav-link", { hasText: "事務局コンソール" }).count(), 0, "no console without a grant");
    for (const width of [768, 1280]) await shotAt(page, "signin-home-member", width);
  });

  test("a used set-up link says so", T, async () => {
    const { page } = await newPerson();
    await page.goto(`${server.base}${ids.memberSetup}`);
    await page.locator("h1", { hasText: "このリンクは使えません" }).waitFor();
    assert.ok((await page.locator("main").innerText()).includes("事務局に新しいリンクを依頼してください"));
    await shotAt(page, "signin-setup-used", 768);
  });

  test("repeated wrong passwords: rate_limited tells how long to wait", T, async () => {
    const { page } = await newPerson();
    await page.goto(`${server.base}/`);
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    let limited = false;
    for (let i = 0; i < 8 && !limited; i += 1) {
      await page.fill("input[name=username]", "sato.keiko");
      await page.fill("input[name=password]", `wrong password ${i}`);
      await page.click("button[type=submit]");
      await waitUntil(async () => (await page.locator(".field-error, .page-error-inline:not([hidden])").count()) > 0, { message: "an answer" });
      limited = (await page.locator(".page-error-inline:not([hidden])", { hasText: "待ってから" }).count()) > 0;
    }
    assert.ok(limited, "rate_limited after repeated failures");
    assert.match(await page.locator(".page-error-inline").innerText(), /\d+(分|秒)ほど待って/);
    assert.ok(await page.locator("button[type=submit]").isDisabled());
  });

  test("renkei person deactivate ends the member's session", T, async () => {
    const { page } = member;
    cli("person", "deactivate", "--db", db, "--person", ids.member);
    await waitUntil(async () => (await page.request.get(`${server.base}/api/me`, { failOnStatusCode: false })).status() === 401, { timeout: 10_000, message: "session ended" });
    await page.reload();
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
  });
});
