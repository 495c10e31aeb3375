// Helpers of the browser tests of people and sign-in against the real
// server (PROTOCOL.md v2, PEOPLE.md): whether the binary has the v2 command
// line, TOTP codes (oathtool, RFC 6238), and the set-up, enrolment and
// sign-in requests made with a browser context's own cookie jar (so the
// pages that follow are signed in).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { binary } from "./harness.mjs";

// True when the server binary knows `person add` (the v2 command line):
// the tests of signin.test.mjs and console.test.mjs run only then, unless
// RENKEI_PEOPLE_E2E=1 forces them (and =0 skips them).
export function hasPeopleServer() {
  if (process.env.RENKEI_PEOPLE_E2E === "1") return true;
  if (process.env.RENKEI_PEOPLE_E2E === "0" || !existsSync(binary)) return false;
  // The usage text goes to stderr or stdout, whatever the exit status.
  const run = spawnSync(binary, ["--help"], { encoding: "utf8", timeout: 10_000 });
  const text = `${run.stdout || ""}${run.stderr || ""}`;
  return /person add/.test(text);
}

export const SKIP_REASON = "needs the server of PROTOCOL.md v2 (renkei person add); set RENKEI_PEOPLE_E2E=1 to force";

// The TOTP code of `secret` (base32) at now + `offset` seconds.
export function totp(secret, offset = 0) {
  const args = ["--totp", "-b"];
  if (offset) args.push("-N", `now ${offset >= 0 ? "+" : "-"} ${Math.abs(offset)} seconds`);
  args.push(secret.replace(/\s+/g, ""));
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}

// Waits until the current 30-second TOTP step is at least `margin` seconds
// from its end, so that a code computed now is still valid when it arrives.
export async function awayFromStepEnd(margin = 5) {
  const left = 30 - (Math.floor(Date.now() / 1000) % 30);
  if (left < margin) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}

// POST with the context's cookies and the Origin a browser would send.
export async function postAs(context, base, path, body) {
  const res = await context.request.post(`${base}${path}`, {
    data: body ?? {},
    headers: { Origin: base, "Content-Type": "application/json" },
    failOnStatusCode: false,
  });
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return { status: res.status(), json, headers: res.headers() };
}

// Sets the password through the set-up link and, when the person needs it,
// enrols TOTP. Leaves `context` signed in. → {secret, recovery}
export async function setUpAccount(context, base, setupPath, password, { enrol = true } = {}) {
  const setup = await postAs(context, base, `/api${setupPath}`, { password });
  if (setup.status !== 200) throw new Error(`set-up failed: ${setup.status} ${JSON.stringify(setup.json)}`);
  if (!enrol) return { secret: null, recovery: [] };
  const start = await postAs(context, base, "/api/me/totp");
  if (start.status !== 200) throw new Error(`totp failed: ${start.status} ${JSON.stringify(start.json)}`);
  await awayFromStepEnd();
  const confirm = await postAs(context, base, "/api/me/totp/confirm", { code: totp(start.json.secret) });
  if (confirm.status !== 200) throw new Error(`totp confirm failed: ${confirm.status} ${JSON.stringify(confirm.json)}`);
  return { secret: start.json.secret, recovery: confirm.json.recovery_codes };
}

// The same steps as a person takes them in the browser, on `page`:

// Opens the set-up link and sets the password (both fields), submitting
// the form; the caller waits for where it leads (/me/security when a second
// factor is required, else ホーム).
export async function setPasswordInBrowser(page, base, setupPath, password) {
  await page.goto(setupPath.startsWith("http") ? setupPath : `${base}${setupPath}`);
  await page.locator("h1", { hasText: "パスワードの設定" }).waitFor();
  const pw = page.locator("input[type=password]");
  await pw.nth(0).fill(password);
  await pw.nth(1).fill(password);
  await page.click("button[type=submit]");
}

// Enrols TOTP on セキュリティ設定: reads the secret shown beside the QR
// code, answers with oathtool's code, keeps the recovery codes and confirms
// they are saved. → {secret, recovery}
export async function enrolInBrowser(page, base) {
  await page.goto(`${base}/me/security`);
  await page.click("[data-focus-key=sec-start]");
  await page.locator(".acc-qr-box svg path").first().waitFor({ state: "attached" });
  const secret = (await page.locator(".acc-secret-text code").innerText()).replace(/\s+/g, "");
  await awayFromStepEnd();
  await page.fill("[data-focus-key=sec-code]", totp(secret));
  await page.click(".acc-confirm-form button[type=submit]");
  await page.locator(".acc-codes-list li").nth(9).waitFor();
  const recovery = (await page.locator(".acc-codes-list li").allInnerTexts()).map((c) => c.trim());
  await page.check("#sec-saved");
  await page.getByRole("button", { name: "保存しました" }).click();
  await page.locator(".page-note", { hasText: "認証アプリを登録しました" }).waitFor();
  return { secret, recovery };
}

// Signs in on the sign-in page (at `base`/): login and password, then, with
// `secret`, the code of the next time step (one step of drift is accepted;
// the current one may have been used for the enrolment). Leaves the answer
// to the caller (ホーム, or an error beside the form).
export async function signInInBrowser(page, base, login, password, secret = null) {
  await page.goto(`${base}/`);
  await page.locator(".acc-signin-title", { hasText: "サインイン" }).waitFor();
  await page.fill("input[name=username]", login);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  if (!secret) return;
  await page.locator("input[name=code]").waitFor();
  await page.fill("input[name=code]", totp(secret, 30));
  await page.click("button[type=submit]");
}

// Fills the field of `scope` (a form or a dialog) whose label reads
// exactly `label` (the label's text is in a span of its own: dom.js
// field()); a select is chosen by its option's text.
export async function fillField(scope, label, value) {
  const labelled = scope.page().locator("label > span", { hasText: new RegExp(`^${label}$`) });
  const control = scope.locator(".field", { has: labelled }).locator("input, select, textarea").first();
  if ((await control.evaluate((el) => el.tagName)) === "SELECT") await control.selectOption({ label: value });
  else await control.fill(value);
}

// Makes every unused set-up link of `person` (u<n>) expired, in the SQLite
// file itself (there is no command for it), with Python's sqlite3 module.
export function expireSetupLinks(db, person) {
  const id = Number(String(person).replace(/^u/, ""));
  const script = [
    "import sqlite3, sys",
    "c = sqlite3.connect(sys.argv[1], timeout=10)",
    "n = c.execute(\"UPDATE setup_links SET expires_at = '2000-01-01T00:00:00Z' WHERE person = ? AND used_at IS NULL AND revoked_at IS NULL\", (int(sys.argv[2]),)).rowcount",
    "c.commit()",
    "print(n)",
  ].join("\n");
  return Number(execFileSync("python3", ["-c", script, db, String(id)], { encoding: "utf8" }).trim());
}
