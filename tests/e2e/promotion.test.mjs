// End-to-end test of promotion from a one-on-one (一対一協議からの提起・上申,
// CONTINUITY.md section 5): in the one-on-one between 西部保健所 (山田,
// facilitator) and 北広島町 (佐藤, member), 佐藤 selects an issue, a role
// and an adopted direction on the 提起・上申 tab and proposes them to the
// council of the area; 山田 sees the pending promotion and consents; the
// council's screen then shows the items marked 「一対一協議（日付）より」,
// and nothing else of the consultation. Screenshots at 1280 and 768 px.
// Run: cd tests/e2e && node --test promotion.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts,
  joinAs, connectScripted, sendScripted,
} from "./harness.mjs";

const T = { timeout: 90_000 };
const SECRET = "内密の相談メモ・北広島町";

describe("promotion from a one-on-one", { timeout: 300_000 }, () => {
  let dir;
  let server;
  let browser;
  let driver;
  const tokens = {};
  const councils = {};
  const people = {};
  const ids = {};

  const cmd = (key, op, args) => sendScripted(driver, key, op, args);

  // `target`: a locator scrolled into view after the resize.
  async function shots(page, name, target = null) {
    for (const width of [768, 1280]) {
      await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
      await page.waitForTimeout(300);
      if (target) await target.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, `promotion-${name}-${width}.png`) });
    }
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    const db = join(dir, "renkei.db");
    const main = cli("council", "create", "--db", db, "--name", "西部圏域 地域共生ケア会議", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    councils.main = main.council;
    tokens.mainYamada = main.token;
    const pair = cli("council", "create", "--db", db, "--name", "西部保健所 × 北広島町 一対一協議", "--kind", "one_on_one", "--facilitator-name", "山田 花子", "--facilitator-org", "西部保健所");
    councils.pair = pair.council;
    tokens.yamada = pair.token;
    tokens.sato = cli("invite", "--db", db, "--council", councils.pair, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member").token;
    server = await startServer({ db });
    browser = await launchBrowser();
    const context = await browser.newContext();
    driver = await context.newPage();
    await driver.goto(`${server.base}/`);
    await connectScripted(driver, "yamada", tokens.yamada, councils.pair);
    await connectScripted(driver, "sato", tokens.sato, councils.pair);

    ids.issue = (await cmd("sato", "issue.post", { text: "夜間の訪問看護の担い手が町内で不足している", theme: "在宅医療" })).issue;
    ids.secretIssue = (await cmd("sato", "issue.post", { text: SECRET })).issue;
    ids.role = (await cmd("yamada", "role.propose", { title: "訪問看護の連絡票を統一する", owner_org: "北広島町", due: "2027-03-31" })).role;
    await cmd("sato", "role.consent", { role: ids.role, consent: true, note: SECRET });
    ids.direction = (await cmd("yamada", "proposal.open", { kind: "direction", text: "町と保健所が共同で夜間対応の研修を行う" })).proposal;
    await cmd("sato", "proposal.stance", { proposal: ids.direction, stance: "agree", reason: SECRET });
    await cmd("yamada", "proposal.close", { proposal: ids.direction });

    people.sato = await joinAs(browser, server.base, tokens.sato);
    people.yamada = await joinAs(browser, server.base, tokens.yamada);
  });

  after(async () => {
    for (const [key, person] of Object.entries(people)) {
      assert.deepEqual(person.pageErrors, [], `${key}: no script errors`);
      assert.deepEqual(person.consoleErrors, [], `${key}: no console errors`);
    }
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("a party selects items and a council of the area and proposes", T, async () => {
    const { page, sent } = people.sato;
    await page.click("#tab-promotion");
    const view = page.locator(".view-promotion");
    await view.locator(".promotion-choices li").first().waitFor();
    assert.equal(await view.locator(".promotion-choices li").count(), 4, "two issues, a role, the adopted direction");
    await waitUntil(async () => (await page.locator("[data-focus-key=promotion-target] option").count()) === 2, { message: "the council of the area and 県本庁" });
    assert.deepEqual(await page.locator("[data-focus-key=promotion-target] option").allTextContents(), ["西部圏域 地域共生ケア会議", "県本庁への上申"]);

    for (const id of [ids.issue, ids.role, ids.direction]) await page.check(`[data-focus-key=promote-${id}]`);
    await page.selectOption("[data-focus-key=promotion-target]", councils.main);
    await page.fill("[data-focus-key=promotion-note]", SECRET);
    await shots(page, "propose");
    await page.click(".promotion-form button[type=submit]");
    await view.locator(".promotion-proposed").waitFor();
    const proposed = sent.filter((c) => c.op === "promotion.propose");
    assert.equal(proposed.length, 1);
    assert.deepEqual(proposed[0].args.items, [ids.issue, ids.role, ids.direction]);
    assert.equal(proposed[0].args.target, councils.main);
    assert.match(await view.locator(".promotion-proposed").textContent(), /相手方の機関の同意を待っています/);
  });

  test("the other organisation sees it pending and consents", T, async () => {
    const { page } = people.yamada;
    await waitUntil(async () => (await page.locator("#tab-promotion .tab-badge").textContent()) === "1", { message: "the badge" });
    await page.click("#tab-promotion");
    const card = page.locator(".view-promotion .promotion-proposed");
    await card.waitFor();
    assert.match(await card.textContent(), /送り先: 西部圏域 地域共生ケア会議/);
    assert.match(await card.textContent(), /夜間の訪問看護の担い手が町内で不足している/);
    await shots(page, "pending", card);
    await card.locator("button:has-text('同意する')").click();
    await page.locator(".view-promotion .promotion-agreed").waitFor();
    await shots(page, "agreed");
  });

  test("the council shows the promoted items marked 一対一協議（日付）より, and nothing else", T, async () => {
    people.council = await joinAs(browser, server.base, tokens.mainYamada);
    const { page } = people.council;
    const board = page.locator(".view-board");
    await board.locator(".provenance").first().waitFor();
    assert.match(await board.textContent(), /夜間の訪問看護の担い手が町内で不足している/);
    assert.match(await board.locator(".provenance").first().textContent(), /^一対一協議（\d{4}-\d{2}-\d{2}）より$/);
    await shots(page, "council-board");
    await page.click("#tab-roles");
    await page.locator(".view-roles .provenance").first().waitFor();
    await page.click("#tab-proposals");
    await page.locator(".view-proposals .provenance").first().waitFor();
    await shots(page, "council-proposals", page.locator(".view-proposals .provenance").first());
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes(SECRET), "nothing else of the consultation");
    assert.equal(await page.locator("#tab-promotion").count(), 0, "no 提起・上申 tab in a council");
  });

  test("the council's record page marks the promoted items too", T, async () => {
    const { page } = people.council;
    await page.goto(`${server.base}/councils/${councils.main}/record`);
    await page.locator(".rec-issue .provenance").first().waitFor();
    assert.equal(await page.locator(".provenance").count(), 3, "the issue, the direction and the role");
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes(SECRET), "nothing else of the consultation");
    await shots(page, "council-record", page.locator(".rec-issue .provenance").first());
  });
});
