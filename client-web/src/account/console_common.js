// Pieces shared by the sections of 事務局コンソール: the section frame with
// its loading and error states, tables, and the select of organisations.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { errorText } from "../views/form_dialog.js";
import { orgState, orgKindText } from "./labels.js";

// A section: {el, setBody(...nodes), setError(error, retry), setLoading()}.
export function sectionFrame(titleKey, leadKey, tools = null) {
  const body = h("div", { class: "con-section-body" });
  const toolsBox = h("div", { class: "con-tools" });
  const head = h("div", { class: "con-head" },
    h("div", {},
      h("h2", { class: "con-title", i18n: titleKey }),
      leadKey ? h("p", { class: "con-lead", i18n: leadKey }) : null),
    toolsBox);
  const el = h("section", { class: "con-section" }, head, body);
  if (tools) toolsBox.replaceChildren(...[tools].flat());
  return {
    el,
    head,
    setTools: (...nodes) => toolsBox.replaceChildren(...nodes.flat().filter(Boolean)),
    setBody: (...nodes) => body.replaceChildren(...nodes.flat().filter(Boolean)),
    setLoading: () => body.replaceChildren(h("p", { class: "page-loading", role: "status", text: t("pg.loading") })),
    setError: (error, retry) => body.replaceChildren(h("div", { class: "page-error", role: "alert" },
      h("p", { class: "page-error-title", text: t("con.loadFailed") }),
      h("p", { text: errorText(error) }),
      retry ? h("button", { type: "button", class: "btn", text: t("pg.retry"), onclick: retry }) : null)),
  };
}

// table([{key, label, cell(row) → node|string, class}], rows, {rowClass, caption, empty})
export function dataTable(columns, rows, { rowClass, caption, empty } = {}) {
  if (!rows.length) return h("p", { class: "empty con-empty", text: empty || t("con.empty") });
  return h("div", { class: "table-scroll con-table-wrap" },
    h("table", { class: "table con-table" },
      caption ? h("caption", { class: "vh", text: caption }) : null,
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.class || null, text: c.label })))),
      h("tbody", {}, rows.map((row) => h("tr", { class: rowClass ? rowClass(row) || null : null },
        columns.map((c) => {
          const value = c.cell(row);
          return h("td", { class: c.class || null, "data-label": c.label }, value instanceof Node || Array.isArray(value) ? value : String(value ?? ""));
        }))))));
}

// Small action buttons of a row.
export function rowActions(...buttons) {
  return h("div", { class: "con-actions" }, buttons.filter(Boolean));
}

export function actionButton(text, onclick, { danger = false, focusKey } = {}) {
  return h("button", { type: "button", class: `btn btn-small${danger ? " con-danger" : ""}`, text, onclick, dataset: focusKey ? { focusKey } : undefined });
}

// A <select> of active organisations ("北広島町（市町村）"), `selected` by id.
export function orgSelect(orgs, selected, { includeEmpty = true, exclude = null } = {}) {
  const select = h("select", { required: true });
  if (includeEmpty) select.appendChild(h("option", { value: "", text: t("con.choose") }));
  for (const org of orgs) {
    if (orgState(org) !== "active" || org.id === exclude) continue;
    const label = org.kind ? `${org.name}（${orgKindText(org.kind)}）` : org.name;
    select.appendChild(h("option", { value: org.id, text: label, selected: org.id === selected }));
  }
  return select;
}

// A text filter over a list: returns the input; onChange(text) on typing.
export function filterInput(labelKey, onChange, value = "") {
  const input = h("input", { type: "search", value, "aria-label": t(labelKey), placeholder: t(labelKey), class: "con-filter", dataset: { focusKey: `filter-${labelKey}` } });
  input.addEventListener("input", () => onChange(input.value.trim()));
  return input;
}

export function matches(text, ...values) {
  if (!text) return true;
  const needle = text.toLowerCase();
  return values.some((v) => String(v ?? "").toLowerCase().includes(needle));
}

// The full address of a set-up link ("/setup/<token>" → "https://…/setup/<token>").
export function absoluteLink(setup) {
  try {
    return new URL(setup, location.origin).href;
  } catch {
    return setup;
  }
}
