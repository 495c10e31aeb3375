// 権限 (grants) of one person in the console, for administrators
// (PEOPLE.md "HTTP API", POST /api/console/people/<u>/grants[/remove]):
// the grants held, each with a button to remove it, and a form to give
// admin, secretariat (of an area) or prefecture_viewer (of a prefecture).
import { h, field } from "../dom.js";
import { t } from "../i18n.js";
import { post } from "../api.js";
import { formDialog, fieldError } from "../views/form_dialog.js";
import { mapError } from "./console_orgs.js";

const ROLES = ["prefecture_viewer", "secretariat", "admin"];

export function grantText(grant) {
  const role = t(`con.grants.role.${grant.role}`);
  return grant.scope ? `${role}：${grant.scope}` : role;
}

// onChanged(message): the list is reloaded and the change announced.
export function grantsDialog(person, { onChanged }) {
  const url = `/api/console/people/${encodeURIComponent(person.id)}/grants`;
  const role = h("select", {}, ROLES.map((r) => h("option", { value: r, text: t(`con.grants.role.${r}`) })));
  const scope = h("input", { type: "text", maxLength: 100, autocomplete: "off" });
  const scopeHint = h("p", { class: "hint" });
  const problem = h("p", { class: "page-error-inline", role: "alert", hidden: true });
  function syncScope() {
    const admin = role.value === "admin";
    scope.disabled = admin;
    scopeHint.textContent = t(`con.grants.scopeHint.${role.value}`);
  }
  role.addEventListener("change", syncScope);
  syncScope();

  const held = person.grants || [];
  let dialog;
  const list = held.length
    ? h("ul", { class: "con-grant-list" }, held.map((g) => h("li", {},
      h("span", { text: grantText(g) }), " ",
      h("button", {
        type: "button",
        class: "btn btn-small btn-danger",
        text: t("con.grants.remove"),
        onclick: async (e) => {
          e.target.disabled = true;
          problem.hidden = true;
          try {
            await post(`${url}/remove`, { role: g.role, scope: g.scope || "" });
          } catch (error) {
            e.target.disabled = false;
            problem.textContent = error?.text?.() || error.message;
            problem.hidden = false;
            return;
          }
          dialog.close();
          await onChanged(t("con.grants.removed", { name: person.name, grant: grantText(g) }));
        },
      }))))
    : h("p", { class: "muted", text: t("con.grants.none") });

  dialog = formDialog({
    title: t("con.grants.title", { name: person.name }),
    submitText: t("con.grants.add"),
    body: [
      h("h3", { class: "con-grant-held", text: t("con.grants.held") }),
      list,
      problem,
      h("h3", { class: "con-grant-held", text: t("con.grants.give") }),
      field("con.grants.roleLabel", role),
      field("con.grants.scopeLabel", scope),
      scopeHint,
    ],
    onSubmit: async () => {
      const body = { role: role.value };
      if (role.value !== "admin") {
        body.scope = scope.value.trim();
        if (!body.scope) throw fieldError(scope, t("con.grants.scopeRequired"));
      }
      try {
        await post(url, body);
      } catch (error) {
        throw mapError(error, { scope, role });
      }
      await onChanged(t("con.grants.added", { name: person.name, grant: grantText(body) }));
    },
  });
  return dialog;
}
