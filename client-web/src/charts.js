// Charts (chart.js, bundled). A chart is kept per key across re-renders: the
// view calls chartBox(key, …) on every render and gets the same element back
// with the data updated, so live tallies animate instead of flickering.
// Labels drawn on a canvas are never parsed as HTML; every chart also has a
// text alternative (aria-label and a table next to it).
import {
  Chart,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

const FONT_FAMILY =
  '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "BIZ UDPGothic", "Yu Gothic UI", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", system-ui, sans-serif';
Chart.defaults.font.family = FONT_FAMILY;
Chart.defaults.font.size = 13;
Chart.defaults.color = "#2b3437";
Chart.defaults.borderColor = "#d9d6cc";

export const COLORS = {
  accent: "#1d5c63",
  accentStrong: "#0f3d42",
  accentSoft: "#5b9197",
  agree: "#2e6b45",
  abstain: "#7a8285",
  disagree: "#b06a00",
  block: "#a4262c",
  baseline: "#7a8285",
  target: "#a4262c",
};

const charts = new Map(); // key -> {box, canvas, chart}

export function chartBox(key, config, { label, height = 240 } = {}) {
  let entry = charts.get(key);
  if (entry) {
    entry.chart.data = config.data;
    entry.chart.options = { responsive: true, maintainAspectRatio: false, ...config.options };
    entry.chart.update();
  } else {
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    const box = document.createElement("div");
    box.className = "chart-box";
    box.appendChild(canvas);
    const chart = new Chart(canvas, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, ...config.options },
    });
    entry = { box, canvas, chart };
    charts.set(key, entry);
  }
  entry.box.style.height = `${height}px`;
  entry.canvas.setAttribute("aria-label", label || "");
  entry.box.dataset.chart = key;
  return entry.box;
}

// Destroys charts whose key was not used in the last render of a view.
export function pruneCharts(prefix, keep) {
  for (const [key, entry] of charts) {
    if (key.startsWith(prefix) && !keep.has(key)) {
      entry.chart.destroy();
      charts.delete(key);
    }
  }
}

export function retranslateCharts() {
  for (const entry of charts.values()) entry.chart.update("none");
}

// Writes each bar's value at its end (inside the bar when there is no room),
// so the numbers can be read without the axis.
export const valueLabels = {
  id: "renkeiValueLabels",
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.font = `700 13px ${FONT_FAMILY}`;
    ctx.textBaseline = "middle";
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((bar, j) => {
        const value = dataset.data[j];
        if (value === null || value === undefined) return;
        const text = String(value);
        const width = ctx.measureText(text).width;
        if (bar.x + 6 + width <= chartArea.right) {
          ctx.fillStyle = "#1f2a2e";
          ctx.textAlign = "left";
          ctx.fillText(text, bar.x + 6, bar.y);
        } else {
          ctx.fillStyle = "#ffffff";
          ctx.textAlign = "right";
          ctx.fillText(text, bar.x - 6, bar.y);
        }
      });
    });
    ctx.restore();
  },
};

// Horizontal reference lines (baseline, target) across the whole plot,
// labelled at the right end: options.plugins.renkeiReferenceLines =
// {lines: [{value, label, color, dash}]}.
export const referenceLines = {
  id: "renkeiReferenceLines",
  afterDatasetsDraw(chart, _args, options) {
    const lines = options && options.lines ? [...options.lines] : [];
    if (!lines.length) return;
    const { ctx, chartArea } = chart;
    const y = chart.scales.y;
    ctx.save();
    ctx.font = `600 12px ${FONT_FAMILY}`;
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    for (const line of lines) {
      const py = y.getPixelForValue(line.value);
      if (py < chartArea.top - 1 || py > chartArea.bottom + 1) continue;
      ctx.strokeStyle = line.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(line.dash || []);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, py);
      ctx.lineTo(chartArea.right, py);
      ctx.stroke();
      ctx.fillStyle = line.color;
      ctx.fillText(line.label, chartArea.right - 4, py - 2);
    }
    ctx.restore();
  },
};

// Horizontal bars: one per row, e.g. ranking results or a tally.
export function barConfig({ labels, values, colors, max, tooltipLabel, axisTitle, animate = false }) {
  return {
    type: "bar",
    plugins: [valueLabels],
    data: {
      labels,
      datasets: [{ data: values, backgroundColor: colors, borderRadius: 4, maxBarThickness: 28 }],
    },
    options: {
      indexAxis: "y",
      // Results are final: drawn at once, without motion.
      animation: animate ? { duration: 300 } : false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: tooltipLabel ? { label: tooltipLabel } : {} },
      },
      scales: {
        x: {
          beginAtZero: true,
          suggestedMax: max,
          ticks: { precision: 0 },
          title: axisTitle ? { display: true, text: axisTitle } : { display: false },
        },
        y: { ticks: { autoSkip: false } },
      },
    },
  };
}

// Line colours and point shapes for the organisations in a trend chart
// (a shape per organisation, so the lines differ in more than colour).
const SERIES_COLORS = ["#1d5c63", "#b06a00", "#4d2a66", "#2e6b45", "#a4262c", "#2f3b63", "#6a3a12", "#5b9197"];
const SERIES_POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];

// The reports of an indicator ([{value, period, by: {org}}]) as one line per
// organisation over the sorted periods (a later report of an organisation
// for a period replaces its earlier one). `orgLabel(org)` names a series.
export function orgSeries(reports, orgLabel) {
  const orgs = [...new Set(reports.map((r) => r.by?.org || ""))];
  const periods = [...new Set(reports.map((r) => r.period))].sort();
  const datasets = orgs.map((org, i) => {
    const byPeriod = new Map();
    for (const r of reports) if ((r.by?.org || "") === org) byPeriod.set(r.period, r.value);
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    return {
      label: orgLabel(org),
      data: periods.map((p) => (byPeriod.has(p) ? byPeriod.get(p) : null)),
      borderColor: color,
      backgroundColor: color,
      pointStyle: SERIES_POINTS[i % SERIES_POINTS.length],
      pointRadius: 5,
      pointHoverRadius: 6,
      spanGaps: true,
      tension: 0,
    };
  });
  return { orgs, periods, datasets };
}
