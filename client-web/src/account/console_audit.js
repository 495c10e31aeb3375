// 監査 (audit, administrators): the audit trail (GET /api/console/audit) as
// a table with filters — a word (person, council, action), the action, the
// outcome, a date range — and the whole trail as CSV (?format=csv).
import { h, field } from "../dom.js";
import { t } from "../i18n.js";
import { get, listOf } from "../api.js";
import { sectionFrame, dataTable, filterInput, matches } from "./console_common.js";
import { dateTimeJst } from "../pages/shared.js";

function who(row) {
  if (row.person_name) return row.person_name;
  const p = row.person || row.actor || null;
  if (p && typeof p === "object") return p.name || p.id || "";
  return p || row.participant || "";
}

function okOutcome(outcome) {
  return outcome === "ok" || outcome === "accepted" || outcome === "200";
}

// "2026-11-24T10:00:00Z" → "2026-11-24" in Japan.
function dayJst(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

export function createAuditSection() {
  const frame = sectionFrame("con.audit.title", "con.audit.lead");
  let rows = null;
  const f = { text: "", action: "", outcome: "", from: "", to: "" };

  async function load() {
    frame.setLoading();
    try {
      rows = listOf(await get("/api/console/audit"), "audit");
      render();
    } catch (error) {
      frame.setError(error, load);
    }
  }

  function render() {
    frame.setTools(
      h("a", { class: "btn", href: "/api/console/audit?format=csv", download: "audit.csv", text: t("con.audit.csv") }),
      h("button", { type: "button", class: "btn", text: t("con.reload"), onclick: load }));
    if (!rows) return;
    const actions = [...new Set(rows.map((r) => r.action).filter(Boolean))].sort();
    const action = h("select", { dataset: { focusKey: "audit-action" } },
      h("option", { value: "", text: t("con.audit.anyAction") }),
      actions.map((a) => h("option", { value: a, text: a, selected: a === f.action })));
    const outcome = h("select", { dataset: { focusKey: "audit-outcome" } },
      ["", "ok", "refused"].map((o) => h("option", { value: o, selected: o === f.outcome, text: t(`con.audit.outcome.${o || "any"}`) })));
    const from = h("input", { type: "date", value: f.from, dataset: { focusKey: "audit-from" } });
    const to = h("input", { type: "date", value: f.to, dataset: { focusKey: "audit-to" } });
    for (const [el, key] of [[action, "action"], [outcome, "outcome"], [from, "from"], [to, "to"]]) {
      el.addEventListener("change", () => {
        f[key] = el.value;
        renderTable();
      });
    }
    frame.setBody(
      h("div", { class: "con-filters con-audit-filters" },
        field("con.audit.search", filterInput("con.audit.search", (text) => {
          f.text = text;
          renderTable();
        }, f.text)),
        field("con.audit.action", action),
        field("con.audit.outcome", outcome),
        field("con.audit.from", from),
        field("con.audit.to", to)),
      h("p", { class: "muted small con-count" }),
      h("div", { class: "con-table-slot" }));
    renderTable();
  }

  function renderTable() {
    const slot = frame.el.querySelector(".con-table-slot");
    if (!slot || !rows) return;
    const shown = rows.filter((r) => {
      if (f.action && r.action !== f.action) return false;
      if (f.outcome === "ok" && !okOutcome(String(r.outcome))) return false;
      if (f.outcome === "refused" && okOutcome(String(r.outcome))) return false;
      const day = dayJst(r.at);
      if (f.from && day < f.from) return false;
      if (f.to && day > f.to) return false;
      return matches(f.text, who(r), r.council, r.action, r.op, r.target, r.outcome, r.address);
    });
    frame.el.querySelector(".con-count").textContent = t("con.audit.count", { n: shown.length, all: rows.length });
    const limit = 500;
    slot.replaceChildren(dataTable([
      { label: t("con.audit.at"), cell: (r) => dateTimeJst(r.at) },
      { label: t("con.audit.who"), cell: (r) => who(r) },
      { label: t("con.audit.council"), cell: (r) => r.council || "" },
      { label: t("con.audit.action"), cell: (r) => h("code", { text: [r.action, r.op].filter(Boolean).join(" · ") }) },
      { label: t("con.audit.target"), cell: (r) => r.target_name || r.target || (r.seq ? `#${r.seq}` : "") },
      { label: t("con.audit.outcome"), cell: (r) => h("span", { class: `badge ${okOutcome(String(r.outcome)) ? "badge-quiet" : "badge-disagree"}`, text: String(r.outcome ?? "") }) },
    ], [...shown].sort((a, b) => String(b.at).localeCompare(String(a.at))).slice(0, limit), { caption: t("con.audit.title"), empty: t("con.audit.empty") }));
    if (shown.length > limit) slot.appendChild(h("p", { class: "muted small", text: t("con.audit.limited", { n: limit }) }));
  }

  return { el: frame.el, title: () => t("con.audit.title"), start: load, render };
}
