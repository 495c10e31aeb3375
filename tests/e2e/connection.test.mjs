// The client's connection logic (client-web/src/connection.js) against a
// scripted fake WebSocket, in node: the cases a real server cannot be made
// to produce on demand (a connection lost between a command and its ack).
import { test, beforeEach, afterEach, mock } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";

// Browser globals the module uses.
class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = FakeWebSocket.CONNECTING;
    this.sent = [];
    FakeWebSocket.all.push(this);
  }
  send(text) {
    assert.equal(this.readyState, FakeWebSocket.OPEN, "send only on an open socket");
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }
  // test side
  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }
  receive(msg) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop() {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code: 1006 });
  }
  cmds() {
    return this.sent.filter((m) => m.type === "cmd");
  }
}

globalThis.WebSocket = FakeWebSocket;
globalThis.window = { addEventListener() {}, removeEventListener() {} };
globalThis.location = { protocol: "http:", host: "127.0.0.1:8080" };
if (!globalThis.navigator) globalThis.navigator = { onLine: true };
if (!globalThis.crypto) globalThis.crypto = webcrypto;
globalThis.fetch = async () => ({ status: 200 });

const { Connection, backoffDelay, newCommandId, HEARTBEAT_MS, DEAD_AFTER_MS } = await import("../../client-web/src/connection.js");

let conn;
let log;
let head;

function makeConnection() {
  log = { acks: [], errors: [], statuses: [], unauthorized: 0 };
  head = 0;
  conn = new Connection("c1", {
    since: () => head,
    welcome() {},
    event(msg) {
      head = msg.seq;
      return true;
    },
    synced() {},
    presence() {},
    ack: (cmd, msg) => log.acks.push([cmd.id, msg.seq]),
    error: (cmd, msg) => log.errors.push([cmd && cmd.id, msg.code]),
    status: (s) => log.statuses.push(s.state),
    unauthorized: () => {
      log.unauthorized += 1;
    },
  });
  conn.start();
  return conn;
}

function latest() {
  return FakeWebSocket.all[FakeWebSocket.all.length - 1];
}

function sync(ws, headNow = head) {
  ws.open();
  ws.receive({ type: "welcome", council: { id: "c1" }, me: { participant: "p2" }, head: headNow });
  ws.receive({ type: "synced", head: headNow });
}

beforeEach(() => {
  FakeWebSocket.all = [];
});

afterEach(() => {
  conn?.stop();
});

test("hello carries the council and the last seq seen; no token", () => {
  makeConnection();
  const ws = latest();
  ws.open();
  assert.deepEqual(ws.sent[0], { type: "hello", council: "c1", since: 0 });
  assert.equal(ws.url, "ws://127.0.0.1:8080/ws");
});

test("a command lost with the connection before its ack is sent again once, with the same id", async () => {
  makeConnection();
  const first = latest();
  sync(first);
  const cmd = conn.send("issue.post", { text: "退院調整" });
  assert.equal(first.cmds().length, 1);
  const id = first.cmds()[0].id;
  assert.equal(cmd.id, id);
  // The server committed it (seq 1) but the connection died before the ack.
  first.receive({ type: "event", seq: 1, op: "issue.posted", data: {} });
  first.drop();
  assert.equal(conn.pending(), 1, "still waiting for its ack");
  conn.reconnectNow();
  const second = latest();
  assert.notEqual(second, first);
  second.open();
  assert.deepEqual(second.sent[0], { type: "hello", council: "c1", since: 1 });
  assert.equal(second.cmds().length, 0, "nothing is sent before synced");
  second.receive({ type: "welcome", head: 1 });
  second.receive({ type: "synced", head: 1 });
  assert.equal(second.cmds().length, 1);
  assert.equal(second.cmds()[0].id, id, "the same id");
  assert.deepEqual(second.cmds()[0].args, { text: "退院調整" });
  second.receive({ type: "ack", id, seq: 1 });
  assert.equal(conn.pending(), 0);
  assert.deepEqual(log.acks, [[id, 1]]);
  // Another reconnect sends nothing again.
  second.drop();
  conn.reconnectNow();
  sync(latest());
  assert.equal(latest().cmds().length, 0);
});

test("commands made offline wait, in order, and are written once after the reconnect", () => {
  makeConnection();
  const first = latest();
  sync(first);
  first.drop();
  const a = conn.send("issue.post", { text: "A" });
  const b = conn.send("issue.post", { text: "B" });
  assert.equal(conn.pending(), 2);
  conn.reconnectNow();
  const second = latest();
  sync(second);
  assert.deepEqual(second.cmds().map((c) => c.id), [a.id, b.id]);
  // A second synced on the same connection must not write them again.
  second.receive({ type: "synced", head: 0 });
  assert.equal(second.cmds().length, 2);
  second.receive({ type: "ack", id: a.id, seq: 1 });
  second.receive({ type: "error", id: b.id, code: "bad_request", message: "… / …" });
  assert.equal(conn.pending(), 0, "dropped on ack and on error");
  assert.deepEqual(log.errors, [[b.id, "bad_request"]]);
});

test("close code 4401 stops reconnecting and reports the session as ended", () => {
  makeConnection();
  const ws = latest();
  ws.open();
  ws.close(4401);
  assert.equal(log.unauthorized, 1);
  assert.equal(conn.state, "closed");
  const count = FakeWebSocket.all.length;
  conn.reconnectNow();
  assert.equal(FakeWebSocket.all.length, count, "no new connection");
});

test("backoff: exponential with jitter, capped at 10 s", () => {
  for (let attempt = 0; attempt < 30; attempt++) {
    const ceiling = Math.min(10_000, 500 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, () => 0), ceiling / 2);
    assert.equal(backoffDelay(attempt, () => 0.999999), Math.round(ceiling / 2 + 0.999999 * (ceiling / 2)));
    assert.ok(backoffDelay(attempt) <= 10_000);
  }
});

test("command ids are random and at most 64 characters", () => {
  const ids = new Set();
  for (let i = 0; i < 1000; i++) {
    const id = newCommandId();
    assert.ok(id.length >= 1 && id.length <= 64);
    assert.match(id, /^[\w-]+$/);
    ids.add(id);
  }
  assert.equal(ids.size, 1000);
});

test("a quiet socket gets a heartbeat; no answer means a fresh socket; any message means online", () => {
  mock.timers.enable({ apis: ["setInterval", "setTimeout", "Date"] });
  // In half-second steps, so that every heartbeat check runs.
  const wait = (ms) => {
    for (let t = 0; t < ms; t += 500) mock.timers.tick(500);
  };
  try {
    makeConnection();
    const first = latest();
    sync(first);
    assert.equal(conn.state, "online");
    wait(HEARTBEAT_MS + 1000);
    assert.equal(first.sent.filter((m) => m.type === "hello").length, 1, "one hello");
    assert.equal(first.sent.filter((m) => m.type === "ping").length, 1, "then one heartbeat ping");
    // Answered: nothing shown, no error.
    first.receive({ type: "pong" });
    assert.deepEqual(log.errors, []);
    // The browser said offline, but events keep arriving: online again.
    conn.setState("offline");
    first.receive({ type: "presence", connected: [] });
    assert.equal(conn.state, "online");
    // Now the socket goes silent: probe, then given up after DEAD_AFTER_MS.
    wait(HEARTBEAT_MS + DEAD_AFTER_MS + 2000);
    assert.equal(first.readyState, FakeWebSocket.CLOSED, "the silent socket is closed");
    assert.notEqual(conn.state, "online");
    wait(2000);
    assert.notEqual(latest(), first, "a fresh socket");
  } finally {
    conn.stop();
    mock.timers.reset();
  }
});

test("a held command waits until it is released; a cancelled one is never sent", () => {
  makeConnection();
  const ws = latest();
  sync(ws);
  const held = conn.send("issue.post", { text: "確認待ち" }, { held: true });
  const withdrawn = conn.send("issue.post", { text: "取り下げ" }, { held: true });
  assert.equal(ws.cmds().length, 0);
  conn.release(held.id);
  assert.deepEqual(ws.cmds().map((c) => c.id), [held.id]);
  assert.equal(conn.cancel(withdrawn.id)?.id, withdrawn.id);
  assert.equal(conn.pending(), 1);
  assert.equal(ws.cmds().length, 1);
});
