// The pages outside a council: サインイン and ホーム at "/", the set-up
// link (/setup/<token>), セキュリティ設定 (/me/security), 事務局コンソール
// (/console/…) and the overviews (/overview/prefecture|area/<name>). Who is signed in comes from GET /api/me; a person who must
// enrol a second factor and has not is sent to /me/security from every page.
import { h } from "../dom.js";
import { t, onLangChange, translateStatic } from "../i18n.js";
import { loadMe, needsEnrolment, setOnEnrolmentRequired } from "../api.js";
import { createAccountShell } from "./shell.js";
import { renderSignIn } from "./signin.js";
import { renderSetup } from "./setup.js";
import { createHomePage } from "./home.js";
import { createSecurityPage } from "./security.js";
import { createConsole } from "./console.js";
import { createHandoverPage, HANDOVER_PATH } from "../handover/page.js";
import { createOverviewPage, overviewOf } from "./overview.js";

export const SECURITY_PATH = "/me/security";
const SETUP_PATH = /^\/setup\/([^/]+)\/?$/;

// Whether this module shows `pathname`.
export function isAccountPath(pathname) {
  return pathname === "/" || pathname === "/index.html" || SETUP_PATH.test(pathname) || pathname === SECURITY_PATH ||
    pathname === "/console" ||
    pathname.startsWith("/console/") ||
    HANDOVER_PATH.test(pathname) ||
    overviewOf(pathname) !== null;
}

// GET /api/me, retried while the server cannot be reached.
async function me(showUnreachable, attempt = 0) {
  try {
    return await loadMe();
  } catch (error) {
    if (attempt === 0) showUnreachable();
    const delay = Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delay));
    return me(showUnreachable, attempt + 1);
  }
}

export async function startAccount(root, { showMessage }) {
  const path = location.pathname;
  const landing = document.getElementById("landing");
  document.body.classList.remove("booting");
  document.body.classList.add("account");
  if (landing) landing.hidden = true;
  root.hidden = false;

  const setup = SETUP_PATH.exec(path);
  if (setup) {
    landing?.remove();
    let token = setup[1];
    try {
      token = decodeURIComponent(token);
    } catch {
      /* used as it is */
    }
    renderSetup(root, token);
    onLangChange(() => renderSetup(root, token));
    return;
  }

  const person = await me(() => showMessage("boot.unreachableTitle", "boot.unreachableBody"));
  if (!person) {
    const params = new URLSearchParams(location.search);
    const notice = params.get("signed_out") === "everywhere" ? "acc.signin.signedOutEverywhere" : null;
    const atRoot = path === "/" || path === "/index.html";
    if (!atRoot) landing?.remove();
    const view = renderSignIn(root, { onSignedIn: () => location.replace(atRoot ? "/" : path), notice, landing: atRoot ? landing : null });
    onLangChange(() => view.render());
    return;
  }
  landing?.remove();

  if (needsEnrolment(person) && path !== SECURITY_PATH) {
    location.replace(SECURITY_PATH);
    return;
  }
  setOnEnrolmentRequired(() => {
    if (location.pathname !== SECURITY_PATH) location.assign(SECURITY_PATH);
  });

  let shell;
  let page;
  if (path === "/" || path === "/index.html") {
    shell = createAccountShell(root, person, "home");
    page = createHomePage(shell);
  } else if (path === SECURITY_PATH) {
    shell = createAccountShell(root, person, "security");
    page = createSecurityPage(shell, {
      onEnrolled: () => {
        person.second_factor = { ...(person.second_factor || {}), enrolled: true };
      },
    });
  } else if (HANDOVER_PATH.test(path)) {
    shell = createAccountShell(root, person, "handover");
    let org = HANDOVER_PATH.exec(path)[1];
    try {
      org = decodeURIComponent(org);
    } catch {
      /* used as it is */
    }
    page = createHandoverPage(shell, org);
  } else if (overviewOf(path)) {
    shell = createAccountShell(root, person, "overview", { wide: true });
    page = createOverviewPage(shell, overviewOf(path));
  } else {
    shell = createAccountShell(root, person, "console", { wide: true });
    page = createConsole(shell);
  }
  onLangChange(() => {
    shell.renderHeader();
    page.render();
  });
  translateStatic(document);
  page.start();
}

// A page not known here (the server only serves index.html for known ones).
export function notFound(root) {
  root.replaceChildren(h("main", { id: "main", class: "message-page" },
    h("div", { class: "message-card" }, h("h1", { text: t("pg.error.notFoundTitle") }), h("p", {}, h("a", { href: "/", text: t("acc.nav.home") })))));
}
