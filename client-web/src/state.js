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
    // Personal-information kinds the server flagged on live events
    // ("issue:<id>" | "proposal:<id>" | "role:<id>" -> [kinds]).
    pii: new Map(),
    // One-on-ones only (extension): promotions to a council or the
    // prefecture, by id, in order.
    promotions: new Map(),
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
  promotions: "promotions",
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
  // The author of an item promoted from a one-on-one is a party of that
  // consultation, not a participant of this council: not remembered.
  if (!d.provenance && rememberPerson(state, ev.by)) topics.add(TOPIC.people);
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
        visited: new Set(), // agenda item indexes the meeting went through
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
        m.visited?.add(d.item);
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
        enteredBy: ev.entered_by || null, // 代理入力: the facilitator who entered it
        at: ev.at,
        seq: ev.seq,
        meeting: ev.meeting,
        mergedInto: null,
        mergedFrom: [],
        redacted: d.redacted ? {} : null,
        // 「一対一協議（日付）より」: promoted from a one-on-one (extension).
        provenance: d.provenance && d.provenance.date ? { date: String(d.provenance.date) } : null,
      });
      notePii(state, "issue", d.issue, ev.pii);
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
        number: state.rankings.size + 1, // 第n回, in opening order
        closedMeeting: null,
        adopted: null, // {at, by, seq, meeting}
        replacedBy: null, // id of the ranking adopted in its place
      });
      topics.add(TOPIC.rankings);
      break;
    case "ranking.ballot_cast": {
      const r = state.rankings.get(d.ranking);
      if (r) {
        const voter = d.participant || ev.by?.participant;
        r.voters.add(voter);
        r.ballots = r.voters.size;
        // 代理入力: who entered each voter's latest ballot (none: themselves).
        if (!r.enteredBy) r.enteredBy = new Map();
        if (ev.entered_by) r.enteredBy.set(voter, ev.entered_by);
        else r.enteredBy.delete(voter);
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
        r.closedMeeting = ev.meeting || null;
      }
      topics.add(TOPIC.rankings);
      topics.add(TOPIC.issues);
      break;
    }
    case "ranking.adopted": {
      const r = state.rankings.get(d.ranking);
      if (r) {
        r.adopted = { at: ev.at, by: ev.by, seq: ev.seq, meeting: ev.meeting || null };
        r.replacedBy = null;
      }
      for (const id of Array.isArray(d.replaces) ? d.replaces : []) {
        const old = state.rankings.get(id);
        if (old) old.replacedBy = d.ranking;
      }
      topics.add(TOPIC.rankings);
      topics.add(TOPIC.issues);
      break;
    }
    case "proposal.opened": {
      const earlier = d.revises ? state.proposals.get(d.revises) : null;
      if (earlier) earlier.revisedBy = d.proposal;
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
        closedMeeting: null,
        by: ev.by,
        revises: d.revises || null,
        revisedBy: null,
        redacted: d.redacted ? {} : null,
        // 「一対一協議（日付）より」: promoted from a one-on-one (extension).
        provenance: d.provenance && d.provenance.date ? { date: String(d.provenance.date) } : null,
      });
      notePii(state, "proposal", d.proposal, ev.pii);
      topics.add(TOPIC.proposals);
      break;
    }
    case "proposal.stance_taken": {
      const p = state.proposals.get(d.proposal);
      if (p && ev.by) {
        // A second stance replaces the first; keep the order stances were taken.
        p.stances.delete(ev.by.participant);
        p.stances.set(ev.by.participant, {
          stance: d.stance,
          reason: d.reason || null,
          by: ev.by,
          enteredBy: ev.entered_by || null,
          at: ev.at,
          redacted: d.redacted ? {} : null,
        });
        notePii(state, "proposal", p.id, ev.pii);
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
        p.closedMeeting = ev.meeting || null;
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
        ownerOrgId: d.owner_org_id || "", // v2: the owner's organisation id
        due: d.due || null,
        detail: d.detail || null,
        theme: d.theme || null,
        state: d.state || "proposed",
        status: "not_started",
        by: ev.by,
        at: ev.at,
        consents: [],
        statuses: [],
        redacted: d.redacted ? {} : null,
        // 「一対一協議（日付）より」: promoted from a one-on-one (extension).
        provenance: d.provenance && d.provenance.date ? { date: String(d.provenance.date) } : null,
        agreedMeeting: null, // the meeting where the owner organisation agreed
      });
      notePii(state, "role", d.role, ev.pii);
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
          enteredBy: ev.entered_by || null,
          at: ev.at,
          // The server marks a consent that was the owner's through a merge.
          decisive: !!d.owner_org_id || speaksFor(ev.by, r),
          redacted: d.redacted ? {} : null,
        });
        if (d.state && d.state !== r.state && d.state === "agreed") r.agreedMeeting = ev.meeting || null;
        if (d.state) r.state = d.state;
        notePii(state, "role", r.id, ev.pii);
      }
      topics.add(TOPIC.roles);
      break;
    }
    case "role.status_changed": {
      const r = state.roles.get(d.role);
      if (r) {
        r.status = d.status;
        r.statuses.push({ status: d.status, note: d.note || null, by: ev.by, at: ev.at, redacted: d.redacted ? {} : null });
        notePii(state, "role", r.id, ev.pii);
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
      if (ind) ind.reports.push({ value: d.value, period: d.period, by: ev.by, enteredBy: ev.entered_by || null, at: ev.at });
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
    case "promotion.proposed":
      state.promotions.set(d.promotion, {
        id: d.promotion,
        items: Array.isArray(d.items) ? d.items.map(String) : [],
        target: String(d.target || ""),
        note: d.note ?? null,
        state: "proposed",
        by: ev.by,
        at: ev.at,
        decidedBy: null,
        decidedAt: null,
      });
      topics.add(TOPIC.promotions);
      break;
    case "promotion.consented": {
      const p = state.promotions.get(d.promotion);
      if (p) {
        p.state = d.state === "agreed" || d.state === "declined" ? d.state : p.state;
        p.decidedBy = ev.by;
        p.decidedAt = ev.at;
      }
      topics.add(TOPIC.promotions);
      break;
    }
    case "text.redacted":
      applyRedaction(state, d, ev, topics);
      break;
    default:
      // Unknown op (a newer server): seq still advances, nothing to show.
      break;
  }
  return topics;
}

function notePii(state, kind, id, kinds) {
  if (!id || !Array.isArray(kinds) || !kinds.length) return;
  const key = `${kind}:${id}`;
  state.pii.set(key, [...new Set([...(state.pii.get(key) || []), ...kinds])]);
}

// text.redacted {target, participant?, reason}: the text is blanked here as
// it is in the server's log (catch-up after a redaction brings the events
// already rewritten, "redacted": true, and this event for the reason).
function applyRedaction(state, d, ev, topics) {
  const mark = { reason: d.reason || "", by: ev.by, at: ev.at };
  // Blanks `fields` of an item and marks it redacted.
  const erase = (item, fields) => Object.assign(item, fields, { redacted: mark });
  const issue = state.issues.get(d.target);
  const proposal = state.proposals.get(d.target);
  const role = state.roles.get(d.target);
  if (issue) {
    erase(issue, { text: "" });
    topics.add(TOPIC.issues);
    topics.add(TOPIC.rankings);
  } else if (proposal && d.participant) {
    const s = proposal.stances.get(d.participant);
    if (s) erase(s, { reason: null });
    topics.add(TOPIC.proposals);
  } else if (proposal) {
    erase(proposal, { text: "" });
    for (const list of [state.visions, state.directions]) {
      for (const a of list) if (a.proposal === proposal.id) a.text = "";
    }
    topics.add(TOPIC.proposals);
  } else if (role && d.participant) {
    for (const note of [...role.consents, ...role.statuses]) {
      if (note.by?.participant === d.participant && (note.note || note.redacted)) erase(note, { note: null });
    }
    topics.add(TOPIC.roles);
  } else if (role) {
    erase(role, { title: "", detail: null });
    topics.add(TOPIC.roles);
  }
  // The flag was about the text that is gone.
  const whole = !d.participant && (issue || proposal || role);
  if (whole) state.pii.delete(`${issue ? "issue" : proposal ? "proposal" : "role"}:${d.target}`);
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

// Whether `person` ({org, org_id}) speaks for the role's owner organisation:
// by ids when both have one, else by names (the server's rule as logged;
// following merges is the server's part).
export function speaksFor(person, role) {
  if (!person || !role) return false;
  if (person.org_id && role.ownerOrgId) return person.org_id === role.ownerOrgId;
  return person.org === role.ownerOrg;
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

// Whether a closed ranking counts: "decision" when it was adopted and not
// replaced by a later adoption, or — never adopted — when no other closed
// ranking and no adopted ranking shares a candidate with it; otherwise
// "pending" (採用待ち: overlapping results, none adopted yet) or "reference"
// (参考: another ranking was adopted for these candidates).
export function rankingStatus(state, r) {
  if (r.open) return "open";
  const shares = (o) => o !== r && !o.open && o.candidates.some((c) => r.candidates.includes(c));
  const others = [...state.rankings.values()].filter(shares);
  if (r.adopted) {
    const later = others.some((o) => o.adopted && o.adopted.seq > r.adopted.seq);
    return r.replacedBy || later ? "reference" : "decision";
  }
  if (others.some((o) => o.adopted)) return "reference";
  return others.length ? "pending" : "decision";
}

// Participants present now who may act (facilitator, member), once each.
export function presentActors(state) {
  const seen = new Map();
  for (const p of state.presence) {
    if (p.participant && (p.role === "facilitator" || p.role === "member") && !seen.has(p.participant)) {
      seen.set(p.participant, { ...state.people.get(p.participant), ...p });
    }
  }
  return [...seen.values()];
}

// Those present who have not voted / taken a stance yet (`done`: a Set or
// Map of participant ids).
export function presentWithout(state, done) {
  return presentActors(state).filter((p) => !done.has(p.participant));
}

// What a meeting decided: proposals adopted, rankings that count and were
// closed or adopted in it, roles agreed in it; and the 宿題 (roles agreed in
// or before it and not done, as in the minutes).
export function meetingOutcome(state, meetingId) {
  const proposals = [...state.proposals.values()].filter((p) => p.closedMeeting === meetingId && p.outcome === "adopted");
  const rankings = [...state.rankings.values()].filter((r) =>
    (r.closedMeeting === meetingId || r.adopted?.meeting === meetingId) && rankingStatus(state, r) === "decision");
  const roles = [...state.roles.values()].filter((r) => r.agreedMeeting === meetingId && r.state === "agreed");
  const homework = [...state.roles.values()].filter((r) => r.state === "agreed" && r.status !== "done");
  return { proposals, rankings, roles, homework };
}
