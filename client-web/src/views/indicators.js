// Evaluation indicators (評価指標): defined by the facilitator with baseline
// and target; values reported by members; each shown with its trend.
import { showFieldError, parsePeriod } from "../input.js";
import { h, field, replaceKeepingFocus } from "../dom.js";
import { t, formatNumber, formatTime } from "../i18n.js";
import { TOPIC } from "../state.js";
import { chartBox, pruneCharts, COLORS, referenceLines, orgSeries } from "../charts.js";
import { observerNote, personText, section } from "./common.js";
import { proxyLabel } from "./proxy_input.js";

const KINDS = ["structure", "process", "outcome"];

function numberOrNull(input) {
  const raw = input.value.trim();
  if (raw === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : NaN;
}

export function createIndicatorView(app) {
  const { state } = app;
  const reportDrafts = new Map(); // indicator id -> {value, period}

  // ---- define form (facilitator) ----
  const name = h("input", { type: "text", maxLength: 200, autocomplete: "off", dataset: { focusKey: "ind-name" } });
  const kind = h("select", { dataset: { focusKey: "ind-kind" } });
  const unit = h("input", { type: "text", maxLength: 50, autocomplete: "off", dataset: { focusKey: "ind-unit" } });
  const baseline = h("input", { type: "number", step: "any", inputmode: "decimal", dataset: { focusKey: "ind-baseline" } });
  const target = h("input", { type: "number", step: "any", inputmode: "decimal", dataset: { focusKey: "ind-target" } });
  const defineForm = h("form", { class: "grid-form", novalidate: true },
    field("indicator.name", name, { class: "span-2" }),
    field("indicator.kind", kind),
    field("indicator.unit", unit, { hintKey: "indicator.unitHint" }),
    field("indicator.baseline", baseline, { optional: true }),
    field("indicator.target", target, { optional: true }),
    h("div", { class: "row row-end-only span-2" }, h("button", { type: "submit", class: "btn btn-primary", i18n: "indicator.define" })),
  );
  function fillKinds() {
    const chosen = kind.value || "process";
    kind.replaceChildren(...KINDS.map((k) => h("option", { value: k, text: t(`indicator.kind.${k}`) })));
    kind.value = chosen;
  }
  defineForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { name: name.value.trim(), kind: kind.value, unit: unit.value.trim() };
    if (!args.name) return fail("indicator.nameRequired", name);
    if (!args.unit) return fail("indicator.unitRequired", unit);
    const b = numberOrNull(baseline);
    const g = numberOrNull(target);
    if (Number.isNaN(b)) return fail("indicator.numberInvalid", baseline);
    if (Number.isNaN(g)) return fail("indicator.numberInvalid", target);
    if (b !== null) args.baseline = b;
    if (g !== null) args.target = g;
    for (const input of [name, unit, baseline, target]) input.value = "";
    app.send("indicator.define", args, { onAck: () => app.announce(t("indicator.defined")) });
    name.focus();
  });
  function fail(key, input) {
    showFieldError(input, t(key));
  }

  const list = h("div", { class: "stack" });
  const element = h("div", { class: "view view-indicators" },
    app.isFacilitator ? section("indicator.defineTitle", defineForm) : null,
    h("section", { class: "card", "aria-labelledby": "ind-title" },
      h("h2", { class: "card-title", id: "ind-title", i18n: "indicator.listTitle" }),
      app.canAct ? null : observerNote(),
      list),
  );

  // The latest report of each organisation (the latest period; of several
  // reports for it, the later one), in the order organisations first reported.
  function latestByOrg(ind) {
    const best = new Map();
    for (const r of ind.reports) {
      const org = r.by?.org || "";
      if (!best.has(org) || r.period >= best.get(org).period) best.set(org, r);
    }
    return [...best.entries()];
  }

  function orgName(org) {
    return org || t("indicator.noOrg");
  }

  function trendChart(ind) {
    // One line per organisation: figures of different municipalities are
    // never joined into one series.
    const { orgs, periods, datasets } = orgSeries(ind.reports, orgName);
    const lines = [];
    if (ind.baseline !== null) lines.push({ value: ind.baseline, label: `${t("indicator.baseline")} ${formatNumber(ind.baseline)}`, color: COLORS.baseline, dash: [4, 4] });
    if (ind.target !== null) lines.push({ value: ind.target, label: `${t("indicator.target")} ${formatNumber(ind.target)}`, color: COLORS.target, dash: [8, 4] });
    const all = ind.reports.map((r) => r.value).concat(lines.map((l) => l.value));
    const low = Math.min(...all);
    const high = Math.max(...all);
    const pad = (high - low) * 0.15 || Math.abs(high) * 0.1 || 1;
    const summary = orgs.map((org) => {
      const own = ind.reports.filter((r) => (r.by?.org || "") === org);
      return `${orgName(org)}: ${own.map((r) => `${r.period} ${formatNumber(r.value)}${ind.unit}`).join("、")}`;
    }).join(" / ");
    return chartBox(`ind-${ind.id}`, {
      type: "line",
      plugins: [referenceLines],
      data: {
        labels: periods,
        datasets,
      },
      options: {
        animation: { duration: 250 },
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
    }, { label: t("indicator.chartLabel", { name: ind.name, summary }), height: 230 });
  }

  function progress(ind, org, last) {
    if (ind.baseline === null || ind.target === null || !last || ind.target === ind.baseline) return null;
    const fraction = (last.value - ind.baseline) / (ind.target - ind.baseline);
    const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    const fill = h("span", { class: "progress-fill" });
    fill.style.width = `${pct}%`;
    const text = t("indicator.progressOf", { org: orgName(org), pct: Math.round(fraction * 100) });
    return h("div", { class: "progress-wrap" },
      h("span", { class: "small", text }),
      h("span", { class: "progress", role: "img", "aria-label": text }, fill));
  }

  function reportForm(ind) {
    const draft = reportDrafts.get(ind.id) || { value: "", period: "" };
    reportDrafts.set(ind.id, draft);
    const value = h("input", { type: "number", step: "any", inputmode: "decimal", value: draft.value, dataset: { focusKey: `rep-value-${ind.id}` }, oninput: (e) => { draft.value = e.currentTarget.value; } });
    const period = h("input", { type: "text", inputmode: "numeric", placeholder: "2026-11", maxLength: 20, value: draft.period, dataset: { focusKey: `rep-period-${ind.id}` }, oninput: (e) => { draft.period = e.currentTarget.value; } });
    const f = h("form", { class: "report-form", novalidate: true },
      field("indicator.value", value),
      field("indicator.period", period, { hintKey: "input.periodHint" }),
      h("button", { type: "submit", class: "btn btn-small btn-primary", dataset: { focusKey: `rep-submit-${ind.id}` }, text: t("indicator.report") }));
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = numberOrNull(value);
      if (v === null || Number.isNaN(v)) return showFieldError(value, t("indicator.valueRequired"));
      const p = parsePeriod(period.value);
      if (!p) return showFieldError(period, t("input.periodInvalid"));
      period.value = p;
      draft.period = p;
      app.send("indicator.report", { indicator: ind.id, value: v, period: p }, {
        onAck: () => {
          reportDrafts.delete(ind.id);
          app.announce(t("indicator.reported"));
          app.refresh(TOPIC.indicators);
        },
      });
    });
    return f;
  }

  function card(ind) {
    const latest = latestByOrg(ind);
    const figure = (label, v, extra) => h("div", { class: "figure" },
      h("dt", { text: label }),
      h("dd", {}, v === null || v === undefined ? h("span", { class: "muted", text: "—" }) : [h("strong", { text: formatNumber(v) }), h("span", { class: "unit", text: ` ${ind.unit}` }), extra || null]));
    return h("article", { class: "subcard indicator", dataset: { indicator: ind.id } },
      h("div", { class: "card-head" },
        h("h3", { class: "subcard-title" }, h("span", { text: ind.name })),
        h("span", { class: `badge badge-kind-${ind.kind}`, text: t(`indicator.kind.${ind.kind}`) })),
      h("dl", { class: "figures" },
        figure(t("indicator.baseline"), ind.baseline),
        latest.length
          ? latest.map(([org, last]) => figure(t("indicator.latestOf", { org: orgName(org) }), last.value, h("span", { class: "small muted", text: ` (${last.period})` })))
          : figure(t("indicator.latest"), null),
        figure(t("indicator.target"), ind.target)),
      latest.map(([org, last]) => progress(ind, org, last)),
      ind.reports.length ? trendChart(ind) : h("p", { class: "small muted", i18n: "indicator.noReports" }),
      ind.reports.length
        ? h("details", { class: "reports" },
            h("summary", { text: t("indicator.reportsCount", { n: ind.reports.length }) }),
            h("ul", { class: "plain-list small" }, ind.reports.map((r) =>
              h("li", {}, t("indicator.reportRow", { period: r.period, value: formatNumber(r.value), unit: ind.unit, who: personText(r.by), at: formatTime(r.at) }), " ", proxyLabel(r.enteredBy)))))
        : null,
      app.canAct ? reportForm(ind) : null,
    );
  }

  function render(topics) {
    if (!topics.has(TOPIC.indicators)) return;
    const all = [...state.indicators.values()];
    const groups = KINDS.map((k) => [k, all.filter((i) => i.kind === k)]).filter(([, items]) => items.length);
    replaceKeepingFocus(list, all.length
      ? groups.map(([k, items]) => h("div", { class: "indicator-group" },
          h("h3", { class: "group-title", text: t(`indicator.kind.${k}`) }),
          h("div", { class: "indicator-grid" }, items.map(card))))
      : h("p", { class: "empty", i18n: "indicator.none" }));
    pruneCharts("ind-", new Set(all.filter((i) => i.reports.length).map((i) => `ind-${i.id}`)));
  }

  fillKinds();
  return { element, render, relabel: fillKinds };
}
