// Reference peer of the benchmark suite: the room fan-out of Renkei's v1
// contract, written the way a team would on Node with `ws` or `socket.io`.
//
//   node peer.mjs --lib ws|sio [--durable 0|1] [--log FILE] [--port 0]
//                 [--max-unsent BYTES]
//
// What it does, per message (JSON objects as in server/docs/PROTOCOL.md):
//   hello -> welcome, the room's events after `since` (from memory), synced;
//           any token is accepted (no look-up; Renkei does a SQLite token
//           look-up on a read thread for every hello)
//   cmd   -> an event with the next seq of the room, `data` = the args (plus a
//           proposal id for proposal.open); idempotent per (token, id) like
//           Renkei. No domain rules are checked.
//   --durable 1: the event is appended to the log file (one line
//           "<council>\t<participant>\u001f<cmd id>\t<frame>") and the log is fdatasync'ed before the
//           event is broadcast and the command acknowledged. Appends are
//           group-committed: while one write+fdatasync is in flight, new
//           events queue, and the next write+fdatasync takes all of them
//           (the same rule as Renkei's writer thread).
//   --durable 0: fan-out only: broadcast and ack at once, no log.
//   At start the log (if any) is read back and every line parsed (a full
//   replay) to rebuild the rooms' event lists.
//   A connection whose unsent output passes --max-unsent (default 8 MiB,
//   Renkei's default) is terminated, like Renkei's slow-client rule.
//
// Prints "peer: listening on http://127.0.0.1:PORT" when ready.
import fs from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, value, i, all) => {
    if (i % 2 === 0) pairs.push([value.replace(/^--/, ''), all[i + 1]]);
    return pairs;
  }, []),
);
const lib = args.lib ?? 'ws';
const durable = (args.durable ?? '1') === '1';
const logPath = args.log ?? 'peer.log';
const port = Number(args.port ?? 0);
const maxUnsent = Number(args['max-unsent'] ?? 8 * 1024 * 1024);

const EVENT_OP = {
  'proposal.stance': 'proposal.stance_taken',
  'proposal.open': 'proposal.opened',
  'issue.post': 'issue.posted',
};

// council -> { seq, events: [frame string (ws) | object (sio)], members: Set, commands: Map }
const rooms = new Map();
function room(council) {
  let r = rooms.get(council);
  if (!r) {
    r = { seq: 0, proposals: 0, events: [], members: new Set(), commands: new Map() };
    rooms.set(council, r);
  }
  return r;
}

// ---- start-up: replay the log ---------------------------------------------
async function replay() {
  if (!durable || !fs.existsSync(logPath)) return 0;
  const lines = readline.createInterface({ input: fs.createReadStream(logPath), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const tab2 = line.indexOf('\t', tab + 1);
    const council = line.slice(0, tab);
    const command = line.slice(tab + 1, tab2);
    const frame = line.slice(tab2 + 1);
    const event = JSON.parse(frame);
    const r = room(council);
    if (event.seq !== r.seq + 1) throw new Error(`log gap in ${council} at ${event.seq}`);
    r.seq = event.seq;
    r.events.push(lib === 'ws' ? frame : event);
    if (event.data && event.data.proposal && event.op === 'proposal.opened') r.proposals += 1;
    if (command) r.commands.set(command, event.seq);
    n += 1;
  }
  return n;
}

// ---- group commit ------------------------------------------------------------
let fd = -1;
const queued = []; // { line, done }
let writing = false;

function writeAll(buffer, offset, done) {
  fs.write(fd, buffer, offset, buffer.length - offset, null, (err, written) => {
    if (err) return done(err);
    if (offset + written < buffer.length) return writeAll(buffer, offset + written, done);
    done(null);
  });
}

function commit() {
  if (writing || queued.length === 0) return;
  writing = true;
  const batch = queued.splice(0, queued.length);
  const buffer = Buffer.from(batch.map((e) => e.line).join(''));
  writeAll(buffer, 0, (err) => {
    const finish = (err2) => {
      writing = false;
      for (const e of batch) e.done(err || err2);
      commit();
    };
    if (err) return finish(err);
    fs.fdatasync(fd, finish);
  });
}

function append(council, key, frame, done) {
  if (!durable) return done(null);
  queued.push({ line: `${council}\t${key}\t${frame}\n`, done });
  commit();
}

// ---- the contract --------------------------------------------------------------
// `send(obj, text)` sends one message to this client; `broadcast(room, obj,
// text)` to every member of the room; `join` adds the client to the room.
function handle(client, message) {
  if (!message || typeof message !== 'object') return client.send(errorOf('bad_request'));
  if (message.type === 'hello') {
    if (client.council) return client.send(errorOf('bad_request'));
    const council = String(message.council ?? '');
    const token = String(message.token ?? '');
    const r = room(council);
    client.council = council;
    client.me = { participant: `p-${token.slice(0, 8)}`, name: 'bench', org: 'bench', role: 'facilitator' };
    client.send({
      type: 'welcome',
      council: { id: council, name: council, kind: 'council' },
      me: client.me,
      head: r.seq,
    });
    const since = Math.min(Number(message.since ?? 0), r.seq);
    for (let i = since; i < r.seq; i += 1) client.sendStored(r.events[i]);
    client.send({ type: 'synced', head: r.seq });
    client.join(r);
    return;
  }
  if (!client.council) return client.send(errorOf('bad_request'));
  if (message.type !== 'cmd' || typeof message.id !== 'string') return client.send(errorOf('bad_request'));
  const r = room(client.council);
  const key = `${client.me.participant}\u001f${message.id}`;
  const known = r.commands.get(key);
  if (known !== undefined) return client.send({ type: 'ack', id: message.id, seq: known });
  const op = EVENT_OP[message.op];
  if (!op) return client.send(errorOf('unknown_op', message.id));
  const data = { ...(message.args ?? {}) };
  if (message.op === 'proposal.open') {
    r.proposals += 1;
    data.proposal = `${client.council}-pr${r.proposals}`;
  }
  r.seq += 1;
  const event = {
    type: 'event', seq: r.seq, op, at: new Date().toISOString(),
    by: { ...client.me }, meeting: null, data,
  };
  const frame = JSON.stringify(event);
  const seq = r.seq;
  r.commands.set(key, seq);
  append(client.council, key, frame, (err) => {
    if (err) {
      r.commands.delete(key);
      return client.send(errorOf('internal', message.id));
    }
    r.events.push(lib === 'ws' ? frame : event);
    client.broadcast(r, event, frame);
    client.send({ type: 'ack', id: message.id, seq });
  });
}

function errorOf(code, id) {
  const e = { type: 'error', code, message: code };
  if (id !== undefined) e.id = id;
  return e;
}

// ---- transports ------------------------------------------------------------------
const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404);
  res.end(req.url === '/healthz' ? 'ok' : '');
});

async function serveWs() {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
  wss.on('connection', (ws) => {
    const client = {
      council: null,
      me: null,
      room: null,
      send(obj) { this.sendText(JSON.stringify(obj)); },
      sendStored(frame) { this.sendText(frame); },
      sendText(text) {
        if (ws.readyState !== 1) return;
        ws.send(text);
        if (ws.bufferedAmount > maxUnsent) ws.terminate();
      },
      join(r) { this.room = r; r.members.add(this); },
      broadcast(r, event, frame) { for (const member of r.members) member.sendText(frame); },
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003);
      let message;
      try { message = JSON.parse(data.toString()); } catch { return client.send(errorOf('bad_request')); }
      handle(client, message);
    });
    ws.on('close', () => { if (client.room) client.room.members.delete(client); });
    ws.on('error', () => {});
  });
}

async function serveSocketIo() {
  const { Server } = await import('socket.io');
  const io = new Server(server, { serveClient: false, perMessageDeflate: false, maxHttpBufferSize: 64 * 1024 });
  io.on('connection', (socket) => {
    // Unsent bytes: the engine's write buffer (packets not yet handed to the
    // transport) estimated at the size of the last frame, plus the ws
    // buffer under the transport.
    let lastSize = 256;
    const unsent = () => {
      const ws = socket.conn.transport && socket.conn.transport.socket;
      return socket.conn.writeBuffer.length * lastSize + (ws && ws.bufferedAmount ? ws.bufferedAmount : 0);
    };
    const client = {
      council: null,
      me: null,
      send(obj) {
        socket.emit('m', obj);
        if (unsent() > maxUnsent) socket.conn.close();
      },
      sendStored(event) { this.send(event); },
      join(r) { socket.join(this.council); r.members.add(socket.id); },
      broadcast(r, event, frame) {
        lastSize = frame.length + 8;
        io.to(this.council).emit('m', event);
        for (const id of r.members) {
          const s = io.sockets.sockets.get(id);
          if (!s) continue;
          const ws = s.conn.transport && s.conn.transport.socket;
          const bytes = s.conn.writeBuffer.length * lastSize + (ws && ws.bufferedAmount ? ws.bufferedAmount : 0);
          if (bytes > maxUnsent) s.conn.close();
        }
      },
    };
    socket.on('m', (message) => handle(client, message));
    socket.on('disconnect', () => { if (client.council) room(client.council).members.delete(socket.id); });
  });
}

const started = Date.now();
const replayed = await replay();
if (durable) fd = fs.openSync(logPath, 'a');
if (lib === 'ws') await serveWs(); else await serveSocketIo();
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(`peer: ${lib} durable=${durable} replayed ${replayed} events in ${Date.now() - started} ms\n`);
  process.stdout.write(`peer: listening on http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
