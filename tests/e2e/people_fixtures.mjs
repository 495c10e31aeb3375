// A stand-in for the HTTP API of people and organisations (PEOPLE.md) inside
// the browser: every request of a page is answered through page.route —
// client-web/dist for the static files (index.html for any page address,
// with the server's Content-Security-Policy) and fixture JSON for /api/….
// For looking at the pages and checking their behaviour where the real
// server is not needed; signin.test.mjs and console.test.mjs run against
// the real server.
import { readFileSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { webDir } from "./harness.mjs";

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8" };

const daysFromNow = (d) => new Date(Date.now() + d * 86_400_000).toISOString();
const dayFromNow = (d) => daysFromNow(d).slice(0, 10);

// The directory and the signed-in person. `state` is changed by the
// console's requests, so a test can check what was sent and what is shown.
export function makeState({ signedIn = true, admin = true, enrolled = true, required = true } = {}) {
  return {
    signedIn,
    password: "correct horse battery",
    totpCode: "123456",
    enrolled,
    required,
    failures: 0,
    sent: [], // [{method, path, body}]
    me: {
      person: { id: "u1", name: "山田 花子", login: "yamada.hanako", org: { id: "o1", name: "北広島保健所", kind: "health_centre" } },
      seats: [],
      grants: admin ? [{ role: "admin", scope: "" }] : [{ role: "secretariat", scope: "北広島保健所管内" }],
      last_visit_at: daysFromNow(-3),
    },
    home: {
      councils: [
        {
          id: "c1", name: "北広島圏域 地域共生ケア会議", kind: "council", area: "北広島保健所管内", role: "facilitator", participant: "p1", archived: false,
          live: { meeting: "m3", title: "第3回 北広島圏域 地域共生ケア会議", started_at: daysFromNow(-0.03) },
          last_meeting: { id: "m2", title: "第2回 北広島圏域 地域共生ケア会議", ended_at: daysFromNow(-40) },
          next_meeting: dayFromNow(30),
          themes: [{ name: "入退院支援", stage: 3 }, { name: "在宅医療と介護の連携", stage: 2 }, { name: "看取り", stage: 1 }],
          my_org_roles: { open: 4, overdue: 2 }, changes_since_last_visit: 12,
        },
        {
          id: "c2", name: "北広島保健所・北広島町 一対一協議", kind: "one_on_one", area: "北広島保健所管内", role: "member", participant: "p7", archived: false,
          live: null, last_meeting: { id: "m5", title: "令和8年度 第1回 一対一協議", ended_at: daysFromNow(-12) }, next_meeting: null,
          themes: [{ name: "介護予防", stage: 4 }], my_org_roles: { open: 1, overdue: 0 }, changes_since_last_visit: 0,
        },
        {
          id: "c3", name: "北広島圏域 精神保健福祉連絡会", kind: "council", area: "北広島保健所管内", role: "observer", participant: "p9", archived: false,
          live: null, last_meeting: null, next_meeting: dayFromNow(14), themes: [], my_org_roles: { open: 0, overdue: 0 }, changes_since_last_visit: 3,
        },
        {
          id: "c0", name: "令和6年度 退院支援ルール検討会", kind: "council", area: "北広島保健所管内", role: "member", participant: "p2", archived: true,
          live: null, last_meeting: { id: "m1", title: "最終回", ended_at: daysFromNow(-300) }, next_meeting: null,
          themes: [{ name: "退院支援", stage: 4 }], my_org_roles: { open: 0, overdue: 0 }, changes_since_last_visit: 0,
        },
      ],
    },
    orgs: [
      { id: "o1", name: "北広島保健所", kind: "health_centre", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o2", name: "北広島町", kind: "municipality", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o3", name: "北広島町役場", kind: "municipality", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o4", name: "千代田中央病院", kind: "hospital", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o5", name: "北広島訪問看護ステーション", kind: "visiting_nurse", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o6", name: "北広島町地域包括支援センター", kind: "community_support_centre", area: "北広島保健所管内", prefecture: "広島県", state: "active" },
      { id: "o7", name: "旧 豊平診療所", kind: "clinic", area: "北広島保健所管内", prefecture: "広島県", state: "deactivated" },
    ],
    people: [
      { id: "u1", name: "山田 花子", org: { id: "o1", name: "北広島保健所" }, login: "yamada.hanako", state: "active", second_factor: { enrolled: true } },
      { id: "u2", name: "佐藤 恵子", org: { id: "o2", name: "北広島町" }, login: "sato.keiko", state: "active", second_factor: { enrolled: false } },
      { id: "u3", name: "田中 一郎", org: { id: "o4", name: "千代田中央病院" }, login: "tanaka.ichiro", state: "active", second_factor: { enrolled: true } },
      { id: "u4", name: "鈴木 美和", org: { id: "o5", name: "北広島訪問看護ステーション" }, login: "suzuki.miwa", state: "active", second_factor: { enrolled: false } },
      { id: "u5", name: "高橋 誠", org: { id: "o6", name: "北広島町地域包括支援センター" }, login: "takahashi.makoto", state: "deactivated", second_factor: { enrolled: false } },
    ],
    councils: [
      { id: "c1", name: "北広島圏域 地域共生ケア会議", kind: "council", area: "北広島保健所管内", themes: ["入退院支援", "在宅医療と介護の連携", "看取り"], default_agenda: "community-care-council", archived_at: null, seats: 3 },
      { id: "c2", name: "北広島保健所・北広島町 一対一協議", kind: "one_on_one", area: "北広島保健所管内", themes: ["介護予防"], default_agenda: "one-on-one", archived_at: null, seats: 2 },
      { id: "c0", name: "令和6年度 退院支援ルール検討会", kind: "council", area: "北広島保健所管内", themes: ["退院支援"], archived_at: daysFromNow(-200), seats: 4 },
    ],
    seats: {
      c1: [
        { participant: "p1", person: { id: "u1", name: "山田 花子" }, name: "山田 花子", org: { id: "o1", name: "北広島保健所" }, role: "facilitator" },
        { participant: "p3", person: { id: "u2", name: "佐藤 恵子" }, name: "佐藤 恵子", org: { id: "o2", name: "北広島町" }, role: "member" },
        { participant: "p4", person: { id: "u3", name: "田中 一郎" }, name: "田中 一郎", org: { id: "o4", name: "千代田中央病院" }, role: "observer" },
      ],
    },
    invitations: [
      { person: "u2", name: "佐藤 恵子", org: "北広島町", login: "sato.keiko", state: "unused", created_at: daysFromNow(-2), expires_at: daysFromNow(12), used_at: null },
      { person: "u3", name: "田中 一郎", org: "千代田中央病院", login: "tanaka.ichiro", state: "used", created_at: daysFromNow(-20), expires_at: daysFromNow(-6), used_at: daysFromNow(-19) },
      { person: "u4", name: "鈴木 美和", org: "北広島訪問看護ステーション", login: "suzuki.miwa", state: "expired", created_at: daysFromNow(-30), expires_at: daysFromNow(-16), used_at: null },
      { person: "u5", name: "高橋 誠", org: "北広島町地域包括支援センター", login: "takahashi.makoto", state: "revoked", created_at: daysFromNow(-40), expires_at: daysFromNow(-26), used_at: null },
    ],
    audit: [
      { at: daysFromNow(-1), person: { id: "u1", name: "山田 花子" }, council: null, action: "sign_in", op: null, outcome: "ok" },
      { at: daysFromNow(-0.9), person: { id: "u2", name: "佐藤 恵子" }, council: null, action: "sign_in", op: null, outcome: "invalid_credentials" },
      { at: daysFromNow(-0.5), person: { id: "u1", name: "山田 花子" }, council: "c1", action: "read.export", op: "minutes.html", outcome: "ok" },
      { at: daysFromNow(-0.2), participant: "p3", council: "c1", action: "command", op: "issue.post", outcome: "accepted", seq: 41 },
      { at: daysFromNow(-0.1), participant: "p4", council: "c1", action: "command", op: "role.propose", outcome: "forbidden" },
    ],
    setup: { token: "tok-valid", name: "佐藤 恵子", login: "sato.keiko", org: { id: "o2", name: "北広島町" }, second_factor: "optional", used: false },
  };
}

function json(route, status, body, headers = {}) {
  return route.fulfill({ status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: body === undefined ? "" : JSON.stringify(body) });
}
const error = (route, status, code, message, headers) => json(route, status, { code, message }, headers);

// Parses a CSV as the server would for the preview (UTF-8 only here).
function previewCsv(text, kind) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim());
  const keys = kind === "orgs" ? ["name", "kind", "area", "prefecture"] : ["name", "org", "login"];
  const header = /名称|氏名|name/.test(lines[0] || "");
  const rows = [];
  lines.slice(header ? 1 : 0).forEach((line, i) => {
    const cells = line.split(",");
    const values = Object.fromEntries(keys.map((k, j) => [k, (cells[j] || "").trim()]));
    const errors = [];
    if (!values.name) errors.push(`${kind === "orgs" ? "名称" : "氏名"}が空です / name is empty`);
    if (kind === "orgs" && values.kind && !/^(市町村|病院|訪問看護ステーション|municipality|hospital|visiting_nurse|clinic|診療所)$/.test(values.kind)) {
      errors.push(`種別「${values.kind}」はありません / unknown kind`);
    }
    if (kind === "people" && values.login && !/^[a-z0-9._@-]{3,64}$/.test(values.login)) errors.push("ログインIDに使えない文字があります / invalid login");
    rows.push({ line: i + (header ? 2 : 1), values, errors });
  });
  const invalid = rows.filter((r) => r.errors.length).length;
  return { encoding: "utf-8", rows, valid: rows.length - invalid, invalid };
}

// Routes every request of `context` (a BrowserContext) to the fixtures.
export async function routeFixtures(context, state) {
  await context.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const path = url.pathname;
    const method = request.method();
    if (!path.startsWith("/api/")) {
      const file = join(webDir, path === "/" ? "index.html" : path.slice(1));
      if (path !== "/" && existsSync(file) && extname(file)) {
        return route.fulfill({ status: 200, headers: { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Content-Security-Policy": CSP }, body: readFileSync(file) });
      }
      return route.fulfill({ status: 200, headers: { "Content-Type": TYPES[".html"], "Content-Security-Policy": CSP }, body: readFileSync(join(webDir, "index.html")) });
    }
    let body = null;
    const raw = request.postDataBuffer();
    if (raw && raw.length) {
      const type = request.headers()["content-type"] || "";
      body = type.includes("json") ? JSON.parse(raw.toString("utf8")) : raw.toString("utf8");
    }
    if (method !== "GET") state.sent.push({ method, path: path + url.search, body });
    return api(route, state, method, path, url, body);
  });
}

function api(route, s, method, path, url, body) {
  const signedIn = s.signedIn;
  const needs2fa = s.required && !s.enrolled;
  if (path === "/api/session") return json(route, 401, { error: "unauthorized" });
  if (path === "/api/agendas") {
    return json(route, 200, [
      { id: "community-care-council", kind: "council", title: { ja: "地域共生ケア会議", en: "Inclusive Community Care Council" }, items: [] },
      { id: "one-on-one", kind: "one_on_one", title: { ja: "保健所・市町村 一対一協議", en: "One-on-one consultation" }, items: [] },
      { id: "review-meeting", kind: "council", title: { ja: "振り返り会議", en: "Review meeting" }, items: [] },
    ]);
  }
  const setup = /^\/api\/setup\/([^/]+)$/.exec(path);
  if (setup) {
    if (decodeURIComponent(setup[1]) !== s.setup.token || s.setup.used) return error(route, 401, "invalid_token", "このリンクは使えません / invalid link");
    if (method === "GET") {
      const { name, login, org, second_factor: sf } = s.setup;
      return json(route, 200, { name, login, org, second_factor: sf });
    }
    if ((body?.password || "").length < 10 || body.password === "password1234") return error(route, 400, "weak_password", "パスワードが弱すぎます / weak password");
    s.setup.used = true;
    s.signedIn = true;
    s.enrolled = false;
    s.required = s.setup.second_factor === "required";
    return json(route, 200, { person: "u2", login: s.setup.login, second_factor: s.setup.second_factor }, { "Set-Cookie": "renkei_session=x; Path=/; HttpOnly; SameSite=Strict" });
  }
  if (path === "/api/sign-in" && method === "POST") {
    if (s.failures >= 5) return error(route, 429, "rate_limited", "試行が多すぎます / too many attempts", { "Retry-After": "840" });
    if (body?.login !== s.me.person.login || body?.password !== s.password) {
      s.failures += 1;
      return error(route, 401, "invalid_credentials", "ログインIDまたはパスワードが違います / wrong login or password");
    }
    if (s.enrolled && !body.code) return error(route, 401, "second_factor_required", "確認コードが必要です / code required");
    if (s.enrolled && body.code !== s.totpCode && body.code !== "abcd-efgh-jkmn") return error(route, 401, "invalid_code", "確認コードが違います / invalid code");
    s.signedIn = true;
    return json(route, 200, { person: s.me.person.id });
  }
  if (!signedIn) return error(route, 401, "unauthorized", "サインインしてください / sign in first");
  if (path === "/api/me") return json(route, 200, { ...s.me, second_factor: { enrolled: s.enrolled, required: s.required } });
  if (path === "/api/sign-out" || path === "/api/sign-out-everywhere") {
    s.signedIn = false;
    return json(route, 200, {});
  }
  if (path === "/api/me/totp") return json(route, 200, { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", uri: "otpauth://totp/Renkei:yamada.hanako?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Renkei&algorithm=SHA1&digits=6&period=30" });
  if (path === "/api/me/totp/confirm") {
    if (body?.code !== s.totpCode) return error(route, 400, "invalid_code", "確認コードが違います / invalid code");
    s.enrolled = true;
    return json(route, 200, { recovery_codes: ["k3m9-x2qa-7fhd", "p8vt-4nws-e6jc", "r2bd-9kzm-h5xq", "w7cf-3pja-m8tn", "d4hs-6qev-z2kb", "t9xn-5rfa-c3wm", "g6jp-8mdk-v4sh", "n3qz-2wbt-f7ea", "b8kr-7vhn-x5dp", "e5tm-4cgs-q9jw"] });
  }
  if (needs2fa) return error(route, 403, "second_factor_enrolment_required", "二要素認証の登録が必要です / enrol a second factor first");
  if (path === "/api/home") return json(route, 200, s.home);
  if (!path.startsWith("/api/console/")) return error(route, 404, "not_found", "見つかりません / not found");
  const admin = s.me.grants.some((g) => g.role === "admin");
  const rest = path.slice("/api/console/".length).split("/");
  const [what, id, action] = rest;
  if (what === "audit") {
    if (!admin) return error(route, 403, "forbidden", "権限がありません / forbidden");
    if (url.searchParams.get("format") === "csv") return route.fulfill({ status: 200, headers: { "Content-Type": "text/csv; charset=utf-8" }, body: "at,action\n" });
    return json(route, 200, s.audit);
  }
  if (what === "orgs") {
    if (method === "GET") return json(route, 200, s.orgs);
    if (!id) {
      if (s.orgs.some((o) => o.name === body.name)) return error(route, 409, "name_taken", "同じ名称の機関が登録済みです / an organisation of this name exists");
      const org = { id: `o${s.orgs.length + 10}`, ...body, state: "active" };
      s.orgs.push(org);
      return json(route, 200, { org: org.id });
    }
    const org = s.orgs.find((o) => o.id === id);
    if (!org) return error(route, 404, "not_found", "見つかりません / not found");
    if (method === "PATCH") Object.assign(org, body);
    else if (action === "merge") Object.assign(org, { state: "merged", merged_into: body.into });
    else if (action === "deactivate") org.state = "deactivated";
    return json(route, 200, {});
  }
  if (what === "people") {
    if (method === "GET") return json(route, 200, s.people);
    if (!id) {
      if (s.people.some((p) => p.login === body.login)) return error(route, 409, "login_taken", "このログインIDは使われています / login taken");
      const org = s.orgs.find((o) => o.id === body.org);
      const person = { id: `u${s.people.length + 10}`, name: body.name, org: { id: org.id, name: org.name }, login: body.login, state: "active", second_factor: { enrolled: false } };
      s.people.push(person);
      return json(route, 200, { person: person.id, setup: `/setup/new-${person.id}-token-0123456789abcdef` });
    }
    const person = s.people.find((p) => p.id === id);
    if (method === "PATCH") {
      const org = s.orgs.find((o) => o.id === body.org);
      person.org = { id: org.id, name: org.name };
    } else if (action === "deactivate") person.state = "deactivated";
    else if (action === "setup-link") return json(route, 200, { setup: `/setup/re-${id}-token-fedcba9876543210` });
    return json(route, 200, {});
  }
  if (what === "councils") {
    if (method === "GET" && !id) return json(route, 200, s.councils);
    if (!id) {
      const council = { id: `c${s.councils.length + 10}`, ...body, archived_at: null, seats: 0 };
      s.councils.push(council);
      return json(route, 200, { council: council.id });
    }
    if (action === "archive") {
      s.councils.find((c) => c.id === id).archived_at = new Date().toISOString();
      return json(route, 200, {});
    }
    if (action === "seats") {
      s.seats[id] ??= [];
      if (method === "GET") return json(route, 200, s.seats[id]);
      const person = s.people.find((p) => p.id === body.person);
      const seat = { participant: `p${Math.floor(Math.random() * 1000)}`, person: { id: person.id, name: person.name }, name: person.name, org: person.org, role: body.role };
      s.seats[id].push(seat);
      return json(route, 200, { participant: seat.participant });
    }
  }
  if (what === "seats") {
    for (const list of Object.values(s.seats)) {
      const i = list.findIndex((seat) => seat.participant === id);
      if (i < 0) continue;
      if (action === "remove") list.splice(i, 1);
      else list[i].role = body.role;
    }
    return json(route, 200, {});
  }
  if (what === "invitations") return json(route, 200, s.invitations);
  if (what === "import") {
    const preview = previewCsv(body || "", id);
    if (!url.searchParams.get("dry_run") && preview.invalid) return json(route, 400, { code: "bad_request", message: "エラーのある行があります / some rows have errors", ...preview });
    return json(route, 200, preview);
  }
  return error(route, 404, "not_found", "見つかりません / not found");
}
