// The agenda panel (次第): the live meeting, its current item with purpose,
// stages and a countdown of its timebox, the whole agenda, and — for the
// facilitator — starting, moving through and ending the meeting.
import { h, field, replaceKeepingFocus, nextId } from "../dom.js";
import { t, pick, formatTime, formatDate } from "../i18n.js";
import { liveMeeting, lastMeeting, todayYMD, TOPIC, meetingOutcome } from "../state.js";
import { stageChip, ACTION_TABS, itemText, rankingName, shorten } from "./common.js";
import { askDialog } from "./dialog.js";
import { minutesHref } from "../pages/shared.js";

export function createAgendaView(app) {
  const { state } = app;
  // On a narrow screen the agenda folds into a strip, so the work of the
  // current item is what shows: when the item changes, its first task's tab
  // opens (not while someone is typing in a field).
  let shownItem = null;
  function showTaskOnNarrow(itemKey, actions) {
    if (itemKey === shownItem) return;
    shownItem = itemKey;
    if (!actions.length || !window.matchMedia?.("(max-width: 1099px)").matches) return;
    const active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value) return;
    app.selectTab(ACTION_TABS[actions[0]], { focus: false });
  }
  const body = h("div", { class: "agenda-body" }, h("p", { class: "muted", i18n: "app.loading" }));
  const heading = h("h2", { class: "panel-title", id: nextId("agenda"), i18n: "agenda.title" });
  const element = h("section", { class: "panel agenda", "aria-labelledby": heading.id }, heading, body);
  const listPanel = h("section", { class: "panel agenda-list-panel", hidden: true, "aria-label": t("agenda.listLabel"), "data-i18n-aria-label": "agenda.listLabel" });

  // Timer parts, updated every second by tick() without re-rendering.
  let timer = null; // {box, value, label, bar, meeting, item}
  const overtimeSeen = new Map();
  let agendaOpen = null; // the user's choice for the full agenda list

  // The start form is built once and kept, so what the facilitator typed
  // survives re-renders.
  const startForm = buildStartForm();

  function buildStartForm() {
    const select = h("select", { name: "agenda", dataset: { focusKey: "start-agenda" } });
    const title = h("input", { type: "text", name: "title", maxLength: 200, required: true, autocomplete: "off", dataset: { focusKey: "start-title" } });
    let titleEdited = false;
    title.addEventListener("input", () => {
      titleEdited = true;
    });
    select.addEventListener("change", () => {
      if (!titleEdited) title.value = defaultTitle(select.value);
    });
    // 公開 (open, the default) or 非公開 (closed: everyone is asked to
    // acknowledge confidentiality).
    const sessionHint = h("p", { class: "hint", id: nextId("hint"), i18n: "session.hint" });
    const sessionRadios = ["open", "closed"].map((value) =>
      h("input", { type: "radio", name: "meeting-session", id: nextId("session"), value, checked: value === "open", dataset: { focusKey: `start-session-${value}` } }));
    const sessionBox = h("fieldset", { class: "fieldset session-choice", "aria-describedby": sessionHint.id },
      h("legend", { i18n: "session.legend" }),
      h("div", { class: "segmented" },
        sessionRadios.map((radio) =>
          h("span", { class: "segmented-radio" }, radio, h("label", { for: radio.id, i18n: `session.${radio.value}` })))),
      sessionHint);
    const form = h("form", { class: "stack", novalidate: true },
      h("p", { class: "muted", i18n: "agenda.noneLive" }),
      field("agenda.template", select),
      field("agenda.meetingTitle", title),
      sessionBox,
      h("button", { type: "submit", class: "btn btn-primary", i18n: "agenda.start" }),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = title.value.trim();
      if (!text) {
        app.notify(t("agenda.titleRequired"), "error");
        title.focus();
        return;
      }
      const args = { title: text };
      if (select.value) args.agenda = select.value;
      args.session = sessionRadios.find((r) => r.checked)?.value || "open";
      app.send("meeting.start", args, {
        onAck: () => {
          titleEdited = false;
          // The next meeting starts as 公開 again unless chosen otherwise.
          for (const radio of sessionRadios) radio.checked = radio.value === "open";
        },
      });
    });
    function fill() {
      const chosen = select.value;
      const options = app.agendas.map((a) =>
        h("option", { value: a.id, text: t("agenda.templateOption", { title: pick(a.title), minutes: a.minutes, n: (a.items || []).length }) }),
      );
      options.push(h("option", { value: "", text: t("agenda.noTemplate") }));
      select.replaceChildren(...options);
      const preferred = app.agendas.find((a) => a.kind === (state.council?.kind === "one_on_one" ? "one_on_one" : "council"));
      select.value = chosen && [...select.options].some((o) => o.value === chosen) ? chosen : preferred?.id || select.options[0]?.value || "";
      if (!titleEdited) title.value = defaultTitle(select.value);
    }
    function defaultTitle(id) {
      const a = app.agendas.find((x) => x.id === id);
      const base = a ? pick(a.title) : state.council?.name || "";
      return `${base} ${formatDate(todayYMD())}`.trim();
    }
    return { form, fill };
  }

  function render(topics) {
    // Between meetings the panel shows the last one's summary, which follows
    // what is decided (an adoption, an agreed role) afterwards too.
    const summaryTopics = !state.liveMeeting && [TOPIC.rankings, TOPIC.proposals, TOPIC.roles, TOPIC.issues].some((x) => topics.has(x));
    if (!topics.has(TOPIC.meeting) && !summaryTopics) return;
    const m = liveMeeting(state);
    timer = null;
    if (!m) {
      replaceKeepingFocus(body, renderNoMeeting());
      listPanel.hidden = true;
      listPanel.replaceChildren();
      return;
    }
    replaceKeepingFocus(body, renderLive(m));
    const list = renderList(m);
    listPanel.hidden = !list.length;
    replaceKeepingFocus(listPanel, list);
    tick();
  }

  function renderNoMeeting() {
    const parts = [];
    const last = lastMeeting(state);
    if (last) {
      parts.push(h("p", { class: "muted", text: t("agenda.lastEnded", { title: last.title, at: formatTime(last.endedAt) }) }));
      if (last.endedAt) parts.push(summary(last));
    }
    if (app.isFacilitator) {
      startForm.fill();
      parts.push(startForm.form);
    } else {
      parts.push(h("p", { class: "empty", i18n: "agenda.noneLiveMember" }));
    }
    return parts;
  }

  function renderLive(m) {
    const items = m.items || [];
    const index = m.currentItem;
    const item = index >= 0 ? items[index] : null;
    const parts = [
      h("p", { class: "meeting-title" },
        h("span", { class: "live-dot", "aria-hidden": "true" }),
        h("span", { class: "vh", i18n: "agenda.liveNow" }),
        h("span", { text: m.title }),
        h("span", { class: `badge badge-session badge-session-${m.session}`, text: t(`session.${m.session}`) })),
      h("p", { class: "muted small", text: t("agenda.startedAt", { at: formatTime(m.startedAt) }) }),
    ];

    if (item) {
      const timerValue = h("span", { class: "timer-value" });
      const timerLabel = h("span", { class: "timer-label" });
      const bar = h("span", { class: "timer-bar-fill" });
      const box = h("div", { class: "timer", role: "timer", "aria-live": "off" },
        timerLabel, timerValue,
        h("span", { class: "timer-bar", "aria-hidden": "true" }, bar));
      timer = { box, value: timerValue, label: timerLabel, bar, meeting: m, item };
      const actions = (item.actions || []).filter((a) => ACTION_TABS[a]);
      showTaskOnNarrow(`${m.id}:${index}`, actions);
      parts.push(
        h("div", { class: "current-item", "aria-label": t("agenda.currentItem"), role: "group" },
          h("p", { class: "item-count", text: t("agenda.itemOf", { n: index + 1, total: items.length }) }),
          h("h3", { class: "item-title", text: pick(item.title) }),
          box,
          h("p", { class: "item-purpose", text: pick(item.purpose) }),
          h("div", { class: "chips", "aria-label": t("agenda.stages"), role: "group" },
            (item.stages || []).map((s) => stageChip(s))),
          actions.length
            ? h("div", { class: "item-actions" },
                h("span", { class: "small muted", i18n: "agenda.actionsHere" }),
                actions.map((a) =>
                  h("button", {
                    type: "button",
                    class: "chip chip-action",
                    text: t(`action.${a}`),
                    onclick: () => app.selectTab(ACTION_TABS[a]),
                  })))
            : null,
          reviewLink(item),
        ),
      );
    } else if (items.length) {
      parts.push(h("p", { class: "empty", i18n: app.isFacilitator ? "agenda.notStartedF" : "agenda.notStarted" }));
    } else {
      parts.push(h("p", { class: "empty", i18n: "agenda.noItems" }));
    }

    if (app.isFacilitator) parts.push(renderControls(m));

    return parts;
  }

  // An item with the action "review" links to the page of what changed
  // since the last meeting (次回に向けて).
  function reviewLink(item, className = "btn btn-small review-link") {
    if (!(item.actions || []).includes("review") || !state.council?.id) return null;
    return h("a", { class: className, href: `/councils/${encodeURIComponent(state.council.id)}/review`, text: t("rev.agendaLink") });
  }

  // The whole agenda, as a panel of its own below the participants.
  function renderList(m) {
    const items = m.items || [];
    const index = m.currentItem;
    if (!items.length) return [];
    const list = h("ol", { class: "agenda-list" },
      items.map((it, i) => {
        const state_ = i === index ? "current" : i < index ? "done" : "todo";
        const li = h("li", { class: `agenda-item agenda-${state_}`, "aria-current": i === index ? "step" : null },
          h("span", { class: "agenda-no", "aria-hidden": "true", text: String(i + 1) }),
          h("span", { class: "agenda-text" },
            h("span", { class: "agenda-item-title", text: pick(it.title) }),
            h("span", { class: "agenda-meta" },
              t("agenda.minutes", { n: it.minutes }),
              " · ",
              (it.stages || []).map((s) => t("stage.short", { n: s })).join("→"),
              i === index ? ` · ${t("agenda.inProgress")}` : ""),
            i === index ? null : reviewLink(it, "agenda-review-link small"),
          ),
          app.isFacilitator && i !== index
            ? h("button", {
                type: "button",
                class: "btn btn-small btn-quiet",
                dataset: { focusKey: `goto-${i}` },
                "aria-label": t("agenda.gotoItem", { n: i + 1, title: pick(it.title) }),
                text: t("agenda.goto"),
                onclick: () => app.send("meeting.advance", { item: i }),
              })
            : null,
        );
        return li;
      }));
    return [
      h("details", {
        class: "agenda-all",
        open: (agendaOpen ?? window.matchMedia("(min-width: 1100px)").matches) || null,
        ontoggle: (e) => {
          agendaOpen = e.currentTarget.open;
        },
      },
        h("summary", { text: t("agenda.allItems", { n: items.length, minutes: items.reduce((s, x) => s + (x.minutes || 0), 0) }) }),
        list),
    ];
  }

  function renderControls(m) {
    const items = m.items || [];
    const index = m.currentItem;
    const controls = h("div", { class: "agenda-controls", role: "group", "aria-label": t("agenda.controls") });
    if (items.length) {
      controls.append(
        h("button", {
          type: "button",
          class: "btn",
          dataset: { focusKey: "prev" },
          disabled: index <= 0,
          onclick: () => app.send("meeting.advance", { item: index - 1 }),
        }, h("span", { "aria-hidden": "true", text: "← " }), t("agenda.prev")),
        h("button", {
          type: "button",
          class: "btn btn-primary",
          dataset: { focusKey: "next" },
          disabled: index >= items.length - 1,
          onclick: () => app.send("meeting.advance", { item: index + 1 }),
        }, index < 0 ? t("agenda.first") : t("agenda.next"), h("span", { "aria-hidden": "true", text: " →" })),
      );
    }
    controls.append(
      h("button", {
        type: "button",
        class: "btn btn-quiet",
        dataset: { focusKey: "end" },
        text: t("agenda.end"),
        onclick: () => askEnd(m),
      }),
    );
    return controls;
  }

  // Ending the meeting: a dialog that says what is left open (votes,
  // proposals, agenda items never taken up).
  function askEnd(m) {
    const rankings = [...state.rankings.values()].filter((r) => r.open);
    const proposals = [...state.proposals.values()].filter((p) => p.open);
    const skipped = (m.items || []).filter((_, i) => !m.visited?.has(i) && i !== m.currentItem);
    const list = (key, rows) => rows.length
      ? [h("p", { class: "end-left-title", text: t(key, { n: rows.length }) }), h("ul", { class: "plain-list end-left" }, rows.map((text) => h("li", { text })))]
      : [];
    const left = [
      ...list("agenda.endOpenRankings", rankings.map(rankingName)),
      ...list("agenda.endOpenProposals", proposals.map((p) => shorten(itemText(p), 60))),
      ...list("agenda.endSkipped", skipped.map((it) => pick(it.title))),
    ];
    askDialog({
      title: t("agenda.endAsk"),
      body: left.length ? h("div", { class: "warn-inline end-warnings", role: "note" }, left) : h("p", { i18n: "agenda.endAllDone" }),
      confirmText: t("agenda.endDo"),
      onConfirm: () => app.send("meeting.end", {}),
    });
  }

  // 会議のまとめ, once a meeting has ended: what it decided, the 宿題, and
  // links to its minutes and to 次回に向けて.
  function summary(m) {
    const out = meetingOutcome(state, m.id);
    const decisions = [
      ...out.proposals.map((p) => t("summary.proposal", { kind: t(`proposal.kind.${p.kind}`), text: itemText(p) })),
      ...out.rankings.map((r) => t("summary.ranking", {
        name: rankingName(r),
        top: (r.result || []).filter((row) => row.rank === 1).map((row) => itemText(state.issues.get(row.issue))).join(t("pg.listSep")),
      })),
      ...out.roles.map((r) => t("summary.role", { title: itemText(r, "title"), org: r.ownerOrg })),
    ];
    const council = encodeURIComponent(state.council.id);
    return h("section", { class: "meeting-summary", "aria-labelledby": `summary-${m.id}` },
      h("h3", { class: "summary-title", id: `summary-${m.id}`, text: t("summary.title", { title: m.title }) }),
      h("h4", { i18n: "summary.decisions" }),
      decisions.length
        ? h("ul", { class: "summary-list summary-decisions" }, decisions.map((text) => h("li", { text })))
        : h("p", { class: "small muted", i18n: "summary.noDecisions" }),
      h("h4", { i18n: "summary.homework" }),
      out.homework.length
        ? h("ul", { class: "summary-list summary-homework" }, out.homework.map((r) => h("li", {},
            h("span", { text: t("summary.homeworkRow", { title: itemText(r, "title"), org: r.ownerOrg }) }), " ",
            h("span", { class: "small muted", text: r.due ? t("summary.due", { date: formatDate(r.due) }) : t("summary.noDue") }))))
        : h("p", { class: "small muted", i18n: "summary.noHomework" }),
      h("p", { class: "row summary-links" },
        h("a", { class: "btn btn-small btn-primary", href: minutesHref(state.council.id, m.id, "html"), target: "_blank", rel: "noopener", i18n: "summary.minutes" }),
        h("a", { class: "btn btn-small", href: `/councils/${council}/review`, i18n: "summary.review" })));
  }

  // Countdown of the current item: from the meeting.advanced event's time
  // plus the item's minutes, on the server's clock.
  function tick() {
    if (!timer || !timer.meeting.itemStartedAt) return;
    const total = (timer.item.minutes || 0) * 60_000;
    const started = Date.parse(timer.meeting.itemStartedAt);
    const remaining = started + total - app.clock.now();
    const over = remaining < 0;
    timer.box.classList.toggle("timer-over", over);
    timer.box.classList.toggle("timer-soon", !over && remaining < 60_000);
    timer.label.textContent = over ? t("timer.over") : t("timer.remaining");
    timer.value.textContent = (over ? "+" : "") + clock(Math.abs(remaining));
    const fraction = total > 0 ? Math.min(1, Math.max(0, 1 - remaining / total)) : 1;
    timer.bar.style.width = `${(over ? 1 : fraction) * 100}%`;
    timer.box.setAttribute("aria-label", `${timer.label.textContent} ${timer.value.textContent}`);
    // Announce overtime when it happens while watching, not on page load.
    const key = `${timer.meeting.id}:${timer.meeting.itemStartedAt}`;
    if (over && overtimeSeen.get(key) === false) {
      app.announce(t("timer.overAnnounce", { title: pick(timer.item.title) }));
    }
    overtimeSeen.set(key, over);
  }

  return { element, listElement: listPanel, render, tick };
}

function clock(ms) {
  const s = Math.floor(ms / 1000);
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
