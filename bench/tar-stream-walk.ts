/**
 * The baseline a streaming reader is measured against: a bare tar-stream walk over stdin that
 * enters every nested layer tar and drains every entry, parsing nothing else.
 */
import tar from 'tar-stream';
import type { Readable } from 'node:stream';

async function walk(stream: Readable, nested: boolean): Promise<number> {
  const extract = tar.extract();
  let entries = 0;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, body, next) => {
      entries++;
      if (nested && header.type === 'file' && header.name.endsWith('.tar')) {
        walk(body as unknown as Readable, false).then((n) => {
          entries += n;
          next();
        }, reject);
      } else {
        body.on('end', next);
        body.resume();
      }
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return entries;
}

const n = await walk(process.stdin, true);
process.stderr.write(`${n} entries\n`);
