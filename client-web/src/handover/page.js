// 引き継ぎ資料 (/handover/<org>): the handover packet of an organisation
// (GET /api/orgs/<org>/handover, CONTINUITY.md §2), written for a person
// who takes over its seats and reads it on the first day: what is overdue
// first, then per council its roles, themes, vision and directions, the
// last meeting's decisions and 宿題, and what changed. Links to each
// council and to the minutes; 印刷 opens the A4 page (…/handover.html) and
// the Markdown is a download. Every text goes in through textContent.
import { h } from "../dom.js";
import { t, formatDate, formatNumber } from "../i18n.js";
import { get, post } from "../api.js";
import { dateJst, dateTimeJst, loadingState, errorState, piiBadge } from "../pages/shared.js";
import { councilKindText } from "../account/labels.js";

export const HANDOVER_PATH = /^\/handover\/([^/]+)\/?$/;

export function createHandoverPage(shell, org) {
  const { main } = shell;
  const base = `/api/orgs/${encodeURIComponent(org)}/handover`;
  let data = null;
  let error = null;

  async function load() {
    error = null;
    render();
    try {
      const since = new URLSearchParams(location.search).get("since");
      data = await get(since ? `${base}?since=${encodeURIComponent(since)}` : base);
      // The successor has opened the packet of the seats handed to them.
      if (shell.me?.handover) {
        await post("/api/me/handover/seen").catch(() => {});
        shell.me.handover = null;
      }
    } catch (e) {
      error = e;
    }
    render();
  }

  function render() {
    const name = data?.org?.name || "";
    shell.setTitle(name ? t("ho.titleOf", { org: name }) : t("ho.title"));
    const parts = [h("div", { class: "page-head" },
      h("h1", { class: "page-title", text: name ? t("ho.titleOf", { org: name }) : t("ho.title") }),
      name ? h("p", { class: "lead", text: t("ho.lead", { org: name }) }) : null)];
    if (error) parts.push(errorState(error, { retry: load }));
    else if (!data) parts.push(loadingState());
    else parts.push(...packet(data));
    main.replaceChildren(...parts.filter(Boolean));
  }

  function packet(p) {
    const councils = p.councils || [];
    const out = [];
    out.push(h("dl", { class: "ho-facts" },
      fact(t("ho.made"), formatDate(p.today)),
      // With the time: a visit earlier today is then told apart from the day.
      fact(t("ho.since"), p.since ? t("ho.sinceDate", { date: dateTimeJst(p.since) }) : t("ho.sinceAll")),
      p.predecessor ? fact(t("ho.predecessor"), p.predecessor.name) : null));
    out.push(periods());
    // The printed page and the download cover the period shown.
    const since = new URLSearchParams(location.search).get("since");
    const query = since ? `?since=${encodeURIComponent(since)}` : "";
    out.push(h("p", { class: "ho-actions" },
      h("a", { class: "btn", href: `${base}.html${query}`, target: "_blank", rel: "noopener", text: t("ho.print") }),
      h("a", { class: "btn btn-quiet", href: `${base}.md${query}`, download: "", text: t("ho.markdown") })));
    out.push(p.overdue > 0
      ? h("p", { class: "ho-alert", role: "status" }, h("span", { "aria-hidden": "true", text: "⚠ " }), t("ho.overdueAlert", { n: p.overdue }))
      : h("p", { class: "ho-calm", text: t("ho.noOverdue") }));
    if (!councils.length) {
      out.push(h("p", { class: "empty", text: t("ho.noCouncils") }));
      return out;
    }
    out.push(h("nav", { class: "ho-contents", "aria-label": t("ho.contents") },
      h("h2", { class: "ho-contents-title", text: t("ho.contents") }),
      h("ul", {}, councils.map((c) => h("li", {},
        h("a", { href: `#ho-${c.id}`, text: c.name }),
        h("span", { class: "muted", text: ` ${councilKindText(c.kind)}` }),
        c.overdue > 0 ? h("span", { class: "badge badge-overdue", text: t("ho.overdueCount", { n: c.overdue }) }) : null)))));
    for (const c of councils) out.push(council(c));
    return out;
  }

  // Links that show the changes over another period (?since=…).
  function periods() {
    const current = new URLSearchParams(location.search).get("since");
    const day = (months) => {
      const d = new Date();
      d.setMonth(d.getMonth() - months);
      return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(d);
    };
    const options = [
      [null, "ho.period.default"],
      [day(1), "ho.period.month"],
      [day(3), "ho.period.quarter"],
      [day(12), "ho.period.year"],
      ["all", "ho.period.all"],
    ];
    const link = ([since, key]) => {
      const chosen = since === null ? !current : current === since;
      return h("li", {}, h("a", {
        href: since ? `?since=${encodeURIComponent(since)}` : location.pathname,
        "aria-current": chosen ? "true" : null,
        text: t(key),
        onclick: (e) => {
          e.preventDefault();
          history.replaceState(null, "", since ? `?since=${encodeURIComponent(since)}` : location.pathname);
          load();
        },
      }));
    };
    return h("nav", { class: "ho-periods", "aria-label": t("ho.period.label") },
      h("span", { class: "muted", text: t("ho.period.label") }),
      h("ul", {}, options.map(link)));
  }

  function fact(label, value) {
    return h("div", { class: "ho-fact" }, h("dt", { text: label }), h("dd", { text: value }));
  }

  // The minutes and the council's screen open only with a seat in it.
  function minutesLink(c, m) {
    if (!m || !c.seated) return null;
    return h("a", {
      href: `/api/councils/${encodeURIComponent(c.id)}/meetings/${encodeURIComponent(m.id)}/minutes.html`,
      target: "_blank",
      rel: "noopener",
      text: t("ho.minutes"),
    });
  }

  function meetingLine(c, m) {
    return h("span", {}, h("span", { text: `${m.title}（${dateJst(m.ended_at || m.started_at)}）` }), m.ended_at ? " " : null, m.ended_at ? minutesLink(c, m) : null);
  }

  function council(c) {
    const id = `ho-${c.id}`;
    const facts = h("dl", { class: "ho-facts ho-council-facts" },
      c.area ? fact(t("ho.area"), c.area) : null,
      fact(t("ho.nextMeeting"), c.next_meeting ? formatDate(c.next_meeting) : t("ho.notScheduled")),
      c.live ? h("div", { class: "ho-fact" }, h("dt", { text: t("ho.liveMeeting") }), h("dd", {}, meetingLine(c, c.live))) : null,
      h("div", { class: "ho-fact" }, h("dt", { text: t("ho.lastMeeting") }), h("dd", {}, c.last ? meetingLine(c, c.last) : t("ho.none"))));
    return h("section", { class: "ho-council", id, "aria-labelledby": `${id}-h` },
      h("div", { class: "ho-council-head" },
        h("h2", { id: `${id}-h`, class: "ho-council-title", text: c.name }),
        h("span", { class: "badge badge-quiet", text: councilKindText(c.kind) }),
        c.seated ? h("a", { class: "ho-open", href: `/councils/${encodeURIComponent(c.id)}`, text: t("ho.openCouncil") }) : null),
      facts,
      c.loaded === false ? h("p", { class: "page-error", text: t("ho.notLoaded") }) : null,
      ...(quiet(c) ? [h("p", { class: "muted ho-quiet", text: t("ho.quiet") })] : parts(c)));
  }

  // Nothing recorded yet for the organisation: one line rather than seven "なし".
  function quiet(c) {
    const ch = c.changes || {};
    const lists = [c.roles, c.awaiting, c.themes, c.directions, c.last_meeting?.decisions, c.last_meeting?.homework,
      ch.meetings, ch.status_changes, ch.stage_changes, ch.issues_posted, ch.indicator_reports, ch.open_proposals, ch.open_rankings];
    return !c.vision && !c.last && !c.live && lists.every((l) => !l || !l.length);
  }

  function parts(c) {
    return [
      section(t("ho.roles"), roleList(c, c.roles || [])),
      section(t("ho.awaiting"), (c.awaiting || []).length
        ? [c.seated ? h("p", { class: "muted small", text: t("ho.awaitingHint") }) : null, roleList(c, c.awaiting)].filter(Boolean)
        : roleList(c, [])),
      section(t("ho.themes"), themes(c.themes || [])),
      section(t("ho.visions"), visions(c)),
      section(t("ho.decisions"), list((c.last_meeting?.decisions || []).map((d) => d))),
      section(t("ho.homework"), homework(c.last_meeting?.homework || [])),
      section(data?.since ? t("ho.changesSince", { date: dateJst(data.since) }) : t("ho.changesAll"), changes(c.changes || {})),
    ];
  }

  function section(title, content) {
    return h("section", { class: "ho-part" }, h("h3", { class: "ho-part-title", text: title }), content);
  }

  function list(lines, emptyKey = "ho.none") {
    if (!lines.length) return h("p", { class: "muted", text: t(emptyKey) });
    return h("ul", { class: "ho-list" }, lines.map((line) => h("li", { text: line })));
  }

  function title(text) {
    return text || t("ho.erased");
  }

  function who(e) {
    return [e.by?.org, e.by?.name].filter(Boolean).join(" ");
  }

  function eventText(e) {
    const by = who(e);
    let text;
    if (e.kind === "proposed") text = t("ho.ev.proposed", { who: by });
    else if (e.kind === "consented") text = t(e.decisive ? "ho.ev.agreed" : "ho.ev.consented", { who: by });
    else if (e.kind === "declined") text = t(e.decisive ? "ho.ev.refused" : "ho.ev.declined", { who: by });
    else text = t("ho.ev.status", { status: t(`pg.roleStatus.${e.status}`), who: by });
    return `${dateJst(e.at)} ${text}${e.note ? `：${e.note}` : ""}`;
  }

  function roleList(c, roles) {
    if (!roles.length) return h("p", { class: "muted", text: t("ho.none") });
    return h("ul", { class: "ho-roles" }, roles.map((r) => h("li", { class: `ho-role${r.overdue ? " is-overdue" : ""}` },
      h("p", { class: "ho-role-title" },
        r.overdue ? h("span", { class: "badge badge-overdue" }, h("span", { "aria-hidden": "true", text: "⚠ " }), t("ho.overdue")) : null,
        h("span", { text: title(r.title) }),
        piiBadge(r.pii)),
      h("p", { class: "ho-role-meta" },
        h("span", { class: r.overdue ? "ho-due is-overdue" : "ho-due", text: r.due ? t("ho.due", { date: formatDate(r.due) }) : t("ho.noDue") }),
        h("span", { text: t("ho.status", { status: t(`pg.roleStatus.${r.status}`) }) }),
        r.theme ? h("span", { class: "muted", text: t("ho.theme", { theme: r.theme }) }) : null),
      r.detail ? h("p", { class: "ho-role-detail", text: r.detail }) : null,
      r.agreed_in
        ? h("p", { class: "ho-role-agreed" },
          h("span", { text: t("ho.agreedIn", { meeting: r.agreed_in.title, date: dateJst(r.agreed_in.ended_at || r.agreed_in.started_at) }) }),
          r.agreed_in.ended_at ? " " : null,
          r.agreed_in.ended_at ? minutesLink(c, r.agreed_in) : null)
        : null,
      (r.history || []).length
        ? h("details", { class: "ho-history" },
          h("summary", { text: t("ho.history", { n: r.history.length }) }),
          h("ol", {}, r.history.map((e) => h("li", { text: eventText(e) }))))
        : null)));
  }

  function themes(list0) {
    if (!list0.length) return h("p", { class: "muted", text: t("ho.none") });
    return h("ul", { class: "ho-themes" }, list0.map((th) => h("li", {},
      h("span", { class: "ho-theme-name", text: th.name }),
      h("span", { class: `chip chip-stage home-stage home-stage-${th.stage}` },
        h("span", { class: "chip-stage-no", text: t("stage.short", { n: th.stage }) }),
        h("span", { class: "home-stage-name", text: t(`stage.${th.stage}`) })),
      (th.changes || []).length
        ? h("ul", { class: "ho-stage-changes" }, th.changes.map((s) => h("li", {
          text: `${t("ho.stageChange", { date: dateJst(s.at), from: s.from, to: s.to })}${s.reason ? `：${s.reason}` : ""}`,
        })))
        : null)));
  }

  function visions(c) {
    const lines = [];
    if (c.vision) lines.push(`${t("ho.vision")}：${title(c.vision.text)}（${t("ho.adoptedOn", { date: dateJst(c.vision.adopted_at) })}）`);
    for (const d of c.directions || []) lines.push(`${t("ho.direction")}：${title(d.text)}（${t("ho.adoptedOn", { date: dateJst(d.adopted_at) })}）`);
    return list(lines);
  }

  function homework(tasks) {
    if (!tasks.length) return h("p", { class: "muted", text: t("ho.none") });
    return h("ul", { class: "ho-list" }, tasks.map((task) => h("li", { class: task.overdue ? "is-overdue" : null },
      h("span", { text: title(task.title) }),
      h("span", { class: "muted", text: ` — ${task.ours ? t("ho.ours") : task.owner_org}、${task.due ? t("ho.due", { date: formatDate(task.due) }) : t("ho.noDue")}、${t(`pg.roleStatus.${task.status}`)}` }),
      task.overdue ? h("span", { class: "badge badge-overdue", text: t("ho.overdue") }) : null)));
  }

  function changes(ch) {
    const lines = [];
    for (const m of ch.meetings || []) lines.push(t("ho.ch.meeting", { title: m.title, date: dateJst(m.ended_at || m.started_at) }));
    for (const s of ch.status_changes || []) lines.push(`${dateJst(s.at)} ${t("ho.ch.status", { title: title(s.title), from: t(`pg.roleStatus.${s.from}`), to: t(`pg.roleStatus.${s.to}`) })}`);
    for (const s of ch.stage_changes || []) lines.push(`${dateJst(s.at)} ${t("ho.ch.stage", { theme: s.theme, from: s.from, to: s.to })}`);
    for (const i of ch.issues_posted || []) lines.push(`${dateJst(i.at)} ${t("ho.ch.issue", { text: title(i.text) })}${i.pii?.length ? ` ${t("ho.pii")}` : ""}`);
    for (const r of ch.indicator_reports || []) lines.push(`${dateJst(r.at)} ${t("ho.ch.report", { name: r.name, period: r.period, value: formatNumber(r.value), unit: r.unit })}`);
    for (const p of ch.open_proposals || []) lines.push(t("ho.ch.proposal", { text: title(p.text) }));
    if ((ch.open_rankings || []).length) lines.push(t("ho.ch.rankings", { n: ch.open_rankings.length }));
    if (ch.omitted > 0) lines.push(t("ho.ch.omitted", { n: ch.omitted }));
    return list(lines, "ho.noChanges");
  }

  return { start: load, render };
}
