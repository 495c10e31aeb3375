// The council as this client knows it: the fold of the events received over
// the WebSocket (same rules as the server's record, see server/docs/RECORD.md).
// apply() takes events strictly in seq order; an event at or below `head`
// has been seen already and is ignored, so a reconnect never duplicates
// anything on screen.

export function createState() {
  return {
    council: null, // {id, name, kind}
    me: null, // {participant, name, org, role}
    head: 0, // highest seq applied
    synced: false,
    presence: [], // [{participant, name, org, role}]
    people: new Map(), // participant id -> {participant, name, org, role}
    meetings: new Map(),
    liveMeeting: null,
    issues: new Map(),
    rankings: new Map(),
    proposals: new Map(),
    roles: new Map(),
    indicators: new Map(),
    themes: new Map(),
    visions: [],
    directions: [],
  };
}

// Topics name the parts of the screen an event changes.
export const TOPIC = {
  meeting: "meeting",
  issues: "issues",
  rankings: "rankings",
  proposals: "proposals",
  roles: "roles",
  indicators: "indicators",
  themes: "themes",
  people: "people",
};

// Returns true when the person was not known before.
function rememberPerson(state, by) {
  if (!by || !by.participant) return false;
  const known = state.people.get(by.participant);
  state.people.set(by.participant, { ...known, ...by });
  return !known;
}

function touchTheme(state, name, topics) {
  if (!name || state.themes.has(name)) return;
  state.themes.set(name, { name, stage: 1, history: [] });
  topics.add(TOPIC.themes);
}

// Applies one event. Returns the set of topics it changed, or null when the
// event was already applied (seq <= head).
export function applyEvent(state, ev) {
  if (typeof ev.seq !== "number" || ev.seq <= state.head) return null;
  state.head = ev.seq;
  const d = ev.data || {};
  const topics = new Set();
  if (rememberPerson(state, ev.by)) topics.add(TOPIC.people);
  switch (ev.op) {
    case "meeting.started": {
      const id = d.meeting || ev.meeting;
      state.meetings.set(id, {
        id,
        title: d.title || "",
        agenda: d.agenda ?? null,
        items: Array.isArray(d.items) ? d.items : [],
        currentItem: -1,
        itemStartedAt: null,
        startedAt: ev.at,
        endedAt: null,
        by: ev.by,
        // 公開 (open, also when absent) or 非公開 (closed).
        session: d.session === "closed" ? "closed" : "open",
        seq: ev.seq,
      });
      state.liveMeeting = id;
      topics.add(TOPIC.meeting);
      break;
    }
    case "meeting.advanced": {
      const m = state.meetings.get(ev.meeting || state.liveMeeting);
      if (m) {
        m.currentItem = d.item;
        m.itemStartedAt = ev.at;
      }
      topics.add(TOPIC.meeting);
      break;
    }
    case "meeting.ended": {
      const id = d.meeting || ev.meeting;
      const m = state.meetings.get(id);
      if (m) m.endedAt = ev.at;
      if (state.liveMeeting === id) state.liveMeeting = null;
      topics.add(TOPIC.meeting);
      break;
    }
    case "issue.posted":
      state.issues.set(d.issue, {
        id: d.issue,
        text: d.text || "",
        theme: d.theme || null,
        by: ev.by,
        at: ev.at,
        seq: ev.seq,
        meeting: ev.meeting,
        mergedInto: null,
        mergedFrom: [],
      });
      touchTheme(state, d.theme, topics);
      topics.add(TOPIC.issues);
      break;
    case "issue.merged": {
      const from = state.issues.get(d.from);
      const into = state.issues.get(d.into);
      if (from) from.mergedInto = d.into;
      if (into) into.mergedFrom.push(d.from);
      topics.add(TOPIC.issues);
      topics.add(TOPIC.rankings);
      break;
    }
    case "ranking.opened":
      state.rankings.set(d.ranking, {
        id: d.ranking,
        method: d.method,
        dots: d.dots ?? 3,
        candidates: d.candidates || [],
        open: true,
        voters: new Set(),
        ballots: 0,
        result: null,
        openedAt: ev.at,
        closedAt: null,
        seq: ev.seq,
      });
      topics.add(TOPIC.rankings);
      break;
    case "ranking.ballot_cast": {
      const r = state.rankings.get(d.ranking);
      if (r) {
        r.voters.add(d.participant || ev.by?.participant);
        r.ballots = r.voters.size;
      }
      topics.add(TOPIC.rankings);
      break;
    }
    case "ranking.closed": {
      const r = state.rankings.get(d.ranking);
      if (r) {
        r.open = false;
        r.ballots = d.ballots ?? r.voters.size;
        r.result = d.result || [];
        r.closedAt = ev.at;
      }
      topics.add(TOPIC.rankings);
      topics.add(TOPIC.issues);
      break;
    }
    case "proposal.opened":
      state.proposals.set(d.proposal, {
        id: d.proposal,
        kind: d.kind,
        text: d.text || "",
        open: true,
        stances: new Map(),
        outcome: null,
        closedTally: null,
        openedAt: ev.at,
        closedAt: null,
        by: ev.by,
      });
      topics.add(TOPIC.proposals);
      break;
    case "proposal.stance_taken": {
      const p = state.proposals.get(d.proposal);
      if (p && ev.by) {
        // A second stance replaces the first; keep the order stances were taken.
        p.stances.delete(ev.by.participant);
        p.stances.set(ev.by.participant, { stance: d.stance, reason: d.reason || null, by: ev.by, at: ev.at });
      }
      topics.add(TOPIC.proposals);
      break;
    }
    case "proposal.closed": {
      const p = state.proposals.get(d.proposal);
      if (p) {
        p.open = false;
        p.outcome = d.outcome;
        p.closedTally = d.tally || null;
        p.closedAt = ev.at;
        if (d.outcome === "adopted") {
          const adopted = { proposal: p.id, text: p.text, adoptedAt: ev.at, seq: ev.seq };
          (p.kind === "vision" ? state.visions : state.directions).push(adopted);
        }
      }
      topics.add(TOPIC.proposals);
      break;
    }
    case "role.proposed":
      state.roles.set(d.role, {
        id: d.role,
        title: d.title || "",
        ownerOrg: d.owner_org || "",
        due: d.due || null,
        detail: d.detail || null,
        theme: d.theme || null,
        state: d.state || "proposed",
        status: "not_started",
        by: ev.by,
        at: ev.at,
        consents: [],
        statuses: [],
      });
      touchTheme(state, d.theme, topics);
      topics.add(TOPIC.roles);
      break;
    case "role.consented": {
      const r = state.roles.get(d.role);
      if (r) {
        r.consents.push({
          consent: !!d.consent,
          note: d.note || null,
          by: ev.by,
          at: ev.at,
          decisive: !!ev.by && ev.by.org === r.ownerOrg,
        });
        if (d.state) r.state = d.state;
      }
      topics.add(TOPIC.roles);
      break;
    }
    case "role.status_changed": {
      const r = state.roles.get(d.role);
      if (r) {
        r.status = d.status;
        r.statuses.push({ status: d.status, note: d.note || null, by: ev.by, at: ev.at });
      }
      topics.add(TOPIC.roles);
      break;
    }
    case "indicator.defined":
      state.indicators.set(d.indicator, {
        id: d.indicator,
        name: d.name || "",
        kind: d.kind,
        unit: d.unit || "",
        target: typeof d.target === "number" ? d.target : null,
        baseline: typeof d.baseline === "number" ? d.baseline : null,
        definedAt: ev.at,
        reports: [],
      });
      topics.add(TOPIC.indicators);
      break;
    case "indicator.reported": {
      const ind = state.indicators.get(d.indicator);
      if (ind) ind.reports.push({ value: d.value, period: d.period, by: ev.by, at: ev.at });
      topics.add(TOPIC.indicators);
      break;
    }
    case "theme.stage_set": {
      let theme = state.themes.get(d.theme);
      if (!theme) {
        theme = { name: d.theme, stage: 1, history: [] };
        state.themes.set(d.theme, theme);
      }
      theme.history.push({
        from: d.previous ?? theme.stage,
        to: d.stage,
        reason: d.reason || "",
        by: ev.by,
        at: ev.at,
      });
      theme.stage = d.stage;
      topics.add(TOPIC.themes);
      break;
    }
    default:
      // Unknown op (a newer server): seq still advances, nothing to show.
      break;
  }
  return topics;
}

// ---- derived views ------------------------------------------------------

export function liveMeeting(state) {
  return state.liveMeeting ? state.meetings.get(state.liveMeeting) || null : null;
}

export function lastMeeting(state) {
  let last = null;
  for (const m of state.meetings.values()) last = m;
  return last;
}

// Issues not merged into another, in posting order.
export function activeIssues(state) {
  return [...state.issues.values()].filter((i) => !i.mergedInto);
}

export function tallyOf(proposal) {
  if (!proposal.open && proposal.closedTally) return proposal.closedTally;
  const tally = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  for (const s of proposal.stances.values()) if (s.stance in tally) tally[s.stance] += 1;
  return tally;
}

// Latest consent of each participant, in the order first given.
export function latestConsents(role) {
  const latest = new Map();
  for (const c of role.consents) {
    latest.delete(c.by?.participant);
    latest.set(c.by?.participant, c);
  }
  return [...latest.values()];
}

// Organisations seen in this council (participants, authors, role owners).
export function knownOrganisations(state) {
  const orgs = new Set();
  for (const p of state.people.values()) if (p.org) orgs.add(p.org);
  for (const p of state.presence) if (p.org) orgs.add(p.org);
  for (const r of state.roles.values()) if (r.ownerOrg) orgs.add(r.ownerOrg);
  return [...orgs].sort((a, b) => a.localeCompare(b, "ja"));
}

export function todayYMD(now = new Date()) {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

export function isOverdue(role, today = todayYMD()) {
  return !!role.due && role.status !== "done" && role.state !== "declined" && role.due < today;
}
