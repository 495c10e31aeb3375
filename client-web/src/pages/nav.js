// The header shared by the record pages: the council, who is signed in, the
// language switch, and the navigation between the meeting screen and the
// pages of the record (記録, 次回に向けて, 検索, 比較).
import { h } from "../dom.js";
import { t, lang, setLang } from "../i18n.js";
import { councilBase } from "./shared.js";

export const PAGES = [
  { id: "meeting", path: "", key: "pg.nav.meeting" },
  { id: "record", path: "/record", key: "pg.nav.record" },
  { id: "review", path: "/review", key: "pg.nav.review" },
  { id: "search", path: "/search", key: "pg.nav.search" },
  { id: "compare", path: "/compare", key: "pg.nav.compare" },
];

export function createShell(root, session, current) {
  const council = session.council || {};
  const base = councilBase(council.id);
  const main = h("main", { id: "main", class: `page page-${current}`, tabindex: "-1" });

  function header() {
    const roleKey = `pg.role.${session.role}`;
    return h("header", { class: "appbar page-appbar" },
      h("a", { class: "skip", href: "#main", text: t("pg.skip") }),
      h("div", { class: "appbar-row" },
        h("p", { class: "appbar-brand" },
          h("span", { class: "mark", "aria-hidden": "true", text: "連" }),
          h("span", { class: "vh", text: "Renkei" }),
          h("span", { class: "council-name", text: council.name || council.id || "" }),
          h("span", { class: "badge badge-quiet", text: t(council.kind === "one_on_one" ? "pg.kind.one_on_one" : "pg.kind.council") })),
        h("div", { class: "appbar-tools" },
          h("p", { class: "me", "aria-label": t("pg.me") },
            h("span", { class: "me-name", text: session.name || "" }),
            h("span", { class: "me-org", text: session.org || "" }),
            session.role ? h("span", { class: `badge badge-role-${session.role}`, text: t(roleKey) }) : null,
            session.viewer ? h("span", { class: "badge badge-quiet", text: t("ov.viewer.role") }) : null),
          h("div", { class: "lang-switch", role: "group", "aria-label": "表示言語 / Language" },
            ["ja", "en"].map((code) => h("button", {
              type: "button",
              lang: code,
              text: code === "ja" ? "日本語" : "English",
              "aria-pressed": String(lang() === code),
              onclick: () => setLang(code),
            }))),
        )),
      h("nav", { class: "pagenav", "aria-label": t("pg.nav.label") },
        h("ul", {},
          // A prefecture viewer has no seat: no meeting screen.
          PAGES.filter((p) => !(session.viewer && p.id === "meeting")).map((p) => h("li", {},
            h("a", {
              href: `${base}${p.path}`,
              class: p.id === "meeting" ? "pagenav-meeting" : null,
              "aria-current": p.id === current ? "page" : null,
              text: t(p.key),
            }))))),
    );
  }

  let headerEl = header();
  function renderHeader() {
    // Keep focus on the language button that was just pressed.
    const focused = headerEl.contains(document.activeElement) ? document.activeElement.getAttribute("lang") : null;
    const next = header();
    headerEl.replaceWith(next);
    headerEl = next;
    if (focused) next.querySelector(`.lang-switch button[lang="${focused}"]`)?.focus();
    if (viewerNote) renderViewerNote();
  }
  root.replaceChildren(headerEl, main);
  // A prefecture viewer is told the pages are read-only.
  const viewerNote = session.viewer ? h("p", { class: "page-note ov-viewer-note", role: "note" }) : null;
  function renderViewerNote() {
    viewerNote.replaceChildren(h("span", { text: t("ov.viewer.notice") }), " ",
      h("a", { href: "/", text: t("ov.viewer.back") }));
  }
  if (viewerNote) {
    renderViewerNote();
    headerEl.after(viewerNote);
  }

  function setTitle(pageTitle) {
    document.title = t("pg.documentTitle", { page: pageTitle, council: council.name || council.id || "" });
  }

  return { main, renderHeader, setTitle, council, base };
}
