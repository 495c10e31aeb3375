// Handover (引き継ぎ) and 空席 in the browser against the real server
// (CONTINUITY.md section 1): an administrator hands over the seats of a
// person leaving in 4月 to a successor of the same organisation through the
// console (the successor chooser lists only that organisation, the date
// defaults to the next 4月1日, the confirmation names every council that
// moves); the successor's ホーム lists the councils 「4月1日から」. A second
// person leaves today without a successor: the seat is 空席, filled in
// 「引き継ぎ・空席」 with a person of the organisation, who then reads
// 「席の引き継ぎ」 on the record page. Screenshots at 1280 and 768 px.
// Run: cd tests/e2e && node --test handover.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, watchPage, shotAt } from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, setUpAccount } from "./people_harness.mjs";

const T = { timeout: 90_000 };
const AREA = "北広島保健所管内";
const PASSWORD = "hokkaido winter nurse 7";

function jstToday() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}
function nextAprilFirst() {
  const today = jstToday();
  const year = Number(today.slice(0, 4));
  return today <= `${year}-04-01` ? `${year}-04-01` : `${year + 1}-04-01`;
}

describe("引き継ぎ・空席 (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 600_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  let admin;
  const ids = {};
  const links = {};
  const people = [];

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    ids.hc = cli("org", "add", "--db", db, "--name", "北広島保健所", "--kind", "health_centre", "--area", AREA).org;
    ids.town = cli("org", "add", "--db", db, "--name", "北広島町", "--kind", "municipality", "--area", AREA).org;
    ids.other = cli("org", "add", "--db", db, "--name", "安芸太田町", "--kind", "municipality", "--area", AREA).org;
    const made = cli("person", "add", "--db", db, "--name", "山田 花子", "--org", ids.hc, "--login", "yamada.hanako", "--admin");
    for (const [key, name, org, login] of [
      ["sato", "佐藤 美咲", ids.town, "sato.misaki"],
      ["suzuki", "鈴木 一郎", ids.town, "suzuki.ichiro"],
      ["yamamoto", "山本 健", ids.town, "yamamoto.ken"],
      ["tanaka", "田中 恵", ids.town, "tanaka.megumi"],
      ["aki", "安芸 太郎", ids.other, "aki.taro"],
    ]) {
      const p = cli("person", "add", "--db", db, "--name", name, "--org", org, "--login", login);
      ids[key] = p.person;
      links[key] = p.setup;
    }
    const c1 = cli("council", "create", "--db", db, "--name", "北広島町在宅医療・介護連携推進協議会", "--facilitator-name", "保健所 進行", "--facilitator-org", "北広島保健所", "--area", AREA);
    const c2 = cli("council", "create", "--db", db, "--name", "退院支援ワーキング", "--facilitator-name", "保健所 進行", "--facilitator-org", "北広島保健所", "--area", AREA);
    ids.c1 = c1.council;
    ids.c2 = c2.council;
    for (const council of [ids.c1, ids.c2]) cli("seat", "add", "--db", db, "--council", council, "--person", ids.sato, "--role", "member");
    cli("seat", "add", "--db", db, "--council", ids.c1, "--person", ids.yamamoto, "--role", "member");
    server = await startServer({ db });
    browser = await launchBrowser();
    admin = await newPerson();
    await setUpAccount(admin.context, server.base, made.setup, PASSWORD);
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

  async function shots(page, name) {
    for (const width of [1280, 768]) await shotAt(page, `handover-${name}`, width);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const dialog = () => admin.page.locator("dialog.form-dialog");

  async function openHandover(name) {
    const { page } = admin;
    await page.goto(`${server.base}/console/people`);
    const row = page.locator(".con-table tr", { hasText: name });
    await row.waitFor();
    await row.locator("button", { hasText: "引き継ぎ（異動）" }).click();
    await dialog().waitFor();
  }

  test("the console hands over a person's seats from the next 4月1日", T, async () => {
    const { page } = admin;
    await openHandover("佐藤 美咲");
    await dialog().locator(".ho-seats-title", { hasText: "引き継ぐ協議体（2件）" }).waitFor();
    const options = await dialog().locator("select option").allInnerTexts();
    assert.ok(options.some((o) => o.startsWith("鈴木 一郎")), "a colleague is offered");
    assert.ok(!options.some((o) => o.startsWith("安芸 太郎")), "another organisation's person is not");
    assert.ok(!options.some((o) => o.startsWith("佐藤 美咲")), "nor the person leaving");
    assert.equal(await dialog().locator("input[type=date]").inputValue(), nextAprilFirst(), "the next 4月1日");
    assert.ok((await dialog().innerText()).includes("後任の方（北広島町）"));
    await dialog().locator("select").selectOption({ label: "鈴木 一郎（suzuki.ichiro）" });
    await shots(page, "console-dialog");
    await dialog().locator("button[type=submit]").click();
    const confirm = page.locator("dialog.ho-confirm");
    await confirm.waitFor();
    const text = await confirm.innerText();
    assert.ok(text.includes("佐藤 美咲さんの席を、") && text.includes("鈴木 一郎さんへ引き継ぎます"), text);
    assert.ok(text.includes("北広島町在宅医療・介護連携推進協議会") && text.includes("退院支援ワーキング"), "both councils are named");
    assert.ok(text.includes("4月1日から"), text);
    await shots(page, "console-confirm");
    await confirm.locator("button[type=submit]").click();
    await confirm.waitFor({ state: "detached" });
  });

  test("the successor's ホーム lists the councils 「4月1日から」", T, async () => {
    const suzuki = await newPerson();
    await setUpAccount(suzuki.context, server.base, links.suzuki, PASSWORD, { enrol: false });
    const { page } = suzuki;
    await page.goto(`${server.base}/`);
    const card = page.locator(".home-card", { hasText: "北広島町在宅医療・介護連携推進協議会" });
    await card.waitFor();
    assert.equal(await card.locator(".badge-upcoming").innerText(), "4月1日から");
    assert.equal(await card.locator("a.home-card-link").count(), 0, "not enterable yet");
    await shots(page, "home-successor");
    // The predecessor keeps the councils until then.
    const sato = await newPerson();
    await setUpAccount(sato.context, server.base, links.sato, PASSWORD, { enrol: false });
    await sato.page.goto(`${server.base}/`);
    await sato.page.locator(".home-card a.home-card-link", { hasText: "退院支援ワーキング" }).waitFor();
  });

  test("a seat left vacant today is filled in 引き継ぎ・空席", T, async () => {
    const { page } = admin;
    await openHandover("山本 健");
    await dialog().locator(".ho-seats-title", { hasText: "引き継ぐ協議体（1件）" }).waitFor();
    await dialog().locator("select").selectOption({ value: "" });
    await dialog().locator("input[type=date]").fill(jstToday());
    await dialog().locator("button[type=submit]").click();
    const confirm = page.locator("dialog.ho-confirm");
    await confirm.waitFor();
    assert.ok((await confirm.innerText()).includes("空席にします"));
    await confirm.locator("button[type=submit]").click();
    await confirm.waitFor({ state: "detached" });

    await page.goto(`${server.base}/console/handovers`);
    const row = page.locator(".con-table tr", { hasText: "山本 健" });
    await row.waitFor();
    assert.ok((await row.innerText()).includes("北広島町"));
    await shots(page, "console-vacancies");
    await row.locator("button", { hasText: "後任を入れる" }).click();
    await dialog().waitFor();
    const options = await dialog().locator("select option").allInnerTexts();
    assert.ok(!options.some((o) => o.startsWith("安芸 太郎")), "only the organisation's people");
    await dialog().locator("select").selectOption({ label: "田中 恵（tanaka.megumi）" });
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await page.locator(".con-empty", { hasText: "空席はありません。" }).waitFor();

    const tanaka = await newPerson();
    await setUpAccount(tanaka.context, server.base, links.tanaka, PASSWORD, { enrol: false });
    await tanaka.page.goto(`${server.base}/councils/${encodeURIComponent(ids.c1)}/record`);
    const holders = tanaka.page.locator("#rec-holders");
    await holders.locator(".ho-holder-name", { hasText: "田中 恵" }).waitFor();
    const line = holders.locator(".ho-line", { hasText: "山本 健" });
    assert.ok((await line.innerText()).includes("田中 恵"), "山本 → 田中 in one seat line");
    await holders.scrollIntoViewIfNeeded();
    await shots(tanaka.page, "record-holders");
  });

  test("異動の申請 on the person's own page", T, async () => {
    const tanaka = people[people.length - 1];
    const { page } = tanaka;
    await page.goto(`${server.base}/me/security`);
    const card = page.locator(".ho-me");
    await card.locator("h2", { hasText: "異動の申請" }).waitFor();
    await card.locator("select").selectOption({ label: "山本 健" });
    await card.locator("button[type=submit]").click();
    await card.locator(".ho-me-pending").waitFor();
    await card.scrollIntoViewIfNeeded();
    await shots(page, "me-request");
    await admin.page.goto(`${server.base}/console/handovers`);
    await admin.page.locator(".con-table tr", { hasText: "田中 恵" }).locator("button", { hasText: "却下" }).click();
    await dialog().locator("button[type=submit]").click();
    await dialog().waitFor({ state: "detached" });
    await page.reload();
    await page.locator(".ho-me-rejected").waitFor();
  });
});
