// 招待 (set-up links): every link issued, with its state — 未使用, 使用済み,
// 期限切れ, 取消 — and when it was made, expires and was used. A filter by
// state; for a link that is no longer usable, the person's page offers a new
// one (職員).
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { invitationBadge, nameOf } from "./labels.js";
import { sectionFrame, dataTable, filterInput, matches } from "./console_common.js";
import { dateJst } from "../pages/shared.js";

const STATES = ["unused", "used", "expired", "revoked"];

export function createInvitationsSection(ctx) {
  const frame = sectionFrame("con.inv.title", "con.inv.lead");
  let rows = null;
  let filter = "";
  let state = "";

  async function load(force = false) {
    if (!rows) frame.setLoading();
    try {
      rows = await ctx.list("invitations", force);
      render();
    } catch (error) {
      frame.setError(error, () => load(true));
    }
  }

  function render() {
    frame.setTools(h("button", { type: "button", class: "btn", text: t("con.reload"), onclick: () => load(true) }));
    if (!rows) return;
    const counts = Object.fromEntries(STATES.map((s) => [s, rows.filter((r) => r.state === s).length]));
    const select = h("select", { "aria-label": t("con.inv.stateFilter"), class: "con-select-filter", dataset: { focusKey: "inv-state" } },
      h("option", { value: "", text: t("con.inv.all", { n: rows.length }) }),
      STATES.map((s) => h("option", { value: s, selected: s === state, text: `${t(`acc.inv.state.${s}`)}（${counts[s]}）` })));
    select.addEventListener("change", () => {
      state = select.value;
      renderTable();
    });
    frame.setBody(
      h("div", { class: "con-filters" },
        filterInput("con.inv.filter", (text) => {
          filter = text;
          renderTable();
        }, filter),
        select),
      h("div", { class: "con-table-slot" }));
    renderTable();
  }

  function renderTable() {
    const slot = frame.el.querySelector(".con-table-slot");
    if (!slot || !rows) return;
    const shown = rows.filter((r) => (!state || r.state === state) && matches(filter, r.name, r.login, nameOf(r.org)));
    slot.replaceChildren(dataTable([
      { label: t("con.people.name"), cell: (r) => h("span", { class: "con-name con-person-name", text: r.name || r.person }) },
      { label: t("con.people.org"), cell: (r) => nameOf(r.org) },
      { label: t("con.people.login"), cell: (r) => (r.login ? h("code", { class: "con-login", text: r.login }) : "") },
      { label: t("con.state"), cell: (r) => invitationBadge(r.state) },
      { label: t("con.inv.created"), class: "con-nowrap", cell: (r) => dateJst(r.created_at) },
      { label: t("con.inv.expires"), class: "con-nowrap", cell: (r) => dateJst(r.expires_at) },
      { label: t("con.inv.used"), class: "con-nowrap", cell: (r) => (r.used_at ? dateJst(r.used_at) : h("span", { class: "muted", text: "—" })) },
    ], shown, { caption: t("con.inv.title"), empty: filter || state ? t("con.noMatch") : t("con.inv.empty"), rowClass: (r) => `inv-row-${r.state}` }));
  }

  return { el: frame.el, title: () => t("con.inv.title"), start: () => { render(); load(); }, render };
}
