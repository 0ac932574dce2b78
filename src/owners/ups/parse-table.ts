/**
 * UPS table files (`<PROD_DIR>/ups/<prod>.table`). Shapes seen:
 * - `File=Table / Product=uhal / Group: / Flavor=ANY / Qualifiers=e19:prof / Action=DefineFQ …
 *   / Common: / Action=setup … / End:` (DUNE-DAQ uhal, coups wirecell/jsoncpp/gcc);
 * - old style without `Group:`: `FILE=table / Product=mu2egrid / Flavor=ANY / Qualifiers="" /
 *   Action=setup / prodDir() / SetupRequired( mu2ejobtools ) …` (Mu2e mu2egrid, coups kx509);
 * - EUPS-style bare command lists (`setupOptional("python")`), read as one ANY block.
 * For each Flavor/Qualifiers block whittle keeps what `setup` of that build executes: the
 * `setup` action plus every action it runs through `exeActionRequired`/`exeActionOptional`,
 * taking the block's own actions and its group's `Common:` actions of the same name.
 */
import type { Finding } from '../../findings.js';
import { unquote } from './kv-blocks.js';
import { hasFileHeader } from './parse-version.js';
import { canonicalQualifiers, optionalQualifiers } from './qualifiers.js';

export interface UpsRequire {
  product: string;
  /** null when the command names no version (UPS then uses the `current` chain, or `chain`). */
  version: string | null;
  /** Canonical required qualifiers (`-q +e17:+prof` → `e17:prof`); null when no `-q`. */
  qualifiers: string | null;
  /** Qualifiers marked `?q` (use if available), canonical order. */
  optionalQualifiers: string[];
  /** `-f <flavor>`; null when absent. */
  flavor: string | null;
  /** `-c`/`-t`/`-n`/`-o`/`-d`/`-g <chain>`; null when absent. */
  chain: string | null;
  /** True for `setupOptional(…)`. */
  optional: boolean;
  /** The command as written, for messages. */
  text: string;
  line: number;
}

export interface UpsEnvSet {
  /** As written, may contain `${UPS_PROD_NAME_UC}`. */
  name: string;
  value: string;
  /** Inside an `if ( … )` … `endif` block. */
  conditional: boolean;
  line: number;
}

export interface UpsLdEntry {
  /** As written, e.g. `${UHAL_FQ_DIR}/lib`. */
  path: string;
  /** Inside an `if ( … )` block (gcc's table adds `lib32` only on Ubuntu). */
  conditional: boolean;
}

export interface UpsTableBlock {
  /** `ANY` when the table gives none. */
  flavor: string;
  rawQualifiers: string;
  qualifiers: string;
  /** 1-based line of the block's first key (0 for an implicit block). */
  line: number;
  requires: UpsRequire[];
  /** Each path `setup` prepends or appends to LD_LIBRARY_PATH, as written, in order. */
  ldLibraryPath: UpsLdEntry[];
  /** Variable definitions in execution order (`envSet`, `prodDir(_X, sub)`). */
  envSets: UpsEnvSet[];
}

export interface UpsTable {
  product: string | null;
  blocks: UpsTableBlock[];
}

interface Command {
  /** Lower-case command name. */
  name: string;
  args: string;
  text: string;
  line: number;
  conditional: boolean;
}

interface RawBlock {
  flavor: string;
  rawQualifiers: string | null;
  line: number;
  actions: Map<string, Command[]>;
  group: RawGroup;
}

interface RawGroup {
  common: Map<string, Command[]>;
}

const VALUE_OPTIONS = new Set(['q', 'f', 'H', 'z', 'm', 'M', 'r', 'O', 'U', 'g']);
const CHAIN_FLAGS: Record<string, string> = { c: 'current', t: 'test', n: 'new', o: 'old', d: 'development' };
const LD_COMMANDS = new Set(['envprepend', 'envappend', 'pathprepend', 'pathappend']);

/** Split `a, b, c` at top-level commas (not inside quotes, backticks or parentheses). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39 || c === 96) quote = c;
    else if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 44 && depth === 0) {
      out.push(unquote(s.slice(start, i).trim()));
      start = i + 1;
    }
  }
  out.push(unquote(s.slice(start).trim()));
  return out;
}

/** Parse the argument of `setupRequired(…)`/`setupOptional(…)`. */
export function parseRequireArgs(args: string): Omit<UpsRequire, 'optional' | 'text' | 'line'> | null {
  const tokens = unquote(args.trim())
    .split(/\s+/)
    .map((t) => unquote(t))
    .filter((t) => t !== '');
  const positional: string[] = [];
  let rawQuals: string | null = null;
  let flavor: string | null = null;
  let chain: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.length >= 2 && t.charCodeAt(0) === 45 /* - */) {
      const opt = t.charAt(1);
      if (VALUE_OPTIONS.has(opt)) {
        const value = t.length > 2 ? t.slice(2) : (tokens[++i] ?? '');
        if (opt === 'q') rawQuals = rawQuals ? `${rawQuals}:${value}` : value;
        else if (opt === 'f') flavor = value;
        else if (opt === 'g') chain = value;
      } else if (t.length === 2 && CHAIN_FLAGS[opt]) {
        chain = CHAIN_FLAGS[opt];
      }
      continue;
    }
    positional.push(t);
  }
  if (positional.length === 0) return null;
  return {
    product: positional[0],
    version: positional[1] ?? null,
    qualifiers: rawQuals === null ? null : canonicalQualifiers(rawQuals),
    optionalQualifiers: optionalQualifiers(rawQuals),
    flavor,
    chain,
  };
}

function newBlock(flavor: string, line: number, group: RawGroup): RawBlock {
  return { flavor, rawQualifiers: null, line, actions: new Map(), group };
}

function pushCommand(map: Map<string, Command[]>, action: string, cmd: Command): void {
  const list = map.get(action);
  if (list) list.push(cmd);
  else map.set(action, [cmd]);
}

/**
 * Parse a table file. `record` is null (no findings) only when the text has neither a
 * `File=Table` header nor any table element, i.e. it is some other `*.table` file.
 */
export function parseUpsTable(text: string, source: string): { record: UpsTable | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const headed = hasFileHeader(text, 'table');
  let product: string | null = null;
  const blocks: RawBlock[] = [];
  let group: RawGroup | null = null; // inside Group: … End:
  let loose: RawGroup = { common: new Map() }; // blocks outside any Group:
  let inCommon = false;
  let block: RawBlock | null = null;
  let action: string | null = null;
  let ifDepth = 0;
  let sawElement = headed;
  const warn = (line: number, what: string) =>
    findings.push({ severity: 'warning', code: 'ups-table-syntax', message: `reading UPS table ${source}: line ${line} ${what}`, path: source });

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
    const lower = line.toLowerCase();
    if (lower === 'group:') {
      group = { common: new Map() };
      inCommon = false;
      block = null;
      action = null;
      sawElement = true;
      continue;
    }
    if (lower === 'common:') {
      // a Common: without Group: applies to the blocks declared since the last End:
      if (!group) group = loose;
      inCommon = true;
      action = null;
      continue;
    }
    if (lower === 'end:') {
      group = null;
      loose = { common: new Map() };
      inCommon = false;
      block = null;
      action = null;
      continue;
    }
    const eq = line.indexOf('=');
    const paren = line.indexOf('(');
    if (eq > 0 && (paren < 0 || eq < paren)) {
      const key = lower.slice(0, eq).trim();
      const value = unquote(line.slice(eq + 1).trim());
      if (key === 'file') continue;
      if (key === 'product') {
        product = value || null;
        sawElement = true;
      } else if (key === 'flavor') {
        block = newBlock(value || 'ANY', lineNo, group ?? loose);
        blocks.push(block);
        inCommon = false;
        action = null;
        sawElement = true;
      } else if (key === 'qualifiers') {
        if (!block || inCommon || block.rawQualifiers !== null || block.actions.size > 0) {
          block = newBlock('ANY', lineNo, group ?? loose);
          blocks.push(block);
          inCommon = false;
        }
        block.rawQualifiers = value;
        action = null;
        sawElement = true;
      } else if (key === 'action') {
        action = value.toLowerCase();
        ifDepth = 0;
        sawElement = true;
      }
      // VERSION, DESCRIPTION, … carry nothing whittle needs
      continue;
    }
    if (paren <= 0) {
      if (sawElement) warn(lineNo, `is neither KEY = value nor a command (${JSON.stringify(line.slice(0, 80))})`);
      continue;
    }
    const name = lower.slice(0, paren).trim();
    const close = line.lastIndexOf(')');
    if (close < paren) {
      warn(lineNo, `has no closing parenthesis (${JSON.stringify(line.slice(0, 80))})`);
      continue;
    }
    if (name === 'if') {
      ifDepth++;
      continue;
    }
    if (name === 'endif') {
      if (ifDepth > 0) ifDepth--;
      continue;
    }
    if (name === 'else') continue;
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      if (sawElement) warn(lineNo, `is not a command (${JSON.stringify(line.slice(0, 80))})`);
      continue;
    }
    sawElement = true;
    const cmd: Command = { name, args: line.slice(paren + 1, close), text: line, line: lineNo, conditional: ifDepth > 0 };
    const act = action ?? 'setup'; // EUPS-style lists and commands before any Action= run at setup
    if (inCommon && group) pushCommand(group.common, act, cmd);
    else {
      if (!block) {
        block = newBlock('ANY', 0, group ?? loose);
        blocks.push(block);
      }
      pushCommand(block.actions, act, cmd);
    }
  }
  if (!sawElement) return { record: null, findings: [] };

  const out: UpsTableBlock[] = [];
  for (const b of blocks) out.push(evaluateBlock(b, source, findings));
  if (out.length === 0) {
    findings.push({ severity: 'info', code: 'ups-table-empty', message: `reading UPS table ${source}: no Flavor block`, path: source });
  }
  return { record: { product, blocks: out }, findings };
}

/** Run the block's `setup` action (and the actions it calls) and keep what whittle needs. */
function evaluateBlock(b: RawBlock, source: string, findings: Finding[]): UpsTableBlock {
  const rawQualifiers = b.rawQualifiers ?? '';
  const result: UpsTableBlock = {
    flavor: b.flavor,
    rawQualifiers,
    qualifiers: canonicalQualifiers(rawQualifiers),
    line: b.line,
    requires: [],
    ldLibraryPath: [],
    envSets: [],
  };
  const running = new Set<string>();
  const run = (actionName: string, required: boolean, fromLine: number) => {
    if (running.has(actionName)) return; // an action calling itself would loop in UPS too
    const cmds = [...(b.actions.get(actionName) ?? []), ...(b.group.common.get(actionName) ?? [])];
    if (cmds.length === 0 && required && actionName !== 'setup') {
      findings.push({ severity: 'info', code: 'ups-table-action-missing', message: `reading UPS table ${source}: line ${fromLine} runs action ${JSON.stringify(actionName)} that the block does not define`, path: source });
    }
    running.add(actionName);
    for (const c of cmds) execute(c);
    running.delete(actionName);
  };
  const execute = (c: Command) => {
    switch (c.name) {
      case 'setuprequired':
      case 'setupoptional': {
        const r = parseRequireArgs(c.args);
        if (!r) {
          findings.push({ severity: 'warning', code: 'ups-table-syntax', message: `reading UPS table ${source}: line ${c.line} names no product (${JSON.stringify(c.text)})`, path: source });
          return;
        }
        result.requires.push({ ...r, optional: c.name === 'setupoptional', text: c.text, line: c.line });
        return;
      }
      case 'exeactionrequired':
      case 'exeactionoptional':
      case 'exeaction': {
        const target = splitArgs(c.args)[0]?.toLowerCase() ?? '';
        if (target) run(target, c.name !== 'exeactionoptional', c.line);
        return;
      }
      case 'envset': {
        const [name, value] = splitArgs(c.args);
        if (name && value !== undefined) result.envSets.push({ name, value, conditional: c.conditional, line: c.line });
        return;
      }
      case 'proddir': {
        // prodDir(_LIB, sub) defines <PROD>_LIB = ${UPS_PROD_DIR}/sub; bare prodDir() is <PROD>_DIR
        const [suffix, sub] = splitArgs(c.args);
        if (suffix && sub) result.envSets.push({ name: `\${UPS_PROD_NAME_UC}${suffix}`, value: `\${UPS_PROD_DIR}/${sub}`, conditional: c.conditional, line: c.line });
        return;
      }
      default:
        if (LD_COMMANDS.has(c.name)) {
          const [variable, value, delim] = splitArgs(c.args);
          if (variable !== 'LD_LIBRARY_PATH' || !value) return;
          for (const part of value.split(delim || ':')) {
            const p = part.trim();
            if (p !== '' && !result.ldLibraryPath.some((e) => e.path === p)) result.ldLibraryPath.push({ path: p, conditional: c.conditional });
          }
        }
    }
  };
  run('setup', true, b.line);
  return result;
}
