// 席の引き継ぎ on the record page (GET /api/councils/<id>/holders, the
// record's access rules): each organisation's seat line with its holders
// over time, oldest first, and whether it is vacant now (空席).
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { roleText } from "../account/labels.js";
import { fetchJson, apiBase, dateJst, pageSection } from "./shared.js";

export function createHoldersSection(councilId) {
  let lines = null;
  let failed = false;
  const el = h("div", { class: "ho-holders-slot" });

  async function load() {
    try {
      const json = await fetchJson(`${apiBase(councilId)}/holders`);
      lines = json?.seats || [];
    } catch {
      failed = true;
    }
    render();
  }

  function holder(x) {
    const now = new Date().toISOString();
    const upcoming = x.from > now;
    const current = !upcoming && (!x.to || x.to > now);
    // The last day held: a handover effective on 4月1日 ends at its first
    // instant, so the predecessor's last day is 3月31日.
    const last = x.to ? new Date(Date.parse(x.to) - 1).toISOString() : null;
    const when = last ? t("ho.holders.range", { from: dateJst(x.from), to: dateJst(last) }) : t("ho.holders.since", { from: dateJst(x.from) });
    return h("li", { class: `ho-holder${current ? " is-current" : ""}` },
      h("span", { class: "ho-holder-name", text: x.name }),
      h("span", { class: "ho-holder-when muted", text: ` ${when}` }),
      current ? h("span", { class: "badge badge-state-agreed", text: t("ho.holders.current") }) : null,
      upcoming ? h("span", { class: "badge badge-upcoming", text: t("ho.holders.upcoming") }) : null);
  }

  function render() {
    let body;
    if (failed) body = h("p", { class: "muted", text: t("ho.holders.error") });
    else if (!lines) body = h("p", { class: "page-loading", role: "status", text: t("pg.loading") });
    else if (!lines.length) body = h("p", { class: "empty", text: t("ho.holders.empty") });
    else {
      body = h("ul", { class: "ho-lines" }, lines.map((line) => h("li", { class: "ho-line" },
        h("p", { class: "ho-line-head" },
          h("span", { class: "ho-line-org", text: line.org?.name || "" }),
          line.role ? h("span", { class: "badge badge-quiet", text: roleText(line.role) }) : null,
          line.vacant ? h("span", { class: "badge badge-overdue", text: t("ho.holders.vacant") }) : null),
        h("ol", { class: "ho-holder-list" }, (line.holders || []).map(holder)))));
    }
    el.replaceChildren(pageSection("rec-holders", t("ho.holders.title"), h("p", { class: "muted small", text: t("ho.holders.lead") }), body));
  }

  render();
  load();
  return { el, render };
}
