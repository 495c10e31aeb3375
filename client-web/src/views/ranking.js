// Priority rankings (優先順位づけ): opening and closing (facilitator), ballots
// (ordered list by drag or keyboard, or dots), and results as a chart.
import { h, field, replaceKeepingFocus, nextId } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { TOPIC, activeIssues, presentWithout, rankingStatus } from "../state.js";
import { chartBox, barConfig, pruneCharts, COLORS } from "../charts.js";
import { observerNote, shorten, section, personText, itemText, rankingName } from "./common.js";
import { proxyLabel, proxyMineNote } from "./proxy_input.js";
import { askDialog, pendingList } from "./dialog.js";

const METHODS = ["schulze", "borda", "dots"];

export function createRankingView(app) {
  const { state } = app;
  const ballots = new Map(); // ranking id -> {order, dots, sentOrder, sentDots}
  let dragging = null;
  let renderPending = false;

  // ---- open form (facilitator; kept across renders) ----
  const chosen = new Set();
  let chosenTouched = false;
  const candidateBox = h("div", { class: "checklist", role: "group", "aria-label": t("ranking.candidates"), "data-i18n-aria-label": "ranking.candidates" });
  const methodBox = h("div", { class: "radio-cards", role: "radiogroup", "aria-label": t("ranking.method"), "data-i18n-aria-label": "ranking.method" });
  const dotsInput = h("input", { type: "number", min: 1, max: 100, step: 1, value: "3", name: "dots", dataset: { focusKey: "open-dots" } });
  const dotsField = field("ranking.dotsPerPerson", dotsInput, { class: "narrow" });
  let method = "borda";
  const openForm = h("form", { class: "stack", novalidate: true },
    h("fieldset", { class: "fieldset" },
      h("legend", { i18n: "ranking.candidates" }),
      h("div", { class: "row" },
        h("button", { type: "button", class: "btn btn-small btn-quiet", i18n: "ranking.selectAll", onclick: () => selectAll(true) }),
        h("button", { type: "button", class: "btn btn-small btn-quiet", i18n: "ranking.selectNone", onclick: () => selectAll(false) })),
      candidateBox),
    h("fieldset", { class: "fieldset" }, h("legend", { i18n: "ranking.method" }), methodBox),
    dotsField,
    h("button", { type: "submit", class: "btn btn-primary", i18n: "ranking.open" }),
  );
  openForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const candidates = activeIssues(state).map((i) => i.id).filter((id) => chosen.has(id));
    if (candidates.length < 2) {
      app.notify(t("ranking.needTwo"), "error");
      return;
    }
    const args = { candidates, method };
    if (method === "dots") {
      const n = Number(dotsInput.value);
      if (!Number.isInteger(n) || n < 1 || n > 100) {
        app.notify(t("ranking.dotsInvalid"), "error");
        dotsInput.focus();
        return;
      }
      args.dots = n;
    }
    app.send("ranking.open", args, { onAck: () => app.announce(t("ranking.opened")) });
    chosen.clear();
    chosenTouched = false;
    renderCandidates();
  });

  function selectAll(on) {
    chosenTouched = true;
    chosen.clear();
    if (on) for (const i of activeIssues(state)) chosen.add(i.id);
    renderCandidates();
  }

  function renderCandidates() {
    const issues = activeIssues(state);
    if (!chosenTouched) for (const i of issues) chosen.add(i.id);
    for (const id of [...chosen]) if (!issues.some((i) => i.id === id)) chosen.delete(id);
    if (!issues.length) {
      replaceKeepingFocus(candidateBox, h("p", { class: "empty small", i18n: "ranking.noIssues" }));
      return;
    }
    replaceKeepingFocus(candidateBox,
      issues.map((issue) => {
        const id = nextId("cand");
        return h("div", { class: "check" },
          h("input", {
            type: "checkbox",
            id,
            checked: chosen.has(issue.id),
            dataset: { focusKey: `cand-${issue.id}` },
            onchange: (e) => {
              chosenTouched = true;
              if (e.currentTarget.checked) chosen.add(issue.id);
              else chosen.delete(issue.id);
            },
          }),
          h("label", { for: id },
            h("span", { text: issue.text }),
            h("span", { class: "small muted", text: ` — ${issue.by?.org || ""}` })));
      }));
  }

  function renderMethods() {
    replaceKeepingFocus(methodBox,
      METHODS.map((m) => {
        const id = nextId("method");
        return h("div", { class: "radio-card" },
          h("input", {
            type: "radio",
            name: "ranking-method",
            id,
            value: m,
            checked: method === m,
            dataset: { focusKey: `method-${m}` },
            onchange: () => {
              method = m;
              dotsField.hidden = method !== "dots";
            },
          }),
          h("label", { for: id },
            h("strong", { text: t(`method.${m}`) }),
            h("span", { class: "small muted", text: t(`method.${m}.hint`) })));
      }));
    dotsField.hidden = method !== "dots";
  }

  // ---- layout ----
  const openList = h("div", { class: "stack" });
  const closedList = h("div", { class: "stack" });
  // While a vote is open the setup form gives way to the live ballot; the
  // facilitator can still bring it back for the next vote.
  const setupSection = app.isFacilitator ? section("ranking.openTitle", openForm) : null;
  let setupWanted = false;
  const setupToggle = h("button", {
    type: "button",
    class: "btn btn-small btn-quiet setup-toggle",
    hidden: true,
    "aria-expanded": "false",
    dataset: { focusKey: "ranking-setup-toggle" },
    onclick: () => {
      setupWanted = !setupWanted;
      layoutSetup();
    },
  });
  function layoutSetup() {
    if (!setupSection) return;
    const anyOpen = [...state.rankings.values()].some((r) => r.open);
    setupSection.hidden = anyOpen && !setupWanted;
    setupToggle.hidden = !anyOpen;
    setupToggle.setAttribute("aria-expanded", String(!setupSection.hidden));
    setupToggle.textContent = t(setupSection.hidden ? "layout.setupShow" : "layout.setupHide");
    if (anyOpen) element.appendChild(setupSection); // below the ballot
    else element.prepend(setupSection);
  }
  const element = h("div", { class: "view view-ranking" },
    setupSection,
    h("section", { class: "card", "aria-labelledby": "ranking-open-title" },
      h("h2", { class: "card-title", id: "ranking-open-title", i18n: "ranking.openListTitle" }),
      app.canAct ? null : observerNote(),
      openList,
      app.isFacilitator ? h("div", { class: "row row-end-only" }, setupToggle) : null),
    h("section", { class: "card", "aria-labelledby": "ranking-results-title" },
      h("h2", { class: "card-title", id: "ranking-results-title", i18n: "ranking.resultsTitle" }),
      closedList),
  );

  // ---- ballots ----
  function ballotFor(r) {
    let b = ballots.get(r.id);
    if (!b) {
      b = { order: [...r.candidates], dots: {}, sentOrder: null, sentDots: null };
      ballots.set(r.id, b);
    }
    return b;
  }

  function issueText(id) {
    return itemText(state.issues.get(id));
  }

  function voterCount() {
    let n = 0;
    for (const p of state.people.values()) if (p.role === "facilitator" || p.role === "member") n += 1;
    return n;
  }

  function openRankingCard(r) {
    const iVoted = r.voters.has(state.me.participant);
    const total = voterCount();
    const card = h("article", { class: "subcard ranking-open", dataset: { ranking: r.id } },
      h("div", { class: "card-head" },
        h("h3", { class: "subcard-title" },
          h("span", { class: "badge badge-live", i18n: "ranking.live" }), " ",
          h("span", { text: t(`method.${r.method}`) }),
          r.method === "dots" ? h("span", { class: "muted small", text: ` ${t("ranking.dotsEach", { n: r.dots })}` }) : null),
        h("p", { class: "ballot-count", "aria-live": "polite", text: total ? t("ranking.votedOf", { n: r.ballots, total }) : t("ranking.voted", { n: r.ballots }) })),
      h("p", { class: "small muted", text: t("ranking.openedAt", { at: formatTime(r.openedAt), n: r.candidates.length }) }),
      app.proxy?.active() ? null : proxyMineNote("proxy.mineBallot", r.enteredBy?.get(state.me.participant)),
    );
    if (app.canAct) {
      card.appendChild(r.method === "dots" ? dotsBallot(r) : orderBallot(r));
      if (iVoted) card.appendChild(h("p", { class: "ok-note", i18n: "ranking.youVoted" }));
    } else {
      card.appendChild(h("ul", { class: "plain-list" }, r.candidates.map((id) => h("li", { text: issueText(id) }))));
    }
    if (app.isFacilitator) {
      card.appendChild(
        h("div", { class: "row row-end-only" },
          h("button", {
            type: "button",
            class: "btn",
            dataset: { focusKey: `close-${r.id}` },
            i18n: "ranking.close",
            onclick: () => askClose(r),
          })),
      );
    }
    return card;
  }

  // Ranked ballot: drag by the handle, or the ↑ ↓ buttons, or Alt+↑/↓ on an item.
  function orderBallot(r) {
    const b = ballotFor(r);
    const listId = nextId("ballot");
    const help = h("p", { class: "hint", id: `${listId}-help`, i18n: "ranking.orderHelp" });
    const list = h("ol", { class: "ballot", id: listId, "aria-describedby": help.id, "aria-label": t("ranking.ballotLabel") });
    fillOrderList(r, list);
    const changed = b.sentOrder && b.sentOrder.join() !== b.order.join();
    const submit = h("form", { class: "row row-end-only" },
      changed ? h("span", { class: "small warn-text", i18n: "ranking.unsent" }) : null,
      h("button", { type: "submit", class: "btn btn-primary", dataset: { focusKey: `vote-${r.id}` }, text: t(r.voters.has(state.me.participant) ? "ranking.revote" : "ranking.vote") }));
    submit.addEventListener("submit", (e) => {
      e.preventDefault();
      const order = [...b.order];
      app.send("ranking.ballot", { ranking: r.id, order }, {
        onAck: () => {
          b.sentOrder = order;
          app.announce(t("ranking.ballotSent"));
          app.refresh(TOPIC.rankings);
        },
      });
    });
    return h("div", { class: "ballot-wrap" }, help, list, submit);
  }

  function fillOrderList(r, list) {
    const b = ballotFor(r);
    const n = b.order.length;
    replaceKeepingFocus(list,
      b.order.map((id, index) => {
        const text = issueText(id);
        const short = shorten(text, 40);
        const handle = h("span", { class: "drag-handle", "aria-hidden": "true", title: t("ranking.dragTitle"), text: "⠿" });
        const li = h("li", {
          class: "ballot-item",
          tabIndex: 0,
          dataset: { focusKey: `b-${r.id}-${id}`, issue: id },
          "aria-label": t("ranking.itemLabel", { rank: index + 1, total: n, text }),
        },
          handle,
          h("span", { class: "ballot-rank", "aria-hidden": "true", text: String(index + 1) }),
          h("span", { class: "ballot-text", text }),
          h("span", { class: "ballot-move" },
            h("button", {
              type: "button",
              class: "icon-btn",
              disabled: index === 0,
              dataset: { focusKey: `b-${r.id}-${id}-up` },
              "aria-label": t("ranking.moveUp", { text: short }),
              text: "↑",
              onclick: () => move(r, list, id, -1, "up"),
            }),
            h("button", {
              type: "button",
              class: "icon-btn",
              disabled: index === n - 1,
              dataset: { focusKey: `b-${r.id}-${id}-down` },
              "aria-label": t("ranking.moveDown", { text: short }),
              text: "↓",
              onclick: () => move(r, list, id, +1, "down"),
            })),
        );
        li.addEventListener("keydown", (e) => {
          if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
            e.preventDefault();
            move(r, list, id, e.key === "ArrowUp" ? -1 : +1, null);
          } else if (!e.altKey && e.target === li && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
            e.preventDefault();
            const sibling = e.key === "ArrowUp" ? li.previousElementSibling : li.nextElementSibling;
            sibling?.focus();
          }
        });
        handle.addEventListener("pointerdown", (e) => startDrag(e, r, list, li, id));
        return li;
      }));
  }

  function move(r, list, id, delta, button) {
    const b = ballotFor(r);
    const from = b.order.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= b.order.length) return;
    b.order.splice(from, 1);
    b.order.splice(to, 0, id);
    // Keep focus on the moved item: on the same button while it can still
    // be pressed, otherwise on the item itself.
    fillOrderList(r, list);
    const targetButton = button ? list.querySelector(`[data-focus-key="b-${r.id}-${id}-${button}"]`) : null;
    if (targetButton && !targetButton.disabled) targetButton.focus();
    else list.querySelector(`[data-focus-key="b-${r.id}-${id}"]`)?.focus();
    app.announce(t("ranking.moved", { text: shorten(issueText(id), 40), rank: to + 1, total: b.order.length }));
    markUnsent(r, list);
  }

  function markUnsent(r, list) {
    const b = ballotFor(r);
    const wrap = list.parentElement;
    const form = wrap?.querySelector("form");
    if (!form) return;
    let note = form.querySelector(".warn-text");
    const changed = b.sentOrder && b.sentOrder.join() !== b.order.join();
    if (changed && !note) {
      note = h("span", { class: "small warn-text", i18n: "ranking.unsent" });
      form.prepend(note);
    } else if (!changed && note) note.remove();
  }

  // Pointer drag (mouse, pen and touch alike): the item follows the pointer
  // among its siblings; the order is taken on release.
  function startDrag(e, r, list, li, id) {
    if (e.button !== 0) return;
    e.preventDefault();
    dragging = { r, list, li, id };
    li.classList.add("dragging");
    list.classList.add("is-dragging");
    const onMove = (ev) => {
      const siblings = [...list.children].filter((x) => x !== li);
      let before = null;
      for (const s of siblings) {
        const rect = s.getBoundingClientRect();
        if (ev.clientY < rect.top + rect.height / 2) {
          before = s;
          break;
        }
      }
      if (before !== li.nextElementSibling || (before === null && li !== list.lastElementChild)) {
        list.insertBefore(li, before);
      }
    };
    const onUp = () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onUp);
      const b = ballotFor(r);
      const order = [...list.children].map((x) => x.dataset.issue);
      const moved = order.join() !== b.order.join();
      b.order = order;
      dragging = null;
      list.classList.remove("is-dragging");
      fillOrderList(r, list);
      list.querySelector(`[data-focus-key="b-${r.id}-${id}"]`)?.focus();
      if (moved) {
        app.announce(t("ranking.moved", { text: shorten(issueText(id), 40), rank: order.indexOf(id) + 1, total: order.length }));
        markUnsent(r, list);
      }
      if (renderPending) {
        renderPending = false;
        renderLists();
      }
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onUp);
  }

  // Dot ballot: − / + per candidate, the remaining dots always visible.
  function dotsBallot(r) {
    const b = ballotFor(r);
    const used = Object.values(b.dots).reduce((s, n) => s + n, 0);
    const left = r.dots - used;
    const remaining = h("p", { class: `dots-left${left === 0 ? " dots-left-done" : ""}`, "aria-live": "polite", text: t("ranking.dotsLeft", { left, total: r.dots }) });
    const rows = r.candidates.map((id) => {
      const n = b.dots[id] || 0;
      const text = issueText(id);
      const short = shorten(text, 40);
      const change = (delta) => {
        const next = Math.max(0, (b.dots[id] || 0) + delta);
        const usedNow = Object.values(b.dots).reduce((s, x) => s + x, 0) - (b.dots[id] || 0) + next;
        if (usedNow > r.dots) return;
        if (next) b.dots[id] = next;
        else delete b.dots[id];
        renderLists();
        const leftNow = r.dots - usedNow;
        app.announce(t("ranking.dotsChanged", { text: short, n: next, left: leftNow }));
      };
      return h("li", { class: "dots-item", dataset: { issue: id } },
        h("span", { class: "ballot-text", text }),
        h("span", { class: "dots-control" },
          h("button", { type: "button", class: "icon-btn", disabled: n === 0, dataset: { focusKey: `d-${r.id}-${id}-minus` }, "aria-label": t("ranking.dotMinus", { text: short }), text: "−", onclick: () => change(-1) }),
          h("span", { class: "dots-count", "aria-label": t("ranking.dotCount", { n }) },
            h("span", { class: "dots-pips", "aria-hidden": "true", text: "●".repeat(Math.min(n, 10)) + (n > 10 ? "…" : "") }),
            h("span", { class: "dots-number", text: String(n) })),
          h("button", { type: "button", class: "icon-btn", disabled: left === 0, dataset: { focusKey: `d-${r.id}-${id}-plus` }, "aria-label": t("ranking.dotPlus", { text: short }), text: "+", onclick: () => change(+1) })));
    });
    const form = h("form", { class: "row row-end-only" },
      h("button", { type: "submit", class: "btn btn-primary", disabled: used === 0, dataset: { focusKey: `vote-${r.id}` }, text: t(r.voters.has(state.me.participant) ? "ranking.revote" : "ranking.voteDots") }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const dots = { ...b.dots };
      if (!Object.keys(dots).length) return;
      app.send("ranking.ballot", { ranking: r.id, dots }, { onAck: () => app.announce(t("ranking.ballotSent")) });
    });
    return h("div", { class: "ballot-wrap" }, h("p", { class: "hint", i18n: "ranking.dotsHelp" }), remaining, h("ul", { class: "dots-list" }, rows), form);
  }

  // Closing decides: asked in a dialog that names who present has not voted.
  function askClose(r) {
    askDialog({
      title: t("ranking.closeAsk", { name: rankingName(r) }),
      body: [
        h("p", { text: t("ranking.closeAskVoted", { n: r.ballots }) }),
        pendingList("ranking.notVoted", presentWithout(state, r.voters), personText),
        h("p", { class: "small muted", i18n: "ranking.closeAskNote" }),
      ],
      confirmText: t("ranking.closeDo"),
      onConfirm: () => app.send("ranking.close", { ranking: r.id }, { onAck: () => app.announce(t("ranking.closed")) }),
    });
  }

  // Whether this result counts (決定), waits for an adoption (採用待ち) or is
  // for reference (参考); the facilitator adopts one with 「この結果を採用」.
  function statusLine(r) {
    const status = rankingStatus(state, r);
    const parts = [h("span", { class: `badge badge-ranking-${status}`, text: t(`ranking.status.${status}`) })];
    if (r.adopted) parts.push(h("span", { class: "small muted", text: t("ranking.adoptedAt", { at: formatTime(r.adopted.at) }) }));
    if (app.isFacilitator && !(r.adopted && status === "decision")) {
      parts.push(h("button", {
        type: "button",
        class: "btn btn-small btn-primary",
        dataset: { focusKey: `adopt-${r.id}` },
        i18n: "ranking.adopt",
        onclick: () => app.send("ranking.adopt", { ranking: r.id }, { onAck: () => app.announce(t("ranking.adopted")) }),
      }));
    }
    return h("p", { class: "ranking-status row" }, parts);
  }

  // ---- results ----
  function resultCard(r) {
    const rows = r.result || [];
    const axisKey = `ranking.axis.${r.method}`;
    const labels = rows.map((row) => `${t("issue.rank", { n: row.rank })} ${shorten(issueText(row.issue), 22)}`);
    const summary = rows.map((row) => t("ranking.resultRow", { rank: row.rank, text: shorten(issueText(row.issue), 40), score: row.score })).join("、");
    const chart = chartBox(`rank-${r.id}`, barConfig({
      labels,
      values: rows.map((row) => row.score),
      colors: rows.map((row) => (row.rank === 1 ? COLORS.accentStrong : COLORS.accentSoft)),
      axisTitle: t(axisKey),
      tooltipLabel: (ctx) => `${t(axisKey)}: ${ctx.parsed.x}`,
    }), { label: t("ranking.chartLabel", { summary }), height: 56 + rows.length * 40 });
    return h("article", { class: "subcard ranking-result", dataset: { ranking: r.id } },
      h("div", { class: "card-head" },
        h("h3", { class: "subcard-title" }, h("span", { text: rankingName(r) })),
        h("p", { class: "result-meta" },
          h("span", { class: "badge badge-quiet", text: t("ranking.ballots", { n: r.ballots }) }),
          h("span", { class: "small muted", text: t("ranking.closedAt", { at: formatTime(r.closedAt) }) }))),
      statusLine(r),
      chart,
      h("details", { class: "result-table" },
        h("summary", { i18n: "ranking.asTable" }),
        h("table", { class: "table" },
          h("caption", { class: "vh", text: t("ranking.tableCaption", { n: r.ballots }) }),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", i18n: "ranking.col.rank" }),
            h("th", { scope: "col", i18n: "ranking.col.issue" }),
            h("th", { scope: "col", text: t(axisKey) }))),
          h("tbody", {}, rows.map((row) =>
            h("tr", {},
              h("td", { class: "num", text: t("issue.rank", { n: row.rank }) }),
              h("td", { text: issueText(row.issue) }),
              h("td", { class: "num", text: String(row.score) })))))),
    );
  }

  function renderLists() {
    if (dragging) {
      renderPending = true;
      return;
    }
    const rankings = [...state.rankings.values()];
    const open = rankings.filter((r) => r.open);
    const closed = rankings.filter((r) => !r.open).reverse();
    for (const id of [...ballots.keys()]) if (!state.rankings.get(id)?.open) ballots.delete(id);
    replaceKeepingFocus(openList, open.length ? open.map(openRankingCard) : h("p", { class: "empty", i18n: "ranking.noneOpen" }));
    if (!open.length) setupWanted = false;
    layoutSetup();
    const keep = new Set(closed.map((r) => `rank-${r.id}`));
    replaceKeepingFocus(closedList, closed.length ? closed.map(resultCard) : h("p", { class: "empty", i18n: "ranking.noResults" }));
    pruneCharts("rank-", keep);
  }

  function render(topics) {
    if (topics.has(TOPIC.issues) && app.isFacilitator) renderCandidates();
    if (topics.has(TOPIC.rankings) || topics.has(TOPIC.issues) || topics.has(TOPIC.people)) renderLists();
  }

  if (app.isFacilitator) renderMethods();

  function badge() {
    const open = [...state.rankings.values()].filter((r) => r.open);
    if (!open.length) return null;
    const waiting = app.canAct && open.some((r) => !r.voters.has(state.me.participant));
    return { text: waiting ? t("ranking.badgeVote") : String(open.length), attention: waiting, description: t("ranking.badgeDesc", { n: open.length }) };
  }

  return { element, render, badge, relabel: renderMethods };
}
