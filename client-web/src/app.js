// The meeting screen: header, agenda panel, presence, and the tabbed work
// areas. Owns the folded state and the connection; views render from the
// state and send commands through app.send().
import { h } from "./dom.js";
import { t, lang, setLang, serverMessage, translateStatic } from "./i18n.js";
import { createState, applyEvent, TOPIC } from "./state.js";
import { Connection } from "./connection.js";
import { createAgendaView } from "./views/agenda.js";
import { createPresenceView } from "./views/presence.js";
import { createBoardView } from "./views/board.js";
import { createRankingView } from "./views/ranking.js";
import { createProposalView } from "./views/proposals.js";
import { createRoleView } from "./views/roles.js";
import { createIndicatorView } from "./views/indicators.js";
import { createThemeView } from "./views/themes.js";
import { createTabs } from "./views/tabs.js";
import { createPromotionView } from "./views/promotion.js";
import { createToasts } from "./views/toasts.js";
import { createConfidentiality } from "./views/confidentiality.js";
import { createPiiMarks, checkText } from "./views/pii_guard.js";
import { setOnFieldCorrected } from "./input.js";
import { createProxyInput } from "./views/proxy_input.js";

export const ROLE_KEYS = {
  facilitator: "role.facilitator",
  member: "role.member",
  observer: "role.observer",
};

export function createApp(root, session, { getJson, onSignedOut, signedIn = false }) {
  const state = createState();
  state.council = session.council;
  state.me = {
    participant: session.participant,
    name: session.name,
    org: session.org,
    org_id: session.org_id || "",
    role: session.role,
  };
  state.people.set(session.participant, { ...state.me });

  const app = {
    state,
    agendas: [],
    conn: null,
    ui: {},
    get role() {
      return state.me.role;
    },
    get isFacilitator() {
      return state.me.role === "facilitator";
    },
    get canAct() {
      return state.me.role === "facilitator" || state.me.role === "member";
    },
    send,
    announce,
    notify: null,
    selectTab: null,
    // What the record and this browser's guard know to hold personal
    // information (views/pii_guard.js).
    piiMarks: createPiiMarks(),
    loadRecord,
    // Views ask for a render of their own topic after a local change
    // (a toggle, a reordered ballot) with app.refresh(topic).
    refresh: (topic) => scheduleRender(new Set([topic])),
  };

  // ---- layout -------------------------------------------------------------
  const liveRegion = h("div", { class: "vh", "aria-live": "polite", "aria-atomic": "true", id: "announcer" });
  const toasts = createToasts();
  app.notify = toasts.show;
  setOnFieldCorrected(toasts.clearErrors);

  const header = buildHeader();
  const confidentiality = createConfidentiality(app);
  const agenda = createAgendaView(app);
  const presence = createPresenceView(app);
  const views = {
    board: createBoardView(app),
    ranking: createRankingView(app),
    proposals: createProposalView(app),
    roles: createRoleView(app),
    indicators: createIndicatorView(app),
    themes: createThemeView(app),
  };
  // One-on-ones: 提起・上申 (views/promotion.js).
  if (state.council?.kind === "one_on_one") views.promotion = createPromotionView(app, getJson);
  const tabs = createTabs(app, [
    { id: "board", labelKey: "tab.board", view: views.board },
    { id: "ranking", labelKey: "tab.ranking", view: views.ranking },
    { id: "proposals", labelKey: "tab.proposals", view: views.proposals },
    { id: "roles", labelKey: "tab.roles", view: views.roles },
    { id: "indicators", labelKey: "tab.indicators", view: views.indicators },
    { id: "themes", labelKey: "tab.themes", view: views.themes },
    ...(views.promotion ? [{ id: "promotion", labelKey: "tab.promotion", view: views.promotion }] : []),
  ]);
  app.selectTab = tabs.select;
  // 代理入力: the facilitator's mode (views/proxy_input.js).
  app.proxy = app.isFacilitator ? createProxyInput(app, { rerender: () => renderAll() }) : null;

  const observerNote = app.canAct
    ? null
    : h("p", { class: "observer-banner", role: "note" },
        h("strong", { i18n: "observer.bannerTitle" }), " ", h("span", { i18n: "observer.bannerBody" }));

  // On narrow screens (tablets) the agenda and participants fold into a
  // strip above the work (style.css, "narrow screens"); this expands it.
  const sideToggle = h("button", {
    type: "button",
    class: "btn btn-small btn-quiet side-toggle",
    "aria-controls": "side",
    "aria-expanded": "false",
    i18n: "layout.sideShow",
    onclick: () => {
      const side = document.getElementById("side");
      const collapsed = side.classList.toggle("side-collapsed");
      sideToggle.setAttribute("aria-expanded", String(!collapsed));
      sideToggle.dataset.i18n = collapsed ? "layout.sideShow" : "layout.sideHide";
      sideToggle.textContent = t(sideToggle.dataset.i18n);
    },
  });
  root.replaceChildren(
    header.element,
    h("div", { class: "layout" },
      h("aside", { class: "side side-collapsed", id: "side", "aria-label": t("side.label"), "data-i18n-aria-label": "side.label" },
        sideToggle,
        agenda.element,
        presence.element,
        agenda.listElement,
      ),
      h("main", { id: "main", class: "work", tabindex: "-1" },
        h("h1", { class: "vh", text: state.council.name || "" }),
        observerNote,
        app.proxy?.element,
        tabs.element,
      ),
    ),
    toasts.element,
    liveRegion,
    confidentiality.element,
  );
  translateStatic(document);

  // ---- rendering ----------------------------------------------------------
  const allTopics = new Set(Object.values(TOPIC));
  let dirty = new Set();
  let renderQueued = false;

  function scheduleRender(topics) {
    for (const topic of topics) dirty.add(topic);
    if (!state.synced || renderQueued) return;
    renderQueued = true;
    queueMicrotask(renderNow);
  }

  // While someone types with an input method (Japanese IME), re-rendering
  // could replace the field under the composition: wait until it ends.
  let composing = false;
  document.addEventListener("compositionstart", () => {
    composing = true;
  });
  document.addEventListener("compositionend", () => {
    composing = false;
    if (dirty.size && state.synced && !renderQueued) {
      renderQueued = true;
      queueMicrotask(renderNow);
    }
  });

  function renderNow() {
    renderQueued = false;
    if (composing) return;
    const topics = dirty;
    dirty = new Set();
    agenda.render(topics);
    presence.render(topics);
    for (const view of Object.values(views)) view.render(topics);
    tabs.render(topics);
    if (topics.has(TOPIC.meeting)) confidentiality.update();
  }

  function renderAll() {
    dirty = new Set(allTopics);
    renderNow();
  }

  // ---- commands and messages ------------------------------------------------
  function announce(text) {
    // Clear first so the same message twice is still read out.
    liveRegion.textContent = "";
    setTimeout(() => {
      liveRegion.textContent = text;
    }, 30);
  }

  // send(op, args, {onError, onAck}) queues a command; it is delivered when
  // the connection is (again) up, exactly once.
  const callbacks = new Map();
  function send(op, args, options = {}) {
    if (!app.canAct) {
      app.notify(t("observer.cannot"), "error");
      return null;
    }
    if (app.proxy && !app.proxy.allows(op)) {
      app.notify(t("proxy.notAllowed"), "error");
      return null;
    }
    const held = Boolean(uncheckedBatch) && app.conn.state !== "online";
    const cmd = app.conn.send(op, args, { held, onBehalfOf: app.proxy?.onBehalfOf(op) });
    if (held) uncheckedBatch.ids.push(cmd.id);
    if (options.onAck || options.onError) callbacks.set(cmd.id, options);
    if (app.conn.state !== "online") app.notify(t("conn.queuedNotice"), "info");
    return cmd;
  }

  // Texts the guard could not check (offline) are held in the outbox and
  // checked when the connection is back, before they are sent; flagged ones
  // get the same warning as a new post (views/pii_guard.js).
  let uncheckedBatch = null; // {guard, entries, ids} while a guard's send() runs
  const heldBatches = [];
  app.holdUnchecked = (guard, entries, sendIt) => {
    const batch = { guard, entries, ids: [], checking: false };
    uncheckedBatch = batch;
    try {
      sendIt();
    } finally {
      uncheckedBatch = null;
    }
    if (batch.ids.length) heldBatches.push(batch);
  };
  async function recheckHeld() {
    for (const batch of heldBatches.slice()) {
      if (batch.checking) continue;
      batch.checking = true;
      const results = await Promise.all(batch.entries.map((entry) => checkText(entry.text).then((findings) => ({ entry, findings }))));
      heldBatches.splice(heldBatches.indexOf(batch), 1);
      const release = () => {
        for (const id of batch.ids) app.conn.release(id);
      };
      if (results.some((r) => r.findings === null) || !results.some((r) => r.findings.length)) {
        release();
        continue;
      }
      batch.guard.holdFlagged(results, {
        send: release,
        cancel: () => {
          for (const id of batch.ids) if (app.conn.cancel(id)) callbacks.delete(id);
        },
      });
    }
  }

  let gapSeenAt = -1;
  // True between this connection's `synced` and its end: only then is an
  // event's time "now" on the server (used for the clock offset).
  let live = false;
  const handlers = {
    since: () => state.head,
    welcome(msg) {
      live = false;
      if (msg.council) state.council = { ...state.council, ...msg.council };
      if (msg.me) {
        // While entering for someone (代理入力) the screen keeps their view.
        const self = { ...(app.proxy ? app.proxy.self() : state.me), ...msg.me };
        if (app.proxy) app.proxy.setSelf(self);
        else state.me = self;
        state.people.set(self.participant, { ...self });
      }
      header.renderIdentity();
    },
    event(msg) {
      if (msg.seq <= state.head) return true; // already applied (catch-up overlap)
      if (msg.seq !== state.head + 1 && gapSeenAt !== state.head) {
        // A gap: reconnect and catch up from head (once; should it recur,
        // go on rather than loop).
        gapSeenAt = state.head;
        return false;
      }
      const topics = applyEvent(state, msg);
      if (topics) {
        app.clock.observe(msg, live);
        scheduleRender(topics);
      }
      return true;
    },
    synced() {
      live = true;
      const first = !state.synced;
      state.synced = true;
      if (first) renderAll();
      else scheduleRender(new Set());
      if (heldBatches.length) recheckHeld();
    },
    presence(msg) {
      state.presence = Array.isArray(msg.connected) ? msg.connected : [];
      for (const p of state.presence) {
        if (p.participant) state.people.set(p.participant, { ...state.people.get(p.participant), ...p });
      }
      scheduleRender(new Set([TOPIC.people]));
    },
    ack(cmd) {
      toasts.clearErrors();
      const cb = callbacks.get(cmd.id);
      callbacks.delete(cmd.id);
      cb?.onAck?.(cmd);
    },
    error(cmd, msg) {
      const cb = cmd ? callbacks.get(cmd.id) : null;
      if (cmd) callbacks.delete(cmd.id);
      const text = serverMessage(msg.message) || t(`error.${msg.code}`) || msg.code;
      app.notify(t("error.commandFailed", { message: text }), "error");
      cb?.onError?.(cmd, msg);
    },
    status(status) {
      if (status.state !== "online") live = false;
      else toasts.dismiss(t("conn.queuedNotice"));
      header.renderConnection(status);
    },
    unauthorized() {
      onSignedOut("expired");
    },
  };

  // Server clock offset, estimated from live events (their `at` is the
  // server's time when it accepted them), so a countdown agrees on every
  // screen even when a meeting-room PC's clock is off.
  app.clock = {
    offset: 0,
    samples: 0,
    observe(ev, live) {
      if (!live || !ev.at) return;
      const server = Date.parse(ev.at);
      if (Number.isNaN(server)) return;
      const offset = Date.now() - server;
      // Network delay only adds to the offset: keep the smallest seen.
      this.offset = this.samples === 0 ? offset : Math.min(this.offset, offset);
      this.samples += 1;
    },
    now() {
      // Ignore offsets under a second: they are delay, not a wrong clock.
      return Math.abs(this.offset) < 1000 ? Date.now() : Date.now() - this.offset;
    },
  };

  // ---- header -----------------------------------------------------------------
  function buildHeader() {
    const councilName = h("span", { class: "council-name" });
    const councilKind = h("span", { class: "badge badge-quiet" });
    const connDot = h("span", { class: "conn-dot", "aria-hidden": "true" });
    const connText = h("span", { class: "conn-text" });
    const connPending = h("span", { class: "conn-pending" });
    const retryButton = h("button", {
      type: "button",
      class: "btn btn-small btn-quiet",
      hidden: true,
      i18n: "conn.retryNow",
      onclick: () => app.conn?.reconnectNow(),
    });
    const conn = h("div", { class: "conn conn-connecting", role: "status", "aria-live": "polite" },
      connDot, connText, connPending);
    const meName = h("span", { class: "me-name" });
    const meOrg = h("span", { class: "me-org" });
    const meRole = h("span", { class: "badge" });
    const langGroup = h("div", { class: "lang-switch", role: "group", "aria-label": "表示言語 / Language" },
      h("button", { type: "button", lang: "ja", text: "日本語", "aria-pressed": "true", onclick: () => setLang("ja") }),
      h("button", { type: "button", lang: "en", text: "English", "aria-pressed": "false", onclick: () => setLang("en") }),
    );
    const logout = h("button", { type: "button", class: "btn btn-small btn-quiet", i18n: signedIn ? "acc.signOut" : "header.logout", onclick: doLogout });
    // A signed-in person's way back to their councils.
    const home = signedIn ? h("a", { class: "btn btn-small btn-quiet header-home-link", href: "/", i18n: "acc.nav.home" }) : null;

    const element = h("header", { class: "appbar" },
      h("a", { class: "skip", href: "#main", i18n: "app.skip" }),
      h("div", { class: "appbar-row" },
        h("p", { class: "appbar-brand" },
          h("span", { class: "mark", "aria-hidden": "true", text: "連" }),
          h("span", { class: "vh", text: "Renkei" }),
          councilName,
          councilKind,
        ),
        h("div", { class: "appbar-tools" },
          h("div", { class: "conn-wrap" }, conn, retryButton),
          h("p", { class: "me", "aria-label": t("header.me"), "data-i18n-aria-label": "header.me" }, meName, meOrg, meRole),
          home,
          h("a", { class: "btn btn-small btn-quiet header-record-link", href: `/councils/${encodeURIComponent(state.council.id)}/record`, i18n: "pg.meetingLink" }),
          langGroup,
          logout,
        ),
      ),
    );

    let lastStatus = { state: "connecting", pending: 0 };
    function renderConnection(status = lastStatus) {
      lastStatus = status;
      conn.className = `conn conn-${status.state}`;
      connText.textContent = t(`conn.${status.state}`);
      connPending.textContent = status.pending > 0 ? t("conn.pending", { n: status.pending }) : "";
      retryButton.hidden = !(status.state === "offline" || status.state === "reconnecting");
    }

    function renderIdentity() {
      councilName.textContent = state.council.name || "";
      councilName.title = state.council.name || "";
      councilKind.textContent = t(state.council.kind === "one_on_one" ? "council.kindOneOnOne" : "council.kindCouncil");
      // Who is signed in, also while entering for someone (代理入力).
      const me = app.proxy ? app.proxy.self() : state.me;
      meName.textContent = me.name || "";
      meOrg.textContent = me.org || "";
      meRole.textContent = t(ROLE_KEYS[me.role] || "role.member");
      meRole.className = `badge badge-role-${me.role}`;
      for (const b of langGroup.querySelectorAll("button")) {
        b.setAttribute("aria-pressed", String(b.lang === lang()));
      }
    }

    async function doLogout() {
      try {
        await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
      } catch {
        /* the cookie is HttpOnly: nothing else to clear here */
      }
      app.conn?.stop();
      onSignedOut("logout");
    }

    renderIdentity();
    renderConnection();
    return { element, renderConnection, renderIdentity };
  }

  // ---- the record -----------------------------------------------------------
  // GET …/record: participants who never connected, the personal-information
  // flags of items, and who acknowledged a closed session. Read at start and
  // again when a closed meeting starts (views/confidentiality.js); one
  // request at a time.
  let recordRequest = null;
  function loadRecord() {
    if (recordRequest) return recordRequest;
    recordRequest = getJson(`/api/councils/${encodeURIComponent(state.council.id)}/record`)
      .then((record) => {
        for (const p of record.participants || []) {
          state.people.set(p.participant, { ...p, ...state.people.get(p.participant) });
        }
        app.piiMarks.fromRecord(record);
        confidentiality.fromRecord(record);
        scheduleRender(new Set([TOPIC.people, TOPIC.issues, TOPIC.roles, TOPIC.proposals]));
        return record;
      })
      .finally(() => {
        recordRequest = null;
      });
    return recordRequest;
  }

  // ---- start -------------------------------------------------------------------
  function start() {
    getJson("/api/agendas")
      .then((list) => {
        app.agendas = Array.isArray(list) ? list : [];
        scheduleRender(new Set([TOPIC.meeting]));
      })
      .catch(() => {});
    loadRecord().catch(() => {});
    app.conn = new Connection(state.council.id, handlers);
    app.conn.start();
    setInterval(() => agenda.tick(), 1000);
  }

  function relabel() {
    translateStatic(document);
    for (const view of Object.values(views)) view.relabel?.();
    app.proxy?.relabel();
    header.renderIdentity();
    header.renderConnection();
    renderAll();
  }

  return { start, relabel, app };
}
