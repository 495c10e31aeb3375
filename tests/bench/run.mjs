// The benchmark suite's driver: runs every scenario against Renkei and the
// reference peers (tests/bench/node/peer.mjs on `ws` and `socket.io`, durable
// and fan-out only) in the same run, in alternation, and prints the table.
//
//   node tests/bench/run.mjs --renkei BIN --load BIN [--runs 3] [--quick]
//                            [--only a,b,...] [--out DIR]
//
// Every figure is the median of --runs runs. Each run starts a fresh server
// (Renkei on a copy of a prepared database) so that runs are independent.
// Server CPU is utime + stime from /proc/<pid>/stat over the measured window
// (read by renkei_load); fsyncs are counted with `perf stat -e
// syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync -p PID` attached to
// the server for the whole load run. Results: OUT/results.json and
// OUT/table.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createCouncils } from './councils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// Extra `renkei serve` options for every Renkei target, e.g.
// RENKEI_SERVE_ARGS="--threads 1" (to compare configurations).
const RENKEI_EXTRA = (process.env.RENKEI_SERVE_ARGS ?? '').split(' ').filter(Boolean);
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);
const RENKEI = path.resolve(opt('renkei', 'build-bench/server/renkei'));
const LOAD = path.resolve(opt('load', 'build-bench/tests/bench/renkei_load'));
const RUNS = Number(opt('runs', 3));
const QUICK = flag('quick');
const ONLY = (opt('only', '') || '').split(',').filter(Boolean);
const OUT = path.resolve(opt('out', '/tmp/renkei-bench'));
const WORK = path.join(OUT, 'work');
const PEER = path.join(here, 'node', 'peer.mjs');
const DUR = QUICK ? 3 : 6;
const WARM = QUICK ? 1 : 2;
fs.mkdirSync(WORK, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// ---- servers ---------------------------------------------------------------
// Starts a server process and waits for its "listening on" line.
function startProcess(cmd, args, name) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name}: no listening line\n${err}`)); }, 120000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m && !child.port) {
        clearTimeout(timer);
        child.port = Number(m[1]);
        child.startMs = Number(process.hrtime.bigint() - t0) / 1e6;
        resolve(child);
      }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 100000) err = err.slice(-50000); });
    child.on('exit', (code) => { child.exited = true; if (!child.port) { clearTimeout(timer); reject(new Error(`${name} exited ${code}: ${err}`)); } });
    child.errText = () => err;
  });
}

// A run's files (a copy of the database, 0.1-0.8 GB after the heavier
// scenarios) go once its server has stopped: a full run would leave ~15 GB.
function removeRunDir(s) {
  if (s?.dir) fs.rmSync(s.dir, { recursive: true, force: true });
}

async function stopProcess(child, signal = 'SIGTERM') {
  if (!child || child.exited) return;
  child.kill(signal);
  for (let i = 0; i < 100 && !child.exited; i += 1) await sleep(50);
  if (!child.exited) child.kill('SIGKILL');
  for (let i = 0; i < 40 && !child.exited; i += 1) await sleep(50);
}

const TARGETS = {
  renkei: { proto: 'v1', durable: true, label: 'Renkei' },
  'ws-durable': { proto: 'v1', durable: true, lib: 'ws', label: 'ws+log' },
  'ws-plain': { proto: 'v1', durable: false, lib: 'ws', label: 'ws plain' },
  'sio-durable': { proto: 'sio', durable: true, lib: 'sio', label: 'socket.io+log' },
  'sio-plain': { proto: 'sio', durable: false, lib: 'sio', label: 'socket.io plain' },
  'renkei-batch1': { proto: 'v1', durable: true, label: 'Renkei, 1 commit/event', extra: ['--commit-batch', '1'] },
};

// A prepared Renkei database with `councils` councils and a credentials file.
const prepared = new Map();
function prepareRenkeiDb(councils) {
  if (prepared.has(councils)) return prepared.get(councils);
  const db = path.join(WORK, `template-${councils}.db`);
  const creds = path.join(WORK, `creds-${councils}.txt`);
  if (!fs.existsSync(db) || !fs.existsSync(creds)) {
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    fs.writeFileSync(creds, `${createCouncils(RENKEI, db, councils).join('\n')}\n`);
  }
  prepared.set(councils, { db, creds });
  return { db, creds };
}

// Peers accept any token: council ids c1..cN with a dummy token.
function peerCreds(councils) {
  const file = path.join(WORK, `peer-creds-${councils}.txt`);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${Array.from({ length: councils }, (_, i) => `c${i + 1} peer-token-${i + 1}`).join('\n')}\n`);
  }
  return file;
}

let runSerial = 0;
// Starts `target` with its data prepared for `councils` rooms; returns
// { child, pid, port, creds, dir }.
async function startTarget(target, councils, { db: dbSource, log: logSource, extra = [] } = {}) {
  const t = TARGETS[target];
  runSerial += 1;
  const dir = path.join(WORK, `run-${runSerial}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (!t.lib) {
    const { db, creds } = prepareRenkeiDb(councils);
    const file = path.join(dir, 'renkei.db');
    fs.copyFileSync(dbSource ?? db, file);
    for (const s of ['-wal', '-shm']) if (fs.existsSync((dbSource ?? db) + s)) fs.copyFileSync((dbSource ?? db) + s, file + s);
    const child = await startProcess(RENKEI, ['serve', '--db', file, '--port', '0', '--web', dir,
      '--rate', '100000000', '--burst', '100000000', '--max-connections-per-address', '100000',
      ...(t.extra ?? []), ...extra, ...RENKEI_EXTRA], target);
    return { target, child, pid: child.pid, port: child.port, creds: dbSource ? null : creds, dir, file };
  }
  const file = path.join(dir, 'peer.log');
  if (logSource) fs.copyFileSync(logSource, file);
  const child = await startProcess('node', [PEER, '--lib', t.lib, '--durable', t.durable ? '1' : '0', '--log', file, '--port', '0', ...extra], target);
  return { target, child, pid: child.pid, port: child.port, creds: peerCreds(councils), dir, file };
}

// ---- the generator -----------------------------------------------------------
function runLoad(args, { countFsync = 0 } = {}) {
  return new Promise((resolve) => {
    let perf = null;
    let perfErr = '';
    if (countFsync) {
      perf = spawn('perf', ['stat', '-x', ',', '-e', 'syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync', '-p', String(countFsync)], { stdio: ['ignore', 'ignore', 'pipe'] });
      perf.stderr.on('data', (d) => { perfErr += d; });
    }
    const start = () => {
      const child = spawn(LOAD, args.map(String), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 600000);
      child.on('exit', async (code) => {
        clearTimeout(timer);
        let fsyncs = null;
        if (perf) {
          perf.kill('SIGINT');
          await new Promise((r) => perf.on('exit', r));
          fsyncs = 0;
          for (const line of perfErr.split('\n')) {
            const cols = line.split(',');
            if (cols.length > 2 && /sys_enter_f(data)?sync/.test(line)) fsyncs += Number(cols[0]) || 0;
          }
        }
        const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
        let result = null;
        try { result = line ? JSON.parse(line) : null; } catch { result = null; }
        if (!result || code !== 0) log(`  ! renkei_load exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
        if (result) { result.exit = code; result.fsyncs = fsyncs; }
        resolve(result);
      });
    };
    if (perf) setTimeout(start, 300); else start();
  });
}

// ---- scenarios ---------------------------------------------------------------
// Each returns the figures of one run as { key: number }.
const scenarios = [];
function scenario(name, targets, fn, title) { scenarios.push({ name, targets, fn, title }); }

const DURABLE = ['renkei', 'ws-durable', 'sio-durable'];
const ALL = ['renkei', 'ws-durable', 'ws-plain', 'sio-durable', 'sio-plain'];

function trafficArgs(s, extra) {
  return ['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', s.creds, '--server-pid', s.pid,
    '--warmup', WARM, '--duration', DUR, ...extra];
}

function ackFigures(r) {
  if (!r) return {};
  return {
    'events/s': r.acks_per_s, 'ack p50 ms': r.ack_p50_ms, 'ack p99 ms': r.ack_p99_ms,
    'ack p99.9 ms': r.ack_p999_ms, 'events per CPU-s': r.acks_per_cpu_s,
    'fsyncs/ack': r.fsyncs != null && r.acks > 0 ? r.fsyncs / r.acks : NaN,
    'server CPU': r.server_cpu_util, errors: r.errors + r.seq_errors + r.skipped,
  };
}

// (a) durable ack latency. 20 councils, one writer each, open loop.
for (const rate of [1000, 10000]) {
  scenario(`a.ack-${rate / 1000}k`, [...DURABLE, ...(rate === 1000 ? ['renkei-batch1'] : [])], async (s) => {
    const r = await runLoad(trafficArgs(s, ['--scenario', 'rate', '--rooms', 20, '--members', 1, '--writers', 1, '--rate', rate]), { countFsync: s.pid });
    return ackFigures(r);
  }, `(a) durable ack latency at ${rate} events/s (20 councils × 1 writer, open loop)`);
}
scenario('a.ack-max', [...DURABLE, 'renkei-batch1'], async (s) => {
  const r = await runLoad(trafficArgs(s, ['--scenario', 'window', '--rooms', 20, '--members', 1, '--writers', 1, '--window', 64]), { countFsync: s.pid });
  return ackFigures(r);
}, '(a) highest sustainable rate: closed loop, 20 councils × 1 writer × 64 commands in flight');

// (b) fan-out.
for (const [rooms, members, writers, window] of [[1, 50, 4, 32], [200, 10, 1, 8], [1, 500, 2, 16]]) {
  scenario(`b.fanout-${rooms}x${members}`, ALL, async (s) => {
    const r = await runLoad(trafficArgs(s, ['--scenario', 'window', '--rooms', rooms, '--members', members, '--writers', writers, '--window', window, '--threads', 1]));
    if (!r) return {};
    return {
      'deliveries/s': r.deliveries_per_s, 'deliveries per CPU-s': r.deliveries_per_cpu_s,
      'events/s': r.acks_per_s, 'e2e p99 ms': r.e2e_p99_ms, 'server CPU': r.server_cpu_util,
      'client CPU': r.client_cpu_util, errors: r.errors + r.seq_errors,
    };
  }, `(b) fan-out ${rooms} × ${members} (closed loop, ${writers} writer(s) per room × ${window} in flight)`);
}

// (c) end-to-end latency at moderate load: 10 rooms × 20, 2000 events/s.
scenario('c.e2e', ALL, async (s) => {
  const r = await runLoad(trafficArgs(s, ['--scenario', 'rate', '--rooms', 10, '--members', 20, '--writers', 2, '--rate', 2000]));
  if (!r) return {};
  return { 'e2e p50 ms': r.e2e_p50_ms, 'e2e p99 ms': r.e2e_p99_ms, 'e2e p99.9 ms': r.e2e_p999_ms,
    'deliveries/s': r.deliveries_per_s, 'deliveries per CPU-s': r.deliveries_per_cpu_s, errors: r.errors + r.seq_errors };
}, '(c) end-to-end latency (cmd sent → event received by every member), 10 rooms × 20, 2000 events/s');

// (d) one client that stops reading.
scenario('d.slow', DURABLE, async (s) => {
  const r = await runLoad(trafficArgs(s, ['--scenario', 'rate', '--rooms', 1, '--members', 50, '--writers', 2, '--rate', 1000, '--payload', 1500, '--slow', 1]));
  if (!r) return {};
  return { 'others e2e p50 ms': r.e2e_p50_ms, 'others e2e p99 ms': r.e2e_p99_ms, 'slow dropped': r.slow_dropped,
    'server RSS max MB': r.rss_max_kb / 1024, 'RSS growth MB': (r.rss_max_kb - r.rss_start_kb) / 1024, errors: r.errors + r.seq_errors };
}, '(d) saturation: 1 room × 50 + 1 client that stops reading (16 KiB receive buffer), 2000 events/s of 2 KB for 15 s');

// (e) idle memory per connection.
scenario('e.idle', ['renkei', 'ws-plain', 'sio-plain'], async (s) => {
  const conns = QUICK ? 2000 : 10000;
  const r = await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', s.creds, '--server-pid', s.pid,
    '--scenario', 'idle', '--rooms', 100, '--members', conns / 100, '--connect-parallel', 128, '--threads', 1]);
  if (!r) return {};
  return { 'bytes/connection': r.bytes_per_connection, connections: r.synced, 'RSS after MB': r.rss_after_kb / 1024 };
}, '(e) idle memory per connection (RSS delta / connections, joined to 100 rooms)');

// (f) handshakes.
scenario('f.handshake', ['renkei', 'ws-plain', 'sio-plain'], async (s) => {
  const r = await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', s.creds, '--server-pid', s.pid,
    '--scenario', 'handshake', '--lanes', 16, '--duration', DUR / 2, '--warmup', 1]);
  if (!r) return {};
  return { 'handshakes/s': r.handshakes_per_s, 'handshakes per CPU-s': r.handshakes_per_cpu_s,
    'p50 ms': r.latency_p50_ms, 'p99 ms': r.latency_p99_ms, failed: r.failed };
}, '(f) handshakes: connect + upgrade + hello + synced + close, 16 concurrent');

// (g) and (h) share a large prepared log.
const BIG_COUNCILS = 100;
const BIG_EACH = QUICK ? 1000 : 10000;
let big = null;
async function prepareBig() {
  if (big) return big;
  const db = path.join(WORK, `big-${BIG_COUNCILS}x${BIG_EACH}.db`);
  const creds = path.join(WORK, `big-${BIG_COUNCILS}-creds.txt`);
  const peerLog = path.join(WORK, `big-${BIG_COUNCILS}x${BIG_EACH}.log`);
  if (!fs.existsSync(db) || !fs.existsSync(peerLog)) {
    log(`  preparing ${BIG_COUNCILS} × ${BIG_EACH} events (through the server)`);
    const { db: template, creds: c } = prepareRenkeiDb(BIG_COUNCILS);
    const s = await startTarget('renkei', BIG_COUNCILS);
    const r = await runLoad(['--port', s.port, '--creds', c, '--server-pid', s.pid, '--scenario', 'populate',
      '--rooms', BIG_COUNCILS, '--members', 1, '--writers', 1, '--window', 64, '--events', BIG_EACH - 1, '--warmup', 0, '--payload', 64]);
    log(`  populated: ${r && r.acks} events at ${r && r.acks_per_s}/s`);
    await stopProcess(s.child);
    spawnSync('sqlite3', [s.file, 'PRAGMA wal_checkpoint(TRUNCATE);']);
    fs.copyFileSync(s.file, db);
    fs.copyFileSync(c, creds);
    void template;
    // The same events as the peers' log lines.
    const dump = spawnSync('sqlite3', ['-separator', '\t', s.file,
      "SELECT council, participant || char(31) || command_id, frame FROM events ORDER BY council, seq;"],
    { maxBuffer: 2 * 1024 * 1024 * 1024 });
    fs.writeFileSync(peerLog, dump.stdout);
    removeRunDir(s);
  }
  big = { db, creds, peerLog };
  return big;
}

// Hello on the largest council; time to synced (with since = head: only the
// join, which loads the council if it is not loaded yet).
async function firstHello(s, creds, since) {
  const r = await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', creds, '--scenario', 'resync', '--repeat', 1, '--since', since]);
  return r ? r.first_ms : NaN;
}

scenario('g.startup', ['renkei', 'ws-durable', 'sio-durable'], async (s0) => {
  const b = await prepareBig();
  const isRenkei = !TARGETS[s0.target].lib;
  const creds = isRenkei ? b.creds : peerCreds(BIG_COUNCILS);
  const s = await startTarget(s0.target, BIG_COUNCILS, isRenkei ? { db: b.db } : { log: b.peerLog });
  const listen = s.child.startMs;
  const hello = await firstHello(s, creds, 2 ** 53);
  // kill -9 under write load, then start again on the same files.
  const writer = runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', creds, '--scenario', 'rate',
    '--rooms', 10, '--members', 1, '--writers', 1, '--rate', 2000, '--duration', 30, '--warmup', 1]);
  await sleep(2500);
  s.child.kill('SIGKILL');
  await writer;
  await sleep(200);
  let restarted;
  if (isRenkei) restarted = await startProcess(RENKEI, ['serve', '--db', s.file, '--port', '0', '--web', s.dir, '--rate', '100000000', '--burst', '100000000'], 'renkei');
  else restarted = await startProcess('node', [PEER, '--lib', TARGETS[s.target].lib, '--durable', '1', '--log', s.file, '--port', '0'], s.target);
  const s2 = { ...s, child: restarted, port: restarted.port, pid: restarted.pid };
  const hello2 = await firstHello(s2, creds, 2 ** 53);
  await stopProcess(restarted);
  removeRunDir(s);
  return { 'start → listening ms': listen, 'first hello ms': hello, 'after kill -9: listening ms': restarted.startMs, 'after kill -9: first hello ms': hello2 };
}, `(g) start-up with ${BIG_COUNCILS * BIG_EACH} events (${BIG_COUNCILS} councils × ${BIG_EACH}); first hello = join of a council never loaded`, { ownServer: true });

scenario('h.resync', ['renkei', 'ws-durable', 'sio-durable'], async (s0) => {
  const b = await prepareBig();
  const isRenkei = !TARGETS[s0.target].lib;
  const creds = isRenkei ? b.creds : peerCreds(BIG_COUNCILS);
  const s = await startTarget(s0.target, BIG_COUNCILS, isRenkei ? { db: b.db } : { log: b.peerLog });
  // Load the council (Renkei loads lazily), then warm resyncs.
  await firstHello(s, creds, 2 ** 53);
  const warm = await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', creds, '--scenario', 'resync', '--repeat', 7, '--since', 0]);
  let cold = NaN;
  let dropped = false;
  try {
    spawnSync('sync');
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    dropped = true;
  } catch { dropped = false; }
  if (dropped) cold = (await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', creds, '--scenario', 'resync', '--repeat', 1, '--since', 0]))?.first_ms ?? NaN;
  await stopProcess(s.child);
  removeRunDir(s);
  return { events: warm?.events, 'warm ms (median of 7)': warm?.resync_p50_ms, 'cold ms (page cache dropped)': cold };
}, `(h) resync of ${BIG_EACH} past events (hello since 0 → synced)`, { ownServer: true });

// (i) soak.
scenario('i.soak', ['renkei', 'ws-durable'], async (s) => {
  const secs = QUICK ? 12 : 60;
  const r = await runLoad(['--port', s.port, '--proto', TARGETS[s.target].proto, '--creds', s.creds, '--server-pid', s.pid,
    '--scenario', 'rate', '--rooms', 10, '--members', 20, '--writers', 2, '--rate', 2000, '--warmup', 2, '--duration', secs, '--interval', secs / 6]);
  if (!r) return {};
  const iv = r.intervals ?? [];
  const first = iv[0] ?? {};
  const last = iv[iv.length - 1] ?? {};
  return { 'e2e p99 first interval ms': first.e2e_p99_ms, 'e2e p99 last interval ms': last.e2e_p99_ms,
    'RSS start MB': r.rss_start_kb / 1024, 'RSS end MB': r.rss_end_kb / 1024,
    'RSS growth MB': (r.rss_end_kb - r.rss_start_kb) / 1024, errors: r.errors + r.seq_errors,
    intervals: iv.map((x) => `${x.e2e_p99_ms}/${(x.rss_kb / 1024).toFixed(0)}`).join(' ') };
}, '(i) 60-second soak at 2000 events/s, 10 rooms × 20 (p99 ms / RSS MB per 10 s)', { runs: 1 });

// The disk's fsync rate now (4 KiB appends + fdatasync for 2 s): the physical
// limit of every durable figure, measured at the start and the end.
function fsyncProbe() {
  const file = path.join(WORK, 'fsync-probe.bin');
  const fd = fs.openSync(file, 'a');
  const block = Buffer.alloc(4096, 120);
  const lat = [];
  const until = Date.now() + 2000;
  while (Date.now() < until) {
    const t = process.hrtime.bigint();
    fs.writeSync(fd, block);
    fs.fdatasyncSync(fd);
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  fs.closeSync(fd);
  fs.rmSync(file, { force: true });
  lat.sort((a, b) => a - b);
  return `${Math.round(lat.length / 2)} fsyncs/s, p50 ${lat[Math.floor(lat.length / 2)].toFixed(3)} ms, p99 ${lat[Math.floor(lat.length * 0.99)].toFixed(3)} ms`;
}

// ---- run ---------------------------------------------------------------------
const results = {}; // scenario -> target -> [figures]
const meta = { started: new Date().toISOString(), host: os.hostname(), cpus: os.cpus().map((c) => c.model)[0], ncpu: os.cpus().length,
  mem_gb: (os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), node: process.version, runs: RUNS, quick: QUICK, load: [] };

function councilsFor(sc) {
  if (sc.name.startsWith('b.fanout-200')) return 200;
  return 100;
}

meta.fsync_start = fsyncProbe();
log(`fsync probe: ${meta.fsync_start}`);
const chosen = scenarios.filter((sc) => ONLY.length === 0 || ONLY.some((o) => sc.name.startsWith(o)));
for (const sc of chosen) {
  results[sc.name] = { title: sc.title, byTarget: {} };
  const n = sc.name === 'i.soak' ? 1 : RUNS;
  for (let rep = 0; rep < n; rep += 1) {
    // Alternate the order between repetitions.
    const order = rep % 2 === 0 ? sc.targets : [...sc.targets].reverse();
    for (const target of order) {
      const la = loadavg();
      log(`${sc.name} [${target}] run ${rep + 1}/${n} (load ${la})`);
      meta.load.push(`${sc.name} ${target} ${rep + 1}: ${la}`);
      let figures = {};
      try {
        if (sc.name.startsWith('g.') || sc.name.startsWith('h.')) {
          figures = await sc.fn({ target });
        } else {
          const s = await startTarget(target, councilsFor(sc));
          s.target = target;
          try { figures = await sc.fn(s); } finally { await stopProcess(s.child); removeRunDir(s); }
        }
      } catch (e) {
        log(`  ! ${e.message.split('\n')[0]}`);
      }
      log(`  ${JSON.stringify(figures)}`);
      (results[sc.name].byTarget[target] ??= []).push(figures);
      fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ meta, results }, null, 1));
    }
  }
}

meta.fsync_end = fsyncProbe();
log(`fsync probe: ${meta.fsync_end}`);
fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ meta, results }, null, 1));

// ---- table -------------------------------------------------------------------
const fmt = (v) => {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(3);
};
const RATIO_KEYS = new Set(['events/s', 'events per CPU-s', 'deliveries/s', 'deliveries per CPU-s', 'bytes/connection', 'handshakes/s', 'handshakes per CPU-s', 'ack p99 ms', 'e2e p99 ms', 'warm ms (median of 7)', 'start → listening ms', 'first hello ms']);
let md = `# Benchmark table\n\nmedians of ${RUNS} runs (soak: 1 run); ${meta.cpus}, ${meta.ncpu} cores, ${meta.mem_gb} GiB, Linux ${meta.kernel}, Node ${meta.node}\n\ndisk at the start: ${meta.fsync_start}; at the end: ${meta.fsync_end}\n`;
for (const [name, { title, byTarget }] of Object.entries(results)) {
  const targets = Object.keys(byTarget);
  const keys = [...new Set(targets.flatMap((t) => byTarget[t].flatMap((f) => Object.keys(f))))];
  const med = (t, k) => {
    const vals = byTarget[t].map((f) => f[k]);
    if (vals.some((v) => typeof v === 'string')) return vals.find((v) => typeof v === 'string');
    return median(vals.map(Number));
  };
  md += `\n### ${title}\n\n| figure | ${targets.map((t) => TARGETS[t].label).join(' | ')} |${targets.filter((t) => t !== 'renkei' && byTarget.renkei).map((t) => ` Renkei/${TARGETS[t].label} |`).join('')}\n`;
  md += `|---|${targets.map(() => '---:').join('|')}|${targets.filter((t) => t !== 'renkei' && byTarget.renkei).map(() => '---:|').join('')}\n`;
  for (const k of keys) {
    const row = targets.map((t) => fmt(med(t, k)));
    const ratios = targets.filter((t) => t !== 'renkei' && byTarget.renkei).map((t) => {
      if (!RATIO_KEYS.has(k)) return '';
      const a = med('renkei', k);
      const b = med(t, k);
      return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '–';
    });
    md += `| ${k} | ${row.join(' | ')} |${ratios.map((r) => ` ${r} |`).join('')}\n`;
  }
}
md += `\nload average at the start of each run:\n\n${meta.load.map((l) => `    ${l}`).join('\n')}\n`;
fs.writeFileSync(path.join(OUT, 'table.md'), md);
process.stdout.write(md);
