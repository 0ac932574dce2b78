import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

const ALL = ['analyze', 'ls', 'owners', 'plan', 'prune', 'check', 'diff', 'inspect'];

describe('the command line program', () => {
  it('registers only the command a command line names, so it loads only that pipeline', async () => {
    expect((await buildProgram(['analyze', 'img.tar', '--json'])).commands.map((c) => c.name())).toEqual(['analyze']);
    expect((await buildProgram(['--debug', 'plan', 'img.tar'])).commands.map((c) => c.name())).toEqual(['plan']);
  });
  it('registers none for --version', async () => {
    expect((await buildProgram(['--version'])).commands).toEqual([]);
    expect((await buildProgram(['-V'])).commands).toEqual([]);
  });
  it('registers every command for help, the default command and unknown words', async () => {
    for (const argv of [[], ['--help'], ['analyze', '--help'], ['--version', '--help'], ['img.tar'], ['inspect', 'img.tar'], ['analyse', 'img.tar']]) {
      expect((await buildProgram(argv)).commands.map((c) => c.name())).toEqual(ALL);
    }
  });
});
