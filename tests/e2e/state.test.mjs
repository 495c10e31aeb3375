// The client's fold of events (client-web/src/state.js), in node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createState, applyEvent, activeIssues, tallyOf, latestConsents, isOverdue } from "../../client-web/src/state.js";

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
