// The issue board (課題ボード): posting issues with a theme, the board grouped
// by organisation or by theme, merged duplicates folded under their target,
// and merging for the facilitator.
import { showFieldError, withCounter, clampedText } from "../input.js";
import { h, field, replaceKeepingFocus } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { TOPIC, activeIssues, rankingStatus } from "../state.js";
import { provenanceNote } from "./promotion.js";
import { observerNote, shorten, section, itemText, rankingName, redactedNote, redactButton } from "./common.js";
import { proxyLabel } from "./proxy_input.js";
import { createPiiGuard, piiBadge } from "./pii_guard.js";

export function createBoardView(app) {
  const { state } = app;
  let grouping = "org"; // "org" | "theme"
  let mergingFrom = null; // issue id whose merge form is open

  // ---- posting form (kept across renders) ----
  const themeList = h("datalist", { id: "theme-options" });
  const text = h("textarea", { name: "text", rows: 3, maxLength: 2000, required: true, dataset: { focusKey: "issue-text" } });
  const theme = h("input", { type: "text", name: "theme", maxLength: 100, list: "theme-options", autocomplete: "off", dataset: { focusKey: "issue-theme" } });
  const textCounter = withCounter(text);
  const openTexts = new Set(); // clamp keys of the texts expanded
  const guard = createPiiGuard(app, { key: "issue" });
  guard.watch(text);
  const form = h("form", { class: "post-form", novalidate: true },
    field("issue.text", text, { hintKey: "privacy.hint" }),
    textCounter,
    guard.element,
    h("div", { class: "row-end" },
      field("issue.theme", theme, { optional: true, class: "grow" }),
      h("button", { type: "submit", class: "btn btn-primary", i18n: "issue.post" })),
    themeList,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return showFieldError(text, t("issue.textRequired"));
    const args = { text: value };
    if (theme.value.trim()) args.theme = theme.value.trim();
    const typed = text.value;
    guard.submit([{ text: value, field: text }], () => {
      // Cleared only if nobody typed on while the text was being checked.
      // The theme goes with its text: the next post starts without one.
      if (text.value === typed) {
        text.value = "";
        if (theme.value.trim() === (args.theme || "")) theme.value = "";
      }
      app.send("issue.post", args, {
        onAck: () => app.announce(t("issue.posted")),
        onError: () => {
          // Give the text back so nothing typed is lost.
          if (!text.value) text.value = args.text;
          if (!theme.value && args.theme) theme.value = args.theme;
        },
      });
      text.focus();
    });
  });

  // ---- board controls ----
  const toggle = h("div", { class: "segmented", role: "group", "aria-label": t("issue.groupBy"), "data-i18n-aria-label": "issue.groupBy" });
  const summary = h("p", { class: "board-summary muted", "aria-live": "polite" });
  const board = h("div", { class: "board" }, h("p", { class: "empty", i18n: "app.loading" }));

  function renderToggle() {
    toggle.replaceChildren(
      ...["org", "theme"].map((g) =>
        h("button", {
          type: "button",
          "aria-pressed": String(grouping === g),
          dataset: { focusKey: `group-${g}` },
          text: t(g === "org" ? "issue.byOrg" : "issue.byTheme"),
          onclick: () => {
            grouping = g;
            renderToggle();
            renderBoard();
          },
        })),
    );
  }

  const element = h("div", { class: "view view-board" },
    app.canAct ? section("issue.newTitle", form) : null,
    h("section", { class: "card", "aria-labelledby": "board-title" },
      h("div", { class: "card-head" },
        h("h2", { class: "card-title", id: "board-title", i18n: "issue.boardTitle" }),
        h("div", { class: "card-tools" }, h("span", { class: "small muted", i18n: "issue.groupBy" }), toggle)),
      summary,
      app.canAct ? null : observerNote(),
      board),
  );

  function rankBadge(issue) {
    // The rank from the ranking that counts for this issue (a decision:
    // adopted, or alone on its candidates), naming that ranking.
    let decision = null;
    for (const r of state.rankings.values()) {
      if (!r.open && r.result && r.candidates.includes(issue.id) && rankingStatus(state, r) === "decision") decision = r;
    }
    if (!decision) return null;
    const row = decision.result.find((x) => x.issue === issue.id);
    return row ? h("span", { class: `badge ${row.rank === 1 ? "badge-accent" : "badge-quiet"}`, text: t("issue.rankFrom", { n: row.rank, from: rankingName(decision) }) }) : null;
  }

  // The issue's text, or its redaction; 「伏せ字にする」 for its author and
  // the facilitator.
  function issueText(issue) {
    return [issue.redacted
      ? h("p", { class: "issue-text" }, redactedNote(issue.redacted))
      : clampedText("issue-text", issue.text, `issue-${issue.id}`, openTexts), provenanceNote(issue)];
  }

  function redactTool(issue) {
    return issue.redacted ? null : redactButton(app, { author: issue.by, target: issue.id, what: issue.text, focusKey: `redact-${issue.id}` });
  }

  function issueCard(issue) {
    const merged = issue.mergedFrom.map((id) => state.issues.get(id)).filter(Boolean);
    const card = h("li", { class: "issue", dataset: { issue: issue.id } },
      issueText(issue),
      h("p", { class: "issue-meta" },
        grouping === "org"
          ? issue.theme ? h("span", { class: "chip chip-theme", text: issue.theme }) : null
          : h("span", { class: "chip chip-org", text: issue.by?.org || "" }),
        h("span", { class: "issue-author", text: issue.by?.name || "" }),
        proxyLabel(issue.enteredBy),
        h("time", { dateTime: issue.at, text: formatTime(issue.at) }),
        rankBadge(issue),
        piiBadge(app, "issue", issue.id, [issue.text])),
    );
    if (merged.length) {
      card.appendChild(
        h("details", { class: "merged" },
          h("summary", { text: t("issue.mergedCount", { n: merged.length }) }),
          h("ul", { class: "merged-list" },
            merged.map((m) =>
              h("li", { class: "issue issue-merged", dataset: { issue: m.id } },
                issueText(m),
                h("p", { class: "issue-meta" },
                  h("span", { class: "chip chip-org", text: m.by?.org || "" }),
                  h("span", { class: "issue-author", text: m.by?.name || "" }),
                  m.theme ? h("span", { class: "chip chip-theme", text: m.theme }) : null,
                  piiBadge(app, "issue", m.id, [m.text]),
                  redactTool(m)))))),
      );
    }
    // 伏せ字にする sits in the row of 重複として統合 (when that is a button).
    const tools = app.isFacilitator ? mergeControls(issue) : null;
    const redact = redactTool(issue);
    if (tools) card.appendChild(tools);
    if (redact) {
      if (tools?.classList.contains("issue-tools")) tools.appendChild(redact);
      else card.appendChild(h("div", { class: "issue-tools" }, redact));
    }
    return card;
  }

  function mergeControls(issue) {
    if (mergingFrom !== issue.id) {
      return h("div", { class: "issue-tools" },
        h("button", {
          type: "button",
          class: "btn btn-small btn-quiet",
          dataset: { focusKey: `merge-${issue.id}` },
          "aria-label": t("issue.mergeLabel", { text: shorten(itemText(issue), 40) }),
          text: t("issue.merge"),
          onclick: () => {
            mergingFrom = issue.id;
            renderBoard();
            board.querySelector(`[data-focus-key="merge-into-${issue.id}"]`)?.focus();
          },
        }));
    }
    const targets = activeIssues(state).filter((i) => i.id !== issue.id);
    const select = h("select", { dataset: { focusKey: `merge-into-${issue.id}` } },
      targets.map((i) => h("option", { value: i.id, text: `${shorten(itemText(i), 36)}（${i.by?.org || ""}）` })));
    const form = h("form", { class: "merge-form" },
      field("issue.mergeInto", select),
      h("div", { class: "row" },
        h("button", { type: "submit", class: "btn btn-small btn-primary", disabled: !targets.length, text: t("issue.mergeDo") }),
        h("button", {
          type: "button",
          class: "btn btn-small btn-quiet",
          text: t("form.cancel"),
          onclick: () => {
            mergingFrom = null;
            renderBoard();
            board.querySelector(`[data-focus-key="merge-${issue.id}"]`)?.focus();
          },
        })),
      h("p", { class: "hint", i18n: "issue.mergeHint" }),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!select.value) return;
      mergingFrom = null;
      app.send("issue.merge", { from: issue.id, into: select.value }, {
        onAck: () => app.announce(t("issue.mergedDone")),
      });
      renderBoard();
    });
    return form;
  }

  function renderBoard() {
    const issues = activeIssues(state);
    const mergedCount = state.issues.size - issues.length;
    summary.textContent = state.issues.size
      ? t("issue.summary", { n: issues.length, merged: mergedCount })
      : "";
    if (!issues.length) {
      replaceKeepingFocus(board, h("p", { class: "empty", i18n: app.canAct ? "issue.emptyAct" : "issue.empty" }));
      return;
    }
    const groups = new Map();
    for (const issue of issues) {
      const key = grouping === "org" ? issue.by?.org || t("issue.noOrg") : issue.theme || "";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(issue);
    }
    // Issues without a theme last.
    const keys = [...groups.keys()];
    if (grouping === "theme") keys.sort((a, b) => (a === "" ? 1 : b === "" ? -1 : 0));
    replaceKeepingFocus(board,
      keys.map((key) => {
        const items = groups.get(key);
        const headingText = key === "" ? t("issue.noTheme") : key;
        return h("section", { class: "issue-group", "aria-label": headingText },
          h("h3", { class: "issue-group-title" },
            h("span", { text: headingText }),
            h("span", { class: "count", text: t("issue.count", { n: items.length }) })),
          h("ul", { class: "issue-list" }, items.map(issueCard)));
      }),
    );
  }

  function render(topics) {
    if (topics.has(TOPIC.themes) || topics.has(TOPIC.issues)) {
      themeList.replaceChildren(...[...state.themes.keys()].map((name) => h("option", { value: name })));
    }
    if (topics.has(TOPIC.issues) || topics.has(TOPIC.rankings)) {
      if (mergingFrom && state.issues.get(mergingFrom)?.mergedInto) mergingFrom = null;
      renderToggle();
      renderBoard();
    }
  }

  function badge() {
    const n = activeIssues(state).length;
    return n ? { text: String(n), description: t("issue.summaryShort", { n }) } : null;
  }

  return { element, render, badge };
}
