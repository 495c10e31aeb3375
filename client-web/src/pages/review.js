// 次回に向けて: what changed since a meeting and what is due before the next
// one (GET /api/councils/<id>/changes[?since=<meeting id>]). Read before a
// meeting, and by whoever takes over after a staff rotation (異動). Every
// item links to its place in the record page.
import { h, nextId } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { shorten } from "../views/common.js";
import {
  fetchJson, apiBase, recordHref, themeAnchor, dateJst, dateTimeJst, timeEl, dueText, periodText, numberText, who,
  redactedText, issueStatusBadge, roleStateBadge, roleStatusBadge, overdueBadge, loadingState, errorState, emptyState, pageSection, pageHead,
} from "./shared.js";

export function createReviewPage({ shell, councilId, onUnauthorized }) {
  const { main } = shell;
  let record = null;
  let changes = null;
  let error = null;
  let since = readSince();
  let loading = false;
  let request = 0;

  function readSince() {
    return new URLSearchParams(location.search).get("since") || "";
  }

  async function load() {
    const mine = ++request;
    loading = true;
    error = null;
    render();
    const query = since ? `?since=${encodeURIComponent(since)}` : "";
    try {
      const [c, r] = await Promise.all([
        fetchJson(`${apiBase(councilId)}/changes${query}`),
        record ? Promise.resolve(record) : fetchJson(`${apiBase(councilId)}/record`),
      ]);
      if (mine !== request) return;
      changes = c;
      record = r;
    } catch (e) {
      if (mine !== request) return;
      if (e.status === 401) return onUnauthorized();
      error = e;
      changes = null;
    }
    loading = false;
    render();
  }

  function start() {
    window.addEventListener("popstate", () => {
      since = readSince();
      load();
    });
    load();
  }

  function choose(value) {
    since = value;
    const url = new URL(location.href);
    if (value) url.searchParams.set("since", value);
    else url.searchParams.delete("since");
    history.pushState(null, "", url);
    load();
  }

  function render() {
    const head = pageHead(shell, "rev.title", "rev.lead");
    const parts = [head];
    if (record) parts.push(sinceForm());
    if (error) {
      parts.push(errorState(error, { retry: load }));
      if (error.status === 404 && since) {
        parts.push(h("p", {}, h("button", { type: "button", class: "btn btn-primary", text: t("rev.backToDefault"), onclick: () => choose("") })));
      }
    } else if (!changes || loading) {
      parts.push(loadingState());
    } else {
      parts.push(...body());
    }
    main.replaceChildren(...parts);
  }

  function sinceForm() {
    const meetings = [...(record.meetings || [])].reverse();
    const select = h("select", { id: nextId("since"), name: "since" },
      h("option", { value: "", text: t("rev.sinceDefault") }),
      meetings.map((m) => h("option", {
        value: m.id,
        text: t(m.ended_at ? "rev.sinceOption" : "rev.sinceOptionLive", { title: shorten(m.title, 60), date: dateJst(m.started_at) }),
      })));
    select.value = since && meetings.some((m) => m.id === since) ? since : "";
    select.addEventListener("change", () => choose(select.value));
    return h("form", { class: "since-form", onsubmit: (e) => e.preventDefault() },
      h("label", { for: select.id, text: t("rev.sinceLabel") }),
      select);
  }

  function link(anchor, text, className) {
    return h("a", { href: recordHref(councilId, anchor), class: className || null, text });
  }

  function meetingTitle(id) {
    const m = (record?.meetings || []).find((x) => x.id === id);
    return m ? m.title : id;
  }

  function where(meetingId) {
    return meetingId
      ? link(meetingId, t("rev.inMeeting", { title: meetingTitle(meetingId) }))
      : h("span", { class: "badge badge-between", text: t("rev.betweenMeetings") });
  }

  function body() {
    const c = changes;
    const sinceLine = c.since
      ? t(c.since.ended_at ? "rev.sinceMeeting" : "rev.sinceLive", { title: c.since.title, date: dateJst(c.since.ended_at || "") })
      : t("rev.sinceStart");
    const sections = [
      ["rev-overdue", "rev.overdue", c.roles_overdue, "rev.overdueNone", roleItem],
      ["rev-due", "rev.due", c.roles_due, "rev.dueNone", roleItem],
      ["rev-awaiting", "rev.awaiting", (record?.roles || []).filter((r) => r.state === "proposed"), "rev.awaitingNone", awaitingItem],
      ["rev-status", "rev.status", c.status_changes, "rev.statusNone", statusItem],
      ["rev-issues", "rev.issues", c.issues_posted, "rev.issuesNone", issueItem],
      ["rev-indicators", "rev.indicators", c.indicator_reports, "rev.indicatorsNone", indicatorItem],
      ["rev-proposals", "rev.proposals", c.open_proposals, "rev.proposalsNone", proposalItem],
      ["rev-rankings", "rev.rankings", c.open_rankings, "rev.rankingsNone", rankingItem],
      ["rev-stages", "rev.stages", c.stage_changes, "rev.stagesNone", stageItem],
    ];
    const summary = h("nav", { class: "page-toc review-summary", "aria-label": t("rev.summary") },
      h("ul", {}, sections.map(([id, key, list]) => h("li", { class: id === "rev-overdue" && list.length ? "is-warn" : null },
        h("a", { href: `#${id}`, text: t("rev.summaryItem", { title: t(key), n: list.length }) })))));
    return [
      h("p", { class: "since-line" },
        h("strong", { text: sinceLine }), " ",
        h("span", { class: "muted", text: t("rev.today", { date: formatDate(c.today) }) })),
      summary,
      ...sections.map(([id, key, list, noneKey, item]) => pageSection(id, t(key),
        id === "rev-overdue" || id === "rev-due" || id === "rev-awaiting" ? h("p", { class: "small muted", text: t(`${key}Hint`) }) : null,
        list.length
          ? h("ul", { class: `review-list${id === "rev-overdue" ? " review-overdue" : ""}` }, list.map((x) => item(x, id)))
          : emptyState(t(noneKey)))),
    ];
  }

  function daysUntil(due) {
    const a = Date.parse(`${changes.today}T00:00:00Z`);
    const b = Date.parse(`${due}T00:00:00Z`);
    return Math.round((b - a) / 86_400_000);
  }

  function roleItem(role, sectionId) {
    const overdue = sectionId === "rev-overdue";
    const days = role.due ? daysUntil(role.due) : null;
    return h("li", { class: `review-item${overdue ? " is-overdue" : ""}` },
      h("p", { class: "review-item-title" }, overdue ? [overdueBadge(), " "] : null, link(role.id, redactedText(role, role.title), "role-link")),
      h("p", { class: "review-meta" },
        h("span", { class: "owner", text: t("rev.owner", { org: role.owner_org }) }),
        h("span", { class: overdue ? "due-overdue" : null },
          t("rev.dueOn", { date: dueText(role.due) }),
          days === null ? "" : overdue ? t("rev.daysOver", { n: -days }) : days === 0 ? t("rev.dueToday") : t("rev.daysLeft", { n: days })),
        roleStateBadge(role.state), roleStatusBadge(role.status)),
      role.issue ? h("p", { class: "small muted" }, t("rev.forIssue"), link(role.issue, issueText(role.issue))) : null,
    );
  }

  // A role proposed and not yet agreed (or declined) by its owner organisation.
  function awaitingItem(role) {
    const others = (role.consents || []).filter((c) => !c.decisive);
    return h("li", { class: "review-item is-awaiting" },
      h("p", { class: "review-item-title" }, link(role.id, redactedText(role, role.title), "role-link")),
      h("p", { class: "review-meta" },
        h("strong", { class: "owner", text: t("rev.awaitingOwner", { org: role.owner_org }) }),
        role.due ? h("span", { text: t("rev.dueOn", { date: dueText(role.due) }) }) : null,
        others.length ? h("span", { text: t("rev.awaitingOpinions", { n: others.length }) }) : null,
        roleStateBadge(role.state)),
      h("p", { class: "small muted" }, who(role.proposed_by), " · ", timeEl(role.at)));
  }

  function issueText(id) {
    const issue = (record?.issues || []).find((i) => i.id === id);
    return issue ? shorten(redactedText(issue, issue.text), 50) : "";
  }

  function statusItem(s) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title" }, link(s.role, redactedText(s, s.title), "role-link")),
      h("p", { class: "review-meta" },
        h("span", { class: "owner", text: t("rev.owner", { org: s.owner_org }) }),
        h("span", { class: "status-change" },
          roleStatusBadge(s.from), h("span", { "aria-hidden": "true", text: " → " }), h("span", { class: "vh", text: t("rev.to") }), roleStatusBadge(s.to))),
      s.note || s.redacted ? h("p", { class: "review-note", text: redactedText(s, s.note) }) : null,
      h("p", { class: "small muted" }, who(s.by), " · ", timeEl(s.at), " · ", where(s.meeting)));
  }

  function issueItem(issue) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title issue-text" }, link(issue.id, redactedText(issue, issue.text))),
      h("p", { class: "review-meta" },
        issueStatusBadge(issue.status),
        issue.theme ? h("span", { class: "chip chip-theme", text: issue.theme }) : null,
        where(issue.meeting)),
      h("p", { class: "small muted" }, who(issue.by), " · ", timeEl(issue.at)));
  }

  function indicatorItem(r) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title" }, link(r.indicator, r.name)),
      h("p", { class: "review-meta" },
        h("strong", { class: "value", text: numberText(r.value, r.unit) }),
        h("span", { text: t("rev.period", { period: periodText(r.period) }) })),
      h("p", { class: "small muted" }, who(r.by), " · ", timeEl(r.at)));
  }

  function proposalItem(p) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title" },
        h("span", { class: "badge badge-quiet", text: t(`rec.proposalKind.${p.kind}`) }), " ",
        link(p.id, redactedText(p, p.text), "proposal-link")),
      h("p", { class: "review-meta", text: t("rec.tallyLive", p.tally) }),
      h("p", { class: "small muted", text: t("rev.openedOn", { date: dateTimeJst(p.opened_at) }) }));
  }

  function rankingItem(r) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title" }, link(r.id, t("rec.ranking.heading", { method: t(`rec.method.${r.method}`) }))),
      h("p", { class: "review-meta" },
        h("strong", { text: t("rev.ballots", { n: r.ballots }) }),
        h("span", { text: t("rev.candidates", { n: (r.candidates || []).length }) })),
      h("p", { class: "small muted", text: t("rev.openedOn", { date: dateTimeJst(r.opened_at) }) }));
  }

  function stageItem(s) {
    return h("li", { class: "review-item" },
      h("p", { class: "review-item-title" }, link(themeAnchor(s.theme), s.theme)),
      h("p", { class: "review-meta" },
        h("strong", { text: s.from ? t("rec.themes.move", { from: s.from, to: s.to }) : t("rec.themes.set", { to: s.to }) }),
        h("span", { text: t(`pg.stage.${s.to}`) })),
      h("p", { class: "review-note", text: s.reason }),
      h("p", { class: "small muted" }, who(s.by), " · ", timeEl(s.at), " · ", where(s.meeting)));
  }

  return { start, render };
}
