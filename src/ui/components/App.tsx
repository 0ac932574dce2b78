/**
 * Wires the inspect UI: the pane view-models (hooks), global keys, the layout for the terminal size,
 * and the props-only pane components. Reads an `Analysis` and, for the Prune pane, a plan provider.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Analysis } from '../../analysis/analyze.js';
import { bytes } from '../../report/format.js';
import { parseSize } from '../../util/size.js';
import { FileSources, viewTitle, type FileSource, type FileView } from '../file-sources.js';
import { planMarks } from '../plan-marks.js';
import { fileColumns, fileDetail, fileHeader, fileRows } from '../file-rows.js';
import { useFilesPane } from '../hooks/use-files-pane.js';
import { useLatest } from '../hooks/use-latest.js';
import { useLayersPane } from '../hooks/use-layers-pane.js';
import { useOwnersPane } from '../hooks/use-owners-pane.js';
import { usePrompt, type PromptKind } from '../hooks/use-prompt.js';
import { usePrunePane } from '../hooks/use-prune-pane.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { charKeyName, HINTS, KEYMAP, keyName, navAction, NO_KEY } from '../keymap.js';
import { layerDetail, layerHeader, layerRows } from '../layer-rows.js';
import { layoutFor, nextPane, PANES, type PaneId } from '../layout.js';
import { cursorNode } from '../outline.js';
import { OwnerOutline } from '../owner-outline.js';
import { ownerColumns, ownerDetail, ownerHeader, ownerRows } from '../owner-rows.js';
import type { PlanProvider } from '../plan-provider.js';
import { findingLong, findingsStale, findingText, gauge, ruleColumns, ruleHeader, ruleRows } from '../prune-model.js';
import { wrapLines } from '../text.js';
import { Footer } from './Footer.js';
import { FilesPane } from './FilesPane.js';
import { Header } from './Header.js';
import { HelpView, helpHeight } from './HelpView.js';
import { LayersPane } from './LayersPane.js';
import { OwnersPane } from './OwnersPane.js';
import { PrunePane } from './PrunePane.js';
import { TabBar } from './TabBar.js';

export interface AppProps {
  readonly analysis: Analysis;
  /** The planner for the Prune pane, or null (then `planNote` says why). */
  readonly plan: PlanProvider | null;
  readonly planNote?: readonly string[];
  /** Name shown in the header (the input path when the image has no tag). */
  readonly title: string;
  readonly color: boolean;
  /** Fixed size (tests); the terminal's otherwise. */
  readonly columns?: number;
  readonly rows?: number;
  readonly initialFocus?: PaneId;
  /** Called on q / Ctrl-C (default: unmount the app). */
  readonly onQuit?: () => void;
}

const LAYER_DETAIL_LINES = 4;
const FINDING_DETAIL_LINES = 3;

export function App(p: AppProps) {
  const { analysis, color } = p;
  const { exit } = useApp();
  const size = useTerminalSize(p.columns, p.rows);
  const sizeRef = useLatest(size);
  const [focus, setFocus] = useState<PaneId>(p.initialFocus ?? 'layers');
  const [right, setRight] = useState<Exclude<PaneId, 'layers'>>(p.initialFocus && p.initialFocus !== 'layers' ? p.initialFocus : 'files');
  const [help, setHelpState] = useState(false);
  const [helpTop, setHelpTop] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const helpRef = useRef(false);
  const setHelp = useCallback((on: boolean) => {
    helpRef.current = on;
    setHelpState(on);
    if (on) setHelpTop(0);
  }, []);
  const layout = layoutFor(size.columns, size.rows, focus, right);
  const body = layout.bodyHeight;
  // Focus changes are seen at once by the next key, before any re-render.
  const focusRef = useRef(focus);
  const focusPane = useCallback((id: PaneId) => {
    focusRef.current = id;
    setFocus(id);
    if (id !== 'layers') setRight(id);
  }, []);

  const sources = useMemo(() => new FileSources(analysis), [analysis]);
  const ownerTree = useMemo(() => new OwnerOutline(analysis.owners?.owners ?? []), [analysis]);
  const nodeOwner = analysis.owners?.nodeOwner ?? null;

  // Heights inside the panes (see the components for their fixed lines).
  const layersList = Math.max(1, body - 1 - LAYER_DETAIL_LINES - 1);
  const filesList = Math.max(1, body - 3);
  const ownersList = Math.max(1, body - 4);
  const findingsList = Math.max(1, Math.min(6, Math.floor(body / 4)));
  const rulesList = Math.max(1, body - 4 - 1 - findingsList);

  const prompt = usePrompt((kind: PromptKind, text: string) => {
    if (kind === 'files-text') files.dispatch({ type: 'filter', spec: { text, minSize: files.current().filter.minSize } });
    else if (kind === 'owners-text') owners.dispatch({ type: 'filter', text });
    else {
      const n = text.trim() === '' ? 0 : parseSize(text);
      if (n === null) return `not a size: "${text}" (try 10MB or 500KiB)`;
      files.dispatch({ type: 'filter', spec: { text: files.current().filter.text, minSize: n } });
    }
    return null;
  });

  const layers = useLayersPane({
    count: analysis.layers.length,
    height: layersList,
    onShow: (kind, layer) => {
      focusPane('files');
      showView(kind === 'merged' ? { kind: 'merged' } : { kind, layer });
    },
  });
  const showView = (view: FileView): void => {
    if (sources.has(view)) return files.dispatch({ type: 'view', view });
    // Building a layer's view merges the layers below it (about half a second per million
    // entries): say so in a frame first, then build.
    setBusy(`building ${viewTitle(view)}…`);
    setTimeout(() => {
      files.dispatch({ type: 'view', view });
      setBusy(null);
    }, 0);
  };
  const files = useFilesPane({
    sources,
    nodeOwner,
    height: filesList,
    selectedLayer: () => layers.current().cursor,
    showView,
    openPrompt: (kind) => {
      const f = files.current().filter;
      if (kind === 'files-text') prompt.open(kind, '/ path contains', f.text);
      else prompt.open(kind, '> minimum size', f.minSize > 0 ? bytes(f.minSize).replace(' ', '') : '');
    },
  });
  const owners = useOwnersPane({
    tree: ownerTree,
    height: ownersList,
    openPrompt: (kind) => prompt.open(kind, '/ owner contains', owners.current().filterText),
    onChoose: (node, show) => {
      files.dispatch({ type: 'highlight', choice: node < 0 ? null : ownerTree.choice(node), only: show });
      if (show && node >= 0) focusPane('files');
    },
  });
  const prune = usePrunePane({ provider: p.plan, rulesHeight: rulesList, findingsHeight: findingsList, findingsFullHeight: Math.max(1, body - 4 - FINDING_DETAIL_LINES) });
  const dropped = prune.state.evaluation?.dropped ?? null;
  const marks = useMemo(() => (dropped ? planMarks(analysis.tree, dropped) : null), [analysis, dropped]);
  // The plan is about the merged tree: its marks are shown there only.
  const marksFor = (src: FileSource) => (src.view.kind === 'merged' ? marks : null);

  // One key handler routes every key: to the open prompt, else the global keys, else the focused
  // pane. Everything it decides on (prompt, help, focus, pane state) is read synchronously, so keys
  // arriving together (one stdin chunk, a paste, key repeat) each see what the key before did.
  const panes = { layers, files, owners, prune };
  const latest = useLatest({ panes, prompt, onQuit: p.onQuit });
  const route = (input: string, key: Key): void => {
    const name = keyName(input, key);
    // Several characters in one event (fast typing, a paste, "/lib⏎" from a script) are one key
    // each, in order; a control character among them is the key it stands for.
    if (name === input && [...input].length > 1) {
      for (const ch of input) routeName(charKeyName(ch), ch, NO_KEY);
      return undefined;
    }
    return routeName(name, input, key);
  };
  const routeName = (name: string, input: string, key: Key): void => {
    const l = latest.current;
    if (l.prompt.isOpen()) return l.prompt.onKey(name, input, key);
    if (name === 'q' || name === 'ctrl-c') return l.onQuit ? l.onQuit() : exit();
    if (name === '?') return setHelp(!helpRef.current);
    if (name === 'tab' || name === 'shift-tab') {
      setHelp(false);
      return focusPane(nextPane(focusRef.current, name === 'tab' ? 1 : -1));
    }
    const digit = name.length === 1 ? '1234'.indexOf(name) : -1;
    if (digit >= 0) {
      setHelp(false);
      return focusPane(PANES[digit]!);
    }
    if (helpRef.current) {
      if (name === 'escape') setHelp(false);
      const nav = navAction(name);
      if (nav) {
        const max = Math.max(0, helpHeight(KEYMAP, sizeRef.current.columns) - (sizeRef.current.rows - 4));
        const page = Math.max(1, sizeRef.current.rows - 5);
        setHelpTop((t) => {
          const next = nav.type === 'home' ? 0 : nav.type === 'end' ? max : t + (nav.type === 'page' ? nav.by * page : nav.by);
          return Math.max(0, Math.min(max, next));
        });
      }
      return undefined;
    }
    return l.panes[focusRef.current].onKey(name);
  };
  useInput(route);

  const height = size.rows - 1;
  if (layout.tooSmall) {
    return (
      <Box width={size.columns} height={Math.max(1, height)}>
        <Text wrap="truncate">{`terminal too small (${size.columns}×${size.rows}); need at least 40×10 · q quits`}</Text>
      </Box>
    );
  }

  const t = analysis.totals;
  const name = analysis.image.tags[0] ?? p.title;
  const header = `whittle · ${name} · ${bytes(t.mergedBytes)} in ${t.mergedFiles.toLocaleString('en-US')} files · ${t.layers} layer${t.layers === 1 ? '' : 's'} · hidden ${bytes(t.wastedBytes)}`;

  const pane = (id: PaneId, width: number) => {
    const focused = id === focus;
    if (id === 'layers') {
      const shown = files.state.view.kind === 'merged' ? -1 : files.state.view.layer;
      const cur = analysis.layers[layers.win.cursor];
      return (
        <LayersPane
          key={id}
          header={layerHeader(width - 1)}
          rows={layerRows(analysis.layers, layers.win, width - 1, shown)}
          detail={cur ? layerDetail(cur, width) : []}
          width={width}
          height={body}
          focused={focused}
          color={color}
        />
      );
    }
    if (id === 'files') {
      const s = files.state;
      const cols = fileColumns(width - 1);
      const parts = [`${s.source.title} (${bytes(s.source.size(s.source.root))})`, `by ${s.sort}`];
      if (s.filter.text) parts.push(`"${s.filter.text}": ${s.filterResult.shown < s.filterResult.matches ? `largest ${s.filterResult.shown.toLocaleString('en-US')} of ` : ''}${s.filterResult.matches.toLocaleString('en-US')} match${s.filterResult.matches === 1 ? '' : 'es'}`);
      if (s.filter.minSize > 0) parts.push(`≥ ${bytes(s.filter.minSize)}`);
      if (s.highlight) parts.push(`• ${s.onlyHighlighted ? 'only ' : ''}${s.highlight.choice.short} ${bytes(s.highlight.choice.bytes)}`);
      return (
        <FilesPane
          key={id}
          status={parts.join(' · ')}
          header={fileHeader(cols)}
          rows={fileRows({ source: s.source, outline: s.outline, columns: cols, owners: analysis.owners?.owners ?? null, nodeOwner, highlight: s.highlight, plan: marksFor(s.source) })}
          detail={fileDetail({ source: s.source, owners: analysis.owners?.owners ?? null, nodeOwner, plan: marksFor(s.source) }, cursorNode(s.outline), width - 1)}
          empty={s.filter.text || s.filter.minSize > 0 || s.onlyHighlighted ? 'nothing matches (Esc clears the filters, o the owner-only view)' : 'empty'}
          width={width}
          height={body}
          focused={focused}
          color={color}
        />
      );
    }
    if (id === 'owners') {
      const s = owners.state;
      const cols = ownerColumns(width - 1);
      const node = cursorNode(s.outline);
      const status = [s.filterText ? `filter "${s.filterText}"` : '', s.chosen >= 0 ? `highlighted in Files: ${ownerTree.nodes[s.chosen]!.choiceLabel}` : ''].filter(Boolean).join(' · ');
      return (
        <OwnersPane
          key={id}
          header={ownerHeader(cols)}
          rows={ownerRows(ownerTree, s.outline, cols, s.chosen)}
          empty={analysis.owners ? (s.filterText ? 'no owner matches (Esc clears)' : 'no owners') : 'owner attribution was turned off'}
          detail={node >= 0 ? ownerDetail(ownerTree, node, analysis.owners?.owners ?? []) : ['', '']}
          status={status}
          width={width}
          height={body}
          focused={focused}
          color={color}
        />
      );
    }
    const s = prune.state;
    const prov = p.plan;
    const message =
      prov === null
        ? (p.planNote ?? ['no rule set given', 'run: whittle inspect IMAGE --rules NAME [--target SIZE]'])
        : prov.ruleNames.length === 0
          ? ['the rule set has no rules']
          : null;
    const plan = s.evaluation?.plan ?? null;
    const cols = ruleColumns(width - 1);
    const busy = s.running !== null || s.pending !== null;
    const title = prov
      ? `rules: ${prov.ruleSets.join(', ')}${prov.target !== null ? ` · target ${bytes(prov.target)}` : ''} · ${s.enabled.filter(Boolean).length}/${s.enabled.length} on${busy ? ' · updating…' : ''}`
      : '';
    const stale = findingsStale(s);
    const checking = s.running === 'findings' || s.pending === 'findings';
    const findingsTitle =
      s.findingsFor === null
        ? 'safety findings: checking…'
        : `safety findings: ${s.findings.length}${stale ? ' (for earlier toggles: r re-checks)' : checking ? ' (checking…)' : ''}${s.findings.length > 0 ? (s.inFindings ? ' · f back to the rules' : ' · f to read them') : ''}`;
    const [fFrom, fTo] = [s.findingsWin.top, Math.min(s.findings.length, s.findingsWin.top + s.findingsWin.height)];
    return (
      <PrunePane
        key={id}
        title={title}
        gauge={plan ? gauge(plan, width - 2) : null}
        header={ruleHeader(cols)}
        rows={ruleRows(s, prov?.ruleNames ?? [], cols)}
        findingsTitle={findingsTitle}
        findings={s.findings.slice(fFrom, fTo).map((f, i) => ({ text: findingText(f, width - 1), cursor: s.inFindings && fFrom + i === s.findingsWin.cursor }))}
        findingDetail={s.inFindings && s.findings[s.findingsWin.cursor] ? wrapLines(findingLong(s.findings[s.findingsWin.cursor]!), width - 1, FINDING_DETAIL_LINES) : null}
        message={message ? [...message] : null}
        width={width}
        height={body}
        focused={focused}
        color={color}
      />
    );
  };

  const hints = busy ?? `${HINTS[focus]} · Tab pane · ? help · q quit`;
  return (
    <Box flexDirection="column" width={size.columns} height={height} overflow="hidden">
      <Header text={header} color={color} />
      <TabBar focus={focus} shown={layout.panes.map((b) => b.id)} color={color} />
      <Box height={body} overflow="hidden">
        {help ? (
          <HelpView sections={KEYMAP} top={helpTop} width={size.columns} height={body} />
        ) : (
          layout.panes.map((b, i) => (
            <Box key={b.id} marginLeft={i > 0 ? 1 : 0}>
              {pane(b.id, b.width)}
            </Box>
          ))
        )}
      </Box>
      <Footer hints={hints} prompt={prompt.state} color={color} />
    </Box>
  );
}
