// 記録: the consensus record across meetings (GET /api/councils/<id>/record).
// The vision and directions with their history, issues and rankings, role
// agreements by organisation, indicators with their trends, the stage of
// each theme, the meetings with attendance and minutes, and the downloads.
// Every entity carries its id as element id, so other pages link to
// /councils/<id>/record#c1-i7.
import { h } from "../dom.js";
import { t, formatNumber } from "../i18n.js";
import { chartBox, pruneCharts, referenceLines, COLORS, orgSeries } from "../charts.js";
import { shorten } from "../views/common.js";
import { proxyLabel } from "../views/proxy_input.js";
import { provenanceNote } from "../views/promotion.js";
import {
  fetchJson, apiBase, themeAnchor, minutesHref, dateJst, dateWeekdayJst, dateTimeJst, timeJst, warekiJst,
  timeEl, redactedText, dueText, periodText, numberText, who, piiBadge, issueStatusBadge, roleStateBadge, roleStatusBadge,
  overdueBadge, pageHead, showPending, emptyState, pageSection, revealTarget, hashTarget,
} from "./shared.js";
import { createHoldersSection } from "./holders.js";

const INDICATOR_KINDS = ["structure", "process", "outcome"];
const ISSUE_STATUSES = ["open", "prioritised", "resolved", "merged"];

export function createRecordPage({ shell, session = {}, councilId, onUnauthorized }) {
  const { main } = shell;
  let record = null;
  let error = null;
  let revealed = false;
  let holders = null;

  async function load() {
    error = null;
    render();
    try {
      record = await fetchJson(`${apiBase(councilId)}/record`);
    } catch (e) {
      if (e.status === 401) return onUnauthorized();
      error = e;
    }
    render();
    if (record && !revealed) {
      revealed = true;
      // After layout (charts size themselves on the next frame).
      requestAnimationFrame(() => revealTarget(hashTarget()));
    }
  }

  function start() {
    window.addEventListener("hashchange", () => revealTarget(hashTarget()));
    // Printing shows the collapsed histories too.
    const opened = [];
    window.addEventListener("beforeprint", () => {
      for (const d of main.querySelectorAll("details:not([open])")) {
        d.open = true;
        opened.push(d);
      }
    });
    window.addEventListener("afterprint", () => {
      for (const d of opened.splice(0)) d.open = false;
    });
    load();
  }

  function render() {
    const head = pageHead(shell, "rec.title", "rec.lead");
    if (showPending(main, head, { error, loaded: Boolean(record), retry: load })) return;
    const ctx = context(record);
    // replaceChildren() would show a null child as the text "null".
    main.replaceChildren(...[
      head,
      record.live_meeting && !session.viewer ? liveNotice(ctx) : null,
      toc(ctx),
      visionSection(ctx),
      issueSection(ctx),
      rankingSection(ctx),
      roleSection(ctx),
      indicatorSection(ctx),
      themeSection(ctx),
      meetingSection(ctx),
      holdersSection(),
      exportSection(),
    ].filter(Boolean));
    pruneCharts("rec-ind-", ctx.charts);
  }

  // 席の引き継ぎ: loaded once, kept across renders.
  function holdersSection() {
    if (!holders) holders = createHoldersSection(councilId);
    else holders.render();
    return holders.el;
  }

  // ---- lookups -------------------------------------------------------------------
  function context(rec) {
    return {
      rec,
      meetings: new Map((rec.meetings || []).map((m) => [m.id, m])),
      issues: new Map((rec.issues || []).map((i) => [i.id, i])),
      rankings: new Map((rec.rankings || []).map((r) => [r.id, r])),
      charts: new Set(),
    };
  }

  function anchor(id, text, className) {
    return h("a", { href: `#${encodeURIComponent(id)}`, class: className || null, text });
  }

  function meetingRef(ctx, meetingId) {
    if (!meetingId) return h("span", { class: "muted", text: t("rec.betweenMeetings") });
    const m = ctx.meetings.get(meetingId);
    return anchor(meetingId, m ? m.title : meetingId);
  }

  function issueRef(ctx, issueId) {
    const issue = ctx.issues.get(issueId);
    return anchor(issueId, issue ? shorten(redactedText(issue, issue.text), 40) : "", "ref-issue");
  }

  function liveNotice(ctx) {
    const m = ctx.meetings.get(record.live_meeting);
    return h("p", { class: "page-note page-note-live", role: "note" },
      h("span", { class: "live-dot", "aria-hidden": "true" }),
      h("span", {},
        t("rec.liveNow", { title: m ? m.title : record.live_meeting }), " ",
        h("a", { href: shell.base, text: t("rec.liveOpen") })));
  }

  function toc(ctx) {
    const r = ctx.rec;
    const entries = [
      ["rec-vision", t("rec.vision.title")],
      ["rec-issues", t("rec.issues.titleCount", { n: (r.issues || []).length })],
      ["rec-rankings", t("rec.rankings.titleCount", { n: (r.rankings || []).length })],
      ["rec-roles", t("rec.roles.titleCount", { n: (r.roles || []).length })],
      ["rec-indicators", t("rec.indicators.titleCount", { n: (r.indicators || []).length })],
      ["rec-themes", t("rec.themes.titleCount", { n: (r.themes || []).length })],
      ["rec-meetings", t("rec.meetings.titleCount", { n: (r.meetings || []).length })],
      ["rec-exports", t("rec.exports.title")],
    ];
    return h("nav", { class: "page-toc", "aria-label": t("rec.toc") },
      h("ul", {}, entries.map(([id, text]) => h("li", {}, anchor(id, text)))));
  }

  // ---- vision, directions, proposals ---------------------------------------------
  function visionSection(ctx) {
    const r = ctx.rec;
    const visions = r.visions || [];
    const directions = r.directions || [];
    const current = r.vision
      ? h("div", { class: "vision vision-current", id: "vision" },
          h("p", { class: "adopted-label", text: t("rec.vision.current") }),
          h("p", { class: "vision-text", text: r.vision.text || t("redact.short") }),
          h("p", { class: "vision-meta small muted" },
            t("rec.adoptedOn", { date: dateJst(r.vision.adopted_at) }), " · ",
            anchor(r.vision.proposal, t("rec.seeProposal"))))
      : emptyState(t("rec.vision.none"));

    const history = visions.length
      ? h("ol", { class: "rec-list vision-history" },
          visions.map((v, i) => {
            const superseded = i < visions.length - 1;
            return h("li", { class: superseded ? "is-superseded" : "is-current" },
              h("span", { class: `badge ${superseded ? "badge-quiet" : "badge-accent"}`, text: t(superseded ? "rec.vision.superseded" : "rec.vision.inForce") }),
              " ",
              h("span", { class: "rec-text", text: v.text || t("redact.short") }),
              h("span", { class: "rec-when small muted" }, t("rec.adoptedOn", { date: dateJst(v.adopted_at) }), " · ", anchor(v.proposal, t("rec.seeProposal"))));
          }))
      : emptyState(t("rec.vision.noHistory"));

    const directionList = directions.length
      ? h("ol", { class: "rec-list directions-list" },
          directions.map((d) => h("li", {},
            h("span", { class: "rec-text", text: d.text || t("redact.short") }),
            h("span", { class: "rec-when small muted" }, t("rec.adoptedOn", { date: dateJst(d.adopted_at) }), " · ", anchor(d.proposal, t("rec.seeProposal"))))))
      : emptyState(t("rec.directions.none"));

    const proposals = r.proposals || [];
    return pageSection("rec-vision", t("rec.vision.title"),
      current,
      h("h3", { class: "sub-title", text: t("rec.vision.history") }),
      h("p", { class: "small muted", text: t("rec.vision.historyHint") }),
      history,
      h("h3", { class: "sub-title", text: t("rec.directions.title") }),
      directionList,
      h("h3", { class: "sub-title", text: t("rec.proposals.title", { n: proposals.length }) }),
      proposals.length
        ? h("ol", { class: "rec-cards" }, proposals.map((p) => proposalCard(p)))
        : emptyState(t("rec.proposals.none")),
    );
  }

  // A link to the item itself (for sharing its place in the record); the
  // id stays in the address, never in the text people read.
  function permalink(id) {
    return h("a", { class: "rec-id", href: `#${encodeURIComponent(id)}`, title: t("rec.permalink"), "aria-label": t("rec.permalink"), text: "#" });
  }

  function proposalCard(p) {
    const outcome = p.open ? "open" : p.outcome;
    const tally = p.tally || { agree: 0, abstain: 0, disagree: 0, block: 0 };
    const stances = p.stances || [];
    return h("li", { class: "rec-card", id: p.id },
      h("p", { class: "rec-badges" },
        h("span", { class: "badge badge-quiet", text: t(`rec.proposalKind.${p.kind}`) }),
        h("span", { class: `badge badge-outcome-${outcome}`, text: t(`rec.outcome.${outcome}`) }),
        provenanceNote(p),
        piiBadge(p.pii),
        permalink(p.id)),
      h("p", { class: `proposal-text${p.redacted ? " redacted" : ""}`, text: redactedText(p, p.text) }),
      p.revises ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("proposal.revises") }), anchor(p.revises, t("rec.seeProposal"))) : null,
      p.revised_by ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("proposal.revisedBy") }), anchor(p.revised_by, t("rec.seeProposal"))) : null,
      h("p", { class: "small muted" },
        t("rec.proposalOpened", { date: dateTimeJst(p.opened_at) }),
        p.closed_at ? ` · ${t("rec.proposalClosed", { date: dateTimeJst(p.closed_at) })}` : ""),
      h("p", { class: "tally-line", text: t(p.open ? "rec.tallyLive" : "rec.tally", tally) }),
      stances.length
        ? h("details", { class: "rec-details", open: stances.some((s) => s.stance === "block" || s.stance === "disagree") || null },
            h("summary", { text: t("rec.stances", { n: stances.length }) }),
            h("ul", { class: "plain-list" }, stances.map((s) => h("li", {},
              h("span", { class: `badge badge-${s.stance}`, text: t(`rec.stance.${s.stance}`) }), " ",
              h("span", { class: "stance-who", text: who(s) }),
              " ", proxyLabel(s.entered_by),
              s.reason || s.redacted ? h("span", { class: `stance-reason${s.redacted ? " redacted" : ""}`, text: redactedText(s, s.reason) }) : null,
              " ", h("span", { class: "small muted" }, timeEl(s.at))))))
        : h("p", { class: "small muted", text: t("rec.noStances") }),
    );
  }

  // ---- issues and rankings -------------------------------------------------------------
  function issueSection(ctx) {
    const issues = ctx.rec.issues || [];
    const counts = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, issues.filter((i) => i.status === s).length]));
    const piiCount = issues.filter((i) => i.pii && i.pii.length).length;
    return pageSection("rec-issues", t("rec.issues.title"),
      issues.length
        ? h("p", { class: "rec-summary" },
            t("rec.issues.total", { n: issues.length }), " ",
            ISSUE_STATUSES.filter((s) => counts[s]).map((s) => [issueStatusBadge(s), h("span", { class: "count", text: t("pg.count", { n: counts[s] }) }), " "]))
        : null,
      piiCount ? h("p", { class: "warn-inline", role: "note", text: t("rec.issues.piiNote", { n: piiCount }) }) : null,
      issues.length
        ? h("ol", { class: "rec-cards issue-cards" }, issues.map((i) => issueCard(ctx, i)))
        : emptyState(t("rec.issues.none")));
  }

  function issueCard(ctx, issue) {
    const rankingLines = (issue.rankings || []).map((rid) => {
      const r = ctx.rankings.get(rid);
      if (!r) return anchor(rid, rid);
      const row = (r.result || []).find((x) => x.issue === issue.id);
      const label = r.open || !row
        ? t("rec.issue.inOpenRanking", { method: t(`rec.method.${r.method}`), date: dateJst(r.opened_at) })
        : t("rec.issue.rankIn", { rank: row.rank, n: r.result.length, method: t(`rec.method.${r.method}`), date: dateJst(r.closed_at) });
      return anchor(rid, label);
    });
    return h("li", { class: `rec-card rec-issue issue-${issue.status}`, id: issue.id },
      h("p", { class: `issue-text${issue.redacted ? " redacted" : ""}`, text: redactedText(issue, issue.text) }),
      h("p", { class: "rec-badges" },
        issueStatusBadge(issue.status),
        issue.theme ? h("a", { class: "chip chip-theme", href: `#${encodeURIComponent(themeAnchor(issue.theme))}`, text: issue.theme }) : null,
        provenanceNote(issue),
        piiBadge(issue.pii),
        permalink(issue.id)),
      h("p", { class: "rec-meta small" },
        h("span", { class: "issue-author", text: who(issue.by) }), " ",
        proxyLabel(issue.entered_by), " · ",
        timeEl(issue.at), " · ",
        meetingRef(ctx, issue.meeting)),
      issue.merged_into
        ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("rec.issue.mergedInto") }), issueRef(ctx, issue.merged_into))
        : null,
      issue.merged_from && issue.merged_from.length
        ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("rec.issue.mergedFrom") }),
            issue.merged_from.map((id, k) => [k ? t("pg.listSep") : "", issueRef(ctx, id)]))
        : null,
      rankingLines.length
        ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("rec.issue.rankings") }),
            rankingLines.map((a, k) => [k ? t("pg.listSep") : "", a]))
        : null,
    );
  }

  function rankingSection(ctx) {
    const rankings = ctx.rec.rankings || [];
    return pageSection("rec-rankings", t("rec.rankings.title"),
      h("p", { class: "small muted", text: t("rec.rankings.secret") }),
      rankings.length
        ? h("ol", { class: "rec-cards" }, rankings.map((r) => rankingCard(ctx, r)))
        : emptyState(t("rec.rankings.none")));
  }

  function rankingCard(ctx, r) {
    const when = r.open
      ? t("rec.ranking.openSince", { date: dateTimeJst(r.opened_at) })
      : t("rec.ranking.closedOn", { date: dateTimeJst(r.closed_at) });
    const meetingId = meetingAt(ctx, r.opened_at);
    return h("li", { class: "rec-card", id: r.id },
      h("h3", { class: "rec-card-title" },
        t("rec.ranking.heading", { method: t(`rec.method.${r.method}`) }),
        " ", h("span", { class: `badge ${r.open ? "badge-live" : "badge-quiet"}`, text: t(r.open ? "rec.ranking.open" : "rec.ranking.closed") }),
        r.open ? null : [" ", rankingStatusBadge(ctx, r)]),
      h("p", { class: "small muted" }, when, " · ", t("rec.ranking.ballots", { n: r.ballots }),
        meetingId ? [" · ", meetingRef(ctx, meetingId)] : null),
      r.adopted ? h("p", { class: "small muted", text: t("rec.ranking.adoptedBy", { date: dateTimeJst(r.adopted.at), who: who(r.adopted.by) }) }) : null,
      r.replaced_by ? h("p", { class: "rec-rel small" }, h("span", { class: "rel-label", text: t("rec.ranking.replacedBy") }), anchor(r.replaced_by, t("rec.ranking.seeAdopted"))) : null,
      r.open || !r.result
        ? h("div", {},
            h("p", { class: "small", text: t("rec.ranking.pending") }),
            h("ul", { class: "plain-list small" }, (r.candidates || []).map((id) => h("li", {}, issueRef(ctx, id)))))
        : h("table", { class: "table rec-table" },
            h("caption", { class: "vh", text: t("rec.ranking.caption", { method: t(`rec.method.${r.method}`) }) }),
            h("thead", {}, h("tr", {},
              h("th", { scope: "col", class: "num", text: t("rec.ranking.rank") }),
              h("th", { scope: "col", text: t("rec.ranking.issue") }),
              h("th", { scope: "col", class: "num", text: t(`rec.ranking.score.${r.method}`) }))),
            h("tbody", {}, r.result.map((row) => h("tr", {},
              h("td", { class: "num", text: t("rec.ranking.rankN", { n: row.rank }) }),
              h("td", {}, issueRef(ctx, row.issue)),
              h("td", { class: "num", text: formatNumber(row.score) }))))));
  }

  // 決定 (the result that counts), 参考 or 採用待ち, from the record's
  // `decision`, `adopted` and `replaced_by`.
  function rankingStatusBadge(ctx, r) {
    const others = [...ctx.rankings.values()].filter((o) =>
      o.id !== r.id && !o.open && (o.candidates || []).some((c) => (r.candidates || []).includes(c)));
    // A record without `decision` (a server before ranking.adopt): a closed
    // ranking counts when no other closed ranking shares a candidate.
    const decision = typeof r.decision === "boolean" ? r.decision : !others.length;
    const status = decision
      ? "decision"
      : r.replaced_by || others.some((o) => o.adopted && !o.replaced_by) ? "reference" : "pending";
    return h("span", { class: `badge badge-ranking-${status}`, text: t(`ranking.status.${status}`) });
  }

  // The meeting live at a moment (rankings carry no meeting of their own).
  function meetingAt(ctx, iso) {
    for (const m of ctx.meetings.values()) {
      if (m.started_at <= iso && (!m.ended_at || iso <= m.ended_at)) return m.id;
    }
    return null;
  }

  // ---- roles ---------------------------------------------------------------------------------
  function roleSection(ctx) {
    const roles = ctx.rec.roles || [];
    const byOrg = new Map();
    for (const role of roles) {
      if (!byOrg.has(role.owner_org)) byOrg.set(role.owner_org, []);
      byOrg.get(role.owner_org).push(role);
    }
    const overdue = roles.filter((r) => r.overdue).length;
    return pageSection("rec-roles", t("rec.roles.title"),
      h("p", { class: "small muted", text: t("rec.roles.intro") }),
      overdue ? h("p", { class: "warn-inline", role: "note" }, overdueBadge(), " ", t("rec.roles.overdueCount", { n: overdue })) : null,
      roles.length
        ? [...byOrg].map(([org, list]) => h("section", { class: "role-org", "aria-label": org },
            h("h3", { class: "role-org-title" },
              h("span", { class: "role-org-name", text: org }),
              h("span", { class: "count", text: orgCount(list) })),
            h("ol", { class: "rec-cards" }, list.map((role) => roleCard(ctx, role)))))
        : emptyState(t("rec.roles.none")));
  }

  function orgCount(list) {
    const overdue = list.filter((r) => r.overdue).length;
    return overdue ? t("rec.roles.orgCountOverdue", { n: list.length, overdue }) : t("rec.roles.orgCount", { n: list.length });
  }

  function roleCard(ctx, role) {
    const events = [
      { at: role.at, text: t("rec.role.proposed", { who: who(role.proposed_by) }) },
      ...(role.consents || []).map((c) => ({
        at: c.at,
        text: t(c.decisive ? (c.consent ? "rec.role.agreedBy" : "rec.role.declinedBy") : (c.consent ? "rec.role.supportedBy" : "rec.role.objectedBy"), { who: who(c) }),
        note: c.redacted ? redactedText(c) : c.note,
        enteredBy: c.entered_by,
      })),
      ...(role.statuses || []).map((s) => ({
        at: s.at,
        text: t("rec.role.statusBy", { status: t(`pg.roleStatus.${s.status}`), who: who(s.by) }),
        note: s.redacted ? redactedText(s) : s.note,
      })),
    ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const row = (labelKey, ...value) => [h("dt", { text: t(labelKey) }), h("dd", {}, ...value)];
    return h("li", { class: `rec-card rec-role${role.overdue ? " is-overdue" : ""}`, id: role.id },
      h("h4", { class: `role-title${role.redacted ? " redacted" : ""}`, text: redactedText(role, role.title) }),
      h("p", { class: "rec-badges" },
        provenanceNote(role),
        roleStateBadge(role.state),
        roleStatusBadge(role.status),
        role.overdue ? overdueBadge() : null,
        piiBadge(role.pii),
        permalink(role.id)),
      h("dl", { class: "rec-dl" },
        row("rec.role.due", role.due
          ? h("span", { class: role.overdue ? "due-overdue" : null },
              h("time", { datetime: role.due, text: dueText(role.due) }),
              role.overdue ? t("rec.role.overdueSuffix") : "")
          : h("span", { class: "muted", text: t("rec.role.noDue") })),
        role.theme ? row("rec.role.theme", h("a", { class: "chip chip-theme", href: `#${encodeURIComponent(themeAnchor(role.theme))}`, text: role.theme })) : null,
        role.issue ? row("rec.role.issue", issueRef(ctx, role.issue)) : null,
        role.detail ? row("rec.role.detail", h("span", { class: "role-detail", text: role.detail })) : null),
      h("details", { class: "rec-details role-history" },
        h("summary", { text: t("rec.role.history", { n: events.length }) }),
        h("ol", { class: "timeline" }, events.map((e) => h("li", {},
          h("span", { class: "small muted" }, timeEl(e.at)), " ",
          h("span", { text: e.text }),
          e.enteredBy ? " " : null, proxyLabel(e.enteredBy),
          e.note ? h("span", { class: "timeline-note", text: e.note }) : null)))),
    );
  }

  // ---- indicators --------------------------------------------------------------------------------
  function indicatorSection(ctx) {
    const indicators = ctx.rec.indicators || [];
    const groups = INDICATOR_KINDS.map((k) => [k, indicators.filter((i) => i.kind === k)]).filter(([, list]) => list.length);
    return pageSection("rec-indicators", t("rec.indicators.title"),
      h("p", { class: "small muted", text: t("rec.indicators.intro") }),
      indicators.length
        ? groups.map(([kind, list]) => h("section", { class: "indicator-kind", "aria-label": t(`pg.indicatorKind.${kind}`) },
            h("h3", { class: "sub-title", text: t(`pg.indicatorKind.${kind}`) }),
            h("div", { class: "rec-indicator-grid" }, list.map((ind) => indicatorCard(ctx, ind)))))
        : emptyState(t("rec.indicators.none")));
  }

  function latestReport(ind) {
    let best = null;
    for (const r of ind.reports || []) if (!best || r.period >= best.period) best = r;
    return best;
  }

  function indicatorCard(ctx, ind) {
    const reports = ind.reports || [];
    const last = latestReport(ind);
    // A later report of the same organisation for the same period corrects an earlier one.
    const corrected = new Set();
    const seen = new Map();
    reports.forEach((r, i) => {
      const key = `${r.by?.org || ""}\u0000${r.period}`;
      if (seen.has(key)) corrected.add(seen.get(key));
      seen.set(key, i);
    });
    const figure = (labelKey, value, extra) => h("div", { class: "figure" },
      h("dt", { text: t(labelKey) }),
      h("dd", {}, value === null || value === undefined
        ? h("span", { class: "muted", text: "—" })
        : [h("strong", { text: formatNumber(value) }), h("span", { class: "unit", text: ` ${ind.unit}` }), extra || null]));
    return h("article", { class: "subcard rec-indicator", id: ind.id },
      h("div", { class: "card-head" },
        h("h4", { class: "subcard-title", text: ind.name }),
        h("span", { class: `badge badge-kind-${ind.kind}`, text: t(`pg.indicatorKind.${ind.kind}`) })),
      h("dl", { class: "figures" },
        figure("rec.ind.baseline", ind.baseline),
        figure("rec.ind.target", ind.target),
        figure("rec.ind.latest", last ? last.value : null,
          last ? h("span", { class: "small muted figure-note", text: t("rec.ind.latestNote", { period: periodText(last.period), org: last.by?.org || "" }) }) : null)),
      reports.length ? trendChart(ctx, ind) : emptyState(t("rec.ind.noReports")),
      reports.length
        ? h("div", { class: "table-scroll" },
            h("table", { class: "table rec-table values-table" },
              h("caption", { class: "caption", text: t("rec.ind.tableCaption", { name: ind.name, unit: ind.unit }) }),
              h("thead", {}, h("tr", {},
                h("th", { scope: "col", text: t("rec.ind.period") }),
                h("th", { scope: "col", class: "num", text: t("rec.ind.value") }),
                h("th", { scope: "col", text: t("rec.ind.org") }),
                h("th", { scope: "col", text: t("rec.ind.reportedBy") }))),
              h("tbody", {}, reports.map((r, i) => h("tr", { class: corrected.has(i) ? "is-corrected" : null },
                h("td", { text: periodText(r.period) }),
                h("td", { class: "num" }, numberText(r.value, ind.unit), corrected.has(i) ? h("span", { class: "small muted", text: t("rec.ind.corrected") }) : null),
                h("td", { text: r.by?.org || "" }),
                h("td", {}, h("span", { text: r.by?.name || "" }), " ", h("span", { class: "small muted" }, timeEl(r.at, dateJst(r.at))),
                  r.entered_by ? " " : null, proxyLabel(r.entered_by)))))))
        : null,
      h("p", { class: "small muted indicator-defined", text: t("rec.ind.defined", { date: dateJst(ind.defined_at) }) }),
    );
  }

  function trendChart(ctx, ind) {
    const reports = ind.reports || [];
    const { orgs, periods, datasets } = orgSeries(reports, (org) => org || t("rec.ind.noOrg"));
    const lines = [];
    const hasBaseline = ind.baseline !== null && ind.baseline !== undefined;
    const hasTarget = ind.target !== null && ind.target !== undefined;
    if (hasBaseline) lines.push({ value: ind.baseline, label: `${t("rec.ind.baseline")} ${formatNumber(ind.baseline)}`, color: COLORS.baseline, dash: [4, 4] });
    if (hasTarget) lines.push({ value: ind.target, label: `${t("rec.ind.target")} ${formatNumber(ind.target)}`, color: COLORS.target, dash: [8, 4] });
    const all = reports.map((r) => r.value).concat(lines.map((l) => l.value));
    const low = Math.min(...all);
    const high = Math.max(...all);
    const pad = (high - low) * 0.15 || Math.abs(high) * 0.1 || 1;
    const key = `rec-ind-${ind.id}`;
    ctx.charts.add(key);
    const summary = orgs.map((org) => {
      const own = reports.filter((r) => (r.by?.org || "") === org);
      return `${org}: ${own.map((r) => `${r.period} ${formatNumber(r.value)}${ind.unit}`).join(", ")}`;
    }).join(" / ");
    return chartBox(key, {
      type: "line",
      plugins: [referenceLines],
      data: { labels: periods.map((p) => periodText(p)), datasets },
      options: {
        animation: false,
        layout: { padding: { top: 4, right: 8 } },
        plugins: {
          legend: { display: true, position: "bottom", labels: { usePointStyle: true, boxWidth: 10 } },
          renkeiReferenceLines: { lines },
        },
        scales: {
          x: { offset: true },
          y: { suggestedMin: low - pad, suggestedMax: high + pad, title: { display: !!ind.unit, text: ind.unit } },
        },
      },
    }, { label: t("rec.ind.chartLabel", { name: ind.name, summary }), height: 240 });
  }

  // ---- themes ------------------------------------------------------------------------------------
  function themeSection(ctx) {
    const themes = ctx.rec.themes || [];
    return pageSection("rec-themes", t("rec.themes.title"),
      h("p", { class: "small muted", text: t("rec.themes.intro") }),
      themes.length
        ? h("ol", { class: "rec-cards" }, themes.map((theme) => themeCard(ctx, theme)))
        : emptyState(t("rec.themes.none")));
  }

  function themeCard(ctx, theme) {
    const history = theme.history || [];
    return h("li", { class: "rec-card rec-theme", id: themeAnchor(theme.name) },
      h("h3", { class: "rec-card-title" }, h("span", { class: "theme-name", text: theme.name })),
      h("p", { class: "theme-stage" },
        h("span", { class: "chip chip-stage" },
          h("span", { class: "chip-stage-no", text: t("pg.stageN", { n: theme.stage }) }), " ",
          h("span", { text: t(`pg.stage.${theme.stage}`) }))),
      h("ol", { class: "stepper", "aria-label": t("rec.themes.stepper", { n: theme.stage }) },
        [1, 2, 3, 4].map((n) => h("li", {
          class: `step ${n < theme.stage ? "step-done" : n === theme.stage ? "step-current" : ""}`.trim(),
          "aria-current": n === theme.stage ? "step" : null,
        },
          h("span", { class: "step-no", text: t("pg.stageN", { n }) }),
          h("span", { text: t(`pg.stage.${n}`) })))),
      history.length
        ? h("ol", { class: "timeline" }, history.map((s) => h("li", {},
            h("span", { class: "small muted" }, timeEl(s.at, dateJst(s.at))), " ",
            h("strong", { text: s.from ? t("rec.themes.move", { from: s.from, to: s.to }) : t("rec.themes.set", { to: s.to }) }),
            h("span", { class: "timeline-note", text: s.reason }),
            h("span", { class: "small muted timeline-by" }, who(s.by), " · ", meetingRef(ctx, s.meeting)))))
        : h("p", { class: "small muted", text: t("rec.themes.noHistory") }),
    );
  }

  // ---- meetings -----------------------------------------------------------------------------------
  function meetingSection(ctx) {
    const meetings = [...(ctx.rec.meetings || [])].reverse();
    return pageSection("rec-meetings", t("rec.meetings.title"),
      meetings.length ? h("p", { class: "small muted", text: t("rec.meetings.order") }) : null,
      meetings.length
        ? h("ol", { class: "rec-cards" }, meetings.map((m) => meetingCard(m)))
        : emptyState(t("rec.meetings.none")));
  }

  function meetingCard(m) {
    const closed = m.session === "closed";
    const attendance = m.attendance || [];
    const byOrg = new Map();
    for (const a of attendance) {
      const org = a.org || t("rec.meeting.unknownOrg");
      if (!byOrg.has(org)) byOrg.set(org, []);
      byOrg.get(org).push(a);
    }
    const observers = attendance.filter((a) => a.role === "observer").length;
    const acknowledged = attendance.filter((a) => a.confidentiality_ack_at).length;
    const rows = [];
    for (const [org, people] of byOrg) {
      people.forEach((a, i) => {
        rows.push(h("tr", {},
          i === 0 ? h("th", { scope: "rowgroup", rowspan: String(people.length), text: org }) : null,
          h("td", {},
            h("span", { class: "attendee-name", text: a.name || a.participant }),
            a.role === "observer" ? h("span", { class: "badge badge-role-observer badge-small", text: t("pg.role.observer") }) : null,
            a.role === "facilitator" ? h("span", { class: "badge badge-role-facilitator badge-small", text: t("pg.role.facilitator") }) : null),
          closed
            ? h("td", {}, a.confidentiality_ack_at
                ? timeEl(a.confidentiality_ack_at, timeJst(a.confidentiality_ack_at))
                : h("span", { class: "warn-text", text: t("rec.meeting.notAcknowledged") }))
            : null));
      });
    }
    const timeRange = m.ended_at
      ? t("rec.meeting.timeRange", { from: timeJst(m.started_at), to: timeJst(m.ended_at) })
      : t("rec.meeting.timeLive", { from: timeJst(m.started_at) });
    return h("li", { class: "rec-card rec-meeting", id: m.id },
      h("h3", { class: "rec-card-title" }, h("span", { class: "meeting-name", text: m.title })),
      h("p", { class: "rec-badges" },
        h("span", { class: `badge ${closed ? "badge-closed" : "badge-open"}`, text: t(closed ? "rec.meeting.closed" : "rec.meeting.open") }),
        m.ended_at ? null : h("span", { class: "badge badge-live", text: t("rec.meeting.live") }),
        permalink(m.id)),
      h("p", { class: "meeting-when" },
        h("time", { datetime: m.started_at, text: dateWeekdayJst(m.started_at) }), " ", timeRange,
        warekiNote(m.started_at)),
      h("p", { class: "small muted" },
        m.started_by ? t("rec.meeting.ledBy", { who: who(m.started_by) }) : "",
        (m.items || []).length ? ` · ${t("rec.meeting.items", { n: m.items.length })}` : ""),
      h("h4", { class: "sub-title-small", text: t(observers ? "rec.meeting.attendanceObservers" : "rec.meeting.attendance", { n: attendance.length, observers }) }),
      closed
        ? h("p", { class: "small", text: t("rec.meeting.ackSummary", { n: acknowledged, total: attendance.length }) })
        : null,
      attendance.length
        ? h("div", { class: "table-scroll" },
            h("table", { class: "table rec-table attendance-table" },
              h("caption", { class: "vh", text: t("rec.meeting.attendanceCaption", { title: m.title }) }),
              h("thead", {}, h("tr", {},
                h("th", { scope: "col", text: t("rec.meeting.org") }),
                h("th", { scope: "col", text: t("rec.meeting.attendee") }),
                closed ? h("th", { scope: "col", text: t("rec.meeting.ackAt") }) : null)),
              h("tbody", {}, rows)))
        : emptyState(t("rec.meeting.noAttendance")),
      h("p", { class: "minutes-links" },
        h("a", { class: "btn btn-primary btn-small", href: minutesHref(councilId, m.id, "html"), target: "_blank", rel: "noopener", text: t("rec.meeting.minutesHtml") }),
        h("a", { class: "btn btn-small", href: minutesHref(councilId, m.id, "md"), download: "", text: t("rec.meeting.minutesMd") })),
    );
  }

  function warekiNote(iso) {
    const wareki = warekiJst(iso);
    return wareki ? h("span", { class: "wareki small muted", lang: "ja", text: t("rec.meeting.wareki", { date: wareki }) }) : null;
  }

  // ---- exports ------------------------------------------------------------------------------------
  function exportSection() {
    const base = apiBase(councilId);
    const item = (file, key) => h("li", {},
      h("a", { href: `${base}/${file}`, download: "", text: t(`rec.exports.${key}`) }),
      h("span", { class: "small muted", text: t(`rec.exports.${key}Hint`) }));
    return pageSection("rec-exports", t("rec.exports.title"),
      h("ul", { class: "export-list" },
        item("roles.csv", "roles"),
        item("issues.csv", "issues"),
        item("roles.ics", "calendar")));
  }

  return { start, render };
}
