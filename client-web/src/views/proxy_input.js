// 代理入力 (proxy input, server/docs/CONTINUITY.md section 4) on the meeting
// screen. A facilitator chooses an attendee who takes part by phone or on
// paper (a member or facilitator of the council, not an observer, not
// themselves: the record's `participants`); while the mode is on, the screen
// shows what that attendee sees (their stance, ballot, roles) and every
// command that may be proxied goes out with "on_behalf_of". Other commands
// are refused here before they are sent. The labels on proxied items
// (代理入力（入力者：…）) and the attendee's own notes come from here too.
import { h, setChildren } from "../dom.js";
import { t } from "../i18n.js";
import { personText } from "./common.js";

export const PROXIABLE = new Set(["issue.post", "proposal.stance", "ranking.ballot", "role.consent", "indicator.report"]);

// "代理入力（入力者：山本 真理）" next to an item a facilitator entered; null
// for everything else.
export function proxyLabel(enteredBy) {
  if (!enteredBy) return null;
  return h("span", { class: "chip chip-proxy", text: t("proxy.label", { name: enteredBy.name || enteredBy.participant }) });
}

// The attendee's own note on a proxied stance, ballot or consent of theirs
// (`key` proxy.mineStance, proxy.mineBallot, proxy.mineConsent).
export function proxyMineNote(key, enteredBy) {
  if (!enteredBy) return null;
  return h("p", { class: "proxy-mine", role: "note", text: t(key, { name: enteredBy.name || enteredBy.participant }) });
}

// The facilitator's control: null for anyone else. `app.proxy` answers
// onBehalfOf(op) (the participant id, or null) and allows(op).
export function createProxyInput(app, { rerender }) {
  const state = app.state;
  let self = null; // the facilitator's own `me` while entering for someone
  let target = null; // the attendee
  let candidates = [];

  const select = h("select", { id: "proxy-attendee", class: "proxy-select" });
  const chooseLabel = h("label", { for: "proxy-attendee", i18n: "proxy.choose" });
  const message = h("p", { class: "small muted proxy-message", hidden: true });
  const startButton = h("button", { type: "button", class: "btn btn-primary btn-small", i18n: "proxy.start", onclick: start });
  const chooser = h("div", { class: "proxy-chooser", hidden: true },
    h("p", { class: "small", i18n: "proxy.openHint" }),
    h("div", { class: "proxy-row" }, chooseLabel, select, startButton,
      h("button", { type: "button", class: "btn btn-quiet btn-small", i18n: "proxy.cancel", onclick: () => showChooser(false) })),
    message);
  const openButton = h("button", {
    type: "button",
    class: "btn btn-small proxy-open",
    "aria-expanded": "false",
    "aria-controls": "proxy-chooser",
    i18n: "proxy.open",
    onclick: () => showChooser(chooser.hidden),
  });
  chooser.id = "proxy-chooser";
  const bannerText = h("p", { class: "proxy-banner-body" });
  const banner = h("div", { class: "proxy-banner", role: "status", hidden: true },
    h("div", { class: "proxy-banner-row" },
      h("p", { class: "proxy-banner-title" }, h("strong", { i18n: "proxy.activeTitle" })),
      h("button", { type: "button", class: "btn btn-small proxy-stop", i18n: "proxy.stop", onclick: stop })),
    bannerText,
    h("p", { class: "small proxy-banner-allowed", i18n: "proxy.allowed" }));
  const element = h("section", { class: "proxy-bar", "aria-label": t("proxy.open"), "data-i18n-aria-label": "proxy.open" },
    openButton, chooser, banner);

  function showMessage(key) {
    message.hidden = !key;
    message.textContent = key ? t(key) : "";
  }

  function showChooser(open) {
    chooser.hidden = !open;
    openButton.setAttribute("aria-expanded", String(open));
    if (!open) return;
    showMessage("proxy.loading");
    select.disabled = true;
    startButton.disabled = true;
    app.loadRecord().then((record) => {
      const me = (self || state.me).participant;
      candidates = (record.participants || []).filter((p) => (p.role === "member" || p.role === "facilitator") && p.participant !== me);
      setChildren(select,
        h("option", { value: "", text: t("proxy.choosePlaceholder") }),
        candidates.map((p) => h("option", { value: p.participant, text: personText(p) })));
      select.disabled = candidates.length === 0;
      startButton.disabled = candidates.length === 0;
      showMessage(candidates.length ? null : "proxy.none");
      select.focus();
    }, () => showMessage("proxy.loadFailed"));
  }

  function start() {
    const chosen = candidates.find((p) => p.participant === select.value);
    if (!chosen) {
      select.focus();
      return;
    }
    self = self || state.me;
    target = { participant: chosen.participant, name: chosen.name, org: chosen.org, org_id: chosen.org_id || "", role: chosen.role };
    state.me = { ...target };
    showChooser(false);
    render();
    app.notify(t("proxy.started", { who: target.name }), "info");
    rerender();
    banner.querySelector(".proxy-stop")?.focus();
  }

  function stop() {
    if (!self) return;
    state.me = self;
    self = null;
    target = null;
    render();
    app.notify(t("proxy.stopped"), "info");
    rerender();
    openButton.focus();
  }

  function render() {
    const on = Boolean(target);
    document.body.classList.toggle("proxy-active", on);
    banner.hidden = !on;
    openButton.hidden = on;
    if (on) bannerText.textContent = t("proxy.activeBody", { who: personText(target), me: self.name });
  }

  return {
    element,
    active: () => Boolean(target),
    // The facilitator's own `me`, whatever the screen shows.
    self: () => self || state.me,
    setSelf(me) {
      if (self) self = me;
      else state.me = me;
    },
    onBehalfOf: (op) => (target && PROXIABLE.has(op) ? target.participant : null),
    allows: (op) => !target || PROXIABLE.has(op),
    relabel: render,
  };
}
