// PostgreSQL against SQLite, side by side on one machine in one run
// (tests/bench/RESULTS.md, "PostgreSQL"):
//   1. the cost of a durable event (renkei_commit_bench): the writer's group
//      commit on PostgreSQL, the same writer with one transaction per event,
//      plain libpq with one commit per event, and the writer on SQLite;
//   2. ack latency through the server at 1,000 and 10,000 events/s (20
//      councils x 1 writer, open loop), on SQLite and on PostgreSQL;
//   3. end-to-end latency at 2,000 events/s (10 rooms x 20 members): one
//      instance on SQLite, one on PostgreSQL, and two instances on one
//      PostgreSQL database with each room's members split between them.
//
//   node tests/bench/pg/run.mjs --renkei BIN --load BIN --commit BIN
//                               [--runs 3] [--quick] [--out DIR] [--smoke]
//
// A private cluster (server/tools/pg_cluster.sh) in OUT/cluster, a fresh
// database per run. Figures are medians of --runs runs. --smoke runs every
// step once, tiny, and fails unless every command was acknowledged with no
// error and no gap (CTest's bench.pg_smoke; it checks no timing).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createCouncils } from '../councils.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);
const SMOKE = flag('smoke');
const QUICK = flag('quick');
const RENKEI = path.resolve(opt('renkei', 'build-bench/server/renkei'));
const LOAD = path.resolve(opt('load', 'build-bench/tests/bench/renkei_load'));
const COMMIT = path.resolve(opt('commit', 'build-bench/tests/bench/renkei_commit_bench'));
const RUNS = SMOKE ? 1 : Number(opt('runs', 3));
const OUT = path.resolve(opt('out', SMOKE ? fs.mkdtempSync('/tmp/renkei-pg-smoke-') : '/tmp/renkei-pg-bench'));
const DUR = SMOKE ? 1 : QUICK ? 3 : 6;
const WARM = SMOKE ? 0.5 : QUICK ? 1 : 2;
const COMMIT_SECONDS = SMOKE ? 0.3 : QUICK ? 2 : 5;
const CLUSTER = path.join(OUT, 'cluster');
fs.mkdirSync(OUT, { recursive: true });
// The cluster runs as the user postgres under root (pg_cluster.sh): it must reach its folder.
fs.chmodSync(OUT, 0o755);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x) => (!Number.isFinite(x) ? '–' : x >= 100 ? Math.round(x).toLocaleString('en') : x >= 10 ? x.toFixed(1) : x.toFixed(3));
let failures = 0;
const fail = (what) => { failures += 1; log(`  ! ${what}`); };

// ---- the cluster -----------------------------------------------------------
function sh(args) {
  const r = spawnSync('sh', [path.join(root, 'server/tools/pg_cluster.sh'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_cluster.sh ${args[0]}: ${r.stderr}`);
  return r.stdout.trim();
}
const adminUri = () => `postgresql:///postgres?host=${CLUSTER}&user=renkei`;
const dbUri = (name) => `postgresql:///${name}?host=${CLUSTER}&user=renkei`;
let databases = 0;
function freshDatabase() {
  databases += 1;
  const name = `bench_${process.pid}_${databases}`;
  const r = spawnSync('psql', ['-d', adminUri(), '-Atqc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb: ${r.stderr}`);
  return dbUri(name);
}

// ---- servers ---------------------------------------------------------------
function startServer(db, dir, name) {
  return new Promise((resolve, reject) => {
    const child = spawn(RENKEI, ['serve', '--db', db, '--port', '0', '--web', dir, '--secret-key', path.join(dir, 'secret.key'),
      '--rate', '100000000', '--burst', '100000000', '--max-connections-per-address', '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${name}: no listening line\n${err}`)); }, 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m && !child.port) { clearTimeout(timer); child.port = Number(m[1]); resolve(child); }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 100000) err = err.slice(-50000); });
    child.on('exit', (code) => { child.exited = true; if (!child.port) { clearTimeout(timer); reject(new Error(`${name} exited ${code}: ${err}`)); } });
  });
}
async function stopServer(child) {
  if (!child || child.exited) return;
  child.kill('SIGTERM');
  for (let i = 0; i < 100 && !child.exited; i += 1) await sleep(50);
  if (!child.exited) child.kill('SIGKILL');
}

// Councils made with the CLI on `db`; returns the credentials file.
function makeCouncils(db, councils, dir) {
  const file = path.join(dir, 'creds.txt');
  fs.writeFileSync(file, `${createCouncils(RENKEI, db, councils).join('\n')}\n`);
  return file;
}

function runLoad(args) {
  return new Promise((resolve) => {
    const child = spawn(LOAD, args.map(String), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      let result = null;
      try { result = line ? JSON.parse(line) : null; } catch { result = null; }
      if (!result || code !== 0) fail(`renkei_load exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
      else if (result.errors > 0 || result.seq_errors > 0 || result.skipped > 0) fail(`errors ${result.errors}, seq errors ${result.seq_errors}, skipped ${result.skipped}`);
      resolve(result);
    });
  });
}

// One run of a server scenario on `engine` (sqlite | pg | pg2).
let runSerial = 0;
async function serverRun(engine, councils, loadArgs) {
  runSerial += 1;
  const dir = path.join(OUT, `run-${runSerial}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = engine === 'sqlite' ? path.join(dir, 'renkei.db') : freshDatabase();
  const creds = makeCouncils(db, councils, dir);
  const servers = [];
  try {
    servers.push(await startServer(db, dir, `${engine} 1`));
    if (engine === 'pg2') servers.push(await startServer(db, dir, `${engine} 2`));
    const ports = engine === 'pg2' ? ['--ports', servers.map((s) => s.port).join(',')] : [];
    return await runLoad(['--port', servers[0].port, ...ports, '--creds', creds, '--server-pid', servers[0].pid,
      '--warmup', WARM, '--duration', DUR, '--connect-timeout', 60, ...loadArgs]);
  } finally {
    for (const s of servers) await stopServer(s);
    if (engine === 'sqlite') fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the steps ---------------------------------------------------------------
const tables = [];
const machine = `${os.cpus()[0]?.model ?? '?'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${os.release()}`;

async function commitCosts() {
  const runs = [];
  for (let r = 0; r < RUNS; r += 1) {
    const db = freshDatabase();
    const res = spawnSync(COMMIT, ['--pg', db, '--sqlite-dir', OUT, '--seconds', COMMIT_SECONDS, '--councils', 20, '--in-flight', 4], { encoding: 'utf8', timeout: 600000 });
    if (res.status !== 0) fail(`renkei_commit_bench exit ${res.status}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    runs.push(res.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
  }
  const modes = ['writer-pg', 'writer-pg-1', 'raw-pg', 'writer-sqlite', 'writer-sqlite-1'];
  const labels = {
    'writer-pg': 'PostgreSQL, writer (group commit)', 'writer-pg-1': 'PostgreSQL, writer, 1 transaction/event',
    'raw-pg': 'PostgreSQL, plain libpq, 1 commit/event, 20 connections', 'writer-sqlite': 'SQLite, writer (group commit)',
    'writer-sqlite-1': 'SQLite, writer, 1 transaction/event',
  };
  const rows = modes.map((m) => {
    const of = (k) => median(runs.map((run) => run.find((x) => x.mode === m)?.[k]));
    return `| ${labels[m]} | ${fmt(of('rate'))} | ${fmt(of('p50_ms'))} | ${fmt(of('p99_ms'))} | ${fmt(of('p999_ms'))} | ${fmt(of('events_per_tx'))} |`;
  });
  tables.push(`#### Durable events: 20 councils × 4 in flight, closed loop, ${COMMIT_SECONDS} s (renkei_commit_bench)\n\n| path | events/s | ack p50 ms | ack p99 ms | ack p99.9 ms | events/transaction |\n|---|---:|---:|---:|---:|---:|\n${rows.join('\n')}`);
}

async function serverTable(title, engines, councils, loadArgs, figures) {
  const results = {};
  for (let r = 0; r < RUNS; r += 1) {
    for (const e of engines) {
      log(`  ${title}: ${e}, run ${r + 1}`);
      const res = await serverRun(e, councils, loadArgs);
      (results[e] ??= []).push(res);
    }
  }
  const label = { sqlite: 'SQLite, 1 instance', pg: 'PostgreSQL, 1 instance', pg2: 'PostgreSQL, 2 instances' };
  const head = `| figure | ${engines.map((e) => label[e]).join(' | ')} |\n|---|${engines.map(() => '---:').join('|')}|`;
  const lines = figures.map(([name, key]) => `| ${name} | ${engines.map((e) => fmt(median(results[e].map((x) => x?.[key])))).join(' | ')} |`);
  tables.push(`#### ${title}\n\n${head}\n${lines.join('\n')}`);
}

const ACK = [['events/s', 'acks_per_s'], ['ack p50 ms', 'ack_p50_ms'], ['ack p99 ms', 'ack_p99_ms'], ['ack p99.9 ms', 'ack_p999_ms'], ['events per server CPU-s', 'acks_per_cpu_s'], ['errors', 'errors']];
const E2E = [['events/s', 'acks_per_s'], ['ack p99 ms', 'ack_p99_ms'], ['end-to-end p50 ms', 'e2e_p50_ms'], ['end-to-end p99 ms', 'e2e_p99_ms'], ['deliveries/s', 'deliveries_per_s'], ['errors', 'errors']];

try {
  log(`cluster in ${CLUSTER}`);
  sh(['start', CLUSTER]);
  await commitCosts();
  const low = SMOKE ? 100 : 1000;
  const high = SMOKE ? 300 : 10000;
  await serverTable(`Ack latency at ${low} events/s (20 councils × 1 writer, open loop)`, ['sqlite', 'pg'], 20,
    ['--scenario', 'rate', '--rooms', 20, '--members', 1, '--writers', 1, '--rate', low], ACK);
  await serverTable(`Ack latency at ${high} events/s (20 councils × 1 writer, open loop)`, ['sqlite', 'pg'], 20,
    ['--scenario', 'rate', '--rooms', 20, '--members', 1, '--writers', 1, '--rate', high], ACK);
  const rooms = SMOKE ? 2 : 10;
  const members = SMOKE ? 4 : 20;
  const rate = SMOKE ? 100 : 2000;
  await serverTable(`End-to-end at ${rate} events/s (${rooms} rooms × ${members}, 1 writer each; on two instances each room's members alternate between them)`,
    ['sqlite', 'pg', 'pg2'], rooms, ['--scenario', 'rate', '--rooms', rooms, '--members', members, '--writers', 1, '--rate', rate], E2E);
} catch (e) {
  fail(e.message);
} finally {
  try { sh(['stop', CLUSTER]); } catch (e) { log(e.message); }
}

const text = `medians of ${RUNS} run(s); ${machine}; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n\n${tables.join('\n\n')}\n`;
process.stdout.write(text);
if (!SMOKE) fs.writeFileSync(path.join(OUT, 'table.md'), text);
if (SMOKE) fs.rmSync(OUT, { recursive: true, force: true });
if (failures > 0) { log(`${failures} failure(s)`); process.exit(1); }
