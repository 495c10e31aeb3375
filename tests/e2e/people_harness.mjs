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
