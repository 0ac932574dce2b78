import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAtBytes, readElfDynamic, type ElfInfo } from '../../src/elf/read-dynamic.js';
import { defaultLibraryDirs, parseLdSoConf, resolveNeeded } from '../../src/elf/resolve.js';
import { ELF_FIXTURES_DIR, fixtureBytes, fixturePath } from './fixtures.js';

function info(name: string): ElfInfo {
  const b = fixtureBytes(name);
  return readElfDynamic(readAtBytes(b), b.length)!;
}

/** An image's file list as a set of absolute paths (the data the prune planner has). */
function image(...paths: string[]): (p: string) => boolean {
  const set = new Set(paths);
  return (p) => set.has(p);
}

describe('resolveNeeded search order (glibc)', () => {
  const runpath = info('x86_64/app-runpath'); // RUNPATH $ORIGIN/../lib:/opt/whittle/lib; needs libfoo.so.1, libc.so.6
  const rpath = info('x86_64/app-rpath'); // RPATH ${ORIGIN}/lib:/opt/$LIB/extra, NODEFLIB

  it('expands $ORIGIN from the ELF path and finds libc in the default directories', () => {
    const r = resolveNeeded({
      elfPath: '/opt/app/bin/app',
      info: runpath,
      exists: image('/opt/app/lib/libfoo.so.1', '/usr/lib/x86_64-linux-gnu/libc.so.6'),
    });
    expect(r).toEqual([
      { name: 'libfoo.so.1', resolvedTo: '/opt/app/lib/libfoo.so.1', searched: ['/opt/app/lib/libfoo.so.1'] },
      {
        name: 'libc.so.6',
        resolvedTo: '/usr/lib/x86_64-linux-gnu/libc.so.6',
        searched: ['/opt/app/lib/libc.so.6', '/opt/whittle/lib/libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6'],
      },
    ]);
  });

  it('reports a library that would no longer resolve with every place it looked', () => {
    const [foo] = resolveNeeded({ elfPath: '/opt/app/bin/app', info: runpath, exists: image() });
    expect(foo.resolvedTo).toBeNull();
    expect(foo.searched).toEqual([
      '/opt/app/lib/libfoo.so.1',
      '/opt/whittle/lib/libfoo.so.1',
      ...defaultLibraryDirs(runpath).map((d) => `${d}/libfoo.so.1`),
    ]);
  });

  it('searches LD_LIBRARY_PATH before DT_RUNPATH', () => {
    const [foo] = resolveNeeded({
      elfPath: '/opt/app/bin/app',
      info: runpath,
      ldLibraryPath: ['/ups/foo/v1/lib'],
      exists: image('/opt/app/lib/libfoo.so.1', '/ups/foo/v1/lib/libfoo.so.1'),
    });
    expect(foo.resolvedTo).toBe('/ups/foo/v1/lib/libfoo.so.1');
  });

  it('searches DT_RPATH before LD_LIBRARY_PATH, and ignores DT_RPATH when DT_RUNPATH exists', () => {
    const exists = image('/opt/app/bin/lib/libfoo.so.1', '/ups/foo/v1/lib/libfoo.so.1');
    const [foo] = resolveNeeded({ elfPath: '/opt/app/bin/app', info: rpath, ldLibraryPath: ['/ups/foo/v1/lib'], exists });
    expect(foo.resolvedTo).toBe('/opt/app/bin/lib/libfoo.so.1');
    const both: ElfInfo = { ...rpath, runpath: ['/nowhere'] };
    const [foo2] = resolveNeeded({ elfPath: '/opt/app/bin/app', info: both, ldLibraryPath: ['/ups/foo/v1/lib'], exists });
    expect(foo2.resolvedTo).toBe('/ups/foo/v1/lib/libfoo.so.1');
    expect(foo2.searched[0]).toBe('/ups/foo/v1/lib/libfoo.so.1');
  });

  it('skips the default directories for DF_1_NODEFLIB objects, as ld.so does', () => {
    const r = resolveNeeded({ elfPath: '/opt/app/bin/app', info: rpath, exists: image('/lib/x86_64-linux-gnu/libc.so.6') });
    expect(r[1].resolvedTo).toBeNull();
    expect(r[1].searched.some((p) => p.startsWith('/lib/'))).toBe(false);
  });

  it('expands $LIB to each candidate and ${ORIGIN}', () => {
    const r = resolveNeeded({ elfPath: '/a/b/app', info: rpath, exists: image('/opt/lib64/extra/libfoo.so.1') });
    expect(r[0].searched).toEqual(['/a/b/lib/libfoo.so.1', '/opt/lib/x86_64-linux-gnu/extra/libfoo.so.1', '/opt/lib64/extra/libfoo.so.1']);
    expect(r[0].resolvedTo).toBe('/opt/lib64/extra/libfoo.so.1');
    const only = resolveNeeded({ elfPath: '/a/b/app', info: rpath, dstLib: ['lib'], exists: image() });
    expect(only[0].searched).toEqual(['/a/b/lib/libfoo.so.1', '/opt/lib/extra/libfoo.so.1']);
  });

  it('expands $PLATFORM and leaves look-alike tokens alone', () => {
    const fake: ElfInfo = { ...runpath, runpath: ['/p/$PLATFORM/lib', '/q/$ORIGINAL', '/r/${ORIGIN}x'], needed: ['libz.so.1'] };
    const [z] = resolveNeeded({ elfPath: '/opt/x/bin/tool', info: fake, defaultDirs: [], exists: image() });
    expect(z.searched).toEqual(['/p/x86_64/lib/libz.so.1', '/q/$ORIGINAL/libz.so.1', '/r/opt/x/binx/libz.so.1']);
  });

  it('uses the real path of the ELF for $ORIGIN when realpath is given', () => {
    const links: Record<string, string> = { '/usr/bin/app': '/opt/app/bin/app' };
    const [foo] = resolveNeeded({
      elfPath: '/usr/bin/app',
      info: runpath,
      realpath: (p) => links[p] ?? p,
      exists: image('/opt/app/lib/libfoo.so.1'),
    });
    expect(foo.resolvedTo).toBe('/opt/app/lib/libfoo.so.1');
    const [noReal] = resolveNeeded({ elfPath: '/usr/bin/app', info: runpath, exists: image('/opt/app/lib/libfoo.so.1') });
    expect(noReal.searched[0]).toBe('/usr/lib/libfoo.so.1');
  });

  it('treats names with a slash as paths, expanding tokens (patchelf/conda style)', () => {
    const fake: ElfInfo = { ...runpath, needed: ['$ORIGIN/../lib/libpython3.12.so.1.0', 'sub/librel.so', '/abs/libabs.so'] };
    const r = resolveNeeded({ elfPath: '/env/bin/python3.12', info: fake, cwd: '/work', exists: image('/env/lib/libpython3.12.so.1.0') });
    expect(r).toEqual([
      { name: '$ORIGIN/../lib/libpython3.12.so.1.0', resolvedTo: '/env/lib/libpython3.12.so.1.0', searched: ['/env/lib/libpython3.12.so.1.0'] },
      { name: 'sub/librel.so', resolvedTo: null, searched: ['/work/sub/librel.so'] },
      { name: '/abs/libabs.so', resolvedTo: null, searched: ['/abs/libabs.so'] },
    ]);
  });

  it('takes relative search directories against cwd and searches each directory once', () => {
    const odd = info('x86_64/libodd.so'); // RUNPATH relative/lib, no DT_NEEDED
    expect(resolveNeeded({ elfPath: '/x/libodd.so', info: odd, exists: image() })).toEqual([]);
    const fake: ElfInfo = { ...odd, needed: ['liba.so'], runpath: ['relative/lib', '/usr/lib/', '/usr/lib'] };
    const [a] = resolveNeeded({ elfPath: '/x/libodd.so', info: fake, defaultDirs: ['/usr/lib', '/lib'], exists: image() });
    expect(a.searched).toEqual(['/relative/lib/liba.so', '/usr/lib/liba.so', '/lib/liba.so']);
  });

  it('follows musl order: LD_LIBRARY_PATH, then RUNPATH or RPATH, then defaults', () => {
    const exists = image('/opt/app/bin/lib/libfoo.so.1', '/ups/lib/libfoo.so.1');
    const [foo] = resolveNeeded({ elfPath: '/opt/app/bin/app', info: { ...rpath, nodeflib: false }, loader: 'musl', ldLibraryPath: ['/ups/lib'], exists });
    expect(foo.resolvedTo).toBe('/ups/lib/libfoo.so.1');
  });

  it('knows the default directories per machine and class', () => {
    expect(defaultLibraryDirs(info('i386/libbar32.so.2'))).toEqual(['/lib/i386-linux-gnu', '/usr/lib/i386-linux-gnu', '/lib32', '/usr/lib32', '/lib', '/usr/lib']);
    expect(defaultLibraryDirs(info('mips/libmtop.so.1')).slice(0, 2)).toEqual(['/lib/mips-linux-gnu', '/usr/lib/mips-linux-gnu']);
    expect(defaultLibraryDirs(info('ppc64/app')).slice(0, 4)).toEqual(['/lib/powerpc64-linux-gnu', '/usr/lib/powerpc64-linux-gnu', '/lib64', '/usr/lib64']);
  });
});

/** `ldd`-style lines: name => path | not found. */
function parseTrace(out: string): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const line of out.split('\n')) {
    const r = /^\s+(\S+) => (?:(not found)|(\S+) \(0x[0-9a-f]+\))$/.exec(line);
    if (r) m.set(r[1], r[2] ? null : r[3]);
  }
  return m;
}

const LDSO = '/lib64/ld-linux-x86-64.so.2';
const canRunLdso = process.arch === 'x64' && process.platform === 'linux' && existsSync(LDSO);

describe.skipIf(!canRunLdso)(`resolveNeeded against the real ld.so${canRunLdso ? '' : ' (skipped: needs x86-64 Linux with glibc)'}`, () => {
  const root = mkdtempSync(join(tmpdir(), 'whittle-elf-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Lays out files under `root`, runs the program with LD_TRACE_LOADED_OBJECTS, compares. */
  function check(layout: Record<string, string>, exe: string, ldLibraryPath: string[] = []): void {
    const base = mkdtempSync(join(root, 'case-'));
    for (const [dest, src] of Object.entries(layout)) {
      mkdirSync(join(base, dest, '..'), { recursive: true });
      if (src.startsWith('->')) symlinkSync(src.slice(2), join(base, dest));
      else {
        copyFileSync(fixturePath(src), join(base, dest));
        chmodSync(join(base, dest), 0o755);
      }
    }
    const exePath = join(base, exe);
    const env = { PATH: process.env.PATH ?? '', LD_TRACE_LOADED_OBJECTS: '1', LD_LIBRARY_PATH: ldLibraryPath.map((d) => join(base, d)).join(':') };
    const run = spawnSync(exePath, [], { env, encoding: 'utf8' });
    const trace = parseTrace(run.stdout);
    const elf = readElfDynamic(readAtBytes(new Uint8Array(readFileSync(exePath))), statSync(exePath).size)!;
    const ours = resolveNeeded({
      elfPath: exePath,
      info: elf,
      exists: (p) => existsSync(p) && statSync(p).isFile(),
      realpath: (p) => {
        try {
          return realpathSync(p);
        } catch {
          return null;
        }
      },
      ldLibraryPath: ldLibraryPath.map((d) => join(base, d)),
    });
    if (run.status !== 0) {
      // ld.so stops at the first missing library: ours must miss it too.
      const missing = /error while loading shared libraries: (\S+):/.exec(run.stderr)?.[1];
      expect(missing, run.stderr).toBeDefined();
      expect(ours.find((r) => r.name === missing)?.resolvedTo).toBeNull();
      return;
    }
    for (const r of ours) {
      expect(trace.has(r.name), `${r.name} in ld.so trace`).toBe(true);
      const theirs = trace.get(r.name) ?? null;
      expect(r.resolvedTo === null ? null : realpathSync(r.resolvedTo), r.name).toBe(theirs === null ? null : realpathSync(theirs));
    }
  }

  it('agrees on $ORIGIN/../lib and the system libc', () => {
    check({ 'opt/app/bin/app': 'x86_64/app-runpath', 'opt/app/lib/libfoo.so.1': 'x86_64/libfoo.so.1' }, 'opt/app/bin/app');
  });

  it('agrees that a removed library no longer resolves', () => {
    check({ 'opt/app/bin/app': 'x86_64/app-runpath' }, 'opt/app/bin/app');
  });

  it('agrees that LD_LIBRARY_PATH wins over DT_RUNPATH', () => {
    check(
      { 'opt/app/bin/app': 'x86_64/app-runpath', 'opt/app/lib/libfoo.so.1': 'x86_64/libfoo.so.1', 'ups/lib/libfoo.so.1': 'x86_64/libfoo.so.1' },
      'opt/app/bin/app',
      ['ups/lib'],
    );
  });

  it('agrees that DT_RPATH wins over LD_LIBRARY_PATH and that nodefaultlib hides libc', () => {
    const layout = { 'opt/app/bin/app': 'x86_64/app-rpath', 'opt/app/bin/lib/libfoo.so.1': 'x86_64/libfoo.so.1', 'ups/lib/libfoo.so.1': 'x86_64/libfoo.so.1' };
    check(layout, 'opt/app/bin/app', ['ups/lib']);
    // libc comes only from LD_LIBRARY_PATH here: put a copy of the real one there.
    const libc = execFileSync('sh', ['-c', `${LDSO} --list /bin/true | sed -n 's/.*libc.so.6 => \\([^ ]*\\).*/\\1/p'`], { encoding: 'utf8' }).trim();
    const base = mkdtempSync(join(root, 'libc-'));
    mkdirSync(join(base, 'sys'), { recursive: true });
    copyFileSync(libc, join(base, 'sys/libc.so.6'));
    check({ ...layout, 'sys/libc.so.6': '->' + join(base, 'sys/libc.so.6') }, 'opt/app/bin/app', ['ups/lib', 'sys']);
  });

  it('agrees on $ORIGIN of an executable reached through a symlink (the real directory)', () => {
    check(
      { 'opt/app/bin/app': 'x86_64/app-runpath', 'opt/app/lib/libfoo.so.1': 'x86_64/libfoo.so.1', 'usr/bin/app': '->../../opt/app/bin/app' },
      'usr/bin/app',
    );
  });
});

describe('parseLdSoConf', () => {
  const confDir = join(ELF_FIXTURES_DIR, 'ld.so.conf');

  it('reads this machine\'s ld.so.conf: one include pattern', () => {
    const c = parseLdSoConf(readFileSync(join(confDir, 'ld.so.conf'), 'utf8'));
    expect(c).toEqual({ dirs: [], includes: ['/etc/ld.so.conf.d/*.conf'], findings: [] });
  });

  it('reads the conf.d files, comments dropped', () => {
    const read = (n: string) => parseLdSoConf(readFileSync(join(confDir, 'ld.so.conf.d', n), 'utf8'), `/etc/ld.so.conf.d/${n}`);
    expect(read('libc.conf').dirs).toEqual(['/usr/local/lib']);
    expect(read('x86_64-linux-gnu.conf').dirs).toEqual(['/usr/local/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu']);
    expect(read('fakeroot-x86_64-linux-gnu.conf').dirs).toEqual(['/usr/lib/x86_64-linux-gnu/libfakeroot']);
  });

  it('handles ldconfig syntax corners', () => {
    const c = parseLdSoConf(
      [
        '# comment',
        '   /opt/a/lib/   # trailing slash and comment',
        '/opt/b/lib=libc6',
        'include conf.d/*.conf  /etc/other/*.conf',
        'includes/not-an-include',
        'HWCAP 1 nosegneg',
        'relative/dir',
        '/opt/a/lib',
        '',
        '\t/opt/with space/lib\t',
      ].join('\n'),
      '/etc/ld.so.conf',
    );
    expect(c.dirs).toEqual(['/opt/a/lib', '/opt/b/lib', '/includes/not-an-include', '/relative/dir', '/opt/with space/lib']);
    expect(c.includes).toEqual(['/etc/conf.d/*.conf', '/etc/other/*.conf']);
    expect(c.findings.map((f) => f.code)).toEqual(['ld-so-conf-relative-dir', 'ld-so-conf-relative-dir']);
    expect(c.findings[1].message).toBe('/etc/ld.so.conf:7: library directory "relative/dir" is relative, taken relative to /');
  });

  const ldconfig = ['/sbin/ldconfig', '/usr/sbin/ldconfig'].find((p) => existsSync(p));
  it.skipIf(!ldconfig)(`lists the directories ldconfig scans${ldconfig ? '' : ' (skipped: no ldconfig)'}`, () => {
    // Point a copy of ld.so.conf at the fixture conf.d and let ldconfig say what it reads.
    const dir = mkdtempSync(join(tmpdir(), 'whittle-ldconf-'));
    try {
      const conf = join(dir, 'ld.so.conf');
      writeFileSync(conf, `include ${join(confDir, 'ld.so.conf.d')}/*.conf\n`);
      const out = execFileSync(ldconfig!, ['-v', '-N', '-X', '-f', conf, '-C', join(dir, 'cache')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const theirs = out
        .split('\n')
        .filter((l) => /^\S.*: \(from (?!<builtin>)/.test(l))
        .map((l) => l.slice(0, l.indexOf(': (from')));
      const top = parseLdSoConf(readFileSync(conf, 'utf8'), conf);
      const pattern = top.includes[0];
      const files = readdirSync(join(pattern, '..')).filter((n) => n.endsWith('.conf')).sort();
      const ours = files.flatMap((n) => parseLdSoConf(readFileSync(join(confDir, 'ld.so.conf.d', n), 'utf8'), join(confDir, 'ld.so.conf.d', n)).dirs);
      // ldconfig drops directories that do not exist and merges those with the same inode.
      const seen = new Set<string>();
      const expected = ours.filter((d) => {
        if (!existsSync(d)) return false;
        const key = `${statSync(d).dev}:${statSync(d).ino}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      expect(theirs).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
