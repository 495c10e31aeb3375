// 事務局コンソール in the browser against the real server (PEOPLE.md
// "HTTP API (v2)", console): an administrator made with `renkei person add
// --admin` (set-up and TOTP enrolment done over HTTP with the browser's
// cookie jar) adds and edits organisations, adds a person and prints the
// invitation sheet (the set-up link shown once, as text and QR code, never
// in an address), creates a council with themes and a default agenda,
// seats the new person and changes the seat's role, sees the set-up links'
// states, imports organisations and people from CSV with a preview of
// per-row errors, merges two organisations choosing the survivor,
// deactivates a person and reads the audit trail. The new person's own
// browser opens the link and finds the council on ホーム. Screenshots of
// every section at 1280 and 768 px.
// Runs once the server has the v2 command line (people_harness.mjs).
// Run: cd tests/e2e && node --test console.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, watchPage, shotAt,
} from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, setUpAccount } from "./people_harness.mjs";

const T = { timeout: 90_000 };
const AREA = "北広島保健所管内";

describe("事務局コンソール (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 600_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  let admin; // {context, page, ...}
  const ids = {};
  const people = [];

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    ids.hc = cli("org", "add", "--db", db, "--name", "北広島保健所", "--kind", "health_centre", "--area", AREA).org;
    const made = cli("person", "add", "--db", db, "--name", "山田 花子", "--org", ids.hc, "--login", "yamada.hanako", "--admin");
    server = await startServer({ db });
    browser = await launchBrowser();
    admin = await newPerson();
    await setUpAccount(admin.context, server.base, made.setup, "hokkaido winter nurse 7");
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
    const person = { context, page, urls: [] };
    await watchPage(page, person);
    // Every address the page asks for, to check that no set-up token is in one.
    page.on("request", (request) => person.urls.push(request.url()));
    page.on("framenavigated", (frame) => person.urls.push(frame.url()));
    people.push(person);
    return person;
  }

  async function section(id) {
    const { page } = admin;
    await page.goto(`${server.base}/console/${id}`);
    await page.locator(".con-section").waitFor();
    await page.locator(".con-section .page-loading").waitFor({ state: "detached" });
  }

  async function shots(name) {
    for (const width of [1280, 768]) await shotAt(admin.page, `console-${name}`, width);
    await admin.page.setViewportSize({ width: 1280, height: 900 });
  }

  const dialog = () => admin.page.locator("dialog.form-dialog");
  async function fillField(label, value) {
    // The label's text is in a span of its own (dom.js field()).
    const labelled = admin.page.locator("label > span", { hasText: new RegExp(`^${label}$`) });
    const control = dialog().locator(".field", { has: labelled }).locator("input, select, textarea").first();
    if ((await control.evaluate((el) => el.tagName)) === "SELECT") await control.selectOption({ label: value });
    else await control.fill(value);
  }

  test("機関: the list, add one, edit its area", T, async () => {
    const { page } = admin;
    await section("orgs");
    await page.locator(".con-table", { hasText: "北広島保健所" }).waitFor();
    await page.click("[data-focus-key=orgs-add]");
    await fillField("名称", "北広島町");
    await dialog().locator("select").selectOption("municipality");
    await fillField("管内", AREA);
    await fillField("都道府県", "広島県");
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    const row = page.locator(".con-table tr", { hasText: "北広島町" });
    await row.waitFor();
    assert.ok((await row.innerText()).includes("市町村"), "kind in Japanese");
    for (const [name, kind] of [["北広島町役場", "municipality"], ["千代田中央病院", "hospital"]]) {
      await page.click("[data-focus-key=orgs-add]");
      await fillField("名称", name);
      await dialog().locator("select").selectOption(kind);
      await fillField("管内", AREA);
      await fillField("都道府県", "広島県");
      await dialog().locator("button[type=submit]").click();
      await dialog().waitFor({ state: "detached" });
    }
    const hospital = page.locator(".con-table tr", { hasText: "千代田中央病院" });
    await hospital.locator("button", { hasText: "編集" }).click();
    await fillField("名称", "JA広島厚生連 千代田中央病院");
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await page.locator(".con-table tr", { hasText: "JA広島厚生連 千代田中央病院" }).waitFor();
    await shots("orgs");
  });

  let setupLink;

  test("職員: add a person; the set-up link once, then the printable sheet with its QR code", T, async () => {
    const { page } = admin;
    await section("people");
    await page.click("[data-focus-key=people-add]");
    await fillField("氏名", "佐藤 恵子");
    await fillField("機関", "北広島町（市町村）");
    await fillField("ログインID", "sato.keiko");
    await dialog().locator("button[type=submit]").click();
    const link = page.locator(".con-link-dialog .con-link-text");
    await link.waitFor();
    setupLink = await link.inputValue();
    assert.match(setupLink, new RegExp(`^${server.base}/setup/[^/]+$`));
    await shotAt(page, "console-people-link", 1280);
    await page.click(".con-link-dialog .btn-primary");
    await page.waitForURL(/\/console\/people\/[^/]+\/sheet$/);
    await page.locator(".inv-sheet .inv-qr svg path").waitFor({ state: "attached" });
    assert.equal(await page.locator(".inv-sheet .inv-link code").innerText(), setupLink);
    const sheet = await page.locator(".inv-sheet").innerText();
    for (const text of ["佐藤 恵子", "北広島町", "sato.keiko", "スマートフォンで読み取るか、アドレスを入力してください。"]) assert.ok(sheet.includes(text), text);
    for (const width of [1280, 768]) await shotAt(page, "console-sheet", width);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".appbar").isVisible(), false);
    await page.emulateMedia({ media: "screen" });
    const token = setupLink.split("/").pop();
    assert.ok(admin.urls.every((u) => !u.includes(token)), "the token is in no address the page asked for");
    // Back to the list: the new person, not enrolled.
    await page.locator(".inv-toolbar a", { hasText: "職員の一覧に戻る" }).click();
    const row = page.locator(".con-table tr", { hasText: "佐藤 恵子" });
    await row.waitFor();
    assert.ok((await row.innerText()).includes("未登録"));
    await shots("people");
  });

  let sato;

  test("the new person opens the link and sets a password", T, async () => {
    sato = await newPerson(768);
    const { page } = sato;
    await page.goto(setupLink);
    await page.locator("h1", { hasText: "パスワードの設定" }).waitFor();
    const pw = page.locator("input[type=password]");
    await pw.nth(0).fill("akiota river bridge 42");
    await pw.nth(1).fill("akiota river bridge 42");
    await page.click("button[type=submit]");
    await page.locator(".acc-offer").waitFor();
    await page.locator(".acc-empty").waitFor();
  });

  test("協議体: create one with themes and a default agenda, seat the person, change the role", T, async () => {
    const { page } = admin;
    await section("councils");
    await page.click("[data-focus-key=councils-add]");
    await fillField("名称", "北広島圏域 地域共生ケア会議");
    await fillField("管内", AREA);
    await dialog().locator("textarea").fill("入退院支援\n在宅医療と介護の連携");
    const agenda = dialog().locator(".field", { hasText: "既定の次第" }).locator("select");
    await agenda.selectOption({ index: 1 });
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    const row = page.locator(".con-table tr", { hasText: "北広島圏域 地域共生ケア会議" });
    await row.waitFor();
    assert.ok((await row.innerText()).includes("入退院支援"));
    // The next meeting's date, shown on the members' ホーム.
    await row.locator("button", { hasText: "編集" }).click();
    await dialog().locator("input[type=date]").fill("2027-01-15");
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await page.locator(".con-table tr", { hasText: "北広島圏域 地域共生ケア会議" }).filter({ hasText: "2027" }).waitFor();
    await shots("councils");
    await row.locator("button", { hasText: "席を管理" }).click();
    await page.waitForURL(/\/console\/councils\/[^/]+$/);
    ids.council = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
    await page.locator(".con-invite").waitFor();
    await page.locator("[data-focus-key=seat-person]").selectOption({ label: "佐藤 恵子（北広島町）" });
    await page.selectOption("[data-focus-key=seat-role]", "member");
    await page.click(".con-invite button[type=submit]");
    const seat = page.locator(".con-table tr", { hasText: "佐藤 恵子" });
    await seat.waitFor();
    assert.ok((await seat.innerText()).includes("メンバー"));
    await seat.locator("button", { hasText: "役割を変更" }).click();
    await dialog().locator("select").selectOption("observer");
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await page.locator(".con-table tr", { hasText: "佐藤 恵子" }).filter({ hasText: "オブザーバー" }).waitFor();
    await shots("seats");
  });

  test("the seated person finds the council on ホーム", T, async () => {
    const { page } = sato;
    await page.reload();
    const card = page.locator(".home-card", { hasText: "北広島圏域 地域共生ケア会議" });
    await card.waitFor();
    assert.equal(await card.locator("a.home-card-link").getAttribute("href"), `/councils/${encodeURIComponent(ids.council)}`);
    assert.ok((await card.innerText()).includes("オブザーバー"));
    assert.ok((await card.innerText()).includes("入退院支援"));
    assert.match(await card.innerText(), /2027年1月15日/);
    await shotAt(page, "console-home-seated", 768);
  });

  test("招待: used and revoked links; a reissued link revokes the unused one", T, async () => {
    const { page } = admin;
    await section("people");
    await page.click("[data-focus-key=people-add]");
    await fillField("氏名", "田中 一郎");
    await fillField("機関", "北広島町役場（市町村）");
    await fillField("ログインID", "tanaka.ichiro");
    await dialog().locator("button[type=submit]").click();
    await page.locator(".con-link-dialog").waitFor();
    await page.keyboard.press("Escape");
    const row = page.locator(".con-table tr", { hasText: "田中 一郎" });
    await row.locator("button", { hasText: "設定用リンクを再発行" }).click();
    await dialog().locator("button[type=submit]").click();
    await page.locator(".con-link-dialog").waitFor();
    await page.keyboard.press("Escape");
    await section("invitations");
    const table = page.locator(".con-table");
    await table.waitFor();
    assert.ok((await page.locator(".con-table tr", { hasText: "佐藤 恵子" }).innerText()).includes("使用済み"));
    const tanaka = await page.locator(".con-table tr", { hasText: "田中 一郎" }).allInnerTexts();
    assert.ok(tanaka.some((t) => t.includes("取消")) && tanaka.some((t) => t.includes("未使用")), tanaka.join(" | "));
    await shots("invitations");
  });

  test("取り込み: a CSV of organisations with a bad row is previewed, then a good one imported; people too", T, async () => {
    const { page } = admin;
    await section("import");
    const bad = "名称,種別,管内,都道府県\n大朝診療所,診療所,北広島保健所管内,広島県\n芸北ケアプランセンター,ケアプラン屋,北広島保健所管内,広島県\n";
    await page.setInputFiles("#imp-file", { name: "kikan.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.locator(".con-imp-table tr.is-error").waitFor();
    assert.ok((await page.locator(".con-imp-table tr.is-error").innerText()).includes("ケアプラン屋"));
    assert.ok(await page.locator("[data-focus-key=imp-commit]").isDisabled());
    await shots("import-preview");
    const good = "\uFEFF名称,種別,管内,都道府県\n大朝診療所,診療所,北広島保健所管内,広島県\n芸北ケアプランセンター,care_management,北広島保健所管内,広島県\n";
    await page.setInputFiles("#imp-file", { name: "kikan.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.locator("[data-focus-key=imp-commit]:not([disabled])").click();
    await page.locator(".page-note", { hasText: "2行を取り込みました" }).waitFor();
    await page.check("#imp-people");
    await page.setInputFiles("#imp-file", { name: "shokuin.csv", mimeType: "text/csv", buffer: Buffer.from("氏名,機関,ログインID\n高橋 誠,大朝診療所,takahashi.makoto\n") });
    await page.locator("[data-focus-key=imp-commit]:not([disabled])").click();
    await page.locator(".page-note", { hasText: "1行を取り込みました" }).waitFor();
    await section("orgs");
    await page.locator(".con-table tr", { hasText: "芸北ケアプランセンター" }).filter({ hasText: "居宅介護支援事業所" }).waitFor();
    await section("people");
    await page.locator(".con-table tr", { hasText: "高橋 誠" }).waitFor();
  });

  test("機関: merge two that are the same, keeping the chosen one; 職員: deactivate", T, async () => {
    const { page } = admin;
    await section("orgs");
    await page.locator(".con-table tr", { hasText: "北広島町役場" }).locator("button", { hasText: "統合" }).click();
    await page.locator(".con-merge-dialog select").selectOption({ label: "北広島町（市町村）" });
    await page.check("#merge-keep-other");
    await page.click(".con-merge-dialog button[type=submit]");
    await page.locator(".con-merge-dialog").waitFor({ state: "detached" });
    await waitUntil(async () => (await page.locator(".con-table tr", { hasText: "北広島町役場" }).count()) === 0, { message: "merged away from the list" });
    await section("people");
    const tanaka = page.locator(".con-table tr", { hasText: "田中 一郎" });
    assert.ok((await tanaka.innerText()).includes("北広島町"), "the person moved to the survivor");
    await tanaka.locator("button", { hasText: "利用停止" }).click();
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await waitUntil(async () => (await page.locator(".con-table tr", { hasText: "田中 一郎" }).count()) === 0, { message: "deactivated hidden" });
    await page.check("#people-inactive");
    assert.ok((await page.locator(".con-table tr", { hasText: "田中 一郎" }).innerText()).includes("利用停止"));
  });

  test("監査: the trail and its CSV", T, async () => {
    const { page } = admin;
    await section("audit");
    await page.locator(".con-table, .con-empty").first().waitFor();
    const csv = await page.request.get(`${server.base}/api/console/audit?format=csv`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"], /text\/csv/);
    await shots("audit");
  });

  test("a person without a grant gets no console", T, async () => {
    const { page } = sato;
    await page.goto(`${server.base}/console`);
    await page.locator(".page-error", { hasText: "権限がありません" }).waitFor();
    const res = await page.request.get(`${server.base}/api/console/orgs`, { failOnStatusCode: false });
    assert.equal(res.status(), 403);
  });
});
