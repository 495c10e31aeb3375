// セキュリティ設定 (/me/security): registering an authenticator app (TOTP)
// and signing out everywhere.
// Enrolment: POST /api/me/totp gives the secret and its otpauth:// URI,
// shown as a QR code and as text in groups of 4 for typing by hand; a code
// from the app confirms it (POST /api/me/totp/confirm), which answers the ten
// recovery codes — shown once, to print or write down, and acknowledged with
// 「保存しました」. A person who must enrol (administrators, facilitators)
// is sent here from every page and told why.
import { h, field, setChildren } from "../dom.js";
import { t } from "../i18n.js";
import { post, ApiError } from "../api.js";
import { showFieldError } from "../input.js";
import { askDialog } from "../views/dialog.js";
import { errorText } from "../views/form_dialog.js";
import { qrSvg } from "../views/qr.js";
import { groupsOf4 } from "./labels.js";
import { createHandoverRequestCard } from "./handover_request.js";

export function createSecurityPage(shell, { onEnrolled }) {
  const { main, me } = shell;
  const params = new URLSearchParams(location.search);
  const sf = { ...(me.second_factor || {}) };
  // "idle" → "scan" (secret shown) → "codes" (recovery codes) → "done"
  let step = "idle";
  let enrolment = null; // {secret, uri}
  let recovery = null; // [10 strings], in memory only
  let problem = null;
  let startProblem = null;
  let busy = false;
  const code = h("input", { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxLength: 8, class: "acc-code-input", dataset: { focusKey: "sec-code" } });

  const handover = createHandoverRequestCard(me);

  function render() {
    shell.setTitle(t("sec.title"));
    handover.render();
    const mustEnrol = sf.required && !sf.enrolled;
    setChildren(main, 
      h("div", { class: "page-head" },
        h("h1", { class: "page-title", text: t("sec.title") }),
        h("p", { class: "lead", text: t("sec.lead") })),
      params.get("welcome") && step !== "done" ? h("p", { class: "page-note", role: "status", text: t("sec.welcome") }) : null,
      mustEnrol ? h("div", { class: "acc-required", role: "alert" },
        h("p", { class: "acc-required-title", text: t("sec.required.title") }),
        h("p", { text: t("sec.required.body") })) : null,
      totpSection(),
      handover.el,
      signOutSection());
  }

  function totpSection() {
    const children = [h("h2", { class: "card-title", id: "sec-totp-h", text: t("sec.totp.title") })];
    if (step === "idle") {
      children.push(
        h("p", { class: "acc-status" },
          h("span", { class: `badge ${sf.enrolled ? "badge-state-agreed" : "badge-quiet"}`, text: t(sf.enrolled ? "sec.totp.enrolled" : "sec.totp.notEnrolled") }),
          h("span", { text: t(sf.enrolled ? "sec.totp.enrolledBody" : "sec.totp.explain") })),
        sf.enrolled ? h("p", { class: "muted small", text: t("sec.totp.reenrolNote") }) : null,
        h("div", { class: "row" },
          h("button", { type: "button", class: `btn ${sf.enrolled ? "" : "btn-primary"}`.trim(), text: t(sf.enrolled ? "sec.totp.reenrol" : "sec.totp.start"), disabled: busy, onclick: () => start(), dataset: { focusKey: "sec-start" } })),
        startProblem ? h("p", { class: "page-error-inline", role: "alert", text: startProblem }) : null);
    } else if (step === "scan") {
      children.push(scanStep());
    } else if (step === "codes") {
      children.push(codesStep());
    } else {
      children.push(h("p", { class: "page-note", role: "status", text: t("sec.totp.doneNote") }),
        h("p", {}, h("a", { class: "btn btn-primary", href: "/", text: t("sec.toHome") })));
    }
    return h("section", { class: "card page-section acc-section", "aria-labelledby": "sec-totp-h" }, children);
  }

  function scanStep() {
    const form = h("form", { class: "stack acc-confirm-form", novalidate: true },
      field("sec.totp.code", code, { hintKey: "sec.totp.codeHint" }),
      problem ? h("p", { class: "page-error-inline", role: "alert", text: problem }) : null,
      h("div", { class: "row" },
        h("button", { type: "submit", class: "btn btn-primary", text: t("sec.totp.confirm"), disabled: busy }),
        h("button", { type: "button", class: "btn btn-quiet", text: t("form.cancel"), onclick: cancelEnrolment })));
    form.addEventListener("submit", confirm);
    return h("ol", { class: "acc-steps" },
      h("li", {},
        h("h3", { text: t("sec.step1.title") }),
        h("p", { text: t("sec.step1.body") })),
      h("li", {},
        h("h3", { text: t("sec.step2.title") }),
        h("div", { class: "acc-qr-row" },
          h("div", { class: "acc-qr-box" }, qrSvg(enrolment.uri, { label: t("sec.qrLabel") })),
          h("div", { class: "acc-secret" },
            h("p", { text: t("sec.step2.manual") }),
            h("p", { class: "acc-secret-text", "aria-label": t("sec.secretLabel") }, h("code", { text: groupsOf4(enrolment.secret) })),
            h("p", { class: "muted small", text: t("sec.step2.manualHint") })))),
      h("li", {},
        h("h3", { text: t("sec.step3.title") }),
        form));
  }

  function codesStep() {
    const saved = h("input", { type: "checkbox", id: "sec-saved" });
    const doneBtn = h("button", { type: "button", class: "btn btn-primary", text: t("sec.codes.saved"), disabled: true, onclick: finish });
    saved.addEventListener("change", () => {
      doneBtn.disabled = !saved.checked;
    });
    return h("div", { class: "acc-codes" },
      h("p", { class: "page-note", role: "status", text: t("sec.codes.enrolled") }),
      h("h3", { text: t("sec.codes.title") }),
      h("p", { text: t("sec.codes.body") }),
      h("div", { class: "acc-codes-sheet print-area" },
        h("p", { class: "acc-codes-print-title", text: t("sec.codes.printTitle", { name: me.person?.name || "", login: me.person?.login || "" }) }),
        h("ol", { class: "acc-codes-list" }, recovery.map((c) => h("li", {}, h("code", { text: c })))),
        h("p", { class: "acc-codes-print-note", text: t("sec.codes.printNote") })),
      h("p", { class: "acc-warn", text: t("sec.codes.once") }),
      h("div", { class: "row" },
        h("button", { type: "button", class: "btn", text: t("sec.codes.print"), onclick: () => window.print() })),
      h("div", { class: "check acc-saved-check" }, saved, h("label", { for: saved.id }, h("span", { text: t("sec.codes.savedCheck") }))),
      h("div", { class: "row" }, doneBtn));
  }

  function signOutSection() {
    return h("section", { class: "card page-section acc-section", "aria-labelledby": "sec-out-h" },
      h("h2", { class: "card-title", id: "sec-out-h", text: t("sec.everywhere.title") }),
      h("p", { text: t("sec.everywhere.body") }),
      h("div", { class: "row" },
        h("button", {
          type: "button",
          class: "btn",
          text: t("sec.everywhere.button"),
          onclick: () => askDialog({
            title: t("sec.everywhere.askTitle"),
            body: [h("p", { text: t("sec.everywhere.askBody") })],
            confirmText: t("sec.everywhere.confirm"),
            onConfirm: async () => {
              try {
                await post("/api/sign-out-everywhere");
              } catch {
                /* ended or not, this browser starts again from sign-in */
              }
              location.assign("/?signed_out=everywhere");
            },
          }),
        })));
  }

  async function start({ scroll = true } = {}) {
    busy = true;
    startProblem = null;
    render();
    try {
      enrolment = await post("/api/me/totp");
      step = "scan";
      problem = null;
      code.value = "";
    } catch (error) {
      startProblem = errorText(error);
    }
    busy = false;
    render();
    if (step === "scan" && scroll) main.querySelector(".acc-steps")?.scrollIntoView({ block: "nearest" });
  }

  function cancelEnrolment() {
    step = "idle";
    enrolment = null;
    problem = null;
    render();
    main.querySelector("[data-focus-key=sec-start]")?.focus();
  }

  async function confirm(e) {
    e.preventDefault();
    const value = code.value.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(value)) {
      showFieldError(code, t("sec.totp.codeFormat"));
      return;
    }
    busy = true;
    problem = null;
    try {
      const result = await post("/api/me/totp/confirm", { code: value });
      recovery = Array.isArray(result?.recovery_codes) ? result.recovery_codes : [];
      enrolment = null; // the secret is not kept once the app has it
      step = "codes";
      sf.enrolled = true;
      busy = false;
      render();
      main.querySelector(".acc-codes")?.scrollIntoView({ block: "start" });
    } catch (error) {
      busy = false;
      render();
      const input = main.querySelector("[data-focus-key=sec-code]");
      if (error instanceof ApiError && error.code === "invalid_code") showFieldError(input, t("sec.totp.invalidCode"));
      else {
        problem = errorText(error);
        render();
      }
    }
  }

  function finish() {
    recovery = null;
    step = "done";
    render();
    onEnrolled?.();
  }

  return {
    start() {
      render();
      if (params.get("enrol") && !sf.enrolled) start({ scroll: false });
    },
    render,
  };
}
