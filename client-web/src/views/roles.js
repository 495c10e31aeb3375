// The role table (役割分担表): 課題・対応・担当機関・期限・状態. Members propose
// roles; the owner organisation's consent decides them (others' opinions
// are recorded and listed); the facilitator or the owner organisation
// updates the status. Overdue due dates are marked in words, not colour alone.
import { showFieldError, parseDate, withCounter } from "../input.js";
import { h, field, replaceKeepingFocus, nextId } from "../dom.js";
import { t, formatDate, formatTime } from "../i18n.js";
import { TOPIC, knownOrganisations, latestConsents, isOverdue, todayYMD, speaksFor } from "../state.js";
import { provenanceNote } from "./promotion.js";
import { observerNote, personText, section, itemText, redactedNote, redactButton } from "./common.js";
import { proxyLabel, proxyMineNote } from "./proxy_input.js";
import { createPiiGuard, piiBadge } from "./pii_guard.js";

const STATUSES = ["not_started", "in_progress", "done", "revised"];

export function createRoleView(app) {
  const { state } = app;
  const notes = new Map(); // role id -> note typed for consent
  const statusDrafts = new Map(); // role id -> {status, note}
  const openOpinions = new Set(); // role ids whose "change opinion" is unfolded
  const consentGuards = new Map(); // role id -> guard of the consent note
  const statusGuards = new Map(); // role id -> guard of the status note
  function guardOf(guards, prefix, id) {
    if (!guards.has(id)) guards.set(id, createPiiGuard(app, { key: `${prefix}-${id}` }));
    return guards.get(id);
  }
  let onlyMine = false;

  // ---- propose form ----
  const orgList = h("datalist", { id: "org-options" });
  const themeList = h("datalist", { id: "role-theme-options" });
  const title = h("input", { type: "text", maxLength: 200, autocomplete: "off", dataset: { focusKey: "role-title" } });
  const owner = h("input", { type: "text", maxLength: 100, list: "org-options", autocomplete: "off", dataset: { focusKey: "role-owner" } });
  const due = h("input", { type: "text", maxLength: 20, autocomplete: "off", placeholder: "2027-03-31", dataset: { focusKey: "role-due" } });
  const detail = h("textarea", { rows: 2, maxLength: 2000, dataset: { focusKey: "role-detail" } });
  const detailCounter = withCounter(detail);
  const theme = h("input", { type: "text", maxLength: 100, list: "role-theme-options", autocomplete: "off", dataset: { focusKey: "role-theme" } });
  const guard = createPiiGuard(app, { key: "role" });
  guard.watch(title);
  guard.watch(detail);
  const form = h("form", { class: "grid-form", novalidate: true },
    field("role.title", title, { class: "span-2" }),
    field("role.owner", owner, { hintKey: "role.ownerHint" }),
    field("role.due", due, { optional: true, hintKey: "input.dueHint" }),
    field("role.theme", theme, { optional: true }),
    field("role.detail", detail, { optional: true, class: "span-2" }),
    detailCounter,
    guard.element,
    h("div", { class: "row row-end-only span-2" }, h("button", { type: "submit", class: "btn btn-primary", i18n: "role.propose" })),
    orgList, themeList,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { title: title.value.trim(), owner_org: owner.value.trim() };
    if (!args.title) return showFieldError(title, t("role.titleRequired"));
    if (!args.owner_org) return showFieldError(owner, t("role.ownerRequired"));
    if (due.value.trim()) {
      const ymd = parseDate(due.value);
      if (!ymd) return showFieldError(due, t("input.dueInvalid"));
      due.value = ymd;
      args.due = ymd;
    }
    if (detail.value.trim()) args.detail = detail.value.trim();
    if (theme.value.trim()) args.theme = theme.value.trim();
    const saved = { title: title.value, owner: owner.value, due: due.value, detail: detail.value, theme: theme.value };
    guard.submit([{ text: args.title, field: title }, { text: args.detail, field: detail }], () => {
      // Cleared only if nobody typed on while the texts were being checked.
      if (title.value === saved.title && due.value === saved.due && detail.value === saved.detail) {
        for (const input of [title, due, detail]) input.value = "";
      }
      app.send("role.propose", args, {
        onAck: () => app.announce(t("role.proposed")),
        onError: () => {
          if (!title.value) Object.assign(title, { value: saved.title });
          if (!due.value) due.value = saved.due;
          if (!detail.value) detail.value = saved.detail;
        },
      });
      title.focus();
    });
  });

  const onlyMineBox = h("input", {
    type: "checkbox",
    id: "roles-only-mine",
    onchange: (e) => {
      onlyMine = e.currentTarget.checked;
      renderTable();
    },
  });
  const table = h("div", { class: "role-table-wrap" });
  const element = h("div", { class: "view view-roles" },
    h("section", { class: "card", "aria-labelledby": "roles-title" },
      h("div", { class: "card-head" },
        h("h2", { class: "card-title", id: "roles-title", i18n: "role.tableTitle" }),
        h("div", { class: "card-tools check" }, onlyMineBox, h("label", { for: "roles-only-mine", i18n: "role.onlyMine" }))),
      app.canAct ? null : observerNote(),
      table),
    app.canAct ? section("role.proposeTitle", form) : null,
  );

  function mayUpdateStatus(role) {
    return app.isFacilitator || (state.me.role === "member" && speaksFor(state.me, role));
  }

  function stateBadge(role) {
    return h("span", { class: `badge badge-state-${role.state}`, text: t(`role.state.${role.state}`) });
  }

  function dueCell(role) {
    if (!role.due) return h("td", { class: "due", dataset: { label: t("role.col.due") } }, h("span", { class: "muted", text: "—" }));
    const overdue = isOverdue(role, todayYMD());
    return h("td", { class: `due${overdue ? " overdue" : ""}`, dataset: { label: t("role.col.due") } },
      h("time", { dateTime: role.due, text: formatDate(role.due) }),
      overdue ? h("span", { class: "badge badge-overdue" }, h("span", { "aria-hidden": "true", text: "⚠ " }), t("role.overdue")) : null);
  }

  function consentControls(role) {
    const decisive = speaksFor(state.me, role);
    const guard = guardOf(consentGuards, "consent", role.id);
    const note = guard.watch(h("input", {
      type: "text",
      maxLength: 2000,
      value: notes.get(role.id) || "",
      dataset: { focusKey: `consent-note-${role.id}` },
      oninput: (e) => notes.set(role.id, e.currentTarget.value),
    }));
    const send = (consent) => {
      const args = { role: role.id, consent };
      const text = (notes.get(role.id) || "").trim();
      if (text) args.note = text;
      guard.submit([{ text: args.note, field: note }], () => {
        app.send("role.consent", args, {
          onAck: () => {
            notes.delete(role.id);
            app.announce(t(consent ? "role.consentSent" : "role.declineSent"));
            app.refresh(TOPIC.roles);
          },
        });
      });
    };
    // The latest answer of mine, when a facilitator entered it (代理入力).
    const mine = app.proxy?.active() ? null : role.consents.filter((c) => c.by?.participant === state.me.participant).at(-1);
    return h("div", { class: "consent" },
      h("p", { class: "small muted", i18n: decisive ? "role.consentOwnerHint" : "role.consentOtherHint" }),
      proxyMineNote("proxy.mineConsent", mine?.enteredBy),
      field("role.note", note, { optional: true }),
      h("div", { class: "row" },
        h("button", {
          type: "button",
          class: "btn btn-small btn-primary",
          dataset: { focusKey: `consent-yes-${role.id}` },
          text: t(decisive ? "role.consentOwner" : "role.consentOther"),
          onclick: () => send(true),
        }),
        h("button", {
          type: "button",
          class: "btn btn-small",
          dataset: { focusKey: `consent-no-${role.id}` },
          text: t(decisive ? "role.declineOwner" : "role.declineOther"),
          onclick: () => send(false),
        })),
      guard.element);
  }

  function statusControls(role) {
    // A draft exists only once the user touched the form; until then the
    // form shows the role's current status.
    const draft = statusDrafts.get(role.id) || { status: role.status, note: "" };
    const touch = () => statusDrafts.set(role.id, draft);
    const select = h("select", {
      dataset: { focusKey: `status-${role.id}` },
      onchange: (e) => { draft.status = e.currentTarget.value; touch(); },
    }, STATUSES.map((s) => h("option", { value: s, selected: draft.status === s, text: t(`role.status.${s}`) })));
    const guard = guardOf(statusGuards, "status", role.id);
    const note = guard.watch(h("input", { type: "text", maxLength: 2000, value: draft.note, dataset: { focusKey: `status-note-${role.id}` }, oninput: (e) => { draft.note = e.currentTarget.value; touch(); } }));
    const f = h("form", { class: "status-form" },
      field("role.statusLabel", select),
      field("role.statusNote", note, { optional: true }),
      h("button", { type: "submit", class: "btn btn-small", dataset: { focusKey: `status-submit-${role.id}` }, text: t("role.statusUpdate") }));
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const args = { role: role.id, status: draft.status };
      if (draft.note.trim()) args.note = draft.note.trim();
      guard.submit([{ text: args.note, field: note }], () => {
        app.send("role.status", args, {
          onAck: () => {
            statusDrafts.delete(role.id);
            app.announce(t("role.statusSent", { status: t(`role.status.${args.status}`) }));
            app.refresh(TOPIC.roles);
          },
        });
      });
    });
    return h("div", { class: "status-box" }, f, guard.element);
  }

  function opinions(role) {
    const rows = latestConsents(role);
    if (!rows.length) return null;
    return h("ul", { class: "opinions" },
      rows.map((c) => h("li", { class: c.consent ? "opinion-yes" : "opinion-no" },
        h("span", { class: `badge badge-small ${c.consent ? "badge-agree" : "badge-disagree"}`,
          text: t(c.decisive ? (c.consent ? "role.op.ownerYes" : "role.op.ownerNo") : (c.consent ? "role.op.yes" : "role.op.no")) }),
        " ",
        h("span", { text: personText(c.by) }),
        " ",
        proxyLabel(c.enteredBy),
        c.redacted ? redactedNote(c.redacted) : null,
        c.note ? h("span", { class: "opinion-note", text: `「${c.note}」` }) : null,
        c.note ? redactButton(app, { author: c.by, target: role.id, participant: c.by?.participant, what: c.note, focusKey: `redact-${role.id}-${c.by?.participant}` }) : null)));
  }

  function roleRow(role) {
    const actions = [];
    if (app.canAct) {
      // While proposed, consent is the main thing to do; once decided, it can
      // still be changed (the owner may revisit), folded away.
      if (role.state === "proposed") actions.push(consentControls(role));
      else {
        actions.push(h("details", {
          class: "consent-later",
          open: openOpinions.has(role.id) || null,
          ontoggle: (e) => {
            if (e.currentTarget.open) openOpinions.add(role.id);
            else openOpinions.delete(role.id);
          },
        },
          h("summary", { i18n: "role.changeOpinion" }),
          consentControls(role)));
      }
    }
    if (mayUpdateStatus(role) && role.state === "agreed") actions.push(statusControls(role));
    // One <tbody> per role: the row of the table, then its actions (if any)
    // on a row of their own, so the five columns keep their width.
    return h("tbody", { class: `role-group role-${role.state}`, dataset: { role: role.id } },
      h("tr", { class: "role-row" },
        h("td", { class: "theme", dataset: { label: t("role.col.issue") } },
          role.theme ? h("span", { class: "chip chip-theme", text: role.theme }) : h("span", { class: "muted", text: "—" })),
        h("th", { scope: "row", class: "measure", dataset: { label: t("role.col.measure") } },
          role.redacted ? h("span", { class: "role-title" }, redactedNote(role.redacted)) : h("span", { class: "role-title", text: role.title }),
          role.detail ? h("span", { class: "role-detail", text: role.detail }) : null,
          provenanceNote(role),
          piiBadge(app, "role", role.id, [role.title, role.detail, ...role.consents.map((c) => c.note), ...role.statuses.map((x) => x.note)]),
          role.redacted ? null : redactButton(app, { author: role.by, target: role.id, what: [role.title, role.detail].filter(Boolean).join(" — "), focusKey: `redact-${role.id}` }),
          h("span", { class: "small muted role-by", text: t("role.proposedBy", { who: personText(role.by), at: formatTime(role.at) }) })),
        h("td", { class: "owner", dataset: { label: t("role.col.owner") }, text: role.ownerOrg }),
        dueCell(role),
        h("td", { class: "status", dataset: { label: t("role.col.state") } },
          stateBadge(role),
          h("span", { class: `status-text status-${role.status}`, text: t(`role.status.${role.status}`) }),
          opinions(role))),
      actions.length
        ? h("tr", { class: "role-actions-row" },
            h("td", { colspan: "5", class: "actions" },
              h("div", { class: "role-actions", role: "group", "aria-label": t("role.actionsFor", { title: itemText(role, "title") }) }, actions)))
        : null,
    );
  }

  function renderTable() {
    let roles = [...state.roles.values()];
    if (onlyMine) roles = roles.filter((r) => speaksFor(state.me, r));
    if (!roles.length) {
      replaceKeepingFocus(table, h("p", { class: "empty", i18n: onlyMine ? "role.noneMine" : "role.none" }));
      return;
    }
    const overdue = roles.filter((r) => isOverdue(r)).length;
    replaceKeepingFocus(table, [
      overdue ? h("p", { class: "warn-inline", role: "note", text: t("role.overdueCount", { n: overdue }) }) : null,
      h("table", { class: "table role-table" },
        h("caption", { class: "vh", i18n: "role.tableTitle" }),
        h("thead", {}, h("tr", {},
          ["issue", "measure", "owner", "due", "state"].map((c) => h("th", { scope: "col", class: `col-${c}`, text: t(`role.col.${c}`) })))),
        roles.map(roleRow)),
    ]);
  }

  function render(topics) {
    if (topics.has(TOPIC.people) || topics.has(TOPIC.roles)) {
      orgList.replaceChildren(...knownOrganisations(state).map((o) => h("option", { value: o })));
    }
    if (topics.has(TOPIC.themes)) {
      themeList.replaceChildren(...[...state.themes.keys()].map((name) => h("option", { value: name })));
    }
    if (topics.has(TOPIC.roles) || topics.has(TOPIC.people)) renderTable();
  }

  function badge() {
    const waiting = [...state.roles.values()].filter((r) => r.state === "proposed" && speaksFor(state.me, r));
    if (waiting.length && app.canAct) return { text: String(waiting.length), attention: true, description: t("role.badgeDesc", { n: waiting.length }) };
    const n = state.roles.size;
    return n ? { text: String(n), description: t("role.count", { n }) } : null;
  }

  return { element, render, badge };
}
