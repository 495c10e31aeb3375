// 概観: the prefecture's view (県本庁, /overview/prefecture/<name>) and the
// health centre's roll-up (/overview/area/<name>), from GET
// /api/prefectures/<name>/overview or /api/areas/<name>/overview
// (server/docs/RECORD.md "The overview"). The matrix of stages comes
// first, then the role agreements by kind of organisation, the indicators
// side by side (small counts marked), this month's changes and the
// councils with links to their records; a CSV download of the same.
import { h } from "../dom.js";
import { t, formatDate, formatNumber } from "../i18n.js";
import { get } from "../api.js";
import { dateJst, periodText, loadingState, errorState, emptyState } from "../pages/shared.js";
import { orgKindText } from "./labels.js";

export const OVERVIEW_PATH = /^\/overview\/(prefecture|area)\/([^/]+)\/?$/;

function decoded(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// The overview a path names: { scope, name }, or null.
export function overviewOf(pathname) {
  const m = OVERVIEW_PATH.exec(pathname);
  return m ? { scope: m[1], name: decoded(m[2]) } : null;
}

export function overviewHref(scope, name) {
  return `/overview/${scope}/${encodeURIComponent(name)}`;
}

function apiUrl(scope, name) {
  return `/api/${scope === "area" ? "areas" : "prefectures"}/${encodeURIComponent(name)}/overview`;
}

function recordHref(council) {
  return `/councils/${encodeURIComponent(council)}/record`;
}

function areaName(name) {
  return name ? name : t("ov.noArea");
}

function stageBadge(stage) {
  return h("span", { class: `ov-stage ov-stage-${stage}`, text: t("ov.stage", { n: stage }) });
}

function kindName(kind) {
  return kind === "unknown" ? t("ov.kind.unknown") : orgKindText(kind);
}

export function createOverviewPage(shell, { scope, name }) {
  const { main } = shell;
  let data = null;
  let error = null;

  async function load() {
    error = null;
    render();
    try {
      data = await get(apiUrl(scope, name));
    } catch (e) {
      error = e;
    }
    render();
  }

  function head() {
    const title = t(scope === "area" ? "ov.title.area" : "ov.title.prefecture", { name });
    shell.setTitle(title);
    return h("div", { class: "page-head ov-head" },
      h("h1", { class: "page-title", text: title }),
      h("p", { class: "lead", text: t(scope === "area" ? "ov.lead.area" : "ov.lead.prefecture") }),
      data ? h("p", { class: "ov-tools" },
        h("span", { class: "muted", text: t("ov.asOf", { date: formatDate(data.today) }) }),
        h("a", { class: "btn btn-small ov-csv", href: `${apiUrl(scope, name)}?format=csv`, download: "", text: t("ov.csv") }),
        h("span", { class: "muted small", text: t("ov.csvHint") })) : null);
  }

  function toc() {
    const items = [
      ["ov-matrix", t("ov.matrix.title")],
      ["ov-roles", t("ov.roles.title")],
      ["ov-indicators", t("ov.ind.title")],
      ["ov-changes", t("ov.changes.title", { month: monthText(data.month) })],
      ["ov-submissions", t("ov.sub.title")],
      ["ov-councils", t("ov.councils.title")],
    ];
    return h("nav", { class: "ov-toc", "aria-label": t("ov.toc") },
      h("ul", {}, items.map(([id, text]) => h("li", {}, h("a", { href: `#${id}`, text })))));
  }

  function monthText(month) {
    return periodText(month || "");
  }

  function section(id, title, lead, ...children) {
    return h("section", { class: "card page-section ov-section", id, "aria-labelledby": `${id}-h` },
      h("h2", { class: "card-title", id: `${id}-h`, text: title }),
      lead ? h("p", { class: "muted", text: lead }) : null,
      ...children);
  }

  function matrix() {
    const m = data.matrix || { themes: [], areas: [], rows: [] };
    const legend = h("div", { class: "ov-legend" },
      h("p", { class: "ov-legend-title", text: t("ov.matrix.legend") }),
      h("ol", { class: "ov-legend-list" }, [1, 2, 3, 4].map((n) =>
        h("li", {}, stageBadge(n), " ", h("span", { text: t(`ov.stage.${n}`) })))));
    if (!m.themes.length) return section("ov-matrix", t("ov.matrix.title"), null, emptyState(t("ov.matrix.empty")), legend);
    const table = h("table", { class: "ov-table ov-matrix" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: t("ov.matrix.theme") }),
        m.areas.map((a) => h("th", { scope: "col", text: areaName(a) })))),
      h("tbody", {}, m.rows.map((row) => h("tr", {},
        h("th", { scope: "row", text: row.theme }),
        row.cells.map((cell) => cell.stage
          ? h("td", { class: `ov-cell ov-cell-${cell.stage}` },
            stageBadge(cell.stage),
            h("span", { class: "ov-cell-name", text: t(`ov.stage.${cell.stage}`) }),
            h("a", { class: "ov-cell-council", href: recordHref(cell.council), text: cell.council_name }))
          : h("td", { class: "ov-cell ov-cell-none" }, h("span", { class: "muted", text: t("ov.matrix.none") })))))));
    return section("ov-matrix", t("ov.matrix.title"), t("ov.matrix.lead"),
      h("div", { class: "ov-scroll", tabindex: "0", role: "region", "aria-label": t("ov.matrix.title") }, table), legend);
  }

  function roles() {
    const rows = data.roles || [];
    if (!rows.length) return section("ov-roles", t("ov.roles.title"), null, emptyState(t("ov.roles.empty")));
    return section("ov-roles", t("ov.roles.title"), t("ov.roles.lead"),
      h("div", { class: "ov-scroll" }, h("table", { class: "ov-table" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col", text: t("ov.roles.area") }),
          h("th", { scope: "col", text: t("ov.roles.kind") }),
          h("th", { scope: "col", class: "num", text: t("ov.roles.open") }),
          h("th", { scope: "col", class: "num", text: t("ov.roles.overdue") }))),
        h("tbody", {}, rows.map((r) => h("tr", {},
          h("td", { text: areaName(r.area) }),
          h("td", { text: kindName(r.kind) }),
          h("td", { class: "num", text: formatNumber(r.open) }),
          h("td", { class: `num${r.overdue ? " ov-overdue" : ""}`, text: formatNumber(r.overdue) })))))));
  }

  function indicators() {
    const list = data.indicators || [];
    if (!list.length) return section("ov-indicators", t("ov.ind.title"), null, emptyState(t("ov.ind.empty")));
    return section("ov-indicators", t("ov.ind.title"), t("ov.ind.lead"),
      list.map((ind) => h("div", { class: "ov-indicator" },
        h("h3", { class: "ov-indicator-name", text: ind.name }),
        h("div", { class: "ov-scroll" }, h("table", { class: "ov-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", text: t("ov.roles.area") }),
            h("th", { scope: "col", text: t("ov.ind.council") }),
            h("th", { scope: "col", text: t("ov.ind.period") }),
            h("th", { scope: "col", class: "num", text: t("ov.ind.value") }),
            h("th", { scope: "col", class: "num", text: t("ov.ind.target") }))),
          h("tbody", {}, ind.values.map((v) => h("tr", { class: v.small_count ? "ov-small-row" : null },
            h("td", { text: areaName(v.area) }),
            h("td", {}, h("a", { href: recordHref(v.council), text: v.council_name })),
            h("td", { class: "ov-nowrap", text: periodText(v.period) }),
            h("td", { class: "num" },
              h("span", { text: `${formatNumber(v.value)} ${v.unit || ""}`.trim() }),
              v.small_count ? h("span", { class: "badge ov-small", text: `⚠ ${t("ov.ind.small")}` }) : null),
            h("td", { class: "num", text: v.target == null ? "—" : `${formatNumber(v.target)} ${v.unit || ""}`.trim() })))))))));
  }

  function changes() {
    const list = data.changes || [];
    const title = t("ov.changes.title", { month: monthText(data.month) });
    if (!list.length) return section("ov-changes", title, null, emptyState(t("ov.changes.empty")));
    return section("ov-changes", title, null,
      list.map((c) => h("div", { class: "ov-change" },
        h("h3", { class: "ov-change-council" },
          h("a", { href: recordHref(c.council), text: c.council_name }),
          h("span", { class: "muted small", text: ` ${areaName(c.area)}` })),
        h("ul", { class: "ov-change-list" },
          c.stage_changes.map((s) => h("li", {},
            h("span", { text: t(s.from ? "ov.changes.stage" : "ov.changes.stageSet", { theme: s.theme, from: s.from, to: s.to }) }), " ",
            h("span", { class: "muted small", text: dateJst(s.at) }))),
          c.adopted.map((p) => h("li", {}, h("span", { text: t("ov.changes.adopted", { text: p.text }) }), " ",
            h("span", { class: "muted small", text: dateJst(p.at) }))),
          c.agreed.map((r) => h("li", {}, h("span", { text: t("ov.changes.agreed", { title: r.title, owner: r.owner }) }), " ",
            h("span", { class: "muted small", text: dateJst(r.at) }))),
          c.done.map((r) => h("li", {}, h("span", { text: t("ov.changes.done", { title: r.title, owner: r.owner }) }), " ",
            h("span", { class: "muted small", text: dateJst(r.at) })))))));
  }

  // 上申: what both parties of a one-on-one agreed to raise to the
  // prefecture — the items as agreed, with the area, the two organisations
  // and the date (nothing else of the consultation reaches this page).
  function submissions() {
    const list = data.submissions || [];
    if (!list.length) return section("ov-submissions", t("ov.sub.title"), null, emptyState(t("ov.sub.empty")));
    return section("ov-submissions", t("ov.sub.title"), t("ov.sub.lead"),
      list.map((s) => h("div", { class: "ov-change ov-submission" },
        h("h3", { class: "ov-change-council" },
          h("span", { text: t("ov.sub.from", { orgs: (s.organisations || []).join("・"), date: formatDate(s.date) }) }),
          h("span", { class: "muted small", text: ` ${areaName(s.area)}` })),
        h("ul", { class: "ov-change-list" },
          (s.items || []).map((item) => h("li", {},
            h("span", { class: "badge", text: t(`ov.sub.kind.${item.kind}`) }), " ",
            h("span", { text: item.text }),
            item.theme ? h("span", { class: "muted small", text: ` ${t("ov.sub.theme", { theme: item.theme })}` }) : null,
            item.kind === "role" && item.owner
              ? h("span", { class: "muted small", text: ` ${t("ov.sub.owner", { owner: item.owner })}` })
              : null,
            item.due ? h("span", { class: "muted small", text: ` ${t("ov.sub.due", { date: formatDate(item.due) })}` }) : null))))));
  }

  function councils() {
    const areas = data.areas || [];
    if (!areas.length) return section("ov-councils", t("ov.councils.title"), null, emptyState(t("ov.councils.empty")));
    return section("ov-councils", t("ov.councils.title"), null,
      areas.map((area) => h("div", { class: "ov-area" },
        h("h3", { class: "ov-area-name", text: areaName(area.name) }),
        h("ul", { class: "ov-council-list" }, area.councils.map((c) => h("li", { class: "ov-council" },
          h("p", { class: "ov-council-name" },
            h("a", { href: recordHref(c.id), text: c.name }),
            c.live_meeting ? h("span", { class: "badge badge-live", text: t("ov.councils.live") }) : null,
            c.archived ? h("span", { class: "badge badge-quiet", text: t("ov.councils.archived") }) : null),
          h("p", { class: "ov-council-themes" },
            c.themes.length
              ? c.themes.map((th) => h("span", { class: "ov-theme" }, h("span", { text: th.name }), " ", stageBadge(th.stage)))
              : h("span", { class: "muted", text: t("ov.councils.noThemes") })),
          h("p", { class: "muted small" },
            h("span", {
              text: c.last_meeting
                ? t("ov.councils.last", { title: c.last_meeting.title, date: dateJst(c.last_meeting.ended_at) })
                : t("ov.councils.noLast"),
            }),
            c.next_meeting ? h("span", { text: ` · ${t("ov.councils.next", { date: formatDate(c.next_meeting) })}` }) : null),
          h("p", {}, h("a", { class: "btn btn-small", href: recordHref(c.id), text: t("ov.councils.record") }))))))));
  }

  function render() {
    const parts = [head()];
    if (error) {
      parts.push(error.status === 403
        ? h("div", { class: "page-error", role: "alert" }, h("p", { text: t("ov.error.forbidden") }))
        : errorState(error, { retry: load }));
    } else if (!data) {
      parts.push(loadingState());
    } else {
      parts.push(toc(), matrix(), roles(), indicators(), changes(), submissions(), councils());
    }
    main.replaceChildren(...parts.filter(Boolean));
  }

  return { start: load, render };
}

// The links ホーム shows to a person with a prefecture_viewer or
// secretariat grant.
export function overviewLinks(me) {
  const links = [];
  for (const g of me?.grants || []) {
    if (!g.scope) continue;
    if (g.role === "prefecture_viewer") links.push({ scope: "prefecture", name: g.scope, key: "ov.home.prefecture" });
    if (g.role === "secretariat") links.push({ scope: "area", name: g.scope, key: "ov.home.area" });
  }
  if (!links.length) return null;
  return h("section", { class: "card ov-home", "aria-labelledby": "ov-home-h" },
    h("h2", { class: "card-title", id: "ov-home-h", text: t("ov.home.title") }),
    h("ul", { class: "ov-home-list" }, links.map((l) =>
      h("li", {}, h("a", { class: "btn", href: overviewHref(l.scope, l.name), text: t(l.key, { name: l.name }) })))));
}
