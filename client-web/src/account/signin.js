// サインイン: login ID and password, then — when the server answers 401
// second_factor_required — the 6-digit code of the authenticator app or a
// recovery code (POST /api/sign-in, PROTOCOL.md v2). Errors are shown beside
// their field; rate_limited says how long to wait. At "/" the form sits at
// the top of the static introduction (index.html's #landing, whose
// invite-link explanation stays below it); elsewhere it is a page of its
// own. A browser that joined a council through an invite link is offered
// the way back to it (#resume).
import { h, field, setChildren } from "../dom.js";
import { t, lang, setLang } from "../i18n.js";
import { post, get, ApiError } from "../api.js";
import { showFieldError, clearFieldError } from "../input.js";
import { errorText, waitText } from "../views/form_dialog.js";

// onSignedIn(): called once the session cookie is set. `landing`: the
// introduction to show the form in (its first element), else null.
export function renderSignIn(root, { onSignedIn, notice = null, landing = null }) {
  document.title = t("acc.signin.documentTitle");
  let step = "password"; // then "code"
  let credentials = null; // kept in memory for the second step only
  let blockedUntil = 0;
  let timer = null;

  const login = h("input", { type: "text", name: "username", autocomplete: "username", required: true, spellcheck: "false", autocapitalize: "none", dataset: { focusKey: "si-login" } });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, dataset: { focusKey: "si-password" } });
  const code = h("input", { type: "text", name: "code", autocomplete: "one-time-code", inputmode: "text", spellcheck: "false", autocapitalize: "none", maxLength: 20, class: "acc-code-input", dataset: { focusKey: "si-code" } });
  const problem = h("p", { class: "page-error-inline", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary acc-submit" });
  const back = h("button", { type: "button", class: "btn btn-quiet", onclick: () => setStep("password") });
  const form = h("form", { class: "stack acc-signin-form", novalidate: true });
  const card = h("section", { class: "acc-card acc-signin-card", "aria-labelledby": "signin-h" });
  const resume = landing?.querySelector("#resume") || h("div", { id: "resume", hidden: true });
  resume.classList.add("acc-resume");
  const about = landing ? h("a", { href: "#title", class: "acc-about-link" }) : null;
  const notes = h("div", { class: "acc-signin-notes" },
    h("p", { class: "acc-note acc-note-invite", dataset: { i18n: "acc.signin.inviteNote" }, text: t("acc.signin.inviteNote") }),
    h("p", { class: "acc-note", dataset: { i18n: "acc.signin.forgotNote" }, text: t("acc.signin.forgotNote") }),
    resume,
    about ? h("p", {}, about) : null);
  const outer = landing
    ? h("div", { class: "acc-signin acc-signin-landing" }, card, notes)
    : h("main", { id: "main", class: "acc-signin", tabindex: "-1" }, card, notes);

  function render() {
    document.title = t("acc.signin.documentTitle");
    const wait = blockedUntil > Date.now();
    submit.textContent = t(step === "password" ? "acc.signin.submit" : "acc.signin.verify");
    submit.disabled = wait;
    back.textContent = t("acc.signin.back");
    if (about) about.textContent = t("acc.signin.aboutShow");
    const fields = step === "password"
      ? [field("acc.signin.login", login), field("acc.signin.password", password)]
      : [h("p", { class: "acc-step-lead", text: t("acc.signin.codeLead") }),
        field("acc.signin.code", code, { hintKey: "acc.signin.codeHint" })];
    setChildren(form, ...fields, problem, h("div", { class: "row acc-form-actions" }, submit, step === "code" ? back : null));
    setChildren(card,
      landing ? null : h("p", { class: "acc-brand" },
        h("span", { class: "brand-mark", "aria-hidden": "true", text: "連" }),
        h("span", { class: "acc-brand-name", text: "Renkei" }),
        h("span", { class: "acc-brand-ja", text: "連携" })),
      // Inside the introduction its h1 heads the page.
      h(landing ? "h2" : "h1", { id: "signin-h", class: "acc-signin-title", text: t(step === "password" ? "acc.signin.title" : "acc.signin.codeTitle") }),
      step === "password" ? h("p", { class: "acc-lead", text: t("acc.signin.lead") }) : null,
      notice ? h("p", { class: "page-note acc-notice", role: "status", text: t(notice) }) : null,
      form,
      languageSwitch());
  }

  function languageSwitch() {
    return h("div", { class: "lang-switch acc-lang", role: "group", "aria-label": "表示言語 / Language" },
      ["ja", "en"].map((c) => h("button", {
        type: "button",
        lang: c,
        text: c === "ja" ? "日本語" : "English",
        "aria-pressed": String(lang() === c),
        onclick: () => {
          setLang(c);
          render();
          card.querySelector(`.lang-switch button[lang="${c}"]`)?.focus();
        },
      })));
  }

  function setStep(next) {
    step = next;
    problem.hidden = true;
    if (next === "password") {
      credentials = null;
      code.value = "";
      clearFieldError(code);
    }
    render();
    (next === "password" ? password : code).focus();
  }

  function showProblem(message) {
    problem.textContent = message;
    problem.hidden = false;
  }

  function rateLimited(seconds) {
    const s = Math.max(1, Number(seconds) || 60);
    blockedUntil = Date.now() + s * 1000;
    showProblem(t("acc.signin.rateLimited", { wait: waitText(s) }));
    clearTimeout(timer);
    timer = setTimeout(() => {
      blockedUntil = 0;
      problem.hidden = true;
      submit.disabled = false;
    }, s * 1000);
    submit.disabled = true;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    problem.hidden = true;
    let body;
    if (step === "password") {
      if (!login.value.trim()) return showFieldError(login, t("acc.signin.loginMissing"));
      if (!password.value) return showFieldError(password, t("acc.signin.passwordMissing"));
      body = { login: login.value.trim(), password: password.value };
    } else {
      const value = code.value.trim().replace(/\s+/g, "");
      if (!value) return showFieldError(code, t("acc.signin.codeMissing"));
      body = { ...credentials, code: value };
    }
    submit.disabled = true;
    try {
      await post("/api/sign-in", body);
      credentials = null;
      password.value = "";
      onSignedIn();
    } catch (error) {
      submit.disabled = false;
      if (!(error instanceof ApiError)) return showProblem(errorText(error));
      switch (error.code) {
        case "second_factor_required":
          credentials = body;
          setStep("code");
          break;
        case "invalid_credentials":
          if (step === "code") setStep("password");
          password.value = "";
          showFieldError(password, t("acc.signin.invalidCredentials"));
          break;
        case "invalid_code":
          code.select();
          showFieldError(code, t("acc.signin.invalidCode"));
          break;
        case "rate_limited":
          rateLimited(error.retryAfter);
          break;
        default:
          showProblem(errorText(error));
      }
    }
  });

  // A browser that joined a council with an invite link (v1 session).
  get("/api/session")
    .then((session) => {
      if (!session?.council?.id) return;
      resume.replaceChildren(h("a", { class: "btn", href: `/councils/${encodeURIComponent(session.council.id)}`, text: t("landing.resume", { name: session.council.name || session.council.id }) }));
      resume.hidden = false;
    })
    .catch(() => {});

  render();
  if (landing) {
    const main = landing.querySelector("main") || landing;
    main.prepend(outer);
    landing.hidden = false;
    root.hidden = true;
  } else {
    root.replaceChildren(outer);
    root.hidden = false;
  }
  login.focus();
  return { render };
}
