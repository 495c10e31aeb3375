// Who is connected now (the server's presence message), and who is invited
// but not here.
import { h, nextId } from "../dom.js";
import { t } from "../i18n.js";
import { TOPIC } from "../state.js";
import { roleLabel } from "./common.js";

const ROLE_ORDER = { facilitator: 0, member: 1, observer: 2 };

export function createPresenceView(app) {
  const { state } = app;
  const heading = h("h2", { class: "panel-title", id: nextId("presence") });
  const list = h("ul", { class: "presence-list" });
  const absent = h("p", { class: "small muted presence-absent" });
  const element = h("section", { class: "panel presence", "aria-labelledby": heading.id }, heading, list, absent);

  function render(topics) {
    if (!topics.has(TOPIC.people)) return;
    // One row per participant even with two tabs open.
    const connected = new Map();
    for (const p of state.presence) if (p.participant && !connected.has(p.participant)) connected.set(p.participant, p);
    const rows = [...connected.values()].sort(
      (a, b) => (ROLE_ORDER[a.role] ?? 3) - (ROLE_ORDER[b.role] ?? 3) || (a.org || "").localeCompare(b.org || "", "ja"),
    );
    heading.textContent = t("presence.title", { n: rows.length });
    list.replaceChildren(
      ...rows.map((p) =>
        h("li", { class: "presence-item" },
          h("span", { class: "presence-dot", "aria-hidden": "true" }),
          h("span", { class: "presence-name" },
            h("span", { text: p.name || p.participant }),
            // The one signed in, also while entering for someone (代理入力).
            p.participant === (app.proxy ? app.proxy.self() : state.me).participant ? h("span", { class: "small muted", text: ` ${t("presence.you")}` }) : null),
          h("span", { class: "presence-org", text: p.org || "" }),
          h("span", { class: `badge badge-small badge-role-${p.role}`, text: roleLabel(p.role) }),
        )),
    );
    if (!rows.length) list.replaceChildren(h("li", { class: "muted small", i18n: "presence.none" }));
    const away = [...state.people.values()].filter((p) => p.role && !connected.has(p.participant));
    absent.textContent = away.length
      ? t("presence.away", { names: away.map((p) => p.name || p.participant).join("、") })
      : "";
  }

  return { element, render };
}
