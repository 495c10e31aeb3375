// The record across meetings, read in the browser: a council meeting, a
// one-on-one consultation, what happens between meetings, then a review
// meeting. The meetings themselves are driven over the WebSocket (the
// meeting screen is covered by e2e.test.mjs); what is checked through the
// real pages is the agenda's link, 次回に向けて, 記録, 検索, 比較 and the minutes.
//   山田 (facilitator, 中部保健所), 佐藤 (member, 北広島町),
//   田中 (member, 安芸高田市), 鈴木 (observer, 県本庁).
// Run: cd tests/e2e && node --test record.test.mjs
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPrerequisites, makeTempDir, removeDir, cli, startServer, kill, launchBrowser, waitUntil, artifacts, watchPage,
  connectScripted, sendScripted,
} from "./harness.mjs";
import { wordingProblemsOf } from "./wording.mjs";

const T = { timeout: 60_000 };
const COUNCIL_NAME = "中部圏域 地域共生ケア会議";
const ONE_ON_ONE_NAME = "中部保健所・北広島町 一対一協議";
const M1_TITLE = "第1回 中部圏域 地域共生ケア会議";
const M3_TITLE = "第2回 中部圏域 地域共生ケア会議（振り返り）";
const ROLE_OVERDUE = "退院調整ルール案の作成と周知";
const ROLE_SOON = "訪問看護の夜間対応の輪番案の検討";
const ISSUE_BETWEEN = "冬季は訪問系サービスの移動時間が長い";
const VISION = "住み慣れた地域で、入院から在宅まで切れ目なく支援が受けられる";

// "YYYY-MM-DD" of the day in Japan, `days` from today.
function jstDay(days = 0) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(new Date(Date.now() + days * 86_400_000));
}

describe("the record across meetings", { timeout: 300_000 }, () => {
  let dir;
  let db;
  let server;
  let browser;
  let c1;
  let c2;
  const tokens = {};
  const people = {}; // key -> {context, page, errors}
  let driver; // a page that sends commands over its own WebSockets
  const ids = {};

  // A browser that joined with its invite link (session cookie).
  async function enter(key, token, { width = 1280, height = 900 } = {}) {
    const context = await browser.newContext({ viewport: { width, height }, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    const person = { context, page };
    await watchPage(page, person);
    await page.goto(`${server.base}/join/${token}`);
    await page.waitForURL(/\/councils\/[^/]+/);
    people[key] = person;
    return person;
  }

  // Scripted connections (hello with the invite token) in the driver page.
  const connect = (key, token, council) => connectScripted(driver, key, token, council);
  const cmd = (key, op, args) => sendScripted(driver, key, op, args);

  async function disconnect(...keys) {
    await driver.evaluate((keys) => {
      for (const key of keys) {
        window.__renkei.conns.get(key)?.ws.close();
        window.__renkei.conns.delete(key);
      }
    }, keys);
  }

  // 守秘義務の確認 of a closed session, with the bearer token.
  async function acknowledge(token, council, meeting) {
    const res = await fetch(`${server.base}/api/councils/${council}/meetings/${meeting}/confidentiality`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200, "confidentiality acknowledged");
  }

  async function shot(page, name, width) {
    if (width) {
      await page.setViewportSize({ width, height: width >= 1280 ? 900 : 1024 });
      await page.waitForTimeout(250);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  async function text(page, selector) {
    return (await page.locator(selector).first().textContent()) || "";
  }

  before(async () => {
    checkPrerequisites();
    dir = makeTempDir();
    db = join(dir, "renkei.db");
    const created = cli("council", "create", "--db", db, "--name", COUNCIL_NAME, "--facilitator-name", "山田 花子", "--facilitator-org", "中部保健所");
    c1 = created.council;
    tokens.yamada = created.token;
    tokens.sato = cli("invite", "--db", db, "--council", c1, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member").token;
    tokens.tanaka = cli("invite", "--db", db, "--council", c1, "--name", "田中 一郎", "--org", "安芸高田市", "--role", "member").token;
    tokens.suzuki = cli("invite", "--db", db, "--council", c1, "--name", "鈴木 次郎", "--org", "県本庁", "--role", "observer").token;
    // The one-on-one consultation is a council of its own, for its two parties.
    const one = cli("council", "create", "--db", db, "--name", ONE_ON_ONE_NAME, "--kind", "one_on_one", "--facilitator-name", "山田 花子", "--facilitator-org", "中部保健所");
    c2 = one.council;
    tokens.yamada2 = one.token;
    tokens.sato2 = cli("invite", "--db", db, "--council", c2, "--name", "佐藤 恵子", "--org", "北広島町", "--role", "member").token;
    server = await startServer({ db });
    browser = await launchBrowser();
    const context = await browser.newContext();
    driver = await context.newPage();
    await driver.goto(`${server.base}/`);
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server) await kill(server.process);
    if (dir) removeDir(dir);
  });

  test("meeting 1: a closed council meeting — issues, a ranking, a vision, roles, indicators, a stage", T, async () => {
    // An issue gathered before the meeting (with what looks like a case's personal data).
    await connect("sato", tokens.sato, c1);
    const pii = await cmd("sato", "issue.post", { text: "山田太郎さん（82歳）の退院後、サービス調整が遅れた", theme: "退院調整ルール" });
    ids.piiIssue = pii.issue;

    await connect("yamada", tokens.yamada, c1);
    await connect("tanaka", tokens.tanaka, c1);
    const started = await cmd("yamada", "meeting.start", { title: M1_TITLE, agenda: "community-care-council", session: "closed" });
    ids.m1 = started.meeting;
    for (const key of ["yamada", "sato", "suzuki"]) await acknowledge(tokens[key], c1, ids.m1);

    await cmd("yamada", "meeting.advance", { item: 3 });
    ids.i1 = (await cmd("sato", "issue.post", { text: "退院時の情報提供が遅れ、ケアマネジャーの調整が間に合わない", theme: "退院調整ルール" })).issue;
    ids.i2 = (await cmd("tanaka", "issue.post", { text: "夜間の訪問看護の緊急対応が難しい", theme: "在宅医療" })).issue;
    ids.i3 = (await cmd("sato", "issue.post", { text: "独居高齢者の見守り体制が不足している", theme: "見守り" })).issue;
    ids.dup = (await cmd("tanaka", "issue.post", { text: "退院時の情報が市に届くのが遅い", theme: "退院調整ルール" })).issue;

    await cmd("yamada", "meeting.advance", { item: 4 });
    await cmd("yamada", "issue.merge", { from: ids.dup, into: ids.i1 });
    ids.r1 = (await cmd("yamada", "ranking.open", { candidates: [ids.i1, ids.i2, ids.i3], method: "borda" })).ranking;
    await cmd("sato", "ranking.ballot", { ranking: ids.r1, order: [ids.i1, ids.i3, ids.i2] });
    await cmd("tanaka", "ranking.ballot", { ranking: ids.r1, order: [ids.i2, ids.i1, ids.i3] });
    await cmd("yamada", "ranking.ballot", { ranking: ids.r1, order: [ids.i1, ids.i2, ids.i3] });
    await cmd("yamada", "ranking.close", { ranking: ids.r1 });

    await cmd("yamada", "meeting.advance", { item: 5 });
    ids.pr1 = (await cmd("yamada", "proposal.open", { kind: "vision", text: VISION })).proposal;
    await cmd("sato", "proposal.stance", { proposal: ids.pr1, stance: "agree", reason: "町としても目指したい姿" });
    await cmd("tanaka", "proposal.stance", { proposal: ids.pr1, stance: "agree" });
    await cmd("yamada", "proposal.stance", { proposal: ids.pr1, stance: "agree" });
    assert.equal((await cmd("yamada", "proposal.close", { proposal: ids.pr1 })).outcome, "adopted");
    ids.pr2 = (await cmd("yamada", "proposal.open", { kind: "direction", text: "圏域共通の退院調整ルールを作る" })).proposal;
    await cmd("sato", "proposal.stance", { proposal: ids.pr2, stance: "agree" });
    await cmd("tanaka", "proposal.stance", { proposal: ids.pr2, stance: "abstain", reason: "市の病院連携会議で先に協議したい" });
    await cmd("yamada", "proposal.close", { proposal: ids.pr2 });

    await cmd("yamada", "meeting.advance", { item: 6 });
    // Due yesterday (in Japan): overdue from the start. The owner organisation decides.
    ids.ro1 = (await cmd("yamada", "role.propose", { title: ROLE_OVERDUE, owner_org: "北広島町", due: jstDay(-1), theme: "退院調整ルール", issue: ids.i1, detail: "町内の病院とケアマネジャー連絡会で説明する" })).role;
    await cmd("tanaka", "role.consent", { role: ids.ro1, consent: true, note: "市も情報提供に協力する" });
    await cmd("sato", "role.consent", { role: ids.ro1, consent: true, note: "町で担当します" });
    ids.ro2 = (await cmd("yamada", "role.propose", { title: ROLE_SOON, owner_org: "安芸高田市", due: jstDay(7), theme: "在宅医療", issue: ids.i2 })).role;
    await cmd("tanaka", "role.consent", { role: ids.ro2, consent: true });

    await cmd("yamada", "meeting.advance", { item: 7 });
    ids.in1 = (await cmd("yamada", "indicator.define", { name: "退院時引継ぎ率", kind: "process", unit: "%", baseline: 60, target: 90 })).indicator;
    ids.in2 = (await cmd("yamada", "indicator.define", { name: "退院前カンファレンス開催件数", kind: "process", unit: "件", baseline: 2, target: 12 })).indicator;
    ids.in3 = (await cmd("yamada", "indicator.define", { name: "在宅医療・介護連携の協議の場の設置", kind: "structure", unit: "か所", target: 1 })).indicator;
    await cmd("sato", "indicator.report", { indicator: ids.in1, value: 72.5, period: "2026-09" });
    await cmd("tanaka", "indicator.report", { indicator: ids.in1, value: 65, period: "2026-09" });
    await cmd("tanaka", "indicator.report", { indicator: ids.in2, value: 3, period: "2026-09" });

    await cmd("yamada", "meeting.advance", { item: 8 });
    await cmd("yamada", "theme.set_stage", { theme: "退院調整ルール", stage: 3, reason: "あるべき姿と役割分担に合意したため" });
    await cmd("yamada", "meeting.end");
    await disconnect("yamada", "sato", "tanaka");
  });

  test("meeting 2: a one-on-one consultation, and a third party of the council cannot see it", T, async () => {
    await connect("yamada2", tokens.yamada2, c2);
    await connect("sato2", tokens.sato2, c2);
    await cmd("yamada2", "meeting.start", { title: ONE_ON_ONE_NAME, agenda: "one-on-one", session: "closed" });
    await cmd("sato2", "issue.post", { text: "町の保健師の人員が不足している", theme: "人材確保" });
    const role = (await cmd("yamada2", "role.propose", { title: "県本庁への人員確保の上申", owner_org: "中部保健所", due: jstDay(30) })).role;
    await cmd("yamada2", "role.consent", { role, consent: true });
    await cmd("yamada2", "meeting.end");
    await disconnect("yamada2", "sato2");

    // 田中 (安芸高田市) belongs to the main council only.
    const tanaka = await enter("tanaka", tokens.tanaka);
    const statuses = await tanaka.page.evaluate(async (c) => {
      const out = {};
      for (const doc of ["record", "changes", "comparison", "search?q=人員", "meetings/" + c + "-m1/minutes.html"]) {
        out[doc] = (await fetch(`/api/councils/${c}/${doc}`)).status;
      }
      return out;
    }, c2);
    assert.deepEqual(Object.values(statuses), [403, 403, 403, 403, 403], JSON.stringify(statuses));
    await tanaka.page.goto(`${server.base}/councils/${c2}/record`);
    await tanaka.page.locator(".message-card h1").waitFor();
    assert.equal(await text(tanaka.page, ".message-card h1"), "別の会議に参加しています");
    // Nor does the consultation show up in the main council's search.
    await tanaka.page.goto(`${server.base}/councils/${c1}/search?q=${encodeURIComponent("人員")}`);
    await tanaka.page.locator(".search-status .search-count, .search-results .empty").first().waitFor();
    assert.match(await text(tanaka.page, ".search-count"), /検索結果：0件/);
    assert.match(await text(tanaka.page, ".search-results"), /見つかりませんでした/);
  });

  test("between meetings: a progress update, a new issue and an indicator report", T, async () => {
    await connect("sato", tokens.sato, c1);
    await connect("tanaka", tokens.tanaka, c1);
    await cmd("sato", "role.status", { role: ids.ro1, status: "in_progress", note: "素案を作成中" });
    ids.i5 = (await cmd("tanaka", "issue.post", { text: ISSUE_BETWEEN, theme: "在宅医療" })).issue;
    await cmd("sato", "indicator.report", { indicator: ids.in1, value: 80.5, period: "2026-10" });
    await disconnect("sato", "tanaka");
  });

  test("meeting 3: the review meeting's agenda links to 次回に向けて, which lists what changed", T, async () => {
    const yamada = await enter("yamada", tokens.yamada);
    const { page } = yamada;
    await page.locator(".conn-online").waitFor();
    // The meeting screen links to the record pages.
    assert.equal(await page.locator(".appbar a.header-record-link").getAttribute("href"), `/councils/${c1}/record`);
    await page.selectOption("select[data-focus-key=start-agenda]", "review-meeting");
    await page.fill("input[data-focus-key=start-title]", M3_TITLE);
    await page.click(".agenda button[type=submit]");
    await page.locator(".meeting-title").waitFor();
    // The listed items with the action "review" (the first two of the
    // template) link to the page before they are reached…
    const listed = page.locator(".agenda-list .agenda-review-link");
    await listed.first().waitFor({ state: "attached" });
    assert.equal(await listed.count(), 2);
    assert.equal(await listed.first().getAttribute("href"), `/councils/${c1}/review`);
    // …and the first item shows it once reached: the meeting opens on it.
    await page.click(".agenda-controls button:has-text('最初の議題へ')");
    await waitUntil(async () => (await page.locator(".item-title").textContent()) === "開会・評価の目的と守秘義務の確認", { message: "first item" });
    const link = page.locator(".current-item a.review-link");
    assert.equal(await link.textContent(), "前回からの変化を確認する（次回に向けて）");
    await shot(page, "agenda-review-link-1280");
    await link.click();
    await page.waitForURL(`${server.base}/councils/${c1}/review`);
    await page.locator("#rev-overdue").waitFor();

    assert.equal(await text(page, "h1"), "次回に向けて");
    assert.match(await text(page, ".lead"), /異動/);
    assert.equal(await page.locator('.pagenav a[aria-current="page"]').textContent(), "次回に向けて");
    assert.match(await text(page, ".since-line"), new RegExp(`「${M1_TITLE}」.*以降の変化`));
    // Overdue first, marked in words; then due soon.
    const sections = await page.locator(".page-section").evaluateAll((els) => els.map((e) => e.id));
    assert.equal(sections[0], "rev-overdue");
    const overdue = await text(page, "#rev-overdue");
    assert.match(overdue, new RegExp(ROLE_OVERDUE));
    assert.match(overdue, /期限超過/);
    assert.match(overdue, /1日超過/);
    assert.doesNotMatch(overdue, new RegExp(ROLE_SOON));
    const due = await text(page, "#rev-due");
    assert.match(due, new RegExp(ROLE_SOON));
    assert.match(due, /あと7日/);
    const status = await text(page, "#rev-status");
    assert.match(status, /素案を作成中/);
    assert.match(status, /未着手.*実施中/);
    const issues = await text(page, "#rev-issues");
    assert.match(issues, new RegExp(ISSUE_BETWEEN));
    assert.match(issues, /会議外/);
    const reports = await text(page, "#rev-indicators");
    assert.match(reports, /退院時引継ぎ率/);
    assert.match(reports, /80\.5 %/);
    assert.doesNotMatch(reports, /72\.5/, "reports of meeting 1 are not 'since' it");
    assert.equal(await text(page, "#rev-proposals .empty"), "協議中の提案はありません。");
    assert.equal(await text(page, "#rev-stages .empty"), "この期間にテーマの段階の変更はありません。");
    await shot(page, "review-1280");
    await shot(page, "review-768", 768);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Since the start of the live review meeting instead: nothing has changed yet.
    const m3 = await page.locator(".since-form select option").nth(1).getAttribute("value");
    await page.selectOption(".since-form select", m3);
    await waitUntil(async () => /開催中の「.*」の開始以降の変化/.test(await text(page, ".since-line").catch(() => "")), { message: "since the review meeting" });
    assert.ok(page.url().endsWith(`?since=${m3}`));
    assert.equal(await text(page, "#rev-status .empty"), "この期間に進捗の変更はありません。");
    assert.match(await text(page, "#rev-overdue"), new RegExp(ROLE_OVERDUE), "overdue whenever agreed");
    await page.goBack();
    await waitUntil(async () => /素案を作成中/.test(await text(page, "#rev-status").catch(() => "")), { message: "back to the default" });

    // Each item links into the record, where the target is found and focused.
    await page.click(`#rev-overdue a[href$="#${ids.ro1}"]`);
    await page.waitForURL(`**/councils/${c1}/record#${ids.ro1}`);
    await page.locator(`#${ids.ro1}`).waitFor();
    await waitUntil(() => page.evaluate(() => document.activeElement?.id), { message: "target focused" });
    assert.equal(await page.evaluate(() => document.activeElement?.id), ids.ro1);
  });

  test("記録: vision, issues, roles by organisation, indicators, themes and meetings with attendance", T, async () => {
    const { page } = people.yamada;
    await page.goto(`${server.base}/councils/${c1}/record`);
    await page.locator("#rec-meetings").waitFor();
    assert.equal(await text(page, "h1"), "合意の記録");
    assert.equal(await page.locator('.pagenav a[aria-current="page"]').textContent(), "記録");
    assert.equal(await text(page, ".appbar .council-name"), COUNCIL_NAME);

    // The vision in force and the direction.
    assert.equal(await text(page, ".vision-current .vision-text"), VISION);
    assert.match(await text(page, ".directions-list"), /圏域共通の退院調整ルールを作る/);
    assert.match(await text(page, `#${ids.pr2}`), /市の病院連携会議で先に協議したい/);

    // Issue statuses, merges, rankings, the personal-information warning.
    assert.match(await text(page, `#${ids.i1} .badge-issue-prioritised`), /優先順位付け済み/);
    assert.match(await text(page, `#${ids.i1}`), /統合された課題：退院時の情報が市に届くのが遅い/);
    assert.match(await text(page, `#${ids.i1}`), /3件中1位（ボルダ法/);
    assert.equal(await text(page, `#${ids.dup} .badge-issue-merged`), "統合済み");
    assert.match(await text(page, `#${ids.dup}`), /統合先：/);
    assert.equal(await text(page, `#${ids.i5} .badge-issue-open`), "検討中");
    assert.match(await text(page, `#${ids.piiIssue} .badge-pii`), /個人情報の可能性：氏名と年齢/);

    // Roles grouped by the owner organisation, overdue in words, with their history.
    const orgs = await page.locator(".role-org .role-org-name").allTextContents();
    assert.deepEqual(orgs, ["北広島町", "安芸高田市"]);
    const overdueRole = page.locator(`.role-org:has-text("北広島町") #${ids.ro1}`);
    assert.equal(await overdueRole.locator(".badge-overdue").textContent(), "⚠ 期限超過");
    assert.match(await overdueRole.locator(".rec-dl").textContent(), /（期限超過）/);
    assert.match(await overdueRole.locator(".rec-badges").textContent(), /合意.*実施中/);
    await overdueRole.locator(".role-history summary").click();
    const history = await overdueRole.locator(".role-history").textContent();
    assert.match(history, /担当機関として合意：佐藤 恵子（北広島町）/);
    assert.match(history, /賛同：田中 一郎（安芸高田市）/);
    assert.match(history, /進捗を「実施中」に更新/);
    assert.equal(await page.locator(`#${ids.ro2} .badge-overdue`).count(), 0);

    // Indicators by kind: a chart with a table of the same values.
    const kinds = await page.locator("#rec-indicators .indicator-kind > h3").allTextContents();
    assert.deepEqual(kinds, ["ストラクチャー（構造）", "プロセス（過程）"]);
    await page.locator(`#${ids.in1} canvas`).waitFor();
    assert.match(await page.locator(`#${ids.in1} canvas`).getAttribute("aria-label"), /北広島町: 2026-09 72\.5%, 2026-10 80\.5%/);
    const rows = await page.locator(`#${ids.in1} .values-table tbody tr`).allTextContents();
    assert.equal(rows.length, 3);
    assert.match(rows[2], /2026年10月80\.5 %北広島町/);
    assert.match(await text(page, `#${ids.in3}`), /まだ報告はありません/);

    // The stage of each theme with the decision that moved it.
    const theme = await text(page, "#theme-退院調整ルール");
    assert.match(theme, /段階3/);
    assert.match(theme, /段階1 → 段階3/);
    assert.match(theme, /あるべき姿と役割分担に合意したため/);

    // Meetings: newest first, open/closed, attendance by organisation.
    const meetings = await page.locator(".rec-meeting .meeting-name").allTextContents();
    assert.deepEqual(meetings, [M3_TITLE, M1_TITLE]);
    const m1 = page.locator(`#${ids.m1}`);
    assert.match(await m1.locator(".rec-badges").textContent(), /非公開/);
    assert.match(await page.locator(`.rec-meeting:has-text("${M3_TITLE}") .rec-badges`).textContent(), /公開.*開催中/);
    const attendance = await m1.locator(".attendance-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent));
    assert.ok(attendance.some((r) => /^中部保健所山田 花子/.test(r)), attendance.join(" | "));
    assert.ok(attendance.some((r) => /^北広島町佐藤 恵子\d\d:\d\d$/.test(r)), attendance.join(" | "));
    assert.ok(attendance.some((r) => /^安芸高田市田中 一郎未確認$/.test(r)), "田中 came without acknowledging");
    assert.ok(attendance.some((r) => /^県本庁鈴木 次郎オブザーバー\d\d:\d\d$/.test(r)), attendance.join(" | "));
    assert.match(await m1.textContent(), /守秘義務の確認：出席者4名中3名/);
    assert.equal(await m1.locator("a:has-text('Markdownで保存')").getAttribute("href"), `/api/councils/${c1}/meetings/${ids.m1}/minutes.md`);
    // Downloads.
    const downloads = await page.locator("#rec-exports a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.deepEqual(downloads, ["roles.csv", "issues.csv", "roles.ics"].map((f) => `/api/councils/${c1}/${f}`));

    await page.waitForTimeout(200);
    // Printed: without navigation and buttons, histories opened.
    await page.emulateMedia({ media: "print" });
    await shot(page, "record-print");
    await page.emulateMedia({ media: "screen" });
    await shot(page, "record-1280");
    await shot(page, "record-768", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    // English on request.
    await page.click(".lang-switch button[lang=en]");
    assert.equal(await text(page, "h1"), "The consensus record");
    assert.equal(await text(page, `#${ids.ro1} .badge-overdue`), "⚠ Overdue");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("lang")), "en", "focus stays on the language switch");
    await shot(page, "record-en-768", 768);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click(".lang-switch button[lang=ja]");
    assert.equal(await text(page, "h1"), "合意の記録");
  });

  test("minutes of meeting 1: council, 西暦 and 和暦, attendees by organisation, decisions and actions", T, async () => {
    const { page, context } = people.yamada;
    const [minutes] = await Promise.all([
      context.waitForEvent("page"),
      page.locator(`#${ids.m1} a:has-text('議事録を表示・印刷')`).click(),
    ]);
    await minutes.waitForLoadState();
    assert.equal(new URL(minutes.url()).pathname, `/api/councils/${c1}/meetings/${ids.m1}/minutes.html`);
    const body = await minutes.locator("body").textContent();
    const [y, m, d] = jstDay(0).split("-").map(Number);
    assert.match(body, new RegExp(COUNCIL_NAME));
    assert.match(body, new RegExp(`${y}年${m}月${d}日`), "西暦");
    assert.match(body, new RegExp(`令和${y - 2018}年${m}月${d}日`), "和暦");
    const attendees = await minutes.locator(".people li").allTextContents();
    assert.ok(attendees.some((a) => /^北広島町 佐藤 恵子/.test(a)), attendees.join(" | "));
    assert.ok(attendees.some((a) => /^県本庁 鈴木 次郎（オブザーバー）/.test(a)), attendees.join(" | "));
    assert.match(body, /決定事項/);
    assert.match(body, /次回までの宿題/);
    const actions = body.slice(body.indexOf("次回までの宿題"));
    assert.match(actions, new RegExp(ROLE_OVERDUE));
    assert.match(actions, /北広島町/);
    await minutes.screenshot({ path: join(artifacts, "minutes-1280.png"), fullPage: true });
    await minutes.close();
  });

  test("検索: two-character and longer terms, highlighted, linked to the record; the address keeps the query", T, async () => {
    const sato = await enter("sato", tokens.sato, { width: 768, height: 1024 });
    const { page } = sato;
    await page.goto(`${server.base}/councils/${c1}/search`);
    await page.locator("#search-q").waitFor();
    assert.equal(await page.locator('.pagenav a[aria-current="page"]').textContent(), "検索");

    // Two characters (a scan on the server).
    await page.fill("#search-q", "退院");
    await page.press("#search-q", "Enter");
    await page.locator(".search-hit").first().waitFor();
    assert.ok(page.url().endsWith(`/search?q=${encodeURIComponent("退院")}`));
    assert.match(await text(page, ".search-count"), /「退院」の検索結果：\d+件/);
    const marks = await page.locator(".search-hit mark").allTextContents();
    assert.ok(marks.length >= 3 && marks.every((m) => m === "退院"), marks.join(","));
    const kinds = await page.locator(".search-hit .badge-hit").allTextContents();
    for (const k of ["課題", "役割", "指標"]) assert.ok(kinds.includes(k), `kind ${k} in ${kinds}`);
    // A hit made in a meeting names it and links its minutes.
    const inMeeting = page.locator(`.search-hit:has(a[href$="#${ids.i1}"])`).first();
    assert.match(await inMeeting.locator(".hit-where").textContent(), new RegExp(M1_TITLE));
    assert.equal(await inMeeting.locator("a.minutes-link").getAttribute("href"), `/api/councils/${c1}/meetings/${ids.m1}/minutes.html`);
    await shot(page, "search-768");

    // Three or more characters (the full-text index).
    await page.fill("#search-q", "素案を作成");
    await page.press("#search-q", "Enter");
    await waitUntil(async () => /「素案を作成」/.test(await text(page, ".search-count").catch(() => "")), { message: "second search" });
    const hit = page.locator(".search-hit").first();
    assert.equal(await hit.locator(".badge-hit").textContent(), "進捗");
    assert.deepEqual(await hit.locator("mark").allTextContents(), ["素案を作成"]);
    assert.match(await hit.locator(".hit-where").textContent(), /会議外の記録/);

    // Back returns to the previous search.
    await page.goBack();
    await waitUntil(async () => /「退院」/.test(await text(page, ".search-count").catch(() => "")), { message: "back to 退院" });
    assert.equal(await page.inputValue("#search-q"), "退院");
    await page.goForward();
    await waitUntil(async () => /「素案を作成」/.test(await text(page, ".search-count").catch(() => "")), { message: "forward again" });

    // A hit opens the record at its place.
    await page.locator(".search-hit .hit-link").first().click();
    await page.waitForURL(`**/councils/${c1}/record#${ids.ro1}`);
    await page.locator(`#${ids.ro1}`).waitFor();
    await waitUntil(() => page.evaluate(() => document.activeElement?.id), { message: "target focused" });
    assert.equal(await page.evaluate(() => document.activeElement?.id), ids.ro1);
    assert.ok(await page.locator(`#${ids.ro1}`).isVisible());

    // Too long for the server: a clear message.
    await page.goto(`${server.base}/councils/${c1}/search?q=${encodeURIComponent("あ".repeat(101))}`);
    await page.locator(".page-error-inline").waitFor();
    assert.match(await text(page, ".page-error-inline"), /1〜100文字で入力してください/);
    // More than five terms: the rest are said to be ignored.
    await page.fill("#search-q", "退院 情報 遅れ 調整 ケアマネジャー 町");
    await page.press("#search-q", "Enter");
    await waitUntil(async () => /「町」は検索に使われていません/.test(await text(page, ".search-status").catch(() => "")), { message: "ignored term" });
  });

  test("比較: organisations side by side, small counts flagged, issues per organisation", T, async () => {
    const { page } = people.tanaka;
    await page.goto(`${server.base}/councils/${c1}/compare`);
    await page.locator(".compare-table").waitFor();
    assert.equal(await page.locator('.pagenav a[aria-current="page"]').textContent(), "比較");
    const orgs = await page.locator(".compare-table tbody th").allTextContents();
    assert.deepEqual(orgs, ["中部保健所", "北広島町", "安芸高田市", "県本庁"]);
    assert.match(await text(page, ".small-note"), /5未満の小さな数値/);
    assert.match(await text(page, ".small-note"), /個人が特定されないよう/);
    const row = page.locator('.compare-table tbody tr:has(th:text-is("安芸高田市"))');
    const cells = await row.locator("td").allTextContents();
    // 3 issues (one merged: a count of issues identifies nobody, never
    // flagged), 65 % (a rate: never flagged), 3 件 (cases: flagged).
    assert.match(cells[0], /^3$/);
    assert.match(cells[1], /^65 %（2026年9月）$/);
    assert.match(cells[2], /^3 件（2026年9月）※5未満$/);
    await page.locator('.org-details:has-text("北広島町") summary').click();
    const listed = await page.locator('.org-details:has-text("北広島町") .org-issues li').allTextContents();
    assert.ok(listed.some((x) => x.startsWith("退院時の情報提供が遅れ")), listed.join(" | "));
    await shot(page, "compare-1280");
    await shot(page, "compare-768", 768);
  });

  test("one word per concept: no page shows a ruled-out variant, null, undefined or an internal id", { timeout: 180_000 }, async () => {
    const { page } = people.yamada;
    const pages = [
      [`/councils/${c1}`, ".board li.issue"],
      [`/councils/${c1}/record`, "#rec-meetings"],
      [`/councils/${c1}/review`, "#rev-status"],
      [`/councils/${c1}/search?q=${encodeURIComponent("退院")}`, ".search-count"],
      [`/councils/${c1}/compare`, ".compare-table"],
      [`/api/councils/${c1}/meetings/${ids.m1}/minutes.html`, "h1"],
    ];
    const problems = [];
    const check = async (lang, path, ready) => {
      await page.goto(`${server.base}${path}`);
      await page.locator(ready).first().waitFor({ state: "attached" });
      if (!path.startsWith("/api/")) {
        await page.click(`.lang-switch button[lang=${lang}]`);
        await page.waitForTimeout(200);
      }
      for (const p of await wordingProblemsOf(page)) problems.push(`${lang} ${path}: ${p}`);
    };
    // With the review meeting live, then with no meeting live.
    for (const lang of ["ja", "en"]) {
      for (const [path, ready] of pages) await check(lang, path, ready);
    }
    await connect("yamada", tokens.yamada, c1);
    await cmd("yamada", "meeting.end");
    await disconnect("yamada");
    for (const lang of ["ja", "en"]) {
      for (const [path, ready] of pages.slice(0, 3)) await check(lang, path, ready);
    }
    await page.click(".lang-switch button[lang=ja]").catch(() => {});
    assert.deepEqual(problems, []);
  });

  test("no script errors and no content-security-policy violations on the record pages", T, async () => {
    for (const [key, p] of Object.entries(people)) {
      assert.deepEqual(p.pageErrors, [], `${key}: uncaught errors`);
      assert.deepEqual(await p.page.evaluate(() => window.__csp), [], `${key}: CSP violations`);
    }
  });
});
