// Councils for a benchmark, made with the real CLI (`renkei council create`)
// on a SQLite file or a PostgreSQL URI: returns one "council token" line per
// council, the credentials file format of renkei_load.
import { spawnSync } from 'node:child_process';

export function createCouncils(renkei, db, count) {
  const lines = [];
  for (let i = 0; i < count; i += 1) {
    const r = spawnSync(renkei, ['council', 'create', '--db', db, '--name', `bench ${i + 1}`,
      '--facilitator-name', 'ベンチ', '--facilitator-org', '保健所'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`council create: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    lines.push(`${j.council} ${j.token}`);
  }
  return lines;
}
