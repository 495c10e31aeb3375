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
  accentSoft: "#7fb0b5",
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
    entry.chart.options = config.options;
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

// Horizontal bars: one per row, e.g. ranking results or a tally.
export function barConfig({ labels, values, colors, max, tooltipLabel, axisTitle }) {
  return {
    type: "bar",
    data: {
      labels,
      datasets: [{ data: values, backgroundColor: colors, borderRadius: 4, maxBarThickness: 28 }],
    },
    options: {
      indexAxis: "y",
      animation: { duration: 300 },
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
