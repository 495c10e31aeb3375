// 事務局コンソール (/console/<section>): the secretariat's pages for
// organisations, people, councils and their seats, set-up links, CSV import
// and (administrators) the audit trail. One page with a side navigation;
// moving between sections changes the address (history.pushState) without
// reloading, so a set-up link just issued stays in memory for the printable
// invitation sheet and never goes into an address.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { get, listOf, isAdmin, isConsoleUser, secretariatAreas } from "../api.js";
import { createOrgsSection } from "./console_orgs.js";
import { createPeopleSection } from "./console_people.js";
import { createCouncilsSection } from "./console_councils.js";
import { createInvitationsSection } from "./console_invitations.js";
import { createImportSection } from "./console_import.js";
import { createAuditSection } from "./console_audit.js";
import { createHandoversSection } from "./console_handover.js";
import { createSheetView } from "./sheet.js";

const SECTIONS = [
  { id: "orgs", key: "con.nav.orgs", create: createOrgsSection },
  { id: "people", key: "con.nav.people", create: createPeopleSection },
  { id: "councils", key: "con.nav.councils", create: createCouncilsSection },
  { id: "handovers", key: "con.nav.handovers", create: createHandoversSection },
  { id: "invitations", key: "con.nav.invitations", create: createInvitationsSection },
  { id: "import", key: "con.nav.import", create: createImportSection },
  { id: "audit", key: "con.nav.audit", create: createAuditSection, admin: true },
];

// "/console/people/u3/sheet" → {section: "people", rest: ["u3", "sheet"]}
export function parseConsolePath(pathname) {
  const parts = pathname.replace(/\/+$/, "").split("/").slice(2).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { section: parts[0] || "orgs", rest: parts.slice(1) };
}

export function createConsole(shell) {
  const { main, me } = shell;
  const admin = isAdmin(me);
  const sections = SECTIONS.filter((s) => !s.admin || admin);
  const nav = h("nav", { class: "con-nav", "aria-label": t("con.nav.label") });
  const body = h("div", { class: "con-body" });
  const live = h("div", { class: "vh", "aria-live": "polite", "aria-atomic": "true" });
  let current = null; // {id, view}

  // Lists several sections need (organisations for the person form, people
  // for seats), read once and read again after a change.
  const cache = new Map();
  const ctx = {
    me,
    admin,
    areas: secretariatAreas(me),
    navigate,
    announce: (text) => {
      live.textContent = "";
      setTimeout(() => {
        live.textContent = text;
      }, 30);
    },
    async list(name, force = false) {
      if (force || !cache.has(name)) {
        const promise = get(`/api/console/${name}`).then((json) => listOf(json, name));
        cache.set(name, promise);
        promise.catch(() => cache.delete(name));
      }
      return cache.get(name);
    },
    forget(...names) {
      for (const name of names) cache.delete(name);
    },
    // The set-up links issued on this page, by person id, for the sheet.
    links: new Map(),
    openSheet(personId) {
      navigate(`/console/people/${encodeURIComponent(personId)}/sheet`);
    },
  };

  function renderNav(active) {
    nav.replaceChildren(h("ul", {},
      sections.map((s) => h("li", {},
        h("a", {
          href: `/console/${s.id}`,
          class: "con-nav-link",
          "aria-current": s.id === active ? "page" : null,
          text: t(s.key),
          onclick: (e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            navigate(`/console/${s.id}`);
          },
        })))));
  }

  function navigate(path, { replace = false } = {}) {
    if (path !== location.pathname + location.search) {
      if (replace) history.replaceState(null, "", path);
      else history.pushState(null, "", path);
    }
    show();
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  function show() {
    const { section, rest } = parseConsolePath(location.pathname);
    let view;
    let id = section;
    if (section === "people" && rest[1] === "sheet") {
      id = "people";
      view = createSheetView(ctx, rest[0]);
    } else {
      const def = sections.find((s) => s.id === section);
      if (!def) {
        renderNav(null);
        body.replaceChildren(h("div", { class: "page-error", role: "alert" },
          h("p", { class: "page-error-title", text: t(SECTIONS.some((s) => s.id === section) ? "con.adminOnly" : "pg.error.notFoundTitle") }),
          h("p", {}, h("a", { href: "/console/orgs", text: t("con.nav.orgs") }))));
        shell.setTitle(t("con.title"));
        return;
      }
      view = def.create(ctx, rest);
    }
    current = { id, view };
    renderNav(id);
    body.replaceChildren(view.el);
    shell.setTitle(`${view.title()} — ${t("con.title")}`);
    view.start?.();
  }

  function render() {
    renderNav(current?.id);
    current?.view.render?.();
    if (current) shell.setTitle(`${current.view.title()} — ${t("con.title")}`);
  }

  return {
    start() {
      if (!isConsoleUser(me)) {
        shell.setTitle(t("con.title"));
        main.replaceChildren(h("div", { class: "page-error", role: "alert" },
          h("p", { class: "page-error-title", text: t("con.forbidden.title") }),
          h("p", { text: t("con.forbidden.body") }),
          h("p", {}, h("a", { href: "/", text: t("acc.nav.home") }))));
        return;
      }
      main.classList.add("con-page");
      main.replaceChildren(h("h1", { class: "vh", text: t("con.title") }), h("div", { class: "con-layout" }, nav, body), live);
      window.addEventListener("popstate", show);
      show();
    },
    render,
  };
}
