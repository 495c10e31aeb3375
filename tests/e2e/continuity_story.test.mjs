// The continuity story in the browser against the real server
// (server/docs/CONTINUITY.md): a 北広島町 nurse holds two agreed role
// agreements and one awaiting her organisation's consent in the area
// council, and a one-on-one with the health centre. She is transferred
// (異動) on 4月1日:
//  1. the administrator hands her seats over to her successor in
//     事務局コンソール with the default date (the next 4月1日); the day then
//     comes (the seats' instants are moved to now in the SQLite file, with
//     Python's sqlite3 module: there is no way to move the server's clock);
//  2. the successor sets her password and signs in: her first sign-in opens
//     the handover packet, which names her predecessor, the overdue role and
//     the role awaiting the town's consent;
//  3. she consents to that role and updates a role's status on the meeting
//     screen: the organisation keeps its agreements;
//  4. the record shows both holders of the seat (席の引き継ぎ);
//  5. the prefecture viewer sees two areas in the theme-stage matrix;
//  6. the minutes label the facilitator's proxy input (代理入力);
//  7. an item promoted from the one-on-one carries its provenance
//     (一対一協議（日付）より) in the council, and a canary text of the
//     consultation reaches none of the council's documents nor the
//     prefecture's view.
// Screenshots at 1280 and 768 px in tests/artifacts.
// Run: cd tests/e2e && node --test continuity_story.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, watchPage, shotAt,
  connectScripted, sendScripted,
} from "./harness.mjs";
import { hasPeopleServer, SKIP_REASON, setUpAccount, postAs } from "./people_harness.mjs";

const T = { timeout: 120_000 };
const PREF = "広島県";
const AREA_A = "西部保健所管内";
const AREA_B = "北部保健所管内";
const COUNCIL_A = "西部圏域 地域共生ケア会議";
const COUNCIL_B = "北部圏域 在宅医療推進会議";
const CONSULTATION = "西部保健所 × 北広島町 一対一協議";
const THEME = "入退院支援";
const CANARY = "CANARY-一対一だけの話-7f3a";
const PROMOTED = "夜間の訪問看護の体制が町内で不足している";
const PASSWORD = "geihoku spring rotation 41";
const RAISED = "町だけでは訪問看護師の確保が難しく、県の人材確保策が必要";

// Today in Japan, and 4月1日 of the coming year (the default of the dialog).
function jstToday() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}
function daysFromToday(n) {
  return new Date(Date.now() + 9 * 3600 * 1000 + n * 86400 * 1000).toISOString().slice(0, 10);
}

// The handover's day comes: every seat that a handover ends later and every
// successor seat that starts later take effect one second from now.
function handoverDayComes(db) {
  const script = [
    "import sqlite3, sys, datetime",
    "c = sqlite3.connect(sys.argv[1], timeout=10)",
    "t = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)).strftime('%Y-%m-%dT%H:%M:%S.000Z')",
    "n = c.execute('UPDATE participants SET active_from = ? WHERE succeeds IS NOT NULL AND active_from > ?', (t, t)).rowcount",
    "c.execute('UPDATE participants SET revoked_at = ? WHERE id IN (SELECT succeeds FROM participants WHERE succeeds IS NOT NULL) AND revoked_at > ?', (t, t))",
    "c.commit()",
    "print(n)",
  ].join("\n");
  return Number(execFileSync("python3", ["-c", script, db], { encoding: "utf8" }).trim());
}

describe("continuity story: handover on 4月1日, the packet, the prefecture's view, proxy input, promotion (real server)",
  { skip: !hasPeopleServer() && SKIP_REASON, timeout: 600_000 }, () => {
    let dir;
    let db;
    let server;
    let browser;
    let driver;
    const ids = {};
    const links = {};
    const tokens = {};
    const people = [];

    const cmd = (key, op, args) => sendScripted(driver, key, op, args);

    async function newPerson(who, { width = 1280 } = {}) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
      const page = await context.newPage();
      const person = { who, context, page, pageErrors: [], consoleErrors: [] };
      await watchPage(page, person);
      people.push(person);
      return person;
    }

    async function shots(page, name) {
      for (const width of [1280, 768]) await shotAt(page, `continuity-${name}`, width);
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    async function text(context, path) {
      const res = await context.request.get(`${server.base}${path}`, { failOnStatusCode: false });
      return { status: res.status(), body: await res.text() };
    }

    before(async () => {
      checkPrerequisites();
      dir = makeTempDir();
      db = join(dir, "renkei.db");
      const org = (name, kind, area) => {
        const args = ["org", "add", "--db", db, "--name", name, "--kind", kind, "--prefecture", PREF];
        if (area) args.push("--area", area);
        return cli(...args).org;
      };
      ids.hcA = org("西部保健所", "health_centre", AREA_A);
      ids.town = org("北広島町", "municipality", AREA_A);
      ids.hospital = org("安芸市民病院", "hospital", AREA_A);
      ids.hcB = org("北部保健所", "health_centre", AREA_B);
      ids.miyoshi = org("三次市", "municipality", AREA_B);
      ids.pref = org("広島県 健康福祉局", "prefecture", null);
      const person = (name, orgId, login, ...extra) => cli("person", "add", "--db", db, "--name", name, "--org", orgId, "--login", login, ...extra);
      const admin = person("山本 真理", ids.hcA, "yamamoto.mari", "--admin");
      links.admin = admin.setup;
      const sato = person("佐藤 恵子", ids.town, "sato.keiko");
      ids.sato = sato.person;
      links.sato = sato.setup;
      const kimura = person("木村 直子", ids.town, "kimura.naoko");
      ids.kimura = kimura.person;
      links.kimura = kimura.setup;
      const kobayashi = person("小林 直美", ids.pref, "kobayashi.naomi");
      links.kobayashi = kobayashi.setup;
      cli("grant", "add", "--db", db, "--person", kobayashi.person, "--role", "prefecture_viewer", "--scope", PREF);

      const council = (name, kind, area, facilitatorOrg) =>
        cli("council", "create", "--db", db, "--name", name, "--kind", kind, "--facilitator-name", "進行 保健師",
          "--facilitator-org", facilitatorOrg, "--area", area);
      const a = council(COUNCIL_A, "council", AREA_A, "西部保健所");
      ids.a = a.council;
      tokens.a = a.token;
      const b = council(COUNCIL_B, "council", AREA_B, "北部保健所");
      ids.b = b.council;
      tokens.b = b.token;
      const o = council(CONSULTATION, "one_on_one", AREA_A, "西部保健所");
      ids.o = o.council;
      tokens.o = o.token;
      ids.satoA = cli("seat", "add", "--db", db, "--council", ids.a, "--person", ids.sato, "--role", "member").participant;
      ids.satoO = cli("seat", "add", "--db", db, "--council", ids.o, "--person", ids.sato, "--role", "member").participant;
      const phone = cli("invite", "--db", db, "--council", ids.a, "--name", "伊藤 聡", "--org", "安芸市民病院", "--role", "member");
      ids.phone = phone.participant;

      server = await startServer({ db });
      browser = await launchBrowser();
      const context = await browser.newContext();
      driver = await context.newPage();
      await driver.goto(`${server.base}/`);
      // 佐藤 signs in once (a member needs no second factor) and speaks in
      // the meetings through her own sign-in session.
      await setUpAccount(context, server.base, links.sato, PASSWORD, { enrol: false });
      await connectScripted(driver, "chairA", tokens.a, ids.a);
      await connectScripted(driver, "chairB", tokens.b, ids.b);
      await connectScripted(driver, "chairO", tokens.o, ids.o);
      await connectScripted(driver, "satoA", undefined, ids.a);
      await connectScripted(driver, "satoO", undefined, ids.o);

      // The area council's third meeting.
      ids.meeting = (await cmd("chairA", "meeting.start", { title: "第3回 地域共生ケア会議" })).meeting;
      await cmd("chairA", "theme.set_stage", { theme: THEME, stage: 2, reason: "課題を共有した" });
      await cmd("chairA", "theme.set_stage", { theme: THEME, stage: 3, reason: "退院前カンファレンスの役割分担に合意" });
      const overdue = (await cmd("chairA", "role.propose", {
        title: "退院前カンファレンスへの町保健師の参加", owner_org: ids.town, due: daysFromToday(-10), theme: THEME,
      })).role;
      const later = (await cmd("chairA", "role.propose", {
        title: "在宅療養の相談窓口を町の広報に掲載", owner_org: ids.town, due: daysFromToday(60), theme: THEME,
      })).role;
      await cmd("satoA", "role.consent", { role: overdue, consent: true, note: "町で担当します" });
      await cmd("satoA", "role.consent", { role: later, consent: true });
      ids.later = later;
      ids.awaiting = (await cmd("chairA", "role.propose", {
        title: "退院支援ルールの町内事業所への説明", owner_org: ids.town, due: daysFromToday(90), theme: THEME,
      })).role;
      // 伊藤 takes part by phone: the facilitator enters his issue and stance.
      const proposal = (await cmd("chairA", "proposal.open", { kind: "direction", text: "退院前カンファレンスを全病院で標準化する" })).proposal;
      await driver.evaluate(({ id, proposal, phone, theme }) => {
        const conn = window.__renkei.conns.get("chairA");
        const send = (key, op, args) => new Promise((resolve, reject) => {
          conn.waiters.set(key, (msg) => (msg.type === "ack" ? resolve(msg) : reject(new Error(msg.message))));
          conn.ws.send(JSON.stringify({ type: "cmd", id: key, op, args, on_behalf_of: phone }));
        });
        return Promise.all([
          send(`${id}-1`, "issue.post", { text: "電話で：病棟看護師が在宅の様子を知る機会がない", theme }),
          send(`${id}-2`, "proposal.stance", { proposal, stance: "agree", reason: "電話で：賛成です" }),
        ]);
      }, { id: "proxy", proposal, phone: ids.phone, theme: THEME });
      await cmd("chairA", "proposal.close", { proposal });
      await cmd("chairA", "meeting.end", {});

      // The other area's council.
      await cmd("chairB", "theme.set_stage", { theme: THEME, stage: 2, reason: "三次市と課題を共有" });

      // The one-on-one: a canary that must stay there, and an item both
      // parties agree to raise into the area council.
      await cmd("chairO", "issue.post", { text: `${CANARY} 個別の事情の相談` });
      const promoted = (await cmd("chairO", "issue.post", { text: PROMOTED, theme: THEME })).issue;
      const promotion = (await cmd("chairO", "promotion.propose", { items: [promoted], target: ids.a })).promotion;
      await cmd("satoO", "promotion.consent", { promotion, consent: true });
      // And one raised to the prefecture (上申).
      const raised = (await cmd("satoO", "issue.post", { text: RAISED, theme: THEME })).issue;
      const submission = (await cmd("satoO", "promotion.propose", { items: [raised], target: "prefecture" })).promotion;
      await cmd("chairO", "promotion.consent", { promotion: submission, consent: true });
    });

    after(async () => {
      for (const person of people) {
        assert.deepEqual(person.pageErrors, [], `no script errors (${person.who})`);
        const csp = await person.page.evaluate(() => window.__csp).catch(() => []);
        assert.deepEqual(csp || [], [], `no CSP violations (${person.who})`);
      }
      await browser?.close().catch(() => {});
      if (server) await kill(server.process);
      if (dir) removeDir(dir);
    });

    test("the administrator hands 佐藤's seats over to 木村 from 4月1日 in the console", T, async () => {
      const admin = await newPerson("admin");
      await setUpAccount(admin.context, server.base, links.admin, PASSWORD);
      const { page } = admin;
      await page.goto(`${server.base}/console/people`);
      const row = page.locator(".con-table tr", { hasText: "佐藤 恵子" });
      await row.waitFor();
      await row.locator("button", { hasText: "引き継ぎ（異動）" }).click();
      const dialog = page.locator("dialog.form-dialog");
      await dialog.waitFor();
      await dialog.locator(".ho-seats-title", { hasText: "引き継ぐ協議体（2件）" }).waitFor();
      await dialog.locator("select").selectOption({ label: "木村 直子（kimura.naoko）" });
      await dialog.locator("button[type=submit]").click();
      const confirm = page.locator("dialog.ho-confirm");
      await confirm.waitFor();
      const said = await confirm.innerText();
      assert.ok(said.includes(COUNCIL_A) && said.includes(CONSULTATION), said);
      assert.ok(said.includes("4月1日から"), said);
      await shots(page, "console-confirm");
      await confirm.locator("button[type=submit]").click();
      await confirm.waitFor({ state: "detached" });
      // 4月1日 comes.
      assert.equal(handoverDayComes(db), 2, "two successor seats start");
      await new Promise((r) => setTimeout(r, 2500));
    });

    test("木村's first sign-in opens the handover packet, naming her predecessor and what awaits the town", T, async () => {
      const kimura = await newPerson("kimura");
      await setUpAccount(kimura.context, server.base, links.kimura, PASSWORD, { enrol: false });
      const { page } = kimura;
      await page.goto(`${server.base}/`);
      await page.waitForURL(new RegExp(`/handover/${ids.town}$`));
      await page.locator(".ho-council").first().waitFor();
      assert.equal(await page.locator("h1").innerText(), "引き継ぎ資料：北広島町");
      const facts = await page.locator(".ho-facts").first().innerText();
      assert.match(facts, /佐藤 恵子/, "the predecessor is named");
      // She never opened ホーム: every change is new to her successor.
      const json = JSON.parse((await text(kimura.context, `/api/orgs/${ids.town}/handover`)).body);
      assert.equal(json.predecessor.name, "佐藤 恵子");
      assert.equal(json.since, null);
      assert.match(await page.locator(".ho-alert").innerText(), /期限を過ぎた役割が1件あります/);
      const body = await page.locator("main").innerText();
      assert.ok(body.includes("退院前カンファレンスへの町保健師の参加"), "the overdue role");
      assert.ok(body.includes("在宅療養の相談窓口を町の広報に掲載"), "the other agreed role");
      assert.ok(body.includes("退院支援ルールの町内事業所への説明"), "the role awaiting the town's consent");
      assert.ok(body.includes(CONSULTATION), "her one-on-one is in her packet");
      await shots(page, "packet");
      // Opened once: ホーム from then on.
      await page.goto(`${server.base}/`);
      await page.locator(".home-card").first().waitFor();
      assert.equal(new URL(page.url()).pathname, "/");
      kimura.home = page;
    });

    test("木村 consents to the awaiting role and updates a status: the town keeps its agreements", T, async () => {
      const kimura = people.find((p) => p.who === "kimura");
      const { page } = kimura;
      await page.goto(`${server.base}/councils/${ids.a}`);
      await page.locator(".conn-online").waitFor({ state: "attached" });
      await page.click("#tab-roles");
      const row = (role) => page.locator(`tbody[data-role="${role}"]`);
      await row(ids.awaiting).waitFor();
      await row(ids.awaiting).locator("button:has-text('担当として合意する')").click();
      await waitUntil(async () => (await row(ids.awaiting).locator(".status .badge").first().textContent()) === "合意済み", { message: "合意済み" });
      await row(ids.later).locator(`select[data-focus-key^=status-]`).selectOption("in_progress");
      await row(ids.later).locator(".status-form button[type=submit]").click();
      await waitUntil(async () => (await row(ids.later).locator(".status-text").textContent()) === "実施中", { message: "実施中" });
      await shots(page, "successor-roles");
      const record = JSON.parse((await text(kimura.context, `/api/councils/${ids.a}/record`)).body);
      const awaiting = record.roles.find((r) => r.id === ids.awaiting);
      assert.equal(awaiting.state, "agreed");
      assert.equal(record.roles.find((r) => r.id === ids.later).status, "in_progress");
      // The events stay the predecessor's: her consents are hers.
      const consentBy = record.roles.find((r) => r.id === ids.later).consents.map((c) => c.name);
      assert.deepEqual(consentBy, ["佐藤 恵子"]);
    });

    test("the record shows both holders of the town's seat (席の引き継ぎ)", T, async () => {
      const kimura = people.find((p) => p.who === "kimura");
      const { page } = kimura;
      await page.goto(`${server.base}/councils/${ids.a}/record`);
      const holders = page.locator("#rec-holders");
      await holders.waitFor();
      // The section is drawn at once with 読み込み中…; the holders arrive after their fetch.
      await waitUntil(async () => (await holders.innerText()).includes("木村 直子"), { message: "holders loaded" });
      const said = await holders.innerText();
      assert.ok(said.includes("佐藤 恵子") && said.includes("木村 直子"), said);
      assert.ok(said.indexOf("佐藤 恵子") < said.indexOf("木村 直子"), "oldest first");
      await holders.scrollIntoViewIfNeeded();
      await shots(page, "holders");
      // The minutes label the proxy input.
      const minutes = await text(kimura.context, `/api/councils/${ids.a}/meetings/${ids.meeting}/minutes.md`);
      assert.equal(minutes.status, 200);
      assert.match(minutes.body, /病棟看護師が在宅の様子を知る機会がない.*（代理入力：進行 保健師）/);
    });

    test("the promoted item carries its provenance; the canary stays in the one-on-one", T, async () => {
      const kimura = people.find((p) => p.who === "kimura");
      const { page } = kimura;
      await page.goto(`${server.base}/councils/${ids.a}`);
      await page.locator(".conn-online").waitFor({ state: "attached" });
      await page.click("#tab-board");
      const issue = page.locator(".board .issue", { hasText: PROMOTED });
      await issue.waitFor();
      assert.match(await issue.innerText(), /一対一協議（\d{4}年\d{1,2}月\d{1,2}日|一対一協議（.+）より/);
      await issue.scrollIntoViewIfNeeded();
      await shots(page, "promoted");
      const record = (await text(kimura.context, `/api/councils/${ids.a}/record`)).body;
      assert.ok(record.includes(PROMOTED));
      for (const path of [
        `/api/councils/${ids.a}/record`,
        `/api/councils/${ids.a}/meetings/${ids.meeting}/minutes.md`,
        `/api/councils/${ids.a}/issues.csv`,
        `/api/councils/${ids.a}/roles.csv`,
        `/api/councils/${ids.a}/changes`,
        `/api/councils/${ids.a}/search?q=${encodeURIComponent("CANARY")}`,
      ]) {
        const got = await text(kimura.context, path);
        assert.equal(got.status, 200, path);
        assert.ok(!got.body.includes(CANARY), `no canary in ${path}`);
      }
      assert.ok(!(await page.locator("main").innerText()).includes(CANARY));
    });

    test("the prefecture viewer sees both areas in the theme-stage matrix, and no one-on-one", T, async () => {
      const kobayashi = await newPerson("kobayashi");
      await setUpAccount(kobayashi.context, server.base, links.kobayashi, PASSWORD, { enrol: false });
      const { page } = kobayashi;
      await page.goto(`${server.base}/overview/prefecture/${encodeURIComponent(PREF)}`);
      await page.locator(".ov-matrix").waitFor();
      const headers = (await page.locator(".ov-matrix thead th").allTextContents()).join(" ");
      assert.ok(headers.includes(AREA_A) && headers.includes(AREA_B), headers);
      const themeRow = page.locator(".ov-matrix tbody tr", { hasText: THEME });
      const cells = (await themeRow.locator("td").allTextContents()).join(" ");
      assert.match(cells, /3/, "area A at stage 3");
      assert.match(cells, /2/, "area B at stage 2");
      await shots(page, "prefecture");
      // 上申 from the one-on-one: the item with its area and organisations.
      const raised = page.locator("#ov-submissions");
      assert.ok((await raised.innerText()).includes(RAISED));
      assert.ok((await raised.innerText()).includes("北広島町"));
      await raised.scrollIntoViewIfNeeded();
      await shots(page, "prefecture-submissions");
      const whole = await page.locator("main").innerText();
      assert.ok(!whole.includes(CONSULTATION), "no one-on-one in the prefecture's view");
      assert.ok(!whole.includes(CANARY));
      const csv = await text(kobayashi.context, `/api/prefectures/${encodeURIComponent(PREF)}/overview?format=csv`);
      assert.equal(csv.status, 200);
      assert.ok(csv.body.startsWith("\uFEFF"), "CSV with BOM");
      assert.ok(!csv.body.includes(CANARY) && !csv.body.includes(CONSULTATION));
      // Drill-down into a council's record, never into the one-on-one.
      assert.equal((await text(kobayashi.context, `/api/councils/${ids.a}/record`)).status, 200);
      assert.equal((await text(kobayashi.context, `/api/councils/${ids.o}/record`)).status, 403);
      // Nor may the viewer post: a cookie POST into the council is refused.
      const posted = await postAs(kobayashi.context, server.base, `/api/councils/${ids.a}/meetings/${ids.meeting}/confidentiality`, {});
      assert.notEqual(posted.status, 200);
    });
  });
