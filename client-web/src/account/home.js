// ホーム: the councils where the signed-in person holds a seat (GET
// /api/home), one card each. A card is a plain link to /councils/<id>, so a
// middle click or ⌘/Ctrl-click opens it in a new tab and several councils
// can be open at once. Shows at a glance whether a meeting is live, the last
// and next meeting, each theme's stage, the role agreements of the person's
// organisation that are open or overdue, and what changed since the last
// visit.
import { h } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { get } from "../api.js";
import { dateJst, dateTimeJst, timeJst, loadingState, errorState } from "../pages/shared.js";
import { councilKindText, roleBadge } from "./labels.js";
import { startsText } from "./handover_common.js";
import { overviewLinks } from "./overview.js";

const OFFER_DISMISSED = "renkei.enrolOfferDismissed";
export const JUST_SET_UP = "renkei.justSetUp";

export function createHomePage(shell) {
  const { main, me } = shell;
  // A successor's first sign-in after a handover (引き継ぎ) opens the
  // organisation's handover packet; the packet page records that it was
  // opened (POST /api/me/handover/seen), so ホーム shows from then on.
  const handover = me.handover?.org?.id;
  if (handover) {
    location.assign(`/handover/${encodeURIComponent(handover)}`);
    return { start() {}, render() {} };
  }
  let data = null;
  let error = null;
  // Taken once: the flag is for the page right after the set-up, not for
  // a later sign-in in the same tab.
  let justSetUp = false;
  try {
    justSetUp = sessionStorage.getItem(JUST_SET_UP) === "1";
    sessionStorage.removeItem(JUST_SET_UP);
  } catch {
    /* storage unavailable */
  }

  async function load() {
    error = null;
    render();
    try {
      data = await get("/api/home");
    } catch (e) {
      error = e;
    }
    render();
  }

  function render() {
    shell.setTitle(t("home.title"));
    const person = me.person || {};
    const head = h("div", { class: "page-head" },
      h("h1", { class: "page-title", text: t("home.title") }),
      h("p", { class: "lead", text: t("home.lead", { name: person.name || "" }) }),
      me.last_visit_at ? h("p", { class: "muted small", text: t("home.lastVisit", { when: dateTimeJst(me.last_visit_at) }) }) : null);
    const parts = [head, enrolOffer(), handoverLink(person), overviewLinks(me)];
    if (error) parts.push(errorState(error, { retry: load }));
    else if (!data) parts.push(loadingState());
    else parts.push(...councilLists(data.councils || []));
    main.replaceChildren(...parts.filter(Boolean));
  }

  // The handover packet of the person's organisation (/handover/<org>).
  function handoverLink(person) {
    const org = person.org;
    if (!org?.id) return null;
    return h("p", { class: "home-handover" },
      h("a", { href: `/handover/${encodeURIComponent(org.id)}`, class: "home-handover-link", text: t("ho.homeLink") }),
      h("span", { class: "muted small", text: ` ${t("ho.homeHint", { org: org.name || "" })}` }));
  }

  function enrolOffer() {
    const sf = me.second_factor || {};
    if (sf.enrolled || sf.required) return null;
    let dismissed = false;
    try {
      dismissed = sessionStorage.getItem(OFFER_DISMISSED) === "1";
    } catch {
      /* storage unavailable */
    }
    if (dismissed && !justSetUp) return null;
    const box = h("section", { class: "acc-offer", "aria-labelledby": "offer-h" },
      h("h2", { id: "offer-h", class: "acc-offer-title", text: t(justSetUp ? "home.offer.titleAfterSetup" : "home.offer.title") }),
      h("p", { text: t("home.offer.body") }),
      h("div", { class: "row" },
        h("a", { class: "btn btn-primary", href: "/me/security?enrol=1", text: t("home.offer.enrol") }),
        h("button", {
          type: "button",
          class: "btn btn-quiet",
          text: t("home.offer.later"),
          onclick: () => {
            try {
              sessionStorage.setItem(OFFER_DISMISSED, "1");
            } catch {
              /* storage unavailable */
            }
            justSetUp = false;
            box.remove();
          },
        })));
    return box;
  }

  function councilLists(councils) {
    const active = councils.filter((c) => !c.archived);
    const archived = councils.filter((c) => c.archived);
    // Live meetings first, seats that start later (a handover) last;
    // otherwise the server's order.
    active.sort((a, b) => Number(Boolean(b.live)) - Number(Boolean(a.live)) || Number(Boolean(a.starts_at)) - Number(Boolean(b.starts_at)));
    const out = [];
    if (!active.length && !archived.length) {
      out.push(h("div", { class: "acc-empty" },
        h("p", { class: "acc-empty-title", text: t("home.empty.title") }),
        h("p", { text: t("home.empty.body") })));
      return out;
    }
    out.push(h("h2", { class: "vh", text: t("home.councils") }));
    out.push(active.length
      ? h("ul", { class: "home-cards" }, active.map((c) => h("li", {}, councilCard(c))))
      : h("p", { class: "empty", text: t("home.noActive") }));
    if (archived.length) {
      out.push(h("details", { class: "home-archived" },
        h("summary", { text: t("home.archived", { n: archived.length }) }),
        h("ul", { class: "home-cards home-cards-archived" }, archived.map((c) => h("li", {}, councilCard(c))))));
    }
    return out;
  }

  function councilCard(c) {
    const href = `/councils/${encodeURIComponent(c.id)}`;
    const titleId = `home-${c.id}`;
    const roles = c.my_org_roles || { open: 0, overdue: 0 };
    const changes = Number(c.changes_since_last_visit) || 0;
    // A seat a handover gives from a later date: 「4月1日から」, not a link yet.
    const starts = c.starts_at ? startsText(c.starts_at) : "";
    return h("article", { class: `home-card${c.live ? " is-live" : ""}${c.archived ? " is-archived" : ""}${starts ? " is-upcoming" : ""}`, "aria-labelledby": titleId },
      h("div", { class: "home-card-head" },
        h("h3", { class: "home-card-title", id: titleId },
          starts ? h("span", { class: "home-card-link", text: c.name || c.id }) : h("a", { href, class: "home-card-link", text: c.name || c.id })),
        h("p", { class: "home-card-badges" },
          starts ? h("span", { class: "badge badge-upcoming", text: starts }) : null,
          h("span", { class: "badge badge-quiet", text: councilKindText(c.kind) }),
          c.role ? roleBadge(c.role) : null,
          c.archived ? h("span", { class: "badge badge-quiet", text: t("home.archivedBadge") }) : null,
          changes > 0 ? h("span", { class: "badge home-changes", text: t("home.changes", { n: changes }) }) : null)),
      starts ? h("p", { class: "home-upcoming-note", text: t("ho.startsNote", { date: dateJst(c.starts_at) }) }) : null,
      c.live
        ? h("p", { class: "home-live" },
          h("span", { class: "badge badge-live" }, h("span", { class: "live-dot", "aria-hidden": "true" }), t("home.live")),
          h("span", { class: "home-live-title", text: c.live.title || "" }),
          c.live.started_at ? h("span", { class: "home-live-time", text: t("home.liveSince", { time: timeJst(c.live.started_at) }) }) : null)
        : null,
      h("dl", { class: "home-facts" },
        c.area ? fact("home.area", h("span", { text: c.area })) : null,
        fact("home.lastMeeting", c.last_meeting
          ? h("span", {}, h("span", { class: "home-meeting-title", text: c.last_meeting.title || "" }),
            c.last_meeting.ended_at ? h("span", { class: "muted", text: ` ${t("home.onDate", { date: dateJst(c.last_meeting.ended_at) })}` }) : null)
          : h("span", { class: "muted", text: t("home.none") })),
        fact("home.nextMeeting", c.next_meeting
          ? h("span", { text: formatDate(c.next_meeting) })
          : h("span", { class: "muted", text: t("home.notScheduled") }))),
      themes(c.themes || []),
      h("div", { class: "home-roles" },
        h("p", { class: "home-roles-label", text: t("home.myOrgRoles") }),
        h("p", { class: "home-roles-counts" },
          h("span", { class: "home-count", text: t("home.rolesOpen", { n: roles.open || 0 }) }),
          roles.overdue > 0
            ? h("span", { class: "badge badge-overdue" }, h("span", { "aria-hidden": "true", text: "⚠ " }), t("home.rolesOverdue", { n: roles.overdue }))
            : h("span", { class: "muted", text: t("home.noOverdue") }))));
  }

  function fact(labelKey, value) {
    return h("div", { class: "home-fact" }, h("dt", { text: t(labelKey) }), h("dd", {}, value));
  }

  function themes(list) {
    if (!list.length) return h("p", { class: "home-themes-none muted small", text: t("home.noThemes") });
    return h("ul", { class: "home-themes", "aria-label": t("home.themes") },
      list.map((th) => h("li", { class: "home-theme" },
        h("span", { class: "home-theme-name", text: th.name }),
        h("span", { class: `chip chip-stage home-stage home-stage-${th.stage}`, title: t(`stage.${th.stage}`) },
          h("span", { class: "chip-stage-no", text: t("stage.short", { n: th.stage }) }),
          h("span", { class: "home-stage-name", text: t(`stage.${th.stage}`) })))));
  }

  return { start: load, render };
}
