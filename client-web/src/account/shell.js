// The header of the pages of a signed-in person (ホーム, セキュリティ設定,
// 事務局コンソール): the same app bar as the meeting screen — the mark, who
// is signed in, the language switch — with the links between these pages
// and サインアウト.
import { h } from "../dom.js";
import { t, lang, setLang } from "../i18n.js";
import { post, isConsoleUser, needsEnrolment } from "../api.js";

// current: "home" | "security" | "console" | "overview"
export function createAccountShell(root, me, current, { wide = false } = {}) {
  const main = h("main", { id: "main", class: `page acc-page acc-page-${current}${wide ? " acc-wide" : ""}`, tabindex: "-1" });
  const person = me?.person || {};

  function link(id, href, key) {
    return h("li", {}, h("a", { href, class: "acc-nav-link", "aria-current": id === current ? "page" : null, text: t(key) }));
  }

  function header() {
    const signOut = h("button", {
      type: "button",
      class: "btn btn-small acc-signout",
      text: t("acc.signOut"),
      onclick: async () => {
        signOut.disabled = true;
        try {
          await post("/api/sign-out");
        } catch {
          /* the session is gone either way: back to the sign-in page */
        }
        location.assign("/");
      },
    });
    return h("header", { class: "appbar acc-appbar" },
      h("a", { class: "skip", href: "#main", text: t("pg.skip") }),
      h("div", { class: "appbar-row" },
        h("p", { class: "appbar-brand" },
          h("a", { href: "/", class: "acc-brand-link" },
            h("span", { class: "mark", "aria-hidden": "true", text: "連" }),
            h("span", { class: "acc-brand-name", text: "Renkei" }),
            h("span", { class: "acc-brand-ja", text: "連携" }))),
        h("div", { class: "appbar-tools" },
          // The demo database: say so on every page (its links sign people in).
          me?.demo ? h("span", { class: "badge badge-demo", title: t("acc.demoHint"), text: t("acc.demo") }) : null,
          person.name
            ? h("p", { class: "me", "aria-label": t("pg.me") },
              h("span", { class: "me-name", text: person.name }),
              person.org?.name ? h("span", { class: "me-org", text: person.org.name }) : null)
            : null,
          h("div", { class: "lang-switch", role: "group", "aria-label": "表示言語 / Language" },
            ["ja", "en"].map((code) => h("button", {
              type: "button",
              lang: code,
              text: code === "ja" ? "日本語" : "English",
              "aria-pressed": String(lang() === code),
              onclick: () => setLang(code),
            }))),
          person.id ? signOut : null)),
      person.id
        ? h("nav", { class: "pagenav acc-nav", "aria-label": t("acc.nav.label") },
          h("ul", {},
            // Until a required second factor is enrolled, only this page opens.
            needsEnrolment(me) ? null : link("home", "/", "acc.nav.home"),
            isConsoleUser(me) && !needsEnrolment(me) ? link("console", "/console", "acc.nav.console") : null,
            // A prefecture viewer's overviews (概観).
            needsEnrolment(me) ? null : (me?.grants || []).filter((g) => g.role === "prefecture_viewer" && g.scope).map((g) => {
              const href = `/overview/prefecture/${encodeURIComponent(g.scope)}`;
              return h("li", {}, h("a", { href, class: "acc-nav-link", "aria-current": current === "overview" && location.pathname === href ? "page" : null, text: t("ov.nav.scope", { name: g.scope }) }));
            }),
            link("security", "/me/security", "acc.nav.security")))
        : null,
    );
  }

  let headerEl = header();
  function renderHeader() {
    const focused = headerEl.contains(document.activeElement) ? document.activeElement.getAttribute("lang") : null;
    const next = header();
    headerEl.replaceWith(next);
    headerEl = next;
    if (focused) next.querySelector(`.lang-switch button[lang="${focused}"]`)?.focus();
  }
  root.replaceChildren(headerEl, main);

  function setTitle(pageTitle) {
    document.title = t("acc.documentTitle", { page: pageTitle });
  }

  return { main, renderHeader, setTitle, me };
}
