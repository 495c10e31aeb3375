// Vision (あるべき姿) and direction (方針) proposals: the facilitator opens
// and closes them; everyone else states agree / abstain / disagree / block
// with an optional reason and sees the tally live.
import { showFieldError, withCounter, clampedText } from "../input.js";
import { h, field, replaceKeepingFocus, nextId } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { TOPIC, tallyOf, presentWithout } from "../state.js";
import { chartBox, pruneCharts, COLORS, valueLabels } from "../charts.js";
import { provenanceNote } from "./promotion.js";
import { observerNote, personText, section, shorten, redactedNote, redactButton } from "./common.js";
import { proxyLabel, proxyMineNote } from "./proxy_input.js";
import { askDialog, pendingList } from "./dialog.js";
import { createPiiGuard, piiBadge } from "./pii_guard.js";

const STANCES = ["agree", "abstain", "disagree", "block"];

export function createProposalView(app) {
  const { state } = app;
  const drafts = new Map(); // proposal id -> {stance, reason}
  const stanceGuards = new Map(); // proposal id -> guard of the stance reason

  // ---- open form (facilitator) ----
  let kind = "vision";
  const kindBox = h("div", { class: "segmented", role: "radiogroup", "aria-label": t("proposal.kind"), "data-i18n-aria-label": "proposal.kind" });
  const text = h("textarea", { rows: 3, maxLength: 2000, dataset: { focusKey: "proposal-text" } });
  const textCounter = withCounter(text);
  const openTexts = new Set(); // clamp keys of the texts expanded
  const openGuard = createPiiGuard(app, { key: "proposal" });
  openGuard.watch(text);
  // 修正して再提案: the proposal this form revises (a closed, not adopted one).
  let revising = null;
  const revisingNote = h("div", { class: "revising-note", hidden: true });
  const openForm = h("form", { class: "stack", novalidate: true },
    revisingNote,
    h("fieldset", { class: "fieldset" }, h("legend", { i18n: "proposal.kind" }), kindBox),
    field("proposal.text", text),
    textCounter,
    openGuard.element,
    h("div", { class: "row row-end-only" }, h("button", { type: "submit", class: "btn btn-primary", i18n: "proposal.open" })),
  );
  openForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return showFieldError(text, t("proposal.textRequired"));
    const typed = text.value;
    const args = { kind, text: value };
    if (revising) args.revises = revising;
    openGuard.submit([{ text: value, field: text }], () => {
      if (text.value === typed) text.value = "";
      if (args.revises === revising) revise(null);
      app.send("proposal.open", args, {
        onAck: () => app.announce(t("proposal.opened")),
        onError: () => {
          if (!text.value) text.value = value;
        },
      });
    });
  });
  function revise(p) {
    revising = p ? p.id : null;
    revisingNote.hidden = !p;
    if (!p) {
      revisingNote.replaceChildren();
      return;
    }
    kind = p.kind;
    renderKinds();
    text.value = p.text;
    revisingNote.replaceChildren(
      h("p", {},
        h("strong", { i18n: "proposal.revisingTitle" }), " ",
        h("a", { href: `#proposal-${p.id}`, text: shorten(p.text, 60) })),
      h("button", { type: "button", class: "btn btn-small btn-quiet", i18n: "proposal.revisingCancel", onclick: () => {
        revise(null);
        text.value = "";
      } }));
    openForm.scrollIntoView({ block: "start" });
    text.focus();
  }

  function renderKinds() {
    replaceKeepingFocus(kindBox,
      ["vision", "direction"].map((k) => {
        const id = nextId("kind");
        return h("span", { class: "segmented-radio" },
          h("input", { type: "radio", name: "proposal-kind", id, value: k, checked: kind === k, dataset: { focusKey: `kind-${k}` }, onchange: () => { kind = k; } }),
          h("label", { for: id, text: t(`proposal.kind.${k}`) }));
      }));
  }

  const adopted = h("div", { class: "adopted" });
  const openList = h("div", { class: "stack" });
  const closedList = h("div", { class: "stack" });
  const element = h("div", { class: "view view-proposals" },
    h("section", { class: "card card-accent", "aria-labelledby": "adopted-title" },
      h("h2", { class: "card-title", id: "adopted-title", i18n: "proposal.adoptedTitle" }),
      adopted),
    app.isFacilitator ? section("proposal.openTitle", openForm) : null,
    h("section", { class: "card", "aria-labelledby": "proposal-open-title" },
      h("h2", { class: "card-title", id: "proposal-open-title", i18n: "proposal.openListTitle" }),
      app.canAct ? null : observerNote(),
      openList),
    h("section", { class: "card", "aria-labelledby": "proposal-closed-title" },
      h("h2", { class: "card-title", id: "proposal-closed-title", i18n: "proposal.closedTitle" }),
      closedList),
  );

  function renderAdopted() {
    const vision = state.visions[state.visions.length - 1];
    replaceKeepingFocus(adopted, [
      h("h3", { class: "adopted-label", i18n: "proposal.kind.vision" }),
      vision
        ? h("blockquote", { class: "vision" }, h("p", { text: vision.text || t("redact.short") }), h("footer", { class: "small muted", text: t("proposal.adoptedAt", { at: formatTime(vision.adoptedAt) }) }))
        : h("p", { class: "empty", i18n: "proposal.noVision" }),
      h("h3", { class: "adopted-label", i18n: "proposal.directions" }),
      state.directions.length
        ? h("ol", { class: "directions" }, state.directions.map((d) => h("li", { text: d.text || t("redact.short") })))
        : h("p", { class: "empty", i18n: "proposal.noDirections" }),
    ]);
  }

  function tallyChart(p, key) {
    const tally = tallyOf(p);
    const total = STANCES.reduce((s, k) => s + tally[k], 0);
    const chart = chartBox(key, {
      type: "bar",
      plugins: [valueLabels],
      data: {
        labels: STANCES.map((k) => t(`stance.${k}`)),
        datasets: [{
          data: STANCES.map((k) => tally[k]),
          backgroundColor: STANCES.map((k) => COLORS[k]),
          borderRadius: 4,
          maxBarThickness: 26,
        }],
      },
      options: {
        indexAxis: "y",
        animation: { duration: 250 },
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, suggestedMax: Math.max(3, total), ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
      },
    }, { label: t("proposal.tallyLabel", tally), height: 150 });
    const legend = h("ul", { class: "tally-legend" },
      STANCES.map((k) => h("li", { class: `tally-${k}` },
        h("span", { class: "swatch", "aria-hidden": "true" }),
        h("span", { text: t(`stance.${k}`) }),
        h("strong", { class: "tally-n", text: String(tally[k]) }))));
    return h("div", { class: "tally" }, chart, legend);
  }

  function stanceList(p, rows = [...p.stances.values()]) {
    if (!rows.length) return h("p", { class: "small muted", i18n: "proposal.noStances" });
    return h("ul", { class: "stance-list" },
      rows.map((s) => h("li", { class: `stance-row stance-${s.stance}` },
        h("span", { class: `badge badge-${s.stance}`, text: t(`stance.${s.stance}`) }),
        h("span", { class: "stance-who", text: personText(s.by) }),
        proxyLabel(s.enteredBy),
        s.redacted ? redactedNote(s.redacted) : null,
        s.reason ? h("span", { class: "stance-reason", text: s.reason }) : null,
        s.reason ? redactButton(app, { author: s.by, target: p.id, participant: s.by?.participant, what: s.reason, focusKey: `redact-${p.id}-${s.by?.participant}` }) : null)));
  }

  // Block and disagree reasons stay in view; the other stances fold away.
  function stances(p, open) {
    const all = [...p.stances.values()];
    const concerns = all.filter((s) => s.stance === "block" || s.stance === "disagree");
    const rest = all.filter((s) => !concerns.includes(s));
    return [
      concerns.length
        ? h("div", { class: "concerns" },
            h("h4", { class: "concerns-title", text: t("proposal.concerns", { n: concerns.length }) }),
            stanceList(p, concerns))
        : null,
      h("details", { class: "stances", open: open || null },
        h("summary", { text: t(concerns.length ? "proposal.otherStancesCount" : "proposal.stancesCount", { n: rest.length }) }),
        stanceList(p, rest)),
    ];
  }

  // Those present who have not taken a stance yet.
  function pending(p) {
    return pendingList("proposal.notAnswered", presentWithout(state, p.stances), personText);
  }

  function stanceForm(p) {
    const mine = p.stances.get(state.me.participant);
    const draft = drafts.get(p.id) || { stance: mine?.stance || null, reason: "" };
    drafts.set(p.id, draft);
    if (!stanceGuards.has(p.id)) stanceGuards.set(p.id, createPiiGuard(app, { key: `stance-${p.id}` }));
    const guard = stanceGuards.get(p.id);
    const groupName = `stance-${p.id}`;
    const reasonError = h("p", { class: "field-error", id: nextId("err"), hidden: true, i18n: "proposal.blockNeedsReason" });
    const reason = h("input", {
      type: "text",
      maxLength: 2000,
      value: draft.reason,
      "aria-describedby": reasonError.id,
      dataset: { focusKey: `reason-${p.id}` },
      oninput: (e) => {
        draft.reason = e.currentTarget.value;
        if (draft.reason.trim()) showReasonError(false);
      },
    });
    const reasonLabel = h("span", { class: "optional" });
    function markRequired() {
      const required = draft.stance === "block";
      reason.required = required;
      reason.setAttribute("aria-required", String(required));
      reasonLabel.textContent = t(required ? "proposal.reasonRequired" : "form.optional");
      reasonLabel.className = required ? "required" : "optional";
      if (!required) showReasonError(false);
    }
    // Kept in the draft: a re-render (someone else's stance) keeps the error.
    function showReasonError(on) {
      draft.reasonError = on;
      reasonError.hidden = !on;
      reason.setAttribute("aria-invalid", String(on));
    }
    const reasonField = field("proposal.reason", reason);
    reasonField.querySelector("label").appendChild(reasonLabel);
    reasonField.appendChild(reasonError);
    markRequired();
    if (draft.reasonError) showReasonError(true);
    const form = h("form", { class: "stance-form", novalidate: true },
      h("fieldset", { class: "fieldset" },
        h("legend", { i18n: "proposal.yourStance" }),
        h("div", { class: "stance-options" },
          STANCES.map((k) => {
            const id = nextId("st");
            return h("span", { class: `stance-option stance-option-${k}` },
              h("input", {
                type: "radio",
                name: groupName,
                id,
                value: k,
                checked: draft.stance === k,
                dataset: { focusKey: `st-${p.id}-${k}` },
                onchange: () => {
                  draft.stance = k;
                  markRequired();
                },
              }),
              h("label", { for: id, text: t(`stance.${k}`) }));
          })),
        h("p", { class: "hint", i18n: "proposal.blockHint" })),
      reasonField,
      guard.element,
      app.proxy?.active() ? null : proxyMineNote("proxy.mineStance", mine?.enteredBy),
      h("div", { class: "row row-end-only" },
        mine ? h("span", { class: "small ok-text", text: t("proposal.yourCurrent", { stance: t(`stance.${mine.stance}`) }) }) : null,
        h("button", { type: "submit", class: "btn btn-primary", dataset: { focusKey: `stance-submit-${p.id}` }, text: t(mine ? "proposal.restate" : "proposal.state") })),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!draft.stance) {
        app.notify(t("proposal.chooseStance"), "error");
        form.querySelector("input[type=radio]")?.focus();
        return;
      }
      const args = { proposal: p.id, stance: draft.stance };
      if (draft.reason.trim()) args.reason = draft.reason.trim();
      if (args.stance === "block" && !args.reason) {
        showReasonError(true);
        reason.focus();
        return;
      }
      guard.submit([{ text: args.reason, field: reason }], () => {
        app.send("proposal.stance", args, {
          onAck: () => {
            draft.reason = "";
            app.announce(t("proposal.stanceSent", { stance: t(`stance.${args.stance}`) }));
            app.refresh(TOPIC.proposals);
          },
        });
      });
    });
    guard.watch(reason);
    return form;
  }

  function outlook(p) {
    const tally = tallyOf(p);
    const adoptedNow = tally.block === 0 && tally.agree > tally.disagree;
    return h("p", { class: `outlook ${adoptedNow ? "outlook-yes" : "outlook-no"}`, text: t(adoptedNow ? "proposal.outlookYes" : "proposal.outlookNo") });
  }

  // The record's flag (text and reasons), or what this browser's guard found.
  function proposalPii(p) {
    const badge = piiBadge(app, "proposal", p.id, [p.text, ...[...p.stances.values()].map((s) => s.reason)]);
    return badge ? h("p", { class: "pii-flag" }, badge) : null;
  }

  // The text (or its redaction), the links between a proposal and its
  // revision, and 「伏せ字にする」.
  function proposalBody(p) {
    const earlier = p.revises ? state.proposals.get(p.revises) : null;
    const later = p.revisedBy ? state.proposals.get(p.revisedBy) : null;
    return [
      earlier ? h("p", { class: "revision-link small" },
        h("span", { i18n: "proposal.revises" }), " ",
        h("a", { href: `#proposal-${earlier.id}`, text: earlier.redacted ? t("redact.short") : shorten(earlier.text, 60) })) : null,
      p.redacted ? h("p", { class: "proposal-text" }, redactedNote(p.redacted)) : clampedText("proposal-text", p.text, `proposal-${p.id}`, openTexts),
      provenanceNote(p),
      later ? h("p", { class: "revision-link small" },
        h("span", { i18n: "proposal.revisedBy" }), " ",
        h("a", { href: `#proposal-${later.id}`, text: later.redacted ? t("redact.short") : shorten(later.text, 60) })) : null,
      p.redacted ? null : h("div", { class: "row row-end-only" },
        redactButton(app, { author: p.by, target: p.id, what: p.text, focusKey: `redact-${p.id}` })),
    ];
  }

  function askClose(p) {
    const tally = tallyOf(p);
    askDialog({
      title: t("proposal.closeAsk"),
      body: [
        h("blockquote", { class: "redact-quote", text: shorten(p.text, 120) }),
        h("p", { text: t("proposal.tallyLabel", tally) }),
        pending(p),
        h("p", { class: "small muted", i18n: "proposal.closeAskNote" }),
      ],
      confirmText: t("proposal.closeDo"),
      onConfirm: () => app.send("proposal.close", { proposal: p.id }),
    });
  }

  function openCard(p) {
    return h("article", { class: "subcard proposal", id: `proposal-${p.id}`, dataset: { proposal: p.id } },
      h("div", { class: "card-head" },
        h("h3", { class: "subcard-title" },
          h("span", { class: "badge badge-live", i18n: "proposal.live" }), " ",
          h("span", { text: t(`proposal.kind.${p.kind}`) })),
        h("span", { class: "small muted", text: t("proposal.openedAt", { at: formatTime(p.openedAt) }) })),
      proposalBody(p),
      proposalPii(p),
      h("div", { class: "proposal-grid" },
        h("div", {}, tallyChart(p, `tally-${p.id}`), outlook(p), pending(p)),
        app.canAct ? stanceForm(p) : null),
      stances(p, true),
      app.isFacilitator
        ? h("div", { class: "row row-end-only" },
            h("button", { type: "button", class: "btn", dataset: { focusKey: `close-${p.id}` }, i18n: "proposal.close", onclick: () => askClose(p) }))
        : null,
    );
  }

  function closedCard(p) {
    const canRevise = app.isFacilitator && p.outcome !== "adopted" && !p.revisedBy;
    return h("article", { class: "subcard proposal proposal-closed", id: `proposal-${p.id}`, dataset: { proposal: p.id } },
      h("div", { class: "card-head" },
        h("h3", { class: "subcard-title" },
          h("span", { class: `badge ${p.outcome === "adopted" ? "badge-agree" : "badge-quiet"}`, text: t(`proposal.outcome.${p.outcome}`) }), " ",
          h("span", { text: t(`proposal.kind.${p.kind}`) })),
        h("span", { class: "small muted", text: t("proposal.closedAt", { at: formatTime(p.closedAt) }) })),
      proposalBody(p),
      proposalPii(p),
      tallyChart(p, `tally-${p.id}`),
      stances(p, false),
      canRevise
        ? h("div", { class: "row row-end-only" },
            h("button", { type: "button", class: "btn btn-small", dataset: { focusKey: `revise-${p.id}` }, i18n: "proposal.revise", onclick: () => revise(p) }))
        : null,
    );
  }

  function render(topics) {
    if (!topics.has(TOPIC.proposals) && !topics.has(TOPIC.people)) return;
    renderAdopted();
    const all = [...state.proposals.values()];
    const open = all.filter((p) => p.open);
    const closed = all.filter((p) => !p.open).reverse();
    for (const id of [...drafts.keys()]) if (!state.proposals.get(id)?.open) drafts.delete(id);
    for (const id of [...stanceGuards.keys()]) if (!state.proposals.get(id)?.open) stanceGuards.delete(id);
    replaceKeepingFocus(openList, open.length ? open.map(openCard) : h("p", { class: "empty", i18n: "proposal.noneOpen" }));
    replaceKeepingFocus(closedList, closed.length ? closed.map(closedCard) : h("p", { class: "empty", i18n: "proposal.noneClosed" }));
    pruneCharts("tally-", new Set(all.map((p) => `tally-${p.id}`)));
  }

  function badge() {
    const open = [...state.proposals.values()].filter((p) => p.open);
    if (!open.length) return null;
    const waiting = app.canAct && open.some((p) => !p.stances.has(state.me.participant));
    return { text: String(open.length), attention: waiting, description: t("proposal.badgeDesc", { n: open.length }) };
  }

  if (app.isFacilitator) renderKinds();
  return { element, render, badge, relabel: () => app.isFacilitator && renderKinds() };
}
