// The pages of people and organisations in the browser, against the HTTP
// contract of PEOPLE.md answered by fixtures (people_fixtures.mjs, through
// page.route): what each page sends and shows, errors beside their field,
// the set-up token never in an address, the QR codes, the layout at 1280
// and 768 px (screenshots in the artifacts folder), no script error and no
// Content-Security-Policy violation. signin.test.mjs and console.test.mjs
// walk the same pages against the real server.
// Run: cd tests/e2e && node --test people_pages.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, watchPage, shotAt, webDir, chromiumPath, artifacts } from "./harness.mjs";
import { makeState, routeFixtures } from "./people_fixtures.mjs";
import { mkdirSync } from "node:fs";

const BASE = "http://renkei.test";
const ready = existsSync(join(webDir, "app.js")) && existsSync(chromiumPath);

describe("pages of people and organisations (fixtures)", { skip: !ready && "needs client-web/dist and Chromium", timeout: 240_000 }, () => {
  let browser;
  const opened = [];

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const person of opened) {
      assert.deepEqual(person.pageErrors, [], "no script errors");
      const csp = await person.page.evaluate(() => window.__csp).catch(() => []);
      assert.deepEqual(csp || [], [], "no CSP violations");
      await person.context.close();
    }
    await browser?.close();
  });

  async function open(path, options = {}, { width = 1280 } = {}) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const state = makeState(options);
    await routeFixtures(context, state);
    const page = await context.newPage();
    const person = { context, page, state };
    await watchPage(page, person);
    await page.goto(`${BASE}${path}`);
    opened.push(person);
    return person;
  }

  test("sign-in: wrong password beside the field, second step, wrong code, then ホーム", async () => {
    const { page, state } = await open("/", { signedIn: false });
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    assert.ok(await page.getByText("招待リンクをお持ちの方").isVisible(), "invite-link note");
    await page.fill("input[name=username]", "yamada.hanako");
    await page.fill("input[name=password]", "wrong password");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "ログインIDまたはパスワードが違います" }).waitFor();
    assert.equal(await page.locator("input[name=password]").getAttribute("aria-invalid"), "true");
    await shotAt(page, "people-signin-error", 1280);

    await page.fill("input[name=password]", state.password);
    await page.click("button[type=submit]");
    await page.locator(".acc-signin-title", { hasText: "確認コードの入力" }).waitFor();
    await page.fill("input[name=code]", "000000");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "確認コードが違う" }).waitFor();
    await page.fill("input[name=code]", state.totpCode);
    await page.click("button[type=submit]");
    await page.locator(".home-card").first().waitFor();
    const last = state.sent.filter((r) => r.path === "/api/sign-in").pop();
    assert.deepEqual(last.body, { login: "yamada.hanako", password: state.password, code: state.totpCode });
  });

  test("sign-in: rate_limited says how long to wait", async () => {
    const { page, state } = await open("/", { signedIn: false });
    state.failures = 5;
    await page.fill("input[name=username]", "yamada.hanako");
    await page.fill("input[name=password]", "whatever it is");
    await page.click("button[type=submit]");
    await page.locator(".page-error-inline", { hasText: "14分ほど待って" }).waitFor();
    assert.ok(await page.locator("button[type=submit]").isDisabled(), "the button waits too");
  });

  test("ホーム: a card per council, plain links, live badge, stages, overdue roles", async () => {
    const { page } = await open("/");
    await page.locator(".home-card").first().waitFor();
    const cards = page.locator(".home-cards:not(.home-cards-archived) > li .home-card");
    assert.equal(await cards.count(), 3, "three active councils; the archived one folded away");
    const first = cards.first();
    assert.equal(await first.locator("a.home-card-link").getAttribute("href"), "/councils/c1");
    assert.ok((await first.locator(".home-live").innerText()).includes("開催中"), "live badge");
    assert.ok((await first.locator(".home-live").innerText()).includes("第3回"), "live meeting title");
    assert.ok((await first.innerText()).includes("段階3"), "stage of a theme");
    assert.ok((await first.innerText()).includes("サービス提供体制の整備・役割合意形成"), "stage name from the glossary");
    assert.ok((await first.locator(".badge-overdue").innerText()).includes("期限超過 2件"));
    assert.ok((await first.innerText()).includes("前回の訪問から更新 12件"));
    assert.ok(await page.locator("a.acc-nav-link", { hasText: "事務局コンソール" }).isVisible());
    for (const width of [1280, 768]) await shotAt(page, "people-home", width);
    // English through the language switch.
    await page.click(".lang-switch button[lang=en]");
    await page.locator("h1", { hasText: "Home" }).waitFor();
    assert.ok((await first.innerText()).includes("In session"));
    await page.click(".lang-switch button[lang=ja]");
  });

  test("ホーム: no console link without a grant; sign-out posts and returns to sign-in", async () => {
    const { page, state } = await open("/");
    state.me.grants = [];
    await page.reload();
    await page.locator(".home-card").first().waitFor();
    assert.equal(await page.locator("a.acc-nav-link", { hasText: "事務局コンソール" }).count(), 0);
    await page.click(".acc-signout");
    await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
    assert.ok(state.sent.some((r) => r.path === "/api/sign-out"));
  });

  test("set-up link: rules, weak password beside the field, then ホーム with the offer to enrol; the token leaves the address", async () => {
    const { page, state } = await open("/setup/tok-valid", { signedIn: false });
    await page.locator("h1", { hasText: "パスワードの設定" }).waitFor();
    assert.ok((await page.locator(".acc-who").innerText()).includes("佐藤 恵子"));
    const [pw, again] = [page.locator("input[type=password]").nth(0), page.locator("input[type=password]").nth(1)];
    await pw.fill("short");
    await again.fill("short");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "10文字以上" }).waitFor();
    await pw.fill("password1234");
    await again.fill("password1234");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "よく使われている" }).waitFor();
    await shotAt(page, "people-setup-weak", 768);
    await pw.fill("hokkaido winter nurse 7");
    await again.fill("hokkaido winter nurse 8");
    await page.click("button[type=submit]");
    await page.locator(".field-error", { hasText: "同じパスワード" }).waitFor();
    await again.fill("hokkaido winter nurse 7");
    await page.click("button[type=submit]");
    await page.locator(".acc-offer", { hasText: "パスワードを設定しました" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/");
    assert.ok(!(await page.evaluate(() => history.length && location.href)).includes("tok-valid"));
    assert.ok(state.setup.used);
  });

  test("set-up link used or expired: a clear page", async () => {
    const { page } = await open("/setup/tok-old", { signedIn: false });
    await page.locator("h1", { hasText: "このリンクは使えません" }).waitFor();
    assert.ok((await page.locator("main").innerText()).includes("事務局に新しいリンクを依頼してください"));
  });

  test("second factor required: every page sends the person to セキュリティ設定; enrolment with QR, codes, 保存しました", async () => {
    const { page, state } = await open("/console/people", { enrolled: false, required: true });
    await page.waitForURL(/\/me\/security$/);
    await page.locator(".acc-required", { hasText: "管理者とファシリテーター" }).waitFor();
    assert.equal(await page.locator("a.acc-nav-link", { hasText: "ホーム" }).count(), 0, "nothing else to open yet");
    await page.click("[data-focus-key=sec-start]");
    await page.locator(".acc-qr-box svg path").waitFor({ state: "attached" });
    assert.equal(await page.locator(".acc-secret-text code").innerText(), "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    const d = await page.locator(".acc-qr-box svg path").getAttribute("d");
    assert.ok(d.length > 1000, "a QR code of real size");
    await shotAt(page, "people-security-enrol", 1280);
    await page.fill("[data-focus-key=sec-code]", "12345");
    await page.click(".acc-confirm-form button[type=submit]");
    await page.locator(".field-error", { hasText: "6桁" }).waitFor();
    await page.fill("[data-focus-key=sec-code]", "654321");
    await page.click(".acc-confirm-form button[type=submit]");
    await page.locator(".field-error", { hasText: "数字が違います" }).waitFor();
    await page.fill("[data-focus-key=sec-code]", state.totpCode);
    await page.click(".acc-confirm-form button[type=submit]");
    await page.locator(".acc-codes-list li").nth(9).waitFor();
    assert.equal(await page.locator(".acc-codes-list li").count(), 10);
    await shotAt(page, "people-security-codes", 768);
    const saved = page.getByRole("button", { name: "保存しました" });
    assert.ok(await saved.isDisabled(), "saved only once confirmed");
    await page.check("#sec-saved");
    await saved.click();
    await page.locator(".page-note", { hasText: "認証アプリを登録しました" }).waitFor();
    assert.equal(await page.locator(".acc-codes-list").count(), 0, "codes shown once");
  });

  test("console: add a person → link once → printable sheet with QR; the token is in no address", async () => {
    const { page, state } = await open("/console/people");
    await page.locator(".con-table").waitFor();
    await page.click("[data-focus-key=people-add]");
    const dialog = page.locator(".form-dialog");
    await dialog.locator("input[type=text]").nth(0).fill("中村 由美");
    await dialog.locator("select").selectOption("o5");
    await dialog.locator("input[type=text]").nth(1).fill("sato.keiko");
    await dialog.locator("button[type=submit]").click();
    await dialog.locator(".field-error", { hasText: "このログインIDは使われています" }).waitFor();
    await dialog.locator("input[type=text]").nth(1).fill("nakamura.yumi");
    await dialog.locator("button[type=submit]").click();
    const link = page.locator(".con-link-dialog .con-link-text");
    await link.waitFor();
    const value = await link.inputValue();
    assert.match(value, /^http:\/\/renkei\.test\/setup\/new-u\d+-token-/);
    assert.deepEqual(state.sent.find((r) => r.path === "/api/console/people" && r.body.login === "nakamura.yumi").body, { name: "中村 由美", org: "o5", login: "nakamura.yumi" });
    await page.click(".con-link-dialog .btn-primary");
    await page.waitForURL(/\/console\/people\/u\d+\/sheet$/);
    assert.ok(!page.url().includes("token"), "no token in the address");
    await page.locator(".inv-sheet .inv-qr svg path").waitFor({ state: "attached" });
    assert.equal(await page.locator(".inv-sheet .inv-link code").innerText(), value);
    assert.ok((await page.locator(".inv-sheet").innerText()).includes("スマートフォンで読み取るか、アドレスを入力してください。"));
    for (const width of [1280, 768]) await shotAt(page, "people-sheet", width);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".appbar").isVisible(), false, "no header in print");
    assert.equal(await page.locator(".inv-toolbar").isVisible(), false, "no toolbar in print");
    await page.emulateMedia({ media: "screen" });
  });

  test("console: merge two organisations choosing the survivor; deactivate asks first", async () => {
    const { page, state } = await open("/console/orgs");
    await page.locator(".con-table").waitFor();
    for (const width of [1280, 768]) await shotAt(page, "people-console-orgs", width);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click("[data-focus-key=org-merge-o3]");
    await page.selectOption(".con-merge-dialog select", "o2");
    await page.check("#merge-keep-other");
    assert.ok((await page.locator(".con-merge-dialog").innerText()).includes("残す機関に移ります"));
    await page.click(".con-merge-dialog button[type=submit]");
    await page.locator(".con-merge-dialog").waitFor({ state: "detached" });
    assert.deepEqual(state.sent.find((r) => r.path.endsWith("/merge")), { method: "POST", path: "/api/console/orgs/o3/merge", body: { into: "o2" } });
    await page.click("[data-focus-key=org-off-o4]");
    await page.locator(".form-dialog", { hasText: "廃止しますか" }).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(state.sent.filter((r) => r.path.endsWith("/deactivate")).length, 0, "Esc changes nothing");
  });

  test("console: councils, seats, invitations, audit", async () => {
    const { page, state } = await open("/console/councils");
    await page.locator(".con-table").waitFor();
    await page.click("[data-focus-key=councils-add]");
    const dialog = page.locator(".form-dialog");
    await dialog.locator("input[type=text]").first().fill("北広島圏域 在宅医療・介護連携推進会議");
    await dialog.locator("button[type=submit]").click();
    await dialog.locator(".field-error", { hasText: "入力してください" }).waitFor();
    await dialog.locator("input[type=text]").nth(1).fill("北広島保健所管内");
    await dialog.locator("textarea").fill("入退院支援\n看取り\n\n入退院支援");
    await dialog.locator("select").nth(1).selectOption("community-care-council");
    await dialog.locator("button[type=submit]").click();
    await dialog.waitFor({ state: "detached" });
    const created = state.sent.find((r) => r.path === "/api/console/councils").body;
    assert.deepEqual(created, { name: "北広島圏域 在宅医療・介護連携推進会議", kind: "council", area: "北広島保健所管内", themes: ["入退院支援", "看取り"], default_agenda: "community-care-council" });

    await page.click("[data-focus-key=council-seats-c1]");
    await page.waitForURL(/\/console\/councils\/c1$/);
    await page.locator(".con-invite").waitFor();
    await page.selectOption("[data-focus-key=seat-person]", "u4");
    await page.selectOption("[data-focus-key=seat-role]", "observer");
    await page.click(".con-invite button[type=submit]");
    await page.locator(".con-table", { hasText: "鈴木 美和" }).waitFor();
    assert.deepEqual(state.sent.find((r) => r.path === "/api/console/councils/c1/seats").body, { person: "u4", role: "observer" });
    for (const width of [1280, 768]) await shotAt(page, "people-console-seats", width);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click("a.con-nav-link[href='/console/invitations']");
    await page.locator(".con-table").waitFor();
    const text = await page.locator(".con-table").innerText();
    for (const label of ["未使用", "使用済み", "期限切れ", "取消"]) assert.ok(text.includes(label), label);
    await page.click("a.con-nav-link[href='/console/audit']");
    await page.locator(".con-table").waitFor();
    assert.equal(await page.locator("a[href='/api/console/audit?format=csv']").count(), 1);
    await page.selectOption("[data-focus-key=audit-outcome]", "refused");
    assert.equal(await page.locator(".con-table tbody tr").count(), 2);
  });

  test("console: CSV import preview with row errors, then 取り込む", async () => {
    const { page, state } = await open("/console/import");
    await page.locator("#imp-file").waitFor({ state: "attached" });
    assert.ok((await page.locator(".con-imp-help").innerText()).includes("名称"), "columns documented");
    const bad = "名称,種別,管内,都道府県\n大朝診療所,診療所,北広島保健所管内,広島県\n芸北ケアプランセンター,ケアマネ,北広島保健所管内,広島県\n";
    await page.setInputFiles("#imp-file", { name: "kikan.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.locator(".con-imp-table tr.is-error").waitFor();
    assert.ok((await page.locator(".con-imp-table tr.is-error").innerText()).includes("種別「ケアマネ」はありません"));
    assert.ok(await page.locator("[data-focus-key=imp-commit]").isDisabled());
    const sent = state.sent.find((r) => r.path === "/api/console/import/orgs?dry_run=1");
    assert.equal(sent.body, bad, "the file's bytes as they are");
    for (const width of [1280, 768]) await shotAt(page, "people-console-import", width);
    await page.setViewportSize({ width: 1280, height: 900 });
    const good = "名称,種別,管内,都道府県\n大朝診療所,診療所,北広島保健所管内,広島県\n";
    await page.setInputFiles("#imp-file", { name: "kikan2.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.locator("[data-focus-key=imp-commit]:not([disabled])").click();
    await page.locator(".page-note", { hasText: "1行を取り込みました" }).waitFor();
    assert.ok(state.sent.some((r) => r.path === "/api/console/import/orgs" && r.body === good));
  });
});
