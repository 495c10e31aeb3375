// Entry point of the browser client. At "/", /setup/<token>, /me/security
// and /console/… it shows the pages of people and organisations
// (src/account/: sign-in, ホーム, the set-up link, セキュリティ設定,
// 事務局コンソール); at "/councils/<id>" it asks /api/session who this browser is (the session
// cookie set by /join/<token>; the token itself is never seen here), then
// builds the meeting screen and connects the WebSocket. The pages of the
// record — /councils/<id>/record, /review, /search, /compare — read their
// documents over HTTP (src/pages/).
import { h } from "./dom.js";
import { t, translateStatic, setLang, lang, onLangChange } from "./i18n.js";
import { createApp } from "./app.js";
import { startPage, PAGE_IDS } from "./pages/index.js";
import { startAccount, isAccountPath, SECURITY_PATH } from "./account/index.js";

const COUNCIL_PATH = /^\/councils\/([^/]+)(?:\/([^/]*).*)?$/;

async function getJson(url) {
  const res = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  if (!res.ok) {
    const error = new Error(`HTTP ${res.status}`);
    error.status = res.status;
    error.code = await res.json().then((body) => body?.code, () => undefined);
    throw error;
  }
  return res.json();
}

// A signed-in person who must enrol a second factor first (PEOPLE.md:
// every other API answers 403 second_factor_enrolment_required).
const ENROLMENT_REQUIRED = "second_factor_enrolment_required";

function root() {
  return document.getElementById("app");
}

function showLanding() {
  document.body.classList.remove("booting");
  document.body.classList.add("landing");
  document.getElementById("landing")?.removeAttribute("hidden");
  root().hidden = true;
  // Someone already joined in this browser: offer the way back.
  getJson("/api/session")
    .then((session) => {
      const slot = document.getElementById("resume");
      if (!slot || !session?.council?.id) return;
      slot.replaceChildren(
        h("p", {}, h("a", { class: "btn btn-primary", href: `/councils/${encodeURIComponent(session.council.id)}` },
          t("landing.resume", { name: session.council.name || session.council.id }))),
      );
      slot.hidden = false;
    })
    .catch(() => {});
}

// A full-page message (not joined, another council, server unreachable).
function showMessage(titleKey, bodyKey, params, extra) {
  document.body.classList.remove("booting");
  const el = root();
  el.hidden = false;
  el.replaceChildren(
    h("main", { id: "main", class: "message-page", tabindex: "-1" },
      h("div", { class: "message-card" },
        h("p", { class: "brand-mark", "aria-hidden": "true", text: "連" }),
        h("h1", { text: t(titleKey, params) }),
        h("p", { text: t(bodyKey, params) }),
        extra || null,
        languageSwitch(() => showMessage(titleKey, bodyKey, params, extra)),
      ),
    ),
  );
  translateStatic(document);
}

function languageSwitch(rerender) {
  const next = lang() === "ja" ? "en" : "ja";
  return h("p", {},
    h("button", {
      type: "button",
      class: "btn btn-quiet",
      lang: next,
      text: next === "en" ? "English" : "日本語",
      onclick: () => {
        setLang(next);
        rerender();
      },
    }),
  );
}

async function loadSession(councilId, attempt = 0) {
  try {
    return await getJson(`/api/session?council=${encodeURIComponent(councilId)}`);
  } catch (error) {
    if (error.status === 401) return null;
    if (error.code === ENROLMENT_REQUIRED) return { enrol: true };
    // A signed-in person without a seat here (a prefecture viewer may
    // still read the record: viewerSession).
    if (error.status === 403) return { noSeat: true };
    if (attempt === 0) showMessage("boot.unreachableTitle", "boot.unreachableBody");
    const delay = Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delay));
    return loadSession(councilId, attempt + 1);
  }
}

// A prefecture viewer reads the record pages of the councils of its
// prefecture without a seat (read-only: no meeting, no posting). The
// session it is shown with: who is signed in (GET /api/me) and the
// council (from the record, which answers only when reading is allowed).
async function viewerSession(councilId) {
  try {
    const [me, record] = await Promise.all([
      getJson("/api/me"),
      getJson(`/api/councils/${encodeURIComponent(councilId)}/record`),
    ]);
    return {
      viewer: true,
      council: record.council,
      name: me?.person?.name || "",
      org: me?.person?.org?.name || "",
      role: null,
    };
  } catch {
    return null;
  }
}

async function boot() {
  translateStatic(document);
  const match = COUNCIL_PATH.exec(location.pathname);
  if (!match) {
    if (isAccountPath(location.pathname)) startAccount(root(), { showMessage });
    else showLanding();
    return;
  }
  // The introduction page is not part of the meeting screen.
  document.getElementById("landing")?.remove();
  const councilId = decodeURIComponent(match[1]);
  let session = await loadSession(councilId);
  const page = match[2] || "";
  if (session?.noSeat) {
    session = PAGE_IDS.includes(page) ? await viewerSession(councilId) : null;
    if (!session) {
      showMessage("boot.notJoinedTitle", "boot.notJoinedBody");
      return;
    }
  }
  // A person signed in (not only joined through an invite link) gets ホーム
  // and サインアウト in the header, and the sign-in page after signing out:
  // their session says so (signed_in, v2); an invite link's does not.
  const signedIn = Promise.resolve(Boolean(session && session.signed_in));
  if (!session) {
    showMessage("boot.notJoinedTitle", "boot.notJoinedBody");
    return;
  }
  if (session.enrol) {
    location.replace(SECURITY_PATH);
    return;
  }
  if (session.council && session.council.id !== councilId) {
    showMessage("boot.otherCouncilTitle", "boot.otherCouncilBody", { name: session.council.name || session.council.id },
      h("p", {}, h("a", { class: "btn btn-primary", href: `/councils/${encodeURIComponent(session.council.id)}` },
        t("boot.goToMine", { name: session.council.name || session.council.id }))));
    return;
  }
  document.body.classList.remove("booting");
  const el = root();
  el.hidden = false;
  if (PAGE_IDS.includes(page)) {
    startPage(page, el, session, {
      onUnauthorized: () => showMessage("boot.notJoinedTitle", "boot.notJoinedBody"),
    });
    return;
  }
  const person = await signedIn;
  const app = createApp(el, session, {
    getJson,
    signedIn: person,
    onSignedOut: (reason) => {
      if (reason === "logout" && person) location.replace("/");
      else if (reason === "logout") showMessage("boot.loggedOutTitle", "boot.loggedOutBody");
      else showMessage("boot.sessionEndedTitle", "boot.sessionEndedBody");
    },
  });
  onLangChange(() => app.relabel());
  app.start();
}

boot();
