// 職員 (people): name, organisation, login, state and whether a second
// factor is enrolled; add (which issues a set-up link), move to another
// organisation, deactivate, reissue a set-up link. A link is shown once,
// with a button to the printable invitation sheet; it is kept in this page's
// memory (and the tab's sessionStorage, for a reload of the sheet), never in
// an address.
import { h, field } from "../dom.js";
import { t } from "../i18n.js";
import { post, patch } from "../api.js";
import { formDialog } from "../views/form_dialog.js";
import { askDialog } from "../views/dialog.js";
import { personState, stateBadge, nameOf, idOf } from "./labels.js";
import { sectionFrame, dataTable, rowActions, actionButton, filterInput, matches, orgSelect, absoluteLink } from "./console_common.js";
import { mapError } from "./console_orgs.js";
import { rememberLink } from "./sheet.js";
import { handoverDialog } from "./console_handover.js";
import { grantsDialog } from "./console_grants.js";

export function enrolledOf(person) {
  if (typeof person.second_factor === "object" && person.second_factor) return Boolean(person.second_factor.enrolled);
  if (typeof person.second_factor_enrolled === "boolean") return person.second_factor_enrolled;
  if (typeof person.totp === "boolean") return person.totp;
  return person.second_factor === "enrolled";
}

export function createPeopleSection(ctx) {
  const frame = sectionFrame("con.people.title", "con.people.lead");
  let people = null;
  let orgs = [];
  let filter = "";
  let showInactive = false;

  async function load(force = false) {
    if (!people) frame.setLoading();
    try {
      [people, orgs] = await Promise.all([ctx.list("people", force), ctx.list("orgs", force)]);
      render();
    } catch (error) {
      frame.setError(error, () => load(true));
    }
  }

  function render() {
    frame.setTools(h("button", { type: "button", class: "btn btn-primary", text: t("con.people.add"), onclick: addDialog, dataset: { focusKey: "people-add" } }));
    if (!people) return;
    const inactive = h("input", { type: "checkbox", checked: showInactive, id: "people-inactive" });
    inactive.addEventListener("change", () => {
      showInactive = inactive.checked;
      renderTable();
    });
    frame.setBody(
      h("div", { class: "con-filters" },
        filterInput("con.people.filter", (text) => {
          filter = text;
          renderTable();
        }, filter),
        h("div", { class: "check" }, inactive, h("label", { for: inactive.id }, h("span", { text: t("con.people.showInactive") })))),
      h("div", { class: "con-table-slot" }));
    renderTable();
  }

  function renderTable() {
    const slot = frame.el.querySelector(".con-table-slot");
    if (!slot || !people) return;
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const rows = people.filter((p) => (showInactive || personState(p) === "active") && matches(filter, p.name, p.login, nameOf(p.org, orgById)));
    slot.replaceChildren(dataTable([
      { label: t("con.people.name"), cell: (p) => h("span", { class: "con-name con-person-name", text: p.name }) },
      { label: t("con.people.org"), cell: (p) => nameOf(p.org, orgById) },
      { label: t("con.people.login"), cell: (p) => (p.login ? h("code", { class: "con-login", text: p.login }) : h("span", { class: "muted", text: t("con.people.noLogin") })) },
      { label: t("con.state"), cell: (p) => stateBadge("person", personState(p)) },
      {
        label: t("con.people.secondFactor"),
        cell: (p) => (enrolledOf(p)
          ? h("span", { class: "badge badge-state-agreed", text: t("con.people.enrolled") })
          : h("span", { class: "badge badge-quiet", text: t("con.people.notEnrolled") })),
      },
      {
        label: t("con.actions"),
        class: "con-col-actions",
        cell: (p) => personState(p) === "active"
          ? rowActions(
            actionButton(t("ho.action"), () => handoverDialog(ctx, p, { people, orgs, onDone: changed }), { focusKey: `person-handover-${p.id}` }),
            actionButton(t("con.people.move"), () => moveDialog(p), { focusKey: `person-move-${p.id}` }),
            actionButton(t("con.people.reissue"), () => reissueDialog(p), { focusKey: `person-link-${p.id}` }),
            ctx.admin ? actionButton(t("con.grants.button"), () => grantsDialog(p, { onChanged: changed }), { focusKey: `person-grants-${p.id}` }) : null,
            actionButton(t("con.people.deactivate"), () => deactivateDialog(p), { danger: true, focusKey: `person-off-${p.id}` }))
          : "",
      },
    ], rows, { caption: t("con.people.title"), empty: filter ? t("con.noMatch") : t("con.people.empty"), rowClass: (p) => (personState(p) === "active" ? "" : "is-inactive") }));
  }

  async function changed(message) {
    ctx.forget("people", "invitations");
    ctx.announce(message);
    await load(true);
  }

  function addDialog() {
    const name = h("input", { type: "text", required: true, maxLength: 100 });
    const org = orgSelect(orgs, "");
    const login = h("input", { type: "text", required: true, maxLength: 64, autocomplete: "off", spellcheck: "false", autocapitalize: "none" });
    const secretariat = h("input", { type: "checkbox", id: "person-secretariat" });
    const admin = h("input", { type: "checkbox", id: "person-admin" });
    const grants = ctx.admin
      ? h("fieldset", { class: "fieldset" },
        h("legend", { text: t("con.people.grants") }),
        h("div", { class: "check" }, secretariat, h("label", { for: secretariat.id }, h("span", { text: t("con.people.grantSecretariat") }))),
        h("div", { class: "check" }, admin, h("label", { for: admin.id }, h("span", { text: t("con.people.grantAdmin") }))),
        h("p", { class: "hint", text: t("con.people.grantsHint") }))
      : null;
    formDialog({
      title: t("con.people.addTitle"),
      submitText: t("con.people.addSubmit"),
      body: [
        field("con.people.name", name),
        field("con.people.org", org),
        field("con.people.login", login, { hintKey: "con.people.loginHint" }),
        grants,
      ],
      onSubmit: async () => {
        const body = { name: name.value.trim(), org: org.value, login: login.value.trim() };
        if (admin.checked) body.admin = true;
        if (secretariat.checked) {
          // The secretariat of the organisation's area (PEOPLE.md: grants
          // are per area).
          body.secretariat = orgs.find((o) => o.id === org.value)?.area || true;
        }
        let result;
        try {
          result = await post("/api/console/people", body);
        } catch (error) {
          throw mapError(error, { login, org, name });
        }
        const orgName = orgs.find((o) => o.id === org.value)?.name || "";
        await changed(t("con.people.added", { name: body.name }));
        showLink({ id: result.person, name: body.name, org: orgName, login: body.login }, result.setup);
      },
    });
  }

  function moveDialog(person) {
    const org = orgSelect(orgs, "", { exclude: idOf(person.org) });
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    formDialog({
      title: t("con.people.moveTitle", { name: person.name }),
      submitText: t("con.people.moveSubmit"),
      body: [
        h("p", { text: t("con.people.moveFrom", { org: nameOf(person.org, orgById) }) }),
        field("con.people.moveTo", org),
        h("p", { class: "hint", text: t("con.people.moveHint") }),
      ],
      onSubmit: async () => {
        try {
          await patch(`/api/console/people/${encodeURIComponent(person.id)}`, { org: org.value });
        } catch (error) {
          throw mapError(error, { org });
        }
        await changed(t("con.people.moved", { name: person.name }));
      },
    });
  }

  function reissueDialog(person) {
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    formDialog({
      title: t("con.people.reissueTitle", { name: person.name }),
      submitText: t("con.people.reissueSubmit"),
      body: [h("p", { text: t("con.people.reissueBody") })],
      onSubmit: async () => {
        const result = await post(`/api/console/people/${encodeURIComponent(person.id)}/setup-link`);
        await changed(t("con.people.reissued", { name: person.name }));
        showLink({ id: person.id, name: person.name, org: nameOf(person.org, orgById), login: person.login }, result.setup);
      },
    });
  }

  function deactivateDialog(person) {
    formDialog({
      title: t("con.people.deactivateTitle", { name: person.name }),
      submitText: t("con.people.deactivate"),
      danger: true,
      body: [h("p", { text: t("con.people.deactivateBody") })],
      onSubmit: async () => {
        await post(`/api/console/people/${encodeURIComponent(person.id)}/deactivate`);
        await changed(t("con.people.deactivated", { name: person.name }));
      },
    });
  }

  // The link just issued, shown once.
  function showLink(person, setup) {
    const link = absoluteLink(setup);
    rememberLink(ctx, { ...person, link });
    const box = h("input", { type: "text", value: link, readonly: true, class: "con-link-text", "aria-label": t("con.link.label") });
    box.addEventListener("focus", () => box.select());
    const copied = h("span", { class: "ok-text", role: "status" });
    askDialog({
      title: t("con.link.title", { name: person.name }),
      danger: false,
      className: "con-link-dialog",
      confirmText: t("con.link.sheet"),
      cancelText: t("con.link.close"),
      body: [
        h("p", { text: t("con.link.body") }),
        box,
        h("div", { class: "row" },
          h("button", {
            type: "button",
            class: "btn btn-small",
            text: t("con.link.copy"),
            onclick: async () => {
              try {
                await navigator.clipboard.writeText(link);
                copied.textContent = t("con.link.copied");
              } catch {
                box.focus();
                box.select();
                copied.textContent = t("con.link.copyByHand");
              }
            },
          }),
          copied),
        h("p", { class: "acc-warn", text: t("con.link.once") }),
      ],
      onConfirm: () => ctx.openSheet(person.id),
    });
  }

  return { el: frame.el, title: () => t("con.people.title"), start: () => { render(); load(); }, render };
}
