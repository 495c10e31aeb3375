// Personal-information guard (個人情報の注意喚起, server/docs/PERSONAL_INFO.md).
//
// Before a free text becomes part of the council's record, the form asks
// POST /api/check-text. When something looks like personal data of a case,
// nothing is sent yet: an inline warning lists the fragments found, with
// "修正する" (back to the field) and "このまま投稿する" (send it anyway).
// The check is a help, never a gate: when it cannot be made (offline, a
// server error) the text is sent as if nothing had been found.
//
// Items already in the record carry the kinds the server found (`pii` on
// issues, roles and proposals); the marks below keep those, plus the texts
// this browser's guard flagged, so that views can badge them.
import { h, cssEscape } from "../dom.js";
import { t } from "../i18n.js";

export const PII_KINDS = ["name_with_age", "birth_date", "address", "phone"];
const CHECK_TIMEOUT_MS = 5000;

// {findings:[{kind, text}]} for `text`, or null when the check could not be
// made (network, timeout, any non-2xx answer, an unexpected body).
export async function checkText(text) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), CHECK_TIMEOUT_MS) : null;
  try {
    const res = await fetch("/api/check-text", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ text }),
      signal: controller?.signal,
    });
    if (!res.ok) return null;
    const body = await res.json();
    if (!body || !Array.isArray(body.findings)) return null;
    return body.findings.filter((f) => f && typeof f.text === "string" && typeof f.kind === "string");
  } catch {
    return null;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

// Kinds in the documented order, without repeats.
function kindsOf(findings) {
  const found = new Set(findings.map((f) => f.kind));
  return PII_KINDS.filter((k) => found.has(k));
}

export function kindLabels(kinds) {
  return kinds.filter((k) => PII_KINDS.includes(k)).map((k) => t(`pii.kind.${k}`)).join(t("pii.kindSeparator"));
}

// createPiiGuard(app, {key}) → {element, watch(field), submit(entries, send)}
//   element        the warning; put it next to the form's fields (hidden
//                  until a check finds something)
//   watch(field)   editing this field after a warning withdraws "send
//                  anyway" (the next submit checks the new text)
//   submit(entries, send)
//                  entries: [{text, field}] — the texts about to be sent
//                  and the field each comes from; send(): sends them. Runs
//                  send() at once when nothing is found or the check fails.
// `key` makes the buttons' data-focus-key unique, so focus survives a
// re-render of a view that re-attaches the same element.
export function createPiiGuard(app, { key }) {
  const list = h("ul", { class: "pii-findings" });
  const fixButton = h("button", {
    type: "button",
    class: "btn btn-small",
    dataset: { focusKey: `pii-fix-${key}` },
    i18n: "pii.fix",
    onclick: () => {
      if (flagged?.cancel) {
        // A queued text held back: withdraw it and give it back to its field.
        const { cancel, checked } = flagged;
        flagged.cancel = null;
        flagged.send = null;
        sendButton.hidden = true;
        cancel();
        const entry = checked.find((c) => c.findings.length)?.entry;
        const field = flaggedField();
        if (entry && field && "value" in field && !field.value) {
          field.value = entry.text;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
      focusField();
    },
  });
  const sendButton = h("button", {
    type: "button",
    class: "btn btn-small btn-quiet pii-send",
    dataset: { focusKey: `pii-send-${key}` },
    i18n: "pii.sendAnyway",
    onclick: () => sendAnyway(),
  });
  const element = h("div", { class: "pii-warning warn-inline", role: "alert", hidden: true },
    h("p", { class: "pii-message", i18n: "pii.warning" }),
    list,
    h("div", { class: "row pii-actions" }, fixButton, sendButton),
  );

  let flagged = null; // {send, checked: [{entry, findings}]} shown in the warning
  let checking = null; // JSON of the texts being checked (a double click sends once)
  const watched = new WeakSet();

  function hide() {
    flagged = null;
    element.hidden = true;
    list.replaceChildren();
  }

  function show(result) {
    flagged = result;
    const rows = [];
    for (const { findings } of result.checked) {
      for (const f of findings) {
        rows.push(h("li", {},
          h("span", { class: "pii-fragment", text: f.text }),
          PII_KINDS.includes(f.kind) ? h("span", { class: "pii-kind", i18n: `pii.kind.${f.kind}` }) : null));
      }
    }
    list.replaceChildren(...rows);
    sendButton.hidden = false;
    element.hidden = false;
  }

  // The field to go back to: the first whose text had findings. A view may
  // have rebuilt it meanwhile: then the field with the same focus key.
  function flaggedField() {
    let field = flagged?.checked.find((c) => c.findings.length)?.entry.field;
    if (field && !field.isConnected && field.dataset?.focusKey) {
      field = document.querySelector(`[data-focus-key="${cssEscape(field.dataset.focusKey)}"]`);
    }
    return field || null;
  }

  function focusField() {
    const field = flaggedField();
    if (!field) return;
    field.focus();
    if ("setSelectionRange" in field && typeof field.value === "string") {
      try {
        field.setSelectionRange(field.value.length, field.value.length);
      } catch {
        /* not a text field */
      }
    }
  }

  function sendAnyway() {
    if (!flagged?.send) return;
    const { send, checked } = flagged;
    const field = flaggedField();
    for (const c of checked) if (c.findings.length) app.piiMarks?.addText(c.entry.text, kindsOf(c.findings));
    hide();
    send();
    // The button that had focus is gone: keep the keyboard in the form.
    if (!element.contains(document.activeElement) && document.activeElement !== document.body) return;
    field?.focus();
  }

  function watch(field) {
    if (!field || watched.has(field)) return field;
    watched.add(field);
    field.addEventListener("input", () => {
      // The findings were about the text as it was: sending "anyway" now
      // would send a text nobody checked. The list stays as a reminder.
      if (flagged) sendButton.hidden = true;
    });
    return field;
  }

  async function submit(entries, send) {
    const texts = entries.filter((e) => e.text);
    if (!texts.length) {
      hide();
      send();
      return;
    }
    const signature = JSON.stringify(texts.map((e) => e.text));
    if (checking === signature) return;
    checking = signature;
    let results;
    try {
      results = await Promise.all(texts.map((entry) => checkText(entry.text).then((findings) => ({ entry, findings }))));
    } finally {
      checking = null;
    }
    if (results.some((r) => r.findings === null)) {
      // Could not check (offline, server error): say nothing, send. A
      // command queued while offline is checked again before it leaves
      // (app.js, holdUnchecked).
      hide();
      if (app.holdUnchecked) app.holdUnchecked(api, texts, send);
      else send();
      return;
    }
    if (!results.some((r) => r.findings.length)) {
      hide();
      send();
      return;
    }
    show({ send, checked: results });
  }

  // A queued text, checked again at reconnect, that has findings: the
  // warning as for a new post; send() releases it, cancel() withdraws it.
  function holdFlagged(checked, { send, cancel }) {
    show({ send, cancel, checked });
  }

  const api = { element, watch, submit, hide, holdFlagged };
  return api;
}

// What is known to hold personal information: the record's `pii` kinds by
// item id (issues, roles, proposals), and texts this browser's guard
// flagged and that were sent anyway (matched by text, so the item they
// became is badged as soon as it arrives).
export function createPiiMarks() {
  let byId = new Map(); // "issue:<id>" → kinds
  const byText = new Map(); // text → kinds

  function fromRecord(record) {
    const next = new Map();
    for (const [kind, items] of [["issue", record?.issues], ["role", record?.roles], ["proposal", record?.proposals]]) {
      for (const item of Array.isArray(items) ? items : []) {
        if (item && item.id && Array.isArray(item.pii) && item.pii.length) next.set(`${kind}:${item.id}`, item.pii);
      }
    }
    byId = next;
  }

  function addText(text, kinds) {
    if (text) byText.set(text, kinds);
  }

  // Kinds found for an item, or null: kind is "issue" | "role" | "proposal",
  // texts are the item's free texts (text, title, detail, notes, reasons).
  // `live`: the kinds live events carried for the item (state.pii).
  function kindsFor(kind, id, texts, live = []) {
    const found = new Set([...(byId.get(`${kind}:${id}`) || []), ...live]);
    let any = found.size > 0;
    for (const text of texts) {
      const kinds = text ? byText.get(text) : null;
      if (kinds) {
        any = true;
        for (const k of kinds) found.add(k);
      }
    }
    return any ? PII_KINDS.filter((k) => found.has(k)) : null;
  }

  return { fromRecord, addText, kindsFor };
}

// The badge on an item whose texts seem to hold personal information, or
// null. The kinds are spelled out in the badge (not in colour alone).
export function piiBadge(app, kind, id, texts) {
  const kinds = app.piiMarks?.kindsFor(kind, id, texts.filter(Boolean), app.state?.pii?.get(`${kind}:${id}`));
  if (!kinds) return null;
  const labels = kindLabels(kinds);
  return h("span", {
    class: "badge badge-pii",
    title: t("pii.badgeTitle"),
  }, h("span", { "aria-hidden": "true", text: "⚠ " }), labels ? t("pii.badgeKinds", { kinds: labels }) : t("pii.badge"));
}
