// 機関 (organisations): the list with kind, area, prefecture and state; add,
// edit, merge two that are the same organisation (choosing which one
// remains; roles, people and seats move to it), deactivate.
import { h, field } from "../dom.js";
import { t } from "../i18n.js";
import { post, patch } from "../api.js";
import { formDialog, fieldError } from "../views/form_dialog.js";
import { ORG_KINDS, orgKindText, orgState, stateBadge } from "./labels.js";
import { sectionFrame, dataTable, rowActions, actionButton, filterInput, matches, orgSelect } from "./console_common.js";

export function createOrgsSection(ctx) {
  const frame = sectionFrame("con.orgs.title", "con.orgs.lead");
  let orgs = null;
  let filter = "";
  let showInactive = false;

  async function load(force = false) {
    if (!orgs) frame.setLoading();
    try {
      orgs = await ctx.list("orgs", force);
      render();
    } catch (error) {
      frame.setError(error, () => load(true));
    }
  }

  function render() {
    const inactive = h("input", { type: "checkbox", checked: showInactive, id: "orgs-inactive" });
    inactive.addEventListener("change", () => {
      showInactive = inactive.checked;
      renderTable();
    });
    frame.setTools(
      h("button", { type: "button", class: "btn btn-primary", text: t("con.orgs.add"), onclick: () => editDialog(null), dataset: { focusKey: "orgs-add" } }));
    if (!orgs) return;
    frame.setBody(
      h("div", { class: "con-filters" },
        filterInput("con.orgs.filter", (text) => {
          filter = text;
          renderTable();
        }, filter),
        h("div", { class: "check" }, inactive, h("label", { for: inactive.id }, h("span", { text: t("con.orgs.showInactive") })))),
      h("div", { class: "con-table-slot" }));
    renderTable();
  }

  function renderTable() {
    const slot = frame.el.querySelector(".con-table-slot");
    if (!slot || !orgs) return;
    const byId = new Map(orgs.map((o) => [o.id, o]));
    const rows = orgs.filter((o) => (showInactive || orgState(o) === "active") && matches(filter, o.name, o.area, o.prefecture, orgKindText(o.kind)));
    slot.replaceChildren(dataTable([
      { label: t("con.orgs.name"), cell: (o) => h("span", { class: "con-name", text: o.name }) },
      { label: t("con.orgs.kind"), cell: (o) => orgKindText(o.kind) },
      { label: t("con.orgs.area"), cell: (o) => o.area || "" },
      { label: t("con.orgs.prefecture"), class: "con-nowrap", cell: (o) => o.prefecture || "" },
      {
        label: t("con.state"),
        cell: (o) => {
          const state = orgState(o);
          const into = o.merged_into ? byId.get(typeof o.merged_into === "string" ? o.merged_into : o.merged_into.id) : null;
          return [stateBadge("org", state), into ? h("span", { class: "muted small con-merged-into", text: t("con.orgs.mergedInto", { name: into.name }) }) : null];
        },
      },
      {
        label: t("con.actions"),
        class: "con-col-actions",
        cell: (o) => orgState(o) === "active"
          ? rowActions(
            actionButton(t("con.edit"), () => editDialog(o), { focusKey: `org-edit-${o.id}` }),
            actionButton(t("con.orgs.merge"), () => mergeDialog(o), { focusKey: `org-merge-${o.id}` }),
            actionButton(t("con.orgs.deactivate"), () => deactivateDialog(o), { danger: true, focusKey: `org-off-${o.id}` }))
          : "",
      },
    ], rows, { caption: t("con.orgs.title"), empty: filter ? t("con.noMatch") : t("con.orgs.empty"), rowClass: (o) => (orgState(o) === "active" ? "" : "is-inactive") }));
  }

  async function changed(message) {
    ctx.forget("orgs", "people");
    ctx.announce(message);
    await load(true);
  }

  function editDialog(org) {
    const name = h("input", { type: "text", required: true, maxLength: 100, value: org?.name || "" });
    const kind = h("select", { required: true },
      h("option", { value: "", text: t("con.choose") }),
      ORG_KINDS.map((k) => h("option", { value: k, text: orgKindText(k), selected: org?.kind === k })));
    const area = h("input", { type: "text", maxLength: 100, value: org ? org.area || "" : ctx.areas[0] || "", placeholder: t("con.orgs.areaExample") });
    const prefecture = h("input", { type: "text", maxLength: 20, value: org?.prefecture || "", placeholder: t("con.orgs.prefectureExample") });
    formDialog({
      title: org ? t("con.orgs.editTitle", { name: org.name }) : t("con.orgs.addTitle"),
      submitText: org ? t("con.save") : t("con.orgs.addSubmit"),
      body: [
        field("con.orgs.name", name),
        field("con.orgs.kind", kind),
        h("div", { class: "grid-2" },
          field("con.orgs.area", area, { hintKey: ctx.admin ? null : "con.orgs.areaHint" }),
          field("con.orgs.prefecture", prefecture)),
      ],
      onSubmit: async () => {
        const values = { name: name.value.trim(), kind: kind.value, area: area.value.trim(), prefecture: prefecture.value.trim() };
        try {
          if (org) {
            const changes = {};
            for (const [k, v] of Object.entries(values)) if (v !== (org[k] || "")) changes[k] = v;
            if (Object.keys(changes).length) await patch(`/api/console/orgs/${encodeURIComponent(org.id)}`, changes);
          } else {
            await post("/api/console/orgs", values);
          }
        } catch (error) {
          throw mapError(error, { name, kind, area, prefecture });
        }
        await changed(t(org ? "con.orgs.saved" : "con.orgs.added", { name: values.name }));
      },
    });
  }

  function mergeDialog(org) {
    const other = orgSelect(orgs, "", { exclude: org.id });
    const keepThis = h("input", { type: "radio", name: "survivor", value: "this", checked: true, id: "merge-keep-this" });
    const keepOther = h("input", { type: "radio", name: "survivor", value: "other", id: "merge-keep-other" });
    const otherLabel = h("span", { text: t("con.orgs.keepOtherUnchosen") });
    other.addEventListener("change", () => {
      const chosen = orgs.find((o) => o.id === other.value);
      otherLabel.textContent = chosen ? t("con.orgs.keep", { name: chosen.name }) : t("con.orgs.keepOtherUnchosen");
    });
    formDialog({
      title: t("con.orgs.mergeTitle", { name: org.name }),
      submitText: t("con.orgs.mergeSubmit"),
      danger: true,
      className: "con-merge-dialog",
      body: [
        h("p", { text: t("con.orgs.mergeLead", { name: org.name }) }),
        field("con.orgs.mergeOther", other),
        h("fieldset", { class: "fieldset" },
          h("legend", { text: t("con.orgs.survivor") }),
          h("div", { class: "stack con-radios" },
            h("div", { class: "check" }, keepThis, h("label", { for: keepThis.id }, h("span", { text: t("con.orgs.keep", { name: org.name }) }))),
            h("div", { class: "check" }, keepOther, h("label", { for: keepOther.id }, otherLabel)))),
        h("p", { class: "acc-warn", text: t("con.orgs.mergeExplain") }),
      ],
      onSubmit: async () => {
        const target = orgs.find((o) => o.id === other.value);
        const [loser, survivor] = keepThis.checked ? [target, org] : [org, target];
        try {
          await post(`/api/console/orgs/${encodeURIComponent(loser.id)}/merge`, { into: survivor.id });
        } catch (error) {
          throw mapError(error, { into: other });
        }
        await changed(t("con.orgs.merged", { from: loser.name, into: survivor.name }));
      },
    });
  }

  function deactivateDialog(org) {
    formDialog({
      title: t("con.orgs.deactivateTitle", { name: org.name }),
      submitText: t("con.orgs.deactivate"),
      danger: true,
      body: [h("p", { text: t("con.orgs.deactivateBody") })],
      onSubmit: async () => {
        await post(`/api/console/orgs/${encodeURIComponent(org.id)}/deactivate`);
        await changed(t("con.orgs.deactivated", { name: org.name }));
      },
    });
  }

  return { el: frame.el, title: () => t("con.orgs.title"), start: () => { render(); load(); }, render };
}

// An API error about one field → an error beside that field. The server's
// codes for a field are not fixed by PEOPLE.md, so the message is also
// looked at for the field's name.
export function mapError(error, controls) {
  if (!error?.code || !controls) return error;
  const msg = `${error.code} ${error.serverText || ""}`.toLowerCase();
  for (const [key, control] of Object.entries(controls)) {
    if (!control) continue;
    if (error.code === `${key}_taken` || error.code === `invalid_${key}` || error.code === `${key}_exists` || msg.includes(`${key} `) || msg.includes(`"${key}"`)) {
      return fieldError(control, error.text() || error.message);
    }
  }
  return error;
}
