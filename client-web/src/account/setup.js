// /setup/<token>: the one-time set-up link the secretariat hands out. Shows
// whose account it is (GET /api/setup/<token>), asks for a password twice
// (10 characters or more; weak_password is explained beside the field) and
// sets it (POST /api/setup/<token>, which signs the person in). Then a
// person who must use a second factor goes straight to its enrolment; anyone
// else to ホーム, where enrolling is offered. A used, expired or revoked
// link gets a page that says so and what to do.
import { h, field, setChildren } from "../dom.js";
import { t, lang, setLang } from "../i18n.js";
import { get, post, ApiError } from "../api.js";
import { showFieldError } from "../input.js";
import { errorText } from "../views/form_dialog.js";
import { JUST_SET_UP } from "./home.js";

export const MIN_PASSWORD = 10;

export function renderSetup(root, token) {
  const base = `/api/setup/${encodeURIComponent(token)}`;
  let info = null;
  let failure = null;

  const password = h("input", { type: "password", autocomplete: "new-password", required: true, dataset: { focusKey: "su-password" } });
  const again = h("input", { type: "password", autocomplete: "new-password", required: true, dataset: { focusKey: "su-again" } });
  const show = h("input", { type: "checkbox", id: "su-show" });
  const problem = h("p", { class: "page-error-inline", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary acc-submit" });
  const card = h("section", { class: "acc-card acc-setup-card", "aria-labelledby": "setup-h" });
  const main = h("main", { id: "main", class: "acc-signin acc-setup", tabindex: "-1" }, card);

  show.addEventListener("change", () => {
    password.type = show.checked ? "text" : "password";
    again.type = show.checked ? "text" : "password";
  });

  function brand() {
    return h("p", { class: "acc-brand" },
      h("span", { class: "brand-mark", "aria-hidden": "true", text: "連" }),
      h("span", { class: "acc-brand-name", text: "Renkei" }),
      h("span", { class: "acc-brand-ja", text: "連携" }));
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
        },
      })));
  }

  function render() {
    document.title = t("setup.documentTitle");
    if (failure) {
      const invalid = failure instanceof ApiError && (failure.code === "invalid_token" || failure.status === 401 || failure.status === 404);
      setChildren(card, brand(),
        h("h1", { id: "setup-h", text: t(invalid ? "setup.invalid.title" : "setup.error.title") }),
        h("p", { class: "acc-lead", text: invalid ? t("setup.invalid.body") : errorText(failure) }),
        invalid ? h("p", { class: "muted", text: t("setup.invalid.hint") }) : h("p", {}, h("button", { type: "button", class: "btn", text: t("pg.retry"), onclick: load })),
        h("p", {}, h("a", { href: "/", text: t("setup.toSignIn") })),
        languageSwitch());
      return;
    }
    if (!info) {
      setChildren(card, brand(), h("p", { class: "page-loading", role: "status", text: t("pg.loading") }));
      return;
    }
    submit.textContent = t("setup.submit");
    const form = h("form", { class: "stack", novalidate: true },
      h("input", { type: "text", autocomplete: "username", value: info.login || "", hidden: true, readonly: true, "aria-hidden": "true", tabindex: "-1" }),
      field("setup.password", password, { hintKey: "setup.rules" }),
      field("setup.again", again),
      h("div", { class: "check acc-show" }, show, h("label", { for: show.id }, h("span", { text: t("setup.show") }))),
      problem,
      h("div", { class: "row acc-form-actions" }, submit));
    form.addEventListener("submit", onSubmit);
    setChildren(card, brand(),
      h("h1", { id: "setup-h", text: t("setup.title") }),
      h("p", { class: "acc-lead", text: t("setup.lead") }),
      h("dl", { class: "acc-who" },
        h("div", {}, h("dt", { text: t("setup.name") }), h("dd", { text: info.name || "" })),
        h("div", {}, h("dt", { text: t("setup.org") }), h("dd", { text: info.org?.name || "" })),
        h("div", {}, h("dt", { text: t("setup.login") }), h("dd", { class: "acc-login", text: info.login || "" }))),
      h("p", { class: "muted small", text: t("setup.notYou") }),
      info.second_factor === "required" ? h("p", { class: "acc-note acc-note-2fa", text: t("setup.needsSecondFactor") }) : null,
      form,
      languageSwitch());
  }

  async function onSubmit(e) {
    e.preventDefault();
    problem.hidden = true;
    if (password.value.length < MIN_PASSWORD) {
      showFieldError(password, t("setup.tooShort", { n: MIN_PASSWORD, have: password.value.length }));
      return;
    }
    if (again.value !== password.value) {
      showFieldError(again, t("setup.mismatch"));
      return;
    }
    submit.disabled = true;
    try {
      const result = await post(base, { password: password.value });
      password.value = "";
      again.value = "";
      // The token must not stay in the address bar or the history.
      history.replaceState(null, "", "/");
      if ((result?.second_factor || info.second_factor) === "required") {
        location.replace("/me/security?enrol=1&welcome=1");
      } else {
        try {
          sessionStorage.setItem(JUST_SET_UP, "1");
        } catch {
          /* storage unavailable */
        }
        location.replace("/");
      }
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiError && error.code === "weak_password") {
        showFieldError(password, t("setup.weak"));
      } else if (error instanceof ApiError && error.code === "invalid_token") {
        failure = error;
        render();
      } else {
        problem.textContent = errorText(error);
        problem.hidden = false;
      }
    }
  }

  async function load() {
    failure = null;
    info = null;
    render();
    try {
      info = await get(base);
    } catch (error) {
      failure = error;
    }
    render();
    if (info) password.focus();
  }

  root.replaceChildren(main);
  root.hidden = false;
  load();
}
