/**
 * `npm run bench`: whittle's throughput and peak memory next to standard tools measured in the same
 * run, as ratios. Inputs are generated once and cached outside the repo (WHITTLE_BENCH_DIR, default
 * ~/.cache/whittle-bench). Each case runs several times; medians are reported. Results go to the
 * terminal and to bench/results.json.
 *
 *   npm run bench                 # 4 GB Mu2e-like image, gzip image, memory curve to 1M entries
 *   npm run bench -- --full       # also the 15 GB image (--scale 1) and 5M entries
 *   npm run bench -- --quick      # small inputs, one run each (a smoke test of the harness)
 *   npm run bench -- --runs 5
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoImage } from '../fixtures/mu2e/cache.js';
import { writeEntriesImage, writeGzipLayersImage } from './synthetic.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/src/cli/main.js');
const walker = path.join(repo, 'dist/bench/tar-stream-walk.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const full = args.includes('--full');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : quick ? 1 : 3;
const cacheDir = process.env.WHITTLE_BENCH_DIR ?? path.join(os.homedir(), '.cache', 'whittle-bench');
fs.mkdirSync(cacheDir, { recursive: true });

interface Measure {
  seconds: number;
  rssMiB: number | null;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

/** Runs a shell pipeline RUNS times; wall time of the whole pipeline, peak RSS of the process run under `time`. */
function measure(label: string, script: string): Measure {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const rssFile = path.join(os.tmpdir(), `whittle-bench-rss-${process.pid}`);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', script.replaceAll('TIME', `/usr/bin/time -o ${rssFile} -f %M`)], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr.toString().slice(-500)}`);
    times.push(secs);
    if (fs.existsSync(rssFile)) {
      const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
      if (Number.isFinite(kb)) rss.push(kb / 1024);
      fs.rmSync(rssFile);
    }
  }
  const m = { seconds: median(times), rssMiB: rss.length ? median(rss) : null };
  log(`  ${label}: ${m.seconds.toFixed(3)} s${m.rssMiB !== null ? `, ${m.rssMiB.toFixed(0)} MiB` : ''}`);
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function layerMembers(archive: string): string[] {
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' })) as { Layers: string[] }[];
  return manifest[0]!.Layers;
}

function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const results: Record<string, unknown> = {};
const rows: string[][] = [];
const row = (c: string, input: string, whittle: Measure, tool: string, other: Measure, ratio: number, target: string) =>
  rows.push([c, input, `${whittle.seconds.toFixed(2)} s`, whittle.rssMiB === null ? '' : `${whittle.rssMiB.toFixed(0)}`, tool, `${other.seconds.toFixed(2)} s`, other.rssMiB === null ? '' : `${other.rssMiB.toFixed(0)}`, ratio.toFixed(2), target]);

async function main(): Promise<void> {
  if (!fs.existsSync(cli)) throw new Error('run `npm run build` first');
  const scale = quick ? 0.02 : 0.25;
  log(`preparing inputs in ${cacheDir} (cached between runs)…`);
  const big = await ensureDemoImage({ scale, seed: 1, cacheDir });
  const bigBytes = fs.statSync(big).size;
  const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
  const entries = (img: string) => JSON.parse(fs.readFileSync(path.join(path.dirname(img), 'expected.json'), 'utf8')) as { layers: { entries: number }[] };
  const bigEntries = entries(big).layers.reduce((s, l) => s + l.entries, 0);
  const members = layerMembers(big);

  // 1. Seekable file: whittle reads headers and seeks; GNU tar streams every layer.
  log(`seekable archive: ${gb(bigBytes)}, ${bigEntries.toLocaleString('en-US')} entries`);
  const wSeek = measure('whittle analyze FILE', `TIME node ${q(cli)} analyze ${q(big)} --json --no-progress > /dev/null`);
  const tarAll = measure('GNU tar -tvf per layer', members.map((m) => `tar -xOf ${q(big)} ${q(m)} | tar -tvf - > /dev/null`).join(' && '));
  row('seekable file', `${gb(bigBytes)}, ${bigEntries.toLocaleString('en-US')} entries`, wSeek, 'GNU tar -tvf, every layer', tarAll, tarAll.seconds / wSeek.seconds, '≥ 5× faster');
  results.seek = { input: big, bytes: bigBytes, entries: bigEntries, whittle: wSeek, gnuTar: tarAll, speedup: tarAll.seconds / wSeek.seconds };

  // 2. Streams: stdin, against a bare tar-stream walk of the same stream.
  const wStream = measure('cat | whittle analyze - --no-verify', `cat ${q(big)} | TIME node ${q(cli)} analyze - --json --no-verify --no-progress > /dev/null`);
  const wStreamV = measure('cat | whittle analyze - (verifying digests)', `cat ${q(big)} | TIME node ${q(cli)} analyze - --json --no-progress > /dev/null`);
  const walk = measure('cat | tar-stream walk', `cat ${q(big)} | TIME node ${q(walker)}`);
  row('stdin stream', gb(bigBytes), wStream, 'bare tar-stream walk', walk, wStream.seconds / walk.seconds, 'ratio ≤ 1.1');
  row('stdin, digests verified', gb(bigBytes), wStreamV, 'bare tar-stream walk', walk, wStreamV.seconds / walk.seconds, '(for reference)');
  results.stream = { whittle: wStream, whittleVerify: wStreamV, tarStreamWalk: walk, ratio: wStream.seconds / walk.seconds };

  // 3. gzip layers: whittle decompresses several layers at once; gzip -dc one after the other.
  // Four layers of similar size, so they can be decompressed side by side.
  const gzImage = path.join(cacheDir, `gzip-4x${quick ? 25 : 200}MB.tar`);
  if (!fs.existsSync(gzImage)) {
    log('generating a 4-layer gzip image…');
    await writeGzipLayersImage(gzImage, 4, (quick ? 25 : 200) * 1e6);
  }
  const gzMembers = layerMembers(gzImage);
  const wGz = measure('whittle analyze (gzip layers)', `TIME node ${q(cli)} analyze ${q(gzImage)} --json --no-progress > /dev/null`);
  const gzip1 = measure('gzip -dc every layer', gzMembers.map((m) => `tar -xOf ${q(gzImage)} ${q(m)} | gzip -dc > /dev/null`).join(' && '));
  row('gzip layers', gb(fs.statSync(gzImage).size), wGz, 'gzip -dc, every layer', gzip1, gzip1.seconds / wGz.seconds, '≥ 1.6× faster');
  results.gzip = { input: gzImage, whittle: wGz, gzipDc: gzip1, speedup: gzip1.seconds / wGz.seconds };

  // 4. Memory and time against entries (bytes held small), and a 4 GB image for "flat in bytes".
  const counts = quick ? [50_000, 200_000] : full ? [250_000, 1_000_000, 2_500_000, 5_000_000] : [250_000, 500_000, 1_000_000];
  const curve: { entries: number; bytes: number; seconds: number; rssMiB: number | null }[] = [];
  for (const n of counts) {
    const file = path.join(cacheDir, `entries-${n}.tar`);
    if (!fs.existsSync(file)) {
      log(`generating a ${n.toLocaleString('en-US')}-entry image…`);
      await writeEntriesImage(file, n);
    }
    const m = measure(`whittle analyze ${n.toLocaleString('en-US')} entries`, `TIME node ${q(cli)} analyze ${q(file)} --json --no-progress > /dev/null`);
    curve.push({ entries: n, bytes: fs.statSync(file).size, seconds: m.seconds, rssMiB: m.rssMiB });
  }
  results.memoryCurve = curve;

  // 5. 15 GB (scale 1): the headline "a 15 GB image in seconds".
  if (full) {
    const huge = await ensureDemoImage({ scale: 1, seed: 1, cacheDir });
    const hugeEntries = entries(huge).layers.reduce((s, l) => s + l.entries, 0);
    const wHuge = measure('whittle analyze 15 GB', `TIME node ${q(cli)} analyze ${q(huge)} --json --no-progress > /dev/null`);
    const tarHuge = measure('GNU tar -tvf per layer (15 GB)', layerMembers(huge).map((m) => `tar -xOf ${q(huge)} ${q(m)} | tar -tvf - > /dev/null`).join(' && '));
    row('seekable file, scale 1', `${gb(fs.statSync(huge).size)}, ${hugeEntries.toLocaleString('en-US')} entries`, wHuge, 'GNU tar -tvf, every layer', tarHuge, tarHuge.seconds / wHuge.seconds, '< 5 s');
    results.huge = { input: huge, bytes: fs.statSync(huge).size, entries: hugeEntries, whittle: wHuge, gnuTar: tarHuge };
  }

  // 6. The prune writer against cp, per byte it keeps. The disk is shared and its speed drifts,
  // so each run times cp of the written image right after the writer, and the ratio is of medians.
  const out = path.join(cacheDir, 'pruned.tar');
  const copy = path.join(cacheDir, 'pruned-copy.tar');
  const writeTimes: number[] = [];
  const cpTimes: number[] = [];
  let kept = 0;
  let outBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    fs.rmSync(out, { force: true });
    fs.rmSync(copy, { force: true });
    spawnSync('sync');
    const r = spawnSync('node', [cli, 'prune', big, '--rules', 'generic', '-o', out, '--json', '--no-progress'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`prune failed: ${r.stderr}`);
    const doc = JSON.parse(r.stdout) as { timings: { writeSeconds: number }; writtenLayerBytes: number };
    writeTimes.push(doc.timings.writeSeconds);
    kept = doc.writtenLayerBytes;
    outBytes = fs.statSync(out).size;
    const t0 = process.hrtime.bigint();
    const c = spawnSync('bash', ['-c', `cp ${q(out)} ${q(copy)} && sync -f ${q(copy)}`]);
    if (c.status !== 0) throw new Error('cp failed');
    cpTimes.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const writeSecs = median(writeTimes);
  const cp = { seconds: median(cpTimes), rssMiB: null };
  log(`  prune writer: ${writeSecs.toFixed(2)} s; cp of its output: ${cp.seconds.toFixed(2)} s`);
  const writeRate = kept / writeSecs;
  const cpRate = outBytes / cp.seconds;
  rows.push(['prune writer', `${gb(kept)} kept`, `${writeSecs.toFixed(2)} s`, '', 'cp + sync of the output', `${cp.seconds.toFixed(2)} s`, '', (writeRate / cpRate).toFixed(2), '≥ 0.70 of cp']);
  results.prune = { keptBytes: kept, writeSeconds: writeSecs, writeRuns: writeTimes, cpRuns: cpTimes, cp, writeMBps: writeRate / 1e6, cpMBps: cpRate / 1e6, ratio: writeRate / cpRate };
  fs.rmSync(out, { force: true });
  fs.rmSync(copy, { force: true });

  // Report.
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    runs: RUNS,
  };
  const header = ['case', 'input', 'whittle', 'MiB', 'compared with', 'time', 'MiB', 'ratio', 'target'];
  const md = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; median of ${RUNS} runs; page cache warm.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Memory and time against entries (files of 0–64 bytes, so bytes stay small):',
    '',
    '| entries | input | time | peak RSS MiB |',
    '|---:|---:|---:|---:|',
    ...curve.map((c) => `| ${c.entries.toLocaleString('en-US')} | ${(c.bytes / 1e6).toFixed(0)} MB | ${c.seconds.toFixed(2)} s | ${c.rssMiB?.toFixed(0) ?? ''} |`),
    `| ${bigEntries.toLocaleString('en-US')} (Mu2e image) | ${(bigBytes / 1e6).toFixed(0)} MB | ${wSeek.seconds.toFixed(2)} s | ${wSeek.rssMiB?.toFixed(0) ?? ''} |`,
  ].join('\n');
  process.stdout.write(`${md}\n`);
  const resultsFile = path.join(repo, 'bench', quick ? 'results.quick.json' : 'results.json');
  fs.writeFileSync(resultsFile, `${JSON.stringify({ machine, results, table: md }, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), resultsFile)}`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
