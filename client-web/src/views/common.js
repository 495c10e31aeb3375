// Pieces shared by the views.
import { h } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { askDialog } from "./dialog.js";

// Which tab an agenda item's action is done in.
export const ACTION_TABS = {
  post_issues: "board",
  merge_issues: "board",
  rank: "ranking",
  adopt: "proposals",
  agree_roles: "roles",
  review: "roles",
  define_indicators: "indicators",
  report_indicators: "indicators",
  set_stage: "themes",
};

export function stageChip(stage) {
  return h("span", { class: `chip chip-stage chip-stage-${stage}`, title: t(`stage.${stage}`) },
    h("span", { class: "chip-stage-no", text: t("stage.short", { n: stage }) }),
    " ",
    h("span", { text: t(`stage.${stage}`) }));
}

// "佐藤 恵子（北広島町）"
export function personText(by) {
  if (!by) return "";
  return by.org ? t("person.withOrg", { name: by.name || by.participant, org: by.org }) : by.name || by.participant || "";
}

export function roleLabel(role) {
  return t(`role.${role}`);
}

// The note shown instead of action controls to an observer.
export function observerNote(key = "observer.noActions") {
  return h("p", { class: "observer-note", i18n: key });
}

// A panel section with a heading: <section><h2>…</h2>…</section>
export function section(titleKey, ...children) {
  const id = `s-${titleKey.replace(/\W/g, "-")}`;
  return h("section", { class: "card", "aria-labelledby": id },
    h("h2", { class: "card-title", id, i18n: titleKey }),
    ...children);
}

// Shortens long user text for chart labels and select options (the full
// text stays in the DOM elsewhere).
// Bidirectional controls (e.g. U+202E) are dropped there: in a short label
// they could reverse the text that follows them.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
export function shorten(text, max = 28) {
  const chars = Array.from(String(text || "").replace(BIDI_CONTROLS, "").replace(/\s+/g, " "));
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

// The ranking as people name it: 「ドット投票・第2回」 (method and the order
// it was opened in; never its id).
export function rankingName(r) {
  return t("ranking.name", { method: t(`method.${r.method}`), n: r.number || 1 });
}

// The text of an issue, proposal or role as shown in lists and charts:
// 「（伏せ字）」 once redacted.
export function itemText(item, field = "text") {
  if (!item) return "";
  return item.redacted ? t("redact.short") : item[field] || "";
}

// 「（伏せ字：<reason>）」 with who redacted it and when, in small text and
// on hover. `mark` is {reason, by, at} (reason and author unknown when the
// text arrived already redacted and the redaction event is yet to come).
export function redactedNote(mark) {
  const who = mark.by ? t("redact.byAt", { who: personText(mark.by), at: formatTime(mark.at) }) : "";
  return h("span", { class: "redacted", title: who || null },
    h("span", { class: "redacted-text", text: mark.reason ? t("redact.withReason", { reason: mark.reason }) : t("redact.short") }),
    who ? h("span", { class: "small muted redacted-by", text: ` ${who}` }) : null);
}

// 「伏せ字にする」 for the facilitator and the author of a text: asks for a
// reason (required) and warns that the text leaves the record, the minutes,
// search and exports for good. `what` names the text in the dialog.
export function redactButton(app, { author, target, participant, what, focusKey }) {
  const mine = author && author.participant === app.state.me.participant;
  if (!app.isFacilitator && !(mine && app.canAct)) return null;
  return h("button", {
    type: "button",
    class: "btn btn-small btn-quiet redact-btn",
    dataset: { focusKey },
    i18n: "redact.action",
    onclick: () => askDialog({
      title: t("redact.title"),
      body: [
        h("blockquote", { class: "redact-quote", text: shorten(what, 120) }),
        h("p", { class: "warn-inline", role: "note", i18n: "redact.warning" }),
      ],
      confirmText: t("redact.confirm"),
      reason: { labelKey: "redact.reason", hintKey: "redact.reasonHint" },
      onConfirm: (reason) => {
        const args = { target, reason };
        if (participant) args.participant = participant;
        app.send("text.redact", args, { onAck: () => app.announce(t("redact.done")) });
      },
    }),
  });
}
