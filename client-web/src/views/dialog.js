// Modal dialogs that ask before something that cannot be undone (closing a
// vote, ending a meeting, redacting a text). A native <dialog> opened with
// showModal(): the page behind is inert, Tab and Shift+Tab cycle inside the
// dialog, Esc cancels, and the default focus is on キャンセル, so an
// accidental Enter or double click never confirms. Focus goes back to the
// control that opened it.
import { h, nextId, field } from "../dom.js";
import { t } from "../i18n.js";

// askDialog({title, body, confirmText, danger, reason, onConfirm})
//   title        the question (text)
//   body         nodes shown under it
//   confirmText  the label of the confirming button
//   reason       {labelKey, hintKey?}: a required text field; onConfirm gets
//                its trimmed value
//   onConfirm(reason?)  called once, after which the dialog closes
//   cancelText   the label of the other button (default キャンセル)
// Returns {dialog, close}.
export function askDialog({ title, body = [], confirmText, danger = true, reason = null, onConfirm, className = "", cancelText = null }) {
  const opener = document.activeElement;
  const titleId = nextId("ask");
  const bodyId = nextId("ask");
  let input = null;
  let error = null;
  let reasonField = null;
  if (reason) {
    input = h("textarea", { rows: 2, maxLength: 500, required: true, "aria-required": "true", class: "ask-reason" });
    error = h("p", { class: "field-error", id: nextId("err"), hidden: true, i18n: "ask.reasonRequired" });
    input.setAttribute("aria-describedby", error.id);
    reasonField = field(reason.labelKey, input, { hintKey: reason.hintKey });
    reasonField.appendChild(error);
  }
  const cancel = h("button", { type: "button", class: "btn", i18n: cancelText ? null : "form.cancel", text: cancelText, onclick: () => close() });
  const confirm = h("button", { type: "button", class: `btn ${danger ? "btn-danger" : "btn-primary"}`, text: confirmText, onclick: () => done() });
  const dialog = h("dialog", { class: `ask-dialog ${className}`.trim(), "aria-labelledby": titleId, "aria-describedby": bodyId },
    h("h2", { class: "ask-title", id: titleId, text: title }),
    h("div", { class: "ask-body", id: bodyId }, body),
    reasonField,
    h("div", { class: "row row-end-only ask-actions" }, cancel, confirm),
  );
  dialog.addEventListener("keydown", (e) => {
    if (e.key !== "Tab") return;
    const focusable = [...dialog.querySelectorAll("button, a[href], textarea, input, select, [tabindex]")]
      .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
  // A press on the dialog's text (the second click of a double click that
  // opened it) leaves the focus where it is: on キャンセル at first.
  dialog.addEventListener("mousedown", (e) => {
    if (!e.target.closest("button, a[href], textarea, input, select")) e.preventDefault();
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
    else if (opener?.dataset?.focusKey) document.querySelector(`[data-focus-key="${opener.dataset.focusKey}"]`)?.focus();
  });
  if (input) {
    input.addEventListener("input", () => {
      if (input.value.trim()) showError(false);
    });
  }

  function showError(on) {
    error.hidden = !on;
    input.setAttribute("aria-invalid", String(on));
  }

  function done() {
    let value;
    if (input) {
      value = input.value.trim();
      if (!value) {
        showError(true);
        input.focus();
        return;
      }
    }
    close();
    onConfirm(value);
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  document.body.appendChild(dialog);
  dialog.showModal();
  cancel.focus();
  return { dialog, close };
}

// "未投票 2人：佐藤 恵子（北広島町）、…" — who present has not answered yet.
export function pendingList(labelKey, people, describe) {
  return h("div", { class: "pending-people" },
    h("p", { class: "pending-count", text: t(labelKey, { n: people.length }) }),
    people.length ? h("ul", { class: "plain-list pending-names" }, people.map((p) => h("li", { text: describe(p) }))) : null);
}
