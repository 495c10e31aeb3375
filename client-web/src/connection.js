// The WebSocket to the server: hello (authenticated by the session cookie),
// catch-up from the last seq seen, live events, and commands.
//
// Reconnects after a drop with exponential backoff and jitter (0.5 s doubling,
// capped at 10 s). Every command stays in `outbox` until its ack or error
// arrives; after a reconnect the unanswered ones are sent again with the SAME
// id, which the server answers with the original ack instead of acting twice.
// A command is written at most once per connection.
//
// The indicator follows what the socket does: any message arriving on a
// synced connection means "online". Browsers do not expose WebSocket pings,
// so a heartbeat checks a quiet socket: after HEARTBEAT_MS without a message
// the client sends `{"type":"ping"}`, which the server answers with
// `{"type":"pong"}` (server/docs/PROTOCOL.md, "ping"). No message within
// DEAD_AFTER_MS after that
// probe: the socket is taken for dead (a network drop that left it open, a
// server that stopped answering), closed, and a fresh one is opened.
// A command can be held (`held`: its text is being checked again before it
// leaves, see app.js); flush() skips it until release(id).

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
// Consecutive failed attempts after which the indicator says "offline"
// instead of "reconnecting" (it keeps trying in the background).
const OFFLINE_AFTER_FAILURES = 4;
export const HEARTBEAT_MS = 3000;
export const DEAD_AFTER_MS = 3000;
const CONNECT_TIMEOUT_MS = 8000;

export function newCommandId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `w-${hex}`; // 34 characters
}

export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  // "Equal jitter": half fixed, half random, so retries of many clients spread out
  // but never come back immediately.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class Connection {
  // handlers: {since(): number, welcome(msg), event(msg) -> boolean (false on a gap),
  //            synced(msg), presence(msg), ack(cmd, msg), error(cmd|null, msg),
  //            status({state, pending, retryAt}), unauthorized()}
  constructor(councilId, handlers) {
    this.councilId = councilId;
    this.handlers = handlers;
    this.ws = null;
    this.state = "connecting"; // connecting | online | reconnecting | offline | closed
    this.synced = false;
    this.failures = 0;
    this.retryTimer = null;
    this.retryAt = null;
    this.generation = 0;
    this.outbox = []; // [{id, op, args, sentGeneration}]
    this.stopped = false;
    this.heartbeatTimer = null;
    this.lastMessageAt = 0;
    this.probeSentAt = 0; // 0: no heartbeat probe unanswered
    this.onOnline = () => this.reconnectNow();
    this.onOffline = () => {
      this.setState("offline");
      this.probe(); // is the socket still alive? The heartbeat tells.
    };
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    if (this.ws) this.ws.close(1000);
    this.setState("closed");
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws`;
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
    this.generation += 1;
    const generation = this.generation;
    this.synced = false;
    this.probeSentAt = 0;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.connectStartedAt = Date.now();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), HEARTBEAT_MS / 3);
    ws.onopen = () => {
      opened = true;
      this.lastMessageAt = Date.now();
      ws.send(
        JSON.stringify({ type: "hello", council: this.councilId, since: this.handlers.since() }),
      );
    };
    ws.onmessage = (e) => {
      if (generation !== this.generation) return;
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      this.receive(msg, ws);
    };
    ws.onclose = (e) => {
      if (generation !== this.generation) return;
      this.ws = null;
      this.synced = false;
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = null;
      if (this.stopped) return;
      // 4401: not signed in here; 4403: a second factor must be enrolled
      // first. Neither gets better by retrying.
      if (e.code === 4401 || e.code === 4403) {
        this.stopped = true;
        this.setState("closed");
        this.handlers.unauthorized();
        return;
      }
      if (!opened) {
        // The upgrade itself failed: server down, or refused (no session).
        // Ask the server which, without holding up the retry.
        this.checkSession();
      }
      this.scheduleRetry();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  async checkSession() {
    try {
      const res = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
      if (res.status === 401) {
        this.stopped = true;
        clearTimeout(this.retryTimer);
        this.setState("closed");
        this.handlers.unauthorized();
      }
    } catch {
      /* server unreachable: keep retrying */
    }
  }

  // Every HEARTBEAT_MS / 3 while a socket is open (see the top of the file).
  heartbeat() {
    if (!this.ws) return;
    const now = Date.now();
    if (this.ws.readyState === WebSocket.CONNECTING && now - this.connectStartedAt >= CONNECT_TIMEOUT_MS) {
      this.drop(); // an upgrade nobody answers (a server that stopped)
      return;
    }
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.probeSentAt && now - this.probeSentAt >= DEAD_AFTER_MS) {
      this.drop();
      return;
    }
    if (!this.probeSentAt && now - this.lastMessageAt >= HEARTBEAT_MS) this.probe();
  }

  probe() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || this.probeSentAt) return;
    this.probeSentAt = Date.now();
    try {
      this.ws.send(JSON.stringify({ type: "ping" }));
    } catch {
      /* a closing socket: onclose follows */
    }
  }

  // Gives up the current socket (its late events are ignored: generation)
  // and retries with backoff.
  drop() {
    const ws = this.ws;
    this.generation += 1;
    this.ws = null;
    this.synced = false;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (ws) {
      try {
        ws.close(4000, "heartbeat");
      } catch {
        /* already closed */
      }
    }
    this.scheduleRetry();
  }

  receive(msg, ws) {
    this.lastMessageAt = Date.now();
    this.probeSentAt = 0;
    if (this.synced && this.state !== "online" && msg.type !== "synced") {
      // Something arrived: the connection works, whatever the browser's
      // online/offline events said.
      this.failures = 0;
      this.setState("online");
    }
    // The answer to a heartbeat (or, past the rate limit, its refusal).
    if (msg.type === "pong" || (msg.type === "error" && !msg.id && msg.code === "rate_limited")) return;
    switch (msg.type) {
      case "welcome":
        this.handlers.welcome(msg);
        break;
      case "event":
        if (this.handlers.event(msg) === false) {
          // A gap in seq: start over from the last applied event.
          ws.close(4000, "gap");
        }
        break;
      case "synced":
        this.synced = true;
        this.failures = 0;
        this.handlers.synced(msg);
        this.setState("online");
        this.flush();
        break;
      case "presence":
        this.handlers.presence(msg);
        break;
      case "ack": {
        const cmd = this.take(msg.id);
        if (cmd) this.handlers.ack(cmd, msg);
        this.emitStatus();
        break;
      }
      case "error": {
        const cmd = msg.id ? this.take(msg.id) : null;
        if (!msg.id && msg.code === "unauthorized") {
          this.stopped = true;
          this.handlers.unauthorized();
          return;
        }
        this.handlers.error(cmd, msg);
        this.emitStatus();
        break;
      }
      default:
        break;
    }
  }

  take(id) {
    const index = this.outbox.findIndex((c) => c.id === id);
    if (index < 0) return null;
    return this.outbox.splice(index, 1)[0];
  }

  // Queues a command and sends it now if the connection is up (unless
  // `held`: then at release(id)).
  // `onBehalfOf` (代理入力): the participant a facilitator enters it for.
  send(op, args, { held = false, onBehalfOf = null } = {}) {
    const cmd = { id: newCommandId(), op, args: args || {}, sentGeneration: 0, queuedAt: Date.now(), held };
    if (onBehalfOf) cmd.onBehalfOf = onBehalfOf;
    this.outbox.push(cmd);
    this.flush();
    this.emitStatus();
    return cmd;
  }

  flush() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.synced) return;
    for (const cmd of this.outbox) {
      if (cmd.held || cmd.sentGeneration === this.generation) continue;
      cmd.sentGeneration = this.generation;
      const message = { type: "cmd", id: cmd.id, op: cmd.op, args: cmd.args };
      if (cmd.onBehalfOf) message.on_behalf_of = cmd.onBehalfOf;
      this.ws.send(JSON.stringify(message));
    }
  }

  // A held command is sent now (when online) or with the next flush.
  release(id) {
    const cmd = this.outbox.find((c) => c.id === id);
    if (!cmd) return;
    cmd.held = false;
    this.flush();
  }

  // Withdraws a command not sent yet; returns it, or null.
  cancel(id) {
    const cmd = this.outbox.find((c) => c.id === id);
    if (!cmd || cmd.sentGeneration) return null;
    this.take(id);
    this.emitStatus();
    return cmd;
  }

  pending() {
    return this.outbox.length;
  }

  scheduleRetry() {
    if (this.stopped) return;
    const delay = backoffDelay(this.failures);
    this.failures += 1;
    this.retryAt = Date.now() + delay;
    const offline = this.failures >= OFFLINE_AFTER_FAILURES || navigator.onLine === false;
    this.setState(offline ? "offline" : "reconnecting");
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // "Reconnect now" button and the browser's online event: always a fresh
  // socket, since an open-looking one may be dead (the old one is given up;
  // commands not acknowledged are sent again on the new one, same ids).
  reconnectNow() {
    if (this.stopped) return;
    const old = this.ws;
    this.failures = 0;
    if (old) {
      // Closed first: a browser opens one socket to a host at a time, and
      // a hanging attempt would hold the new one back. Its close event
      // comes after connect() and is ignored (generation).
      try {
        old.close(1000);
      } catch {
        /* already closed */
      }
    }
    this.setState("reconnecting");
    this.connect();
  }

  setState(state) {
    this.state = state;
    this.emitStatus();
  }

  emitStatus() {
    this.handlers.status({ state: this.state, pending: this.outbox.length, retryAt: this.retryAt });
  }
}
