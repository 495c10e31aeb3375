// Requests to the HTTP API of people, organisations and sign-in
// (server/docs/PEOPLE.md) with the session cookie. Every failure is an
// ApiError: .status (0 when the server could not be reached), .code and
// .message from the server's {"code","message"} body, .retryAfter (seconds,
// from Retry-After on 429) and .body (the whole JSON body, e.g. an import
// preview that was refused).
import { serverMessage } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || (status === 0 ? "network" : `http_${status}`);
    this.serverText = typeof body?.message === "string" ? body.message : "";
    this.retryAfter = retryAfter;
    this.body = body;
  }

  // The server's message in the chosen language ("日本語 / English").
  text() {
    return serverMessage(this.serverText);
  }
}

// A person who must enrol a second factor first is sent to
// /me/security by whoever sees this code (main.js sets it).
let onEnrolmentRequired = null;
export function setOnEnrolmentRequired(fn) {
  onEnrolmentRequired = fn;
}

// request("POST", "/api/sign-in", {login, password}) → the parsed JSON body
// (null for an empty one). `body` may be an ArrayBuffer with `contentType`.
export async function request(method, url, body, { contentType, signal } = {}) {
  const headers = { Accept: "application/json" };
  let payload;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    headers["Content-Type"] = contentType || "application/octet-stream";
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, { method, credentials: "same-origin", cache: "no-store", headers, body: payload, signal });
  } catch (cause) {
    if (cause?.name === "AbortError") throw cause;
    throw new ApiError(0, null, null);
  }
  const text = await res.text().catch(() => "");
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const retry = Number(res.headers.get("Retry-After"));
    const error = new ApiError(res.status, json, Number.isFinite(retry) && retry > 0 ? retry : null);
    if (error.code === "second_factor_enrolment_required" && onEnrolmentRequired) onEnrolmentRequired();
    throw error;
  }
  return json;
}

export const get = (url, options) => request("GET", url, undefined, options);
export const post = (url, body, options) => request("POST", url, body === undefined ? {} : body, options);
export const patch = (url, body, options) => request("PATCH", url, body, options);

// A list answered either as an array or as {"<key>": [...]}.
export function listOf(json, key) {
  if (Array.isArray(json)) return json;
  if (json && Array.isArray(json[key])) return json[key];
  return [];
}

// The signed-in person (GET /api/me), or null when nobody is signed in.
// Other failures throw.
export async function loadMe() {
  try {
    return await get("/api/me");
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return null;
    throw error;
  }
}

export function needsEnrolment(me) {
  return Boolean(me?.second_factor?.required && !me.second_factor.enrolled);
}

export function isConsoleUser(me) {
  return (me?.grants || []).some((g) => g.role === "admin" || g.role === "secretariat");
}

export function isAdmin(me) {
  return (me?.grants || []).some((g) => g.role === "admin");
}

// The areas a secretariat person looks after (empty for others).
export function secretariatAreas(me) {
  return (me?.grants || []).filter((g) => g.role === "secretariat" && g.scope).map((g) => g.scope);
}
