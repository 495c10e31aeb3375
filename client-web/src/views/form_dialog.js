// A modal form (add an organisation, move a person, invite to a council…)
// that stays open until the server has accepted it: an error the server
// gives for one field is shown beside that field, any other error inside the
// dialog — never in an alert(). Same keyboard rules as views/dialog.js: Tab
// cycles inside, Esc cancels, focus returns to the opener.
import { h, nextId } from "../dom.js";
import { t } from "../i18n.js";
import { showFieldError } from "../input.js";
import { ApiError } from "../api.js";

// An error to show beside `control`.
export function fieldError(control, message) {
  const error = new Error(message);
  error.control = control;
  return error;
}

// The message of any failure, in the chosen language.
export function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("acc.error.network");
    if (error.code === "rate_limited") return t("acc.error.rateLimited", { wait: waitText(error.retryAfter) });
    return error.text() || t("acc.error.status", { status: error.status });
  }
  return error?.message || String(error);
}

// "3分" / "40秒" for a Retry-After in seconds.
export function waitText(seconds) {
  const s = Math.max(1, Math.round(Number(seconds) || 60));
  if (s < 60) return t("acc.wait.seconds", { n: s });
  return t("acc.wait.minutes", { n: Math.ceil(s / 60) });
}

// formDialog({title, body, submitText, danger, onSubmit, wide})
//   body        nodes (fields built with dom.js field())
//   onSubmit()  async; throw fieldError(control, msg) or any error to keep
//               the dialog open with the message; resolve to close it
// Returns {dialog, close, form}.
export function formDialog({ title, body = [], submitText, danger = false, onSubmit, className = "", cancelText }) {
  const opener = document.activeElement;
  const titleId = nextId("fd");
  const problem = h("p", { class: "page-error-inline form-problem", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: `btn ${danger ? "btn-danger" : "btn-primary"}`, text: submitText });
  const cancel = h("button", { type: "button", class: "btn", text: cancelText || t("form.cancel"), onclick: () => close() });
  const form = h("form", { class: "stack form-dialog-form", novalidate: true },
    body,
    problem,
    h("div", { class: "row row-end-only ask-actions" }, cancel, submit));
  const dialog = h("dialog", { class: `ask-dialog form-dialog ${className}`.trim(), "aria-labelledby": titleId },
    h("h2", { class: "ask-title", id: titleId, text: title }),
    form);

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
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });

  let busy = false;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    problem.hidden = true;
    // Required fields first, in order.
    for (const control of form.querySelectorAll("[required]")) {
      if (control.type === "checkbox" ? !control.checked : !String(control.value).trim()) {
        showFieldError(control, t("acc.form.required"));
        return;
      }
    }
    busy = true;
    submit.disabled = true;
    try {
      await onSubmit();
      close();
    } catch (error) {
      if (error?.control) showFieldError(error.control, error.message);
      else {
        problem.textContent = errorText(error);
        problem.hidden = false;
      }
    } finally {
      busy = false;
      submit.disabled = false;
    }
  });

  function close() {
    if (dialog.open) dialog.close();
  }

  document.body.appendChild(dialog);
  dialog.showModal();
  const first = form.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
  (first || cancel).focus();
  return { dialog, close, form, problem };
}
