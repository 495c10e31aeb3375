// Pieces shared by the views.
import { h } from "../dom.js";
import { t } from "../i18n.js";

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

// Two-step confirmation on one button: first press asks, second does.
// Returns the button; the caller re-renders freely (state is in `store`).
export function confirmButton({ key, labelKey, confirmKey, className = "btn", onConfirm, store }) {
  const asking = store.get(key) === true;
  const button = h("button", {
    type: "button",
    class: asking ? "btn btn-danger" : className,
    dataset: { focusKey: key },
    text: t(asking ? confirmKey : labelKey),
    onclick: () => {
      if (store.get(key) === true) {
        store.delete(key);
        onConfirm();
      } else {
        store.set(key, true);
        button.className = "btn btn-danger";
        button.textContent = t(confirmKey);
        setTimeout(() => {
          if (store.get(key) === true) {
            store.delete(key);
            if (button.isConnected) {
              button.className = className;
              button.textContent = t(labelKey);
            }
          }
        }, 6000);
      }
    },
  });
  return button;
}
