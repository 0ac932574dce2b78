/**
 * Fuzzing: fast-check mutates valid archives (bit flips, truncations, inserted bytes, tar header
 * fields rewritten with or without a fixed checksum) and every mutant goes through both readers
 * (seeking, and streaming with --verify). Each must end in a result or an InputError/UsageError
 * with a one-line message: never another exception, never a hang. Seeded and bounded for CI.
 *
 * The readers run in a worker thread so a hang can be cut off (terminate() stops even a busy loop)
 * and reported with its counterexample.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, type FormatName } from '../../fixtures/images/index.js';
import { REPO } from '../helpers/cli.js';

const SEED = Number(process.env.WHITTLE_FUZZ_SEED ?? 20_240_611);
const RUNS = Number(process.env.WHITTLE_FUZZ_RUNS ?? 1000);
/** One mutant through both readers; a healthy run takes milliseconds. */
const SAMPLE_TIMEOUT_MS = 15_000;

const BASES: [string, FormatName][] = [
  ['basic', 'docker-25'],
  ['basic', 'docker-legacy'],
  ['hardlinks', 'docker-skopeo'],
  ['gzip-layers', 'oci-tar'],
  ['zstd-layers', 'docker-25'],
  ['special-files', 'oci-tar'],
  ['long-names-gnu', 'layer-tar'],
  ['basic', 'docker-legacy+gzip'],
];

/** Offsets of every tar header block: the outer archive's and those of layer tars inside it. */
function headerOffsets(buf: Buffer, start = 0, end = buf.length, depth = 0, out: number[] = []): number[] {
  let off = start;
  while (off + 512 <= end) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    if (h.toString('latin1', 257, 262) !== 'ustar') break;
    out.push(off);
    const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim(), 8) || 0;
    const data = off + 512;
    if (depth === 0 && size >= 1024 && buf.toString('latin1', data + 257, data + 262) === 'ustar') headerOffsets(buf, data, data + size, 1, out);
    off = data + Math.ceil(size / 512) * 512;
  }
  return out;
}

const FIELDS = { name: [0, 100], mode: [100, 8], uid: [108, 8], size: [124, 12], mtime: [136, 12], checksum: [148, 8], typeflag: [156, 1], linkname: [157, 100], magic: [257, 8], prefix: [345, 155] } as const;
type Field = keyof typeof FIELDS;

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'field'; header: number; field: Field; value: Uint8Array; fix: boolean };

const interesting = [
  '77777777777\0', '00000000000\0', '-0000000001\0', '99999999999\0', '        \0', 'x', '5', '2', '1', 'L', 'K', 'x', 'g', 'S', '../../../etc/passwd\0', '/abs\0', '.wh..wh..opq\0',
].map((s) => Buffer.from(s, 'latin1'));
const base256 = [Buffer.from([0x80, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0]), Buffer.from([0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
  fc.record({
    kind: fc.constant('field' as const),
    header: fc.nat(),
    field: fc.constantFrom(...(Object.keys(FIELDS) as Field[])),
    value: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.constantFrom(...interesting, ...base256).map((b) => new Uint8Array(b))),
    fix: fc.boolean(),
  }),
);

function fixChecksum(buf: Buffer, off: number): void {
  buf.fill(0x20, off + 148, off + 156);
  let sum = 0;
  for (let i = off; i < off + 512; i++) sum += buf[i]!;
  buf.write(sum.toString(8).padStart(6, '0'), off + 148, 6, 'latin1');
  buf[off + 154] = 0;
}

function mutate(original: Buffer, headers: number[], mutations: Mutation[]): Buffer {
  let buf = Buffer.from(original);
  for (const m of mutations) {
    if (buf.length === 0) break;
    switch (m.kind) {
      case 'flip':
        buf[m.at % buf.length]! ^= 1 << m.bit;
        break;
      case 'truncate':
        buf = buf.subarray(0, m.at % buf.length);
        break;
      case 'insert': {
        const at = m.at % (buf.length + 1);
        buf = Buffer.concat([buf.subarray(0, at), m.bytes, buf.subarray(at)]);
        break;
      }
      case 'field': {
        if (headers.length === 0) break;
        const off = headers[m.header % headers.length]!;
        const [start, len] = FIELDS[m.field];
        if (off + 512 > buf.length) break;
        Buffer.from(m.value).copy(buf, off + start, 0, Math.min(len, m.value.length));
        if (m.fix && m.field !== 'checksum') fixChecksum(buf, off);
        break;
      }
    }
  }
  return buf;
}

interface Outcome {
  reader: string;
  kind: 'ok' | 'InputError' | 'UsageError' | 'other';
  message: string;
  stack?: string;
}

/** A worker that reads an input with both readers and reports how each ended. */
const WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ id, file, url, errorsUrl }) => {
  const { analyzeImage } = await import(url);
  const { InputError, UsageError } = await import(errorsUrl);
  const out = [];
  for (const [reader, opts] of [['seeking', {}], ['streaming', { verify: true }]]) {
    try {
      await analyzeImage(file, opts);
      out.push({ reader, kind: 'ok', message: '' });
    } catch (err) {
      const kind = err instanceof InputError ? 'InputError' : err instanceof UsageError ? 'UsageError' : 'other';
      out.push({ reader, kind, message: String(err && err.message), stack: kind === 'other' ? String(err && err.stack) : undefined });
    }
  }
  parentPort.postMessage({ id, out });
});
`;

class ReaderWorker {
  private worker!: Worker;
  private next = 0;
  private onError: (err: Error) => void = () => undefined;
  constructor() {
    this.spawn();
  }
  private spawn(): void {
    this.worker = new Worker(WORKER, { eval: true });
    this.worker.on('error', (err) => this.onError(err));
  }
  run(file: string): Promise<Outcome[] | 'timeout'> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.worker.removeListener('message', onMessage);
        void this.worker.terminate();
        this.spawn();
        resolve('timeout');
      }, SAMPLE_TIMEOUT_MS);
      const onMessage = (m: { id: number; out: Outcome[] }) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        this.worker.removeListener('message', onMessage);
        resolve(m.out);
      };
      this.worker.on('message', onMessage);
      this.onError = reject;
      this.worker.postMessage({
        id,
        file,
        url: pathToFileURL(path.join(REPO, 'dist/src/analysis/analyze.js')).href,
        errorsUrl: pathToFileURL(path.join(REPO, 'dist/src/errors.js')).href,
      });
    });
  }
  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let dir: string;
let worker: ReaderWorker;
const bases: { name: string; bytes: Buffer; headers: number[] }[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-fuzz-'));
  worker = new ReaderWorker();
  for (const [c, f] of BASES) {
    const bytes = fs.readFileSync(await fixturePath(c, f));
    bases.push({ name: `${c} as ${f}`, bytes, headers: headerOffsets(bytes) });
  }
}, 120_000);

afterAll(async () => {
  await worker?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('fuzzing both readers with mutated archives', () => {
  it('finds the header blocks of the layers inside the archives it mutates', () => {
    const b = bases.find((x) => x.name === 'basic as docker-25')!;
    // 3 layer tars of basic + the outer members: more headers than the outer tar alone has.
    expect(b.headers.length).toBeGreaterThan(10);
  });

  it(`always ends in a result or a clean error (${RUNS} mutants, seed ${SEED})`, async () => {
    const started = Date.now();
    const tally = { ok: 0, InputError: 0, UsageError: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), async (which, mutations) => {
        const base = bases[which]!;
        const file = path.join(dir, `mutant-${n++}.bin`);
        fs.writeFileSync(file, mutate(base.bytes, base.headers, mutations));
        const outcome = await worker.run(file);
        fs.rmSync(file, { force: true });
        if (outcome === 'timeout') throw new Error(`${base.name}: no result within ${SAMPLE_TIMEOUT_MS} ms (hang)`);
        for (const o of outcome) {
          if (o.kind === 'other') throw new Error(`${base.name} [${o.reader}]: unexpected ${o.stack}`);
          if (o.kind !== 'ok' && o.message.includes('\n')) throw new Error(`${base.name} [${o.reader}]: message of several lines: ${o.message}`);
          tally[o.kind]++;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The mutants exercise both outcomes (a fuzzer that only ever errors tests little).
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.InputError).toBeGreaterThan(RUNS / 4);
    console.log(`fuzz: ${RUNS} mutants, outcomes ${JSON.stringify(tally)}, ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
