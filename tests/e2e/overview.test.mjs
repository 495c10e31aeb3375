// 概観 in the browser against the real server (CONTINUITY.md section 3): a
// prefecture viewer of 広島県 (granted with `renkei grant add`) finds the
// link on ホーム, opens the prefecture's view with two areas (and not the
// council of 岡山県 nor the one-on-one), reads the stage matrix, the role
// agreements by kind of organisation, the indicators side by side with a
// small count marked, this month's changes and the councils; downloads the
// CSV (UTF-8 with BOM); drills down into a council's record, read-only
// (no meeting screen). The area's roll-up opens too. An administrator gives
// and removes a grant in the console. Screenshots at 1280 and 768 px.
// Run: cd tests/e2e && node --test overview.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, watchPage, shotAt, artifacts,
  connectScripted, sendScripted,
} from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, setUpAccount } from "./people_harness.mjs";

const T = { timeout: 90_000 };
const AREA_A = "北広島保健所管内";
const AREA_B = "三次保健所管内";
const AREA_C = "備北保健所管内";

describe("概観 (real server)", { skip: !hasPeopleServer() && SKIP_REASON, timeout: 300_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  let viewer;
  let viewerId;
  let adminSetup;
  const councils = {};

  function council(name, area, kind = "council") {
    const made = cli("council", "create", "--db", db, "--name", name, "--kind", kind,
      "--facilitator-name", "進行 役", "--facilitator-org", "保健所", "--area", area);
    return made;
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    const orgA = cli("org", "add", "--db", db, "--name", "北広島町", "--kind", "municipality", "--area", AREA_A, "--prefecture", "広島県").org;
    cli("org", "add", "--db", db, "--name", "三次市", "--kind", "municipality", "--area", AREA_B, "--prefecture", "広島県");
    cli("org", "add", "--db", db, "--name", "新見市", "--kind", "municipality", "--area", AREA_C, "--prefecture", "岡山県");
    cli("org", "add", "--db", db, "--name", "北広島病院", "--kind", "hospital", "--area", AREA_A, "--prefecture", "広島県");
    const kencho = cli("org", "add", "--db", db, "--name", "広島県庁", "--kind", "prefecture", "--prefecture", "広島県").org;
    councils.a1 = council("北広島町在宅医療・介護連携推進会議", AREA_A);
    councils.a2 = council("北広島町認知症施策推進会議", AREA_A);
    councils.b = council("三次市地域ケア推進会議", AREA_B);
    councils.c = council("新見市在宅医療協議会", AREA_C);
    councils.o = council("北広島町と病院の協議", AREA_A, "one_on_one");
    const made = cli("person", "add", "--db", db, "--name", "広島 県子", "--org", kencho, "--login", "kenko.hiroshima");
    const granted = cli("grant", "add", "--db", db, "--person", made.person, "--role", "prefecture_viewer", "--scope", "広島県");
    assert.equal(granted.granted, made.person);
    viewerId = made.person;
    adminSetup = cli("person", "add", "--db", db, "--name", "管理 者", "--org", orgA, "--login", "admin.hiroshima", "--admin").setup;
    server = await startServer({ db });
    browser = await launchBrowser();

    // Test data through scripted facilitators.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/`);
    for (const [key, c] of Object.entries(councils)) await connectScripted(page, key, c.token, c.council);
    await sendScripted(page, "a1", "theme.set_stage", { theme: "認知症", stage: 3, reason: "役割に合意" });
    await sendScripted(page, "a1", "theme.set_stage", { theme: "在宅医療", stage: 2, reason: "課題を共有" });
    await sendScripted(page, "a1", "role.propose", { title: "退院前カンファレンスの開催", owner_org: "北広島町", due: "2026-01-31" });
    await sendScripted(page, "a1", "role.propose", { title: "入退院支援ルールの周知", owner_org: "北広島病院" });
    const a1Indicator = await sendScripted(page, "a1", "indicator.define", { name: "看取り件数", kind: "outcome", unit: "件" });
    await sendScripted(page, "a1", "indicator.report", { indicator: a1Indicator.indicator, value: 3, period: "2026-09" });
    await sendScripted(page, "a2", "theme.set_stage", { theme: "認知症", stage: 2, reason: "共有" });
    await sendScripted(page, "b", "theme.set_stage", { theme: "在宅医療", stage: 4, reason: "運用中" });
    await sendScripted(page, "b", "theme.set_stage", { theme: "看取り", stage: 1, reason: "実態把握から" });
    const bIndicator = await sendScripted(page, "b", "indicator.define", { name: "看取り件数", kind: "outcome", unit: "件", target: 20 });
    await sendScripted(page, "b", "indicator.report", { indicator: bIndicator.indicator, value: 12, period: "2026-09" });
    await sendScripted(page, "c", "theme.set_stage", { theme: "認知症", stage: 4, reason: "運用中" });
    await sendScripted(page, "o", "theme.set_stage", { theme: "秘密の相談", stage: 2, reason: "内々" });
    await context.close();

    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const viewerPage = await viewerContext.newPage();
    viewer = { context: viewerContext, page: viewerPage };
    await watchPage(viewerPage, viewer);
    await setUpAccount(viewerContext, server.base, made.setup, "hiroshima kencho view 8", { enrol: false });
  });

  after(async () => {
    if (viewer) {
      assert.deepEqual(viewer.pageErrors, [], "no script errors");
      const csp = await viewer.page.evaluate(() => window.__csp).catch(() => []);
      assert.deepEqual(csp || [], [], "no CSP violations");
    }
    await browser?.close();
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  async function shots(name) {
    for (const width of [1280, 768]) {
      await shotAt(viewer.page, name, width);
      await viewer.page.screenshot({ path: join(artifacts, `${name}-${width}-full.png`), fullPage: true });
    }
    await viewer.page.setViewportSize({ width: 1280, height: 900 });
  }

  test("ホーム links to the prefecture's view", T, async () => {
    const { page } = viewer;
    await page.goto(`${server.base}/`);
    const link = page.locator(".ov-home a", { hasText: "広島県の概観" });
    await link.waitFor();
    await link.click();
    await page.waitForURL(/\/overview\/prefecture\//);
    await page.locator("h1", { hasText: "広島県の概観" }).waitFor();
  });

  test("the matrix, roles, indicators, changes and councils", T, async () => {
    const { page } = viewer;
    await page.goto(`${server.base}/overview/prefecture/${encodeURIComponent("広島県")}`);
    await page.locator(".ov-matrix").waitFor();
    const headers = await page.locator(".ov-matrix thead th").allTextContents();
    assert.deepEqual(headers, ["テーマ", AREA_A, AREA_B]);
    const rows = await page.locator(".ov-matrix tbody th").allTextContents();
    assert.deepEqual(rows, ["認知症", "在宅医療", "看取り"]);
    const dementia = page.locator(".ov-matrix tbody tr").first().locator("td");
    assert.match(await dementia.nth(0).textContent(), /段階3サービス提供体制の整備・役割合意形成北広島町在宅医療・介護連携推進会議/);
    assert.match(await dementia.nth(1).textContent(), /未着手/);
    const legend = await page.locator(".ov-legend-list li").allTextContents();
    assert.equal(legend.length, 4);
    assert.match(legend[0], /実態把握・課題集約/);
    assert.match(legend[3], /運用・評価・改善/);

    const roleRows = await page.locator("#ov-roles tbody tr").allTextContents();
    assert.equal(roleRows.length, 2, roleRows.join(" | "));
    assert.ok(roleRows.some((r) => r.includes("市町村") && r.endsWith("11")), roleRows.join(" | "));
    assert.ok(roleRows.some((r) => r.includes("病院") && r.endsWith("10")), roleRows.join(" | "));

    const small = page.locator("#ov-indicators .ov-small-row");
    assert.equal(await small.count(), 1);
    assert.match(await small.textContent(), /3 件.*少数・取扱注意/);
    assert.equal(await page.locator("#ov-indicators tbody tr").count(), 2);

    assert.equal(await page.locator(".ov-change").count(), 3);
    const names = await page.locator(".ov-council-name a").allTextContents();
    assert.deepEqual(names.sort(), ["三次市地域ケア推進会議", "北広島町在宅医療・介護連携推進会議", "北広島町認知症施策推進会議"].sort());
    assert.equal(await page.getByText("新見市在宅医療協議会").count(), 0, "another prefecture");
    assert.equal(await page.getByText("秘密の相談").count(), 0, "a one-on-one");
    await shots("overview-prefecture");

    // English on request.
    await page.click(".lang-switch button[lang=en]");
    await page.locator("h1", { hasText: "Overview of 広島県" }).waitFor();
    await page.click(".lang-switch button[lang=ja]");
    await page.locator("h1", { hasText: "広島県の概観" }).waitFor();
  });

  test("the CSV download is UTF-8 with BOM and CRLF", T, async () => {
    const { page, context } = viewer;
    const href = await page.locator(".ov-csv").getAttribute("href");
    assert.match(href, /\?format=csv$/);
    const res = await context.request.get(`${server.base}${href}`);
    assert.equal(res.status(), 200);
    const body = await res.body();
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = body.toString("utf8");
    assert.ok(text.includes("\r\n"));
    assert.ok(!/[^\r]\n/.test(text), "CRLF only");
    assert.match(text, /少数/);
    assert.match(res.headers()["content-disposition"], /attachment/);
  });

  test("drill-down: a council's record, read-only", T, async () => {
    const { page } = viewer;
    await page.goto(`${server.base}/overview/prefecture/${encodeURIComponent("広島県")}`);
    await page.locator(".ov-council-name a", { hasText: "北広島町在宅医療・介護連携推進会議" }).click();
    await page.waitForURL(/\/councils\/[^/]+\/record$/);
    await page.locator(".ov-viewer-note").waitFor();
    assert.match(await page.locator(".ov-viewer-note").textContent(), /閲覧のみ/);
    await page.locator(".page-title").first().waitFor();
    assert.equal(await page.locator(".pagenav-meeting").count(), 0, "no meeting screen");
    await page.getByText("退院前カンファレンスの開催").first().waitFor();
    await shots("overview-drilldown-record");
    // The meeting screen itself is not theirs.
    await page.goto(`${server.base}/councils/${councils.a1.council}`);
    await page.locator("h1", { hasText: /参加|招待/ }).first().waitFor();
    // Nor a one-on-one's record, nor another prefecture's.
    for (const c of [councils.o, councils.c]) {
      await page.goto(`${server.base}/councils/${c.council}/record`);
      await page.locator(".message-card h1").waitFor();
      assert.equal(await page.locator(".ov-viewer-note").count(), 0);
    }
  });

  test("the area's roll-up", T, async () => {
    const { page } = viewer;
    await page.goto(`${server.base}/overview/area/${encodeURIComponent(AREA_A)}`);
    await page.locator("h1", { hasText: `${AREA_A}の概観（圏域）` }).waitFor();
    await page.locator(".ov-matrix").waitFor();
    assert.deepEqual(await page.locator(".ov-matrix thead th").allTextContents(), ["テーマ", AREA_A]);
    await shots("overview-area");
    // Another prefecture's area is refused with a clear message.
    await page.goto(`${server.base}/overview/area/${encodeURIComponent(AREA_C)}`);
    await page.locator(".page-error", { hasText: "権限がありません" }).waitFor();
  });

  test("console: an administrator gives and removes a grant", T, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const admin = { context, page };
    await watchPage(page, admin);
    await setUpAccount(context, server.base, adminSetup, "hiroshima admin winter 9");
    await page.goto(`${server.base}/console/people`);
    const button = page.locator(`[data-focus-key=person-grants-${viewerId}]`);
    await button.waitFor();
    await button.click();
    const dialog = page.locator("dialog.form-dialog");
    await dialog.getByText("県の閲覧（都道府県）：広島県").waitFor();
    await dialog.locator("select").selectOption("prefecture_viewer");
    await dialog.locator("input[type=text]").fill("岡山県");
    await shotAt(page, "overview-console-grants", 1280);
    await dialog.locator("button[type=submit]").click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("「県の閲覧（都道府県）：岡山県」を付与しました").waitFor();
    // The viewer now sees 岡山県 too.
    const okayama = await viewer.context.request.get(`${server.base}/api/prefectures/${encodeURIComponent("岡山県")}/overview`);
    assert.equal(okayama.status(), 200);
    // Remove it again.
    await button.click();
    await dialog.getByText("県の閲覧（都道府県）：岡山県").waitFor();
    await dialog.locator("li", { hasText: "岡山県" }).getByRole("button", { name: "外す" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("「県の閲覧（都道府県）：岡山県」を外しました").waitFor();
    const refused = await viewer.context.request.get(`${server.base}/api/prefectures/${encodeURIComponent("岡山県")}/overview`);
    assert.equal(refused.status(), 403);
    // A missing scope is explained beside the field.
    await button.click();
    await dialog.locator("button[type=submit]").click();
    await dialog.getByText("範囲を入力してください").waitFor();
    await dialog.getByRole("button", { name: "キャンセル" }).click();
    assert.deepEqual(admin.pageErrors, [], "no script errors");
    await context.close();
  });
});
