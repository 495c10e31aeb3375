// The client's fold of events (client-web/src/state.js), in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createState, applyEvent, activeIssues, tallyOf, latestConsents, isOverdue, rankingStatus, presentWithout, meetingOutcome,
  speaksFor,
} from "../../client-web/src/state.js";

const by = (participant, org, role = "member") => ({ participant, name: participant, org, role });
let seq = 0;
const ev = (op, data, who = by("p2", "北広島町")) => ({ type: "event", seq: ++seq, op, at: "2026-11-24T10:00:00.000Z", by: who, meeting: null, data });

test("an event at or below the last seq is ignored (no duplicates after a reconnect)", () => {
  seq = 0;
  const s = createState();
  const posted = ev("issue.posted", { issue: "c1-i1", text: "退院調整" });
  assert.ok(applyEvent(s, posted));
  assert.equal(applyEvent(s, posted), null);
  assert.equal(applyEvent(s, { ...posted, seq: 0 }), null);
  assert.equal(s.issues.size, 1);
  assert.equal(s.head, 1);
});

test("merges fold issues under their target; a second stance replaces the first", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, ev("issue.posted", { issue: "i1", text: "a", theme: "退院調整ルール" }));
  applyEvent(s, ev("issue.posted", { issue: "i2", text: "b" }));
  applyEvent(s, ev("issue.merged", { from: "i2", into: "i1" }, by("p1", "西部保健所", "facilitator")));
  assert.deepEqual(activeIssues(s).map((i) => i.id), ["i1"]);
  assert.deepEqual(s.issues.get("i1").mergedFrom, ["i2"]);
  assert.ok(s.themes.has("退院調整ルール"));

  applyEvent(s, ev("proposal.opened", { proposal: "pr1", kind: "vision", text: "v" }));
  applyEvent(s, ev("proposal.stance_taken", { proposal: "pr1", stance: "block" }));
  applyEvent(s, ev("proposal.stance_taken", { proposal: "pr1", stance: "agree" }));
  applyEvent(s, ev("proposal.stance_taken", { proposal: "pr1", stance: "disagree" }, by("p3", "医師会")));
  assert.deepEqual(tallyOf(s.proposals.get("pr1")), { agree: 1, abstain: 0, disagree: 1, block: 0 });
  applyEvent(s, ev("proposal.closed", { proposal: "pr1", outcome: "not_adopted", tally: { agree: 1, abstain: 0, disagree: 1, block: 0 } }));
  assert.equal(s.visions.length, 0);
});

test("role consent: the owner organisation decides, others are listed", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, ev("role.proposed", { role: "ro1", title: "t", owner_org: "北広島町", due: "2026-03-31", state: "proposed" }, by("p3", "医師会")));
  applyEvent(s, ev("role.consented", { role: "ro1", consent: true, state: "proposed" }, by("p3", "医師会")));
  applyEvent(s, ev("role.consented", { role: "ro1", consent: true, state: "agreed" }, by("p2", "北広島町")));
  const role = s.roles.get("ro1");
  assert.equal(role.state, "agreed");
  assert.deepEqual(latestConsents(role).map((c) => [c.by.org, c.decisive]), [["医師会", false], ["北広島町", true]]);
  assert.ok(isOverdue(role, "2026-04-01"));
  assert.ok(!isOverdue(role, "2026-03-31"));
  applyEvent(s, ev("role.status_changed", { role: "ro1", status: "done" }));
  assert.ok(!isOverdue(role, "2027-01-01"), "done roles are not overdue");
});

test("role owner by organisation id when both sides have one, else by name (v2)", () => {
  seq = 0;
  const s = createState();
  const withId = (participant, org, org_id) => ({ ...by(participant, org), org_id });
  applyEvent(s, ev("role.proposed", { role: "ro1", title: "t", owner_org: "北広島町", state: "proposed", owner_org_id: "o1" }, withId("p1", "保健所", "o9")));
  const role = s.roles.get("ro1");
  assert.equal(role.ownerOrgId, "o1");
  // Same name, another organisation: not the owner; another name, same id: the owner.
  assert.ok(!speaksFor(withId("p3", "北広島町", "o2"), role));
  assert.ok(speaksFor(withId("p2", "北広島町役場", "o1"), role));
  // A participant without an id: by name.
  assert.ok(speaksFor(by("p4", "北広島町"), role));
  assert.ok(!speaksFor(by("p5", "医師会"), role));
  applyEvent(s, ev("role.consented", { role: "ro1", consent: true, state: "proposed" }, withId("p3", "北広島町", "o2")));
  // A seat of an organisation merged into the owner: the event says so.
  applyEvent(s, ev("role.consented", { role: "ro1", consent: true, state: "agreed", owner_org_id: "o1" }, withId("p6", "旧千代田町", "o3")));
  assert.deepEqual(role.consents.map((c) => c.decisive), [false, true]);
  // A v1 role (no id) is decided by names only.
  applyEvent(s, ev("role.proposed", { role: "ro2", title: "t", owner_org: "医師会", state: "proposed" }));
  assert.ok(speaksFor(withId("p3", "医師会", "o2"), s.roles.get("ro2")));
});

test("meeting: the advance time is kept for the timer", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, { ...ev("meeting.started", { meeting: "m1", title: "第1回", agenda: "x", items: [{ minutes: 5 }] }), meeting: "m1" });
  applyEvent(s, { ...ev("meeting.advanced", { item: 0 }), meeting: "m1", at: "2026-11-24T10:05:00.000Z" });
  assert.equal(s.meetings.get("m1").currentItem, 0);
  assert.equal(s.meetings.get("m1").itemStartedAt, "2026-11-24T10:05:00.000Z");
  applyEvent(s, { ...ev("meeting.ended", { meeting: "m1" }), meeting: "m1" });
  assert.equal(s.liveMeeting, null);
});

test("meeting: the session type is kept (公開 when absent or unknown, 非公開 when closed)", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, { ...ev("meeting.started", { meeting: "m1", title: "第1回", agenda: null, items: [] }), meeting: "m1" });
  assert.equal(s.meetings.get("m1").session, "open");
  assert.equal(s.meetings.get("m1").seq, 1);
  applyEvent(s, { ...ev("meeting.ended", { meeting: "m1" }), meeting: "m1" });
  applyEvent(s, { ...ev("meeting.started", { meeting: "m2", title: "第2回", agenda: null, items: [], session: "closed" }), meeting: "m2" });
  assert.equal(s.liveMeeting, "m2");
  assert.equal(s.meetings.get("m2").session, "closed");
  assert.equal(s.meetings.get("m2").seq, 3);
  applyEvent(s, { ...ev("meeting.ended", { meeting: "m2" }), meeting: "m2" });
  applyEvent(s, { ...ev("meeting.started", { meeting: "m3", title: "第3回", agenda: null, items: [], session: "open" }), meeting: "m3" });
  assert.equal(s.meetings.get("m3").session, "open");
});

const F = by("p1", "西部保健所", "facilitator");

test("which ranking counts: alone, overlapping (採用待ち), adopted, replaced by a later adoption", () => {
  seq = 0;
  const s = createState();
  for (const id of ["i1", "i2", "i3"]) applyEvent(s, ev("issue.posted", { issue: id, text: id }));
  const result = [{ issue: "i1", rank: 1, score: 2 }, { issue: "i2", rank: 2, score: 1 }];
  applyEvent(s, ev("ranking.opened", { ranking: "r1", method: "dots", candidates: ["i1", "i2"] }, F));
  applyEvent(s, ev("ranking.closed", { ranking: "r1", ballots: 2, result }, F));
  const r1 = s.rankings.get("r1");
  assert.equal(rankingStatus(s, r1), "decision", "alone on its candidates");
  applyEvent(s, ev("ranking.opened", { ranking: "r2", method: "borda", candidates: ["i2", "i3"] }, F));
  const r2 = s.rankings.get("r2");
  assert.equal(r2.number, 2);
  assert.equal(rankingStatus(s, r2), "open");
  assert.equal(rankingStatus(s, r1), "decision", "an open ranking does not compete");
  applyEvent(s, ev("ranking.closed", { ranking: "r2", ballots: 2, result }, F));
  assert.equal(rankingStatus(s, r1), "pending");
  assert.equal(rankingStatus(s, r2), "pending");
  applyEvent(s, ev("ranking.adopted", { ranking: "r2" }, F));
  assert.equal(rankingStatus(s, r2), "decision");
  assert.equal(rankingStatus(s, r1), "reference");
  applyEvent(s, ev("ranking.adopted", { ranking: "r1", replaces: ["r2"] }, F));
  assert.equal(r2.replacedBy, "r1");
  assert.equal(rankingStatus(s, r1), "decision");
  assert.equal(rankingStatus(s, r2), "reference");
});

test("text.redacted blanks the text live; catch-up brings it already rewritten", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, ev("issue.posted", { issue: "i1", text: "山田太郎さん（82歳）が転倒" }));
  s.pii.set("issue:i1", ["name_with_age"]);
  applyEvent(s, ev("proposal.opened", { proposal: "pr1", kind: "direction", text: "方針" }, F));
  applyEvent(s, ev("proposal.stance_taken", { proposal: "pr1", stance: "block", reason: "山田さんの件で反対" }));
  applyEvent(s, ev("role.proposed", { role: "ro1", title: "見守り", owner_org: "北広島町", detail: "詳細" }));
  applyEvent(s, ev("role.consented", { role: "ro1", consent: true, note: "自宅 090-1234-5678", state: "agreed" }));
  const topics = applyEvent(s, ev("text.redacted", { target: "i1", reason: "個人情報" }, F));
  assert.ok(topics.has("issues"));
  assert.equal(s.issues.get("i1").text, "");
  assert.equal(s.issues.get("i1").redacted.reason, "個人情報");
  assert.equal(s.issues.get("i1").redacted.by.participant, "p1");
  assert.equal(s.pii.has("issue:i1"), false);
  applyEvent(s, ev("text.redacted", { target: "pr1", participant: "p2", reason: "個人名" }, F));
  const stance = s.proposals.get("pr1").stances.get("p2");
  assert.equal(stance.reason, null);
  assert.equal(stance.redacted.reason, "個人名");
  assert.equal(s.proposals.get("pr1").text, "方針", "the proposal's own text stays");
  applyEvent(s, ev("text.redacted", { target: "ro1", participant: "p2", reason: "電話番号" }));
  assert.equal(s.roles.get("ro1").consents[0].note, null);
  assert.equal(s.roles.get("ro1").title, "見守り");
  applyEvent(s, ev("text.redacted", { target: "ro1", reason: "誤記" }, F));
  assert.equal(s.roles.get("ro1").title, "");
  assert.equal(s.roles.get("ro1").redacted.reason, "誤記");

  // Catch-up after a redaction: the original event rewritten, then the redaction.
  seq = 0;
  const later = createState();
  applyEvent(later, ev("issue.posted", { issue: "i1", text: "", redacted: true }));
  assert.deepEqual(later.issues.get("i1").redacted, {});
  applyEvent(later, ev("text.redacted", { target: "i1", reason: "個人情報" }, F));
  assert.equal(later.issues.get("i1").redacted.reason, "個人情報");
});

test("pii of live events, revisions, those present who have not answered, and a meeting's outcome", () => {
  seq = 0;
  const s = createState();
  applyEvent(s, { ...ev("meeting.started", { meeting: "m1", title: "会議", items: [] }, F), meeting: "m1" });
  applyEvent(s, { ...ev("issue.posted", { issue: "i1", text: "山田太郎さん（82歳）" }), pii: ["name_with_age"], meeting: "m1" });
  assert.deepEqual(s.pii.get("issue:i1"), ["name_with_age"]);
  applyEvent(s, { ...ev("proposal.opened", { proposal: "pr1", kind: "direction", text: "a" }, F), meeting: "m1" });
  applyEvent(s, { ...ev("proposal.closed", { proposal: "pr1", outcome: "not_adopted", tally: {} }, F), meeting: "m1" });
  applyEvent(s, { ...ev("proposal.opened", { proposal: "pr2", kind: "direction", text: "b", revises: "pr1" }, F), meeting: "m1" });
  assert.equal(s.proposals.get("pr1").revisedBy, "pr2");
  assert.equal(s.proposals.get("pr2").revises, "pr1");
  applyEvent(s, { ...ev("proposal.stance_taken", { proposal: "pr2", stance: "agree" }), meeting: "m1" });
  s.presence = [F, by("p2", "北広島町"), by("p3", "医師会"), by("p3", "医師会"), by("p9", "県本庁", "observer")];
  assert.deepEqual(presentWithout(s, s.proposals.get("pr2").stances).map((p) => p.participant), ["p1", "p3"]);
  applyEvent(s, { ...ev("proposal.closed", { proposal: "pr2", outcome: "adopted", tally: {} }, F), meeting: "m1" });
  applyEvent(s, { ...ev("role.proposed", { role: "ro1", title: "t", owner_org: "北広島町", due: "2027-01-31" }), meeting: "m1" });
  applyEvent(s, { ...ev("role.consented", { role: "ro1", consent: true, state: "agreed" }), meeting: "m1" });
  const out = meetingOutcome(s, "m1");
  assert.deepEqual(out.proposals.map((p) => p.id), ["pr2"]);
  assert.deepEqual(out.roles.map((r) => r.id), ["ro1"]);
  assert.deepEqual(out.homework.map((r) => r.id), ["ro1"]);
});
