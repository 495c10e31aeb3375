// Short notices at the bottom of the screen: command errors (role=alert),
// information (role=status). They close by themselves or with their button.
import { h } from "../dom.js";
import { t } from "../i18n.js";

const LIFETIME_MS = { info: 5000, success: 4000, error: 10000 };

export function createToasts() {
  const politeRegion = h("div", { class: "toast-stack", role: "status", "aria-live": "polite" });
  const alertRegion = h("div", { class: "toast-stack toast-stack-alert", role: "alert", "aria-live": "assertive" });
  const element = h("div", { class: "toasts" }, alertRegion, politeRegion);

  function show(text, kind = "info") {
    const region = kind === "error" ? alertRegion : politeRegion;
    // The same notice twice in a row: keep one.
    for (const existing of region.children) {
      if (existing.dataset.text === text) existing.remove();
    }
    const close = h("button", {
      type: "button",
      class: "toast-close",
      "aria-label": t("toast.close"),
      text: "×",
    });
    const toast = h("div", { class: `toast toast-${kind}`, dataset: { text } },
      h("p", { class: "toast-text", text }),
      close,
    );
    const remove = () => toast.remove();
    close.addEventListener("click", remove);
    region.appendChild(toast);
    while (region.children.length > 3) region.firstElementChild.remove();
    setTimeout(remove, LIFETIME_MS[kind] || 5000);
  }

  // Error notices that no longer hold (the field was corrected, a command
  // went through) are taken down.
  function clearErrors() {
    alertRegion.replaceChildren();
  }

  // Takes down a notice that no longer holds (e.g. "queued" once online).
  function dismiss(text) {
    for (const toast of element.querySelectorAll(".toast")) if (toast.dataset.text === text) toast.remove();
  }

  return { element, show, clearErrors, dismiss };
}
