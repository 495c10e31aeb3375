// 市町村比較: the organisations side by side (GET /api/councils/<id>/comparison):
// how many issues each posted and the latest value each reported per
// indicator. Counts below the server's threshold (5) are flagged in words:
// in small towns a small number can point to a person.
import { h } from "../dom.js";
import { t, formatNumber } from "../i18n.js";
import {
  fetchJson, apiBase, recordHref, periodText, dateJst, issueStatusBadge, pageHead, showPending, emptyState, pageSection,
  revealTarget, hashTarget,
} from "./shared.js";

export function createComparePage({ shell, councilId, onUnauthorized }) {
  const { main } = shell;
  let data = null;
  let error = null;

  async function load() {
    error = null;
    render();
    try {
      data = await fetchJson(`${apiBase(councilId)}/comparison`);
    } catch (e) {
      if (e.status === 401) return onUnauthorized();
      error = e;
    }
    render();
  }

  function start() {
    window.addEventListener("hashchange", () => revealTarget(hashTarget()));
    load();
  }

  function render() {
    const head = pageHead(shell, "cmp.title", "cmp.lead");
    if (showPending(main, head, { error, loaded: Boolean(data), retry: load })) return;
    main.replaceChildren(head, ...body());
  }

  function smallFlag(threshold) {
    return h("span", { class: "small-flag", title: t("cmp.smallTitle", { n: threshold }) },
      h("span", { "aria-hidden": "true", text: "※" }),
      t("cmp.smallFlag", { n: threshold }));
  }

  function body() {
    const threshold = data.small_count_threshold ?? 5;
    const orgs = data.organisations || [];
    // Every indicator any organisation reported, in the order first seen.
    const indicators = new Map();
    for (const org of orgs) {
      for (const ind of org.indicators || []) if (!indicators.has(ind.indicator)) indicators.set(ind.indicator, ind);
    }
    const anySmall = orgs.some((o) => o.issues?.small_count || (o.indicators || []).some((i) => i.latest?.small_count || (i.values || []).some((v) => v.small_count)));
    const note = h("div", { class: "small-note", role: "note" },
      h("p", {}, smallFlag(threshold), " ", h("strong", { text: t("cmp.noteTitle", { n: threshold }) })),
      h("p", { class: "small", text: t("cmp.noteBody", { n: threshold }) }));

    if (!orgs.length) return [note, emptyState(t("cmp.none"))];

    const table = h("table", { class: "table compare-table" },
      h("caption", { text: t("cmp.caption") }),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: t("cmp.org") }),
        h("th", { scope: "col", class: "num", text: t("cmp.issues") }),
        [...indicators.values()].map((ind) => h("th", { scope: "col", class: "num" },
          h("a", { href: recordHref(councilId, ind.indicator), text: ind.name }),
          h("span", { class: "th-sub", text: t("cmp.indicatorSub", { unit: ind.unit, kind: t(`pg.indicatorKind.${ind.kind}`) }) }))))),
      h("tbody", {}, orgs.map((org, i) => {
        const own = new Map((org.indicators || []).map((x) => [x.indicator, x]));
        return h("tr", {},
          h("th", { scope: "row", class: "org-name", text: org.org }),
          h("td", { class: `num${org.issues?.small_count ? " is-small" : ""}` },
            h("a", { href: `#cmp-org-${i}`, text: formatNumber(org.issues?.count ?? 0) }),
            org.issues?.small_count ? smallFlag(threshold) : null),
          [...indicators.keys()].map((id) => {
            const mine = own.get(id);
            const latest = mine?.latest;
            if (!latest) return h("td", { class: "num muted" }, h("span", { "aria-hidden": "true", text: "—" }), h("span", { class: "vh", text: t("cmp.noValue") }));
            return h("td", { class: `num${latest.small_count ? " is-small" : ""}` },
              h("span", { class: "value", text: formatNumber(latest.value) }),
              h("span", { class: "unit", text: ` ${mine.unit}` }),
              h("span", { class: "cell-sub", text: t("cmp.period", { period: periodText(latest.period) }) }),
              latest.small_count ? smallFlag(threshold) : null);
          }));
      })));

    const details = orgs.map((org, i) => {
      const items = org.issues?.items || [];
      const history = (org.indicators || []).filter((x) => (x.values || []).length);
      return h("details", { class: "org-details", id: `cmp-org-${i}` },
        h("summary", {},
          h("span", { class: "org-name", text: org.org }), " ",
          h("span", { class: "count", text: t("cmp.orgSummary", { n: org.issues?.count ?? 0 }) }),
          org.issues?.small_count ? [" ", smallFlag(threshold)] : null),
        items.length
          ? h("ol", { class: "plain-list org-issues" }, items.map((issue) => h("li", {},
              h("a", { href: recordHref(councilId, issue.id), text: issue.text }), " ",
              issueStatusBadge(issue.status),
              issue.theme ? [" ", h("span", { class: "chip chip-theme", text: issue.theme })] : null)))
          : emptyState(t("cmp.noIssues")),
        history.length
          ? h("div", { class: "org-values" },
              h("p", { class: "small strong", text: t("cmp.valuesTitle") }),
              h("ul", { class: "plain-list small" }, history.map((ind) => h("li", {},
                h("a", { href: recordHref(councilId, ind.indicator), text: ind.name }), "：",
                ind.values.map((v, k) => [k ? t("pg.listSep") : "",
                  t("cmp.valueAt", { period: periodText(v.period), value: formatNumber(v.value), unit: ind.unit }),
                  v.small_count ? [" ", smallFlag(threshold)] : null])))))
          : null);
    });

    return [
      anySmall ? note : h("p", { class: "small muted", text: t("cmp.noteBody", { n: threshold }) }),
      pageSection("cmp-table", t("cmp.tableTitle"),
        h("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-label": t("cmp.caption") }, table),
        indicators.size ? null : h("p", { class: "small muted", text: t("cmp.noIndicators") })),
      pageSection("cmp-issues", t("cmp.issuesTitle"),
        h("p", { class: "small muted", text: t("cmp.issuesHint") }),
        h("div", { class: "org-list" }, details)),
      h("p", { class: "small muted", text: t("cmp.asOf", { date: dateJst(new Date().toISOString()) }) }),
    ];
  }

  return { start, render };
}
