// 検索: search the council's record (GET /api/councils/<id>/search?q=).
// One- and two-character Japanese terms work (the server scans for them);
// the query lives in the address (?q=) so a search can be shared and the
// back button returns to the previous one. Matches are highlighted with
// <mark> elements around text nodes, never by parsing HTML.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import {
  redactedText,
  fetchJson, apiBase, recordHref, themeAnchor, minutesHref, dateTimeJst, timeEl, loadingState, errorState, emptyState,
} from "./shared.js";

const MAX_TERMS = 5;
const MAX_LENGTH = 100;
const KINDS = ["issue", "proposal", "role", "role_detail", "consent", "status", "stance", "stage", "indicator"];

// The terms of a query as the server splits them: at ASCII white space and
// U+3000 (全角スペース), empty ones dropped.
export function searchTerms(query) {
  return String(query || "").split(/[ \t\n\r\f\v\u3000]+/).filter(Boolean);
}

// Only Latin letters are compared without case (as the server does), so the
// lowered text keeps every character at its index.
function lowerAscii(text) {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// [text node | <mark>] for `text` with every occurrence of every term marked.
export function highlight(text, terms) {
  const source = String(text || "");
  const lowered = lowerAscii(source);
  const ranges = [];
  for (const term of terms) {
    const needle = lowerAscii(term);
    if (!needle) continue;
    for (let at = lowered.indexOf(needle); at >= 0; at = lowered.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const nodes = [];
  let pos = 0;
  for (const [from, to] of merged) {
    if (from > pos) nodes.push(document.createTextNode(source.slice(pos, from)));
    const mark = document.createElement("mark");
    mark.textContent = source.slice(from, to);
    nodes.push(mark);
    pos = to;
  }
  if (pos < source.length) nodes.push(document.createTextNode(source.slice(pos)));
  return nodes;
}

// Where a hit belongs in the record page.
function anchorOf(hit) {
  return hit.kind === "stage" ? themeAnchor(hit.id) : hit.id;
}

export function createSearchPage({ shell, councilId, onUnauthorized }) {
  const { main } = shell;
  let record = null;
  let query = readQuery();
  let result = null; // {query, hits}
  let error = null; // an Error from fetchJson, or {local: key}
  let loading = false;
  let request = 0;

  const input = h("input", {
    type: "search",
    id: "search-q",
    name: "q",
    autocomplete: "off",
    enterkeyhint: "search",
    "aria-describedby": "search-hint",
  });
  const form = h("form", { class: "search-form", role: "search", onsubmit: submit },
    h("label", { for: "search-q", class: "search-label" }),
    h("div", { class: "search-row" },
      input,
      h("button", { type: "submit", class: "btn btn-primary" })),
    h("p", { class: "hint", id: "search-hint" }));
  const status = h("div", { class: "search-status", role: "status", "aria-live": "polite" });
  const results = h("div", { class: "search-results" });
  const title = h("h1", { class: "page-title" });
  const lead = h("p", { class: "lead" });

  function readQuery() {
    return new URLSearchParams(location.search).get("q") || "";
  }

  function submit(e) {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) {
      query = "";
      result = null;
      error = { local: "srch.empty" };
      render();
      input.focus();
      return;
    }
    if (q !== readQuery()) {
      const url = new URL(location.href);
      url.searchParams.set("q", q);
      history.pushState(null, "", url);
    }
    query = q;
    run();
  }

  async function run() {
    const mine = ++request;
    error = null;
    result = null;
    if (!query) {
      loading = false;
      render();
      return;
    }
    loading = true;
    render();
    try {
      const [found, rec] = await Promise.all([
        fetchJson(`${apiBase(councilId)}/search?q=${encodeURIComponent(query)}`),
        record ? Promise.resolve(record) : fetchJson(`${apiBase(councilId)}/record`),
      ]);
      if (mine !== request) return;
      result = found;
      record = rec;
    } catch (e) {
      if (mine !== request) return;
      if (e.status === 401) return onUnauthorized();
      error = e;
    }
    loading = false;
    render();
  }

  function start() {
    window.addEventListener("popstate", () => {
      query = readQuery();
      input.value = query;
      run();
    });
    input.value = query;
    main.replaceChildren(
      h("div", { class: "page-head" }, title, lead),
      h("div", { class: "card search-card" }, form, status),
      results,
    );
    render();
    if (query) run();
    input.focus();
  }

  function render() {
    shell.setTitle(query ? t("srch.titleWith", { q: query }) : t("srch.title"));
    form.querySelector(".search-label").textContent = t("srch.label");
    form.querySelector("button").textContent = t("srch.button");
    form.querySelector(".hint").textContent = t("srch.hint", { max: MAX_LENGTH, terms: MAX_TERMS });
    input.placeholder = t("srch.placeholder");
    status.replaceChildren();
    results.replaceChildren();
    if (error) {
      if (error.local) status.append(h("p", { class: "page-error-inline", text: t(error.local) }));
      else if (error.status === 400) status.append(h("p", { class: "page-error-inline", text: t("srch.badQuery", { max: MAX_LENGTH, terms: MAX_TERMS }) }));
      else results.append(errorState(error, { retry: run }));
    } else if (loading) {
      results.append(loadingState());
    } else if (result) {
      renderResult();
    } else {
      results.append(h("p", { class: "muted", text: t("srch.intro") }));
    }
    title.textContent = t("srch.title");
    lead.textContent = t("srch.lead");
  }

  function renderResult() {
    const terms = searchTerms(query);
    const used = terms.slice(0, MAX_TERMS);
    const hits = result.hits || [];
    status.append(h("p", { class: "search-count" },
      h("strong", { text: t("srch.count", { q: query, n: hits.length }) })));
    if (terms.length > MAX_TERMS) {
      status.append(h("p", { class: "warn-inline", text: t("srch.tooManyTerms", { max: MAX_TERMS, ignored: terms.slice(MAX_TERMS).join(" ") }) }));
    }
    if (hits.length >= 50) status.append(h("p", { class: "small muted", text: t("srch.limit") }));
    if (!hits.length) {
      results.append(emptyState(t("srch.none", { q: query })));
      return;
    }
    const meetings = new Map((record?.meetings || []).map((m) => [m.id, m]));
    results.append(h("ol", { class: "search-hits" }, hits.map((hit) => {
      const meeting = hit.meeting ? meetings.get(hit.meeting) : null;
      const kind = KINDS.includes(hit.kind) ? hit.kind : "other";
      return h("li", { class: "search-hit" },
        h("p", { class: "hit-head" },
          h("span", { class: `badge badge-hit badge-hit-${kind}`, text: t(`srch.kind.${kind}`) }),
          hit.kind === "stage" ? h("span", { class: "chip chip-theme", text: hit.id }) : null,
          h("span", { class: "small muted" }, timeEl(hit.at, dateTimeJst(hit.at)))),
        h("p", { class: "hit-text" },
          h("a", { href: recordHref(councilId, anchorOf(hit)), class: "hit-link" }, hit.redacted ? redactedText(hit) : highlight(hit.text, used))),
        h("p", { class: "hit-where small" },
          hit.meeting
            ? [h("span", { class: "muted", text: t("srch.inMeeting") }),
              h("a", { href: recordHref(councilId, hit.meeting), text: meeting ? meeting.title : hit.meeting }),
              " · ",
              h("a", { href: minutesHref(councilId, hit.meeting, "html"), target: "_blank", rel: "noopener", class: "minutes-link", text: t("srch.minutes") })]
            : h("span", { class: "muted", text: t("srch.betweenMeetings") })),
      );
    })));
  }

  return { start, render };
}
