import { createBrowserEngine, editShaderFile, onShaderFilesChanged, PRESETS, PRESET_PROBLEMS, decodeImageFile } from '../src/browser/index.js';
import type { GraphSpec, PixelBuffer } from '../src/browser/index.js';
import { externalNames } from '../src/graph/types.js';
import { CORE_GRAPH } from './core-graph.js';
import { buildPanel } from './panel.js';
import { PreviewSession, type RenderInfo } from './preview.js';
import { defaultSampleKind, renderSample, type SampleKind } from './sample.js';
import { ShaderEditor } from './shader-editor.js';
import { ViewerControls } from './viewer.js';
import { HintPainter, type HintTool } from './hints.js';
import { installTestHook } from './test-hook.js';

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const canvas = $<HTMLCanvasElement>('#view');
const viewer = $('#viewer');
const errorBox = $('#error');
const renderStatus = $('#render-status');
const zoomStatus = $('#zoom-status');

const be = createBrowserEngine(canvas);
const controls = new ViewerControls(canvas);
const hints = new HintPainter(canvas, () => (session ? { width: session.width, height: session.height, viewState: session.viewState, zoom: controls.effectiveZoom() } : null));

/** Presets this build can run: the core graph plus every src/presets/*.json that validates. */
const presets = new Map<string, GraphSpec>([['core', CORE_GRAPH]]);
for (const p of PRESET_PROBLEMS) console.warn(`loupe demo: preset ${p.source} skipped: ${p.message}`);
for (const [name, { graph }] of PRESETS) {
  try {
    be.engine.validate(graph);
    const extra = [...externalNames(graph, 'required')].filter((name) => name !== 'source');
    if (extra.length) throw new Error(`needs images the demo cannot provide: ${extra.map((name) => `$${name}`).join(', ')}`);
    presets.set(name, graph);
  } catch (e) {
    console.warn(`loupe demo: preset "${name}" skipped: ${(e as Error).message}`);
  }
}

// Like the CLI, start from the full catalogue retouch when this build has it.
const DEFAULT_PRESET = 'catalogue';
let presetName = new URLSearchParams(location.search).get('preset') ?? (presets.has(DEFAULT_PRESET) ? DEFAULT_PRESET : ([...presets.keys()].find((k) => k !== 'core') ?? 'core'));
if (!presets.has(presetName)) presetName = 'core';
let pixels: PixelBuffer | null = null;
let sourceName = 'sample';
let session: PreviewSession | null = null;

function showError(e: unknown): void {
  errorBox.hidden = e === null;
  errorBox.textContent = e === null ? '' : e instanceof Error ? e.message : String(e);
  if (e !== null) console.error(e);
}

function describeRender(info: RenderInfo): string {
  const s = info.stats;
  const total = s.nodesRun.length + s.nodesReused.length;
  // The time is the JavaScript side of the run (the GPU finishes asynchronously).
  return `${info.kind}${info.kind === 'proxy' ? ` ${Math.round(info.scale * 100)}%` : ''} · ${s.nodesRun.length}/${total} nodes · ${s.draws} draws · JS ${s.milliseconds.toFixed(1)} ms${info.notes.map((n) => ` · ${n}`).join('')}`;
}

function showZoom(): void {
  zoomStatus.textContent = session ? `${session.width}×${session.height} · ${Math.round(controls.effectiveZoom() * 100)}%` : '';
  hints.place();
}

/** (Re)starts the preview for the current image and graph, keeping the view when asked. */
function startSession(graph: GraphSpec, keepView = false): void {
  if (!pixels || be.lost) return;
  const previous = session;
  try {
    session = new PreviewSession(be, graph, pixels);
  } catch (e) {
    showError(e);
    return;
  }
  if (previous) {
    if (keepView) {
      session.viewState = previous.viewState;
      if (session.views.some((v) => v.output === previous.view)) session.view = previous.view;
    }
    previous.dispose();
  }
  showError(null);
  const s = session;
  const readsHints = externalNames(graph).has('hints');
  const healsSpots = healNode(graph) !== undefined;
  for (const option of $<HTMLSelectElement>('#hint-tool').options)
    option.disabled = (option.dataset.needs === 'hints' && !readsHints) || (option.dataset.needs === 'spots' && !healsSpots);
  $<HTMLSelectElement>('#hint-tool').disabled = $<HTMLInputElement>('#hint-size').disabled = $<HTMLButtonElement>('#marks-undo').disabled = !readsHints && !healsSpots;
  for (const id of ['#hint-clear', '#hint-export', '#hint-file']) $<HTMLInputElement>(id).disabled = !readsHints;
  if ($<HTMLSelectElement>('#hint-tool').selectedOptions[0]?.disabled) selectHintTool('off');
  const strokes = readsHints ? hints.pixels() : null;
  if (strokes) s.setHints(strokes);
  s.onRender(showSpots);
  s.onRender((info) => {
    renderStatus.textContent = describeRender(info);
    if (info.kind === 'full') showZoom();
  });
  s.onError = showError;
  controls.session = s;
  buildPanel($('#panel'), graph, presets.get(presetName) ?? graph, be.registry, {
    setParam: (node, name, value) => guarded(() => s.setParam(node, name, value)),
    setEnabled: (node, enabled) => guarded(() => s.setEnabled(node, enabled)),
    editShaders: (node) => {
      const pass = be.registry.get(graph.nodes.find((n) => n.id === node)!.pass)!;
      editor.open(`${pass.shaders[0]}.frag`);
    },
    view: (node) => selectView(`view:${node}:${be.registry.get(graph.nodes.find((n) => n.id === node)!.pass)!.outputs[0].name}`),
  });
  const viewSelect = $<HTMLSelectElement>('#view-select');
  viewSelect.replaceChildren(...s.views.map((v) => new Option(v.label, v.output)));
  viewSelect.value = s.view;
  resizeCanvas();
  s.changed();
}

function guarded(f: () => void): void {
  try {
    f();
    showError(null);
  } catch (e) {
    showError(e);
  }
}

function selectView(output: string): void {
  if (!session) return;
  guarded(() => session!.setView(output));
  $<HTMLSelectElement>('#view-select').value = output;
}

function resizeCanvas(): void {
  const dpr = devicePixelRatio;
  be.resize(canvas.clientWidth * dpr, canvas.clientHeight * dpr);
  session?.redisplay();
  showZoom();
}
new ResizeObserver(resizeCanvas).observe(canvas);

/** The sample being rendered, if any (tests wait for it). */
let sampleLoading: Promise<void> = Promise.resolve();

function loadSample(kind: SampleKind): Promise<void> {
  sampleLoading = renderSampleAndShow(kind);
  return sampleLoading;
}

async function renderSampleAndShow(kind: SampleKind): Promise<void> {
  renderStatus.textContent = `rendering the ${kind} sample…`;
  // Let the status text paint before the GPU work blocks the page.
  await new Promise((r) => setTimeout(r, 20));
  try {
    pixels = await renderSample(be.engine, kind);
  } catch (e) {
    showError(e);
    return;
  }
  sourceName = `sample-${kind}`;
  hints.reset(pixels.width, pixels.height);
  marks.length = 0;
  startSession(session?.exportGraph() ?? presets.get(presetName)!, true);
}

/** Shows new pixels under the current graph (or `graph`), fitted to the canvas. */
function openPixels(decoded: PixelBuffer, name: string, graph: GraphSpec = session?.exportGraph() ?? presets.get(presetName)!): void {
  be.engine.checkSize(decoded.width, decoded.height);
  pixels = decoded;
  sourceName = name;
  hints.reset(decoded.width, decoded.height);
  marks.length = 0;
  if (session) session.viewState = { zoom: null, center: [0.5, 0.5], split: session.viewState.split };
  startSession(graph, true);
}

async function openFile(file: File): Promise<void> {
  try {
    openPixels(await decodeImageFile(file), file.name.replace(/\.[^.]+$/, ''));
  } catch (e) {
    showError(e);
  }
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

// --- shader editing and hot reload ---
const editor = new ShaderEditor($('#editor'), {
  files: () => Object.keys(be.shaders.files()).sort(),
  text: (path) => be.shaders.text(path),
  apply: (path, text) => {
    editShaderFile(be.engine, path, text);
    session?.changed();
  },
});
// `npm run dev`: a shader saved on disk replaces the running one (if it compiles).
onShaderFilesChanged((changed) => {
  for (const [path, text] of Object.entries(changed)) {
    editor.externalChange(path, text);
    try {
      editShaderFile(be.engine, path, text);
      if (path === editor.path) editor.showError(null);
      showError(null);
    } catch (e) {
      if (path === editor.path) editor.showError(e as Error);
      showError(e);
    }
  }
  session?.changed();
});

// --- context loss: everything on the GPU is gone; rebuild from the CPU-side image and graph ---
let graphBeforeLoss: GraphSpec | null = null;
be.onLost(() => {
  graphBeforeLoss = session?.exportGraph() ?? null;
  session?.dispose(true);
  renderStatus.textContent = 'WebGL context lost: waiting for the browser to restore it…';
});
be.onRestored(() => {
  const viewState = session?.viewState;
  const view = session?.view;
  session = null;
  startSession(graphBeforeLoss ?? presets.get(presetName)!);
  if (session && viewState && view) {
    (session as PreviewSession).viewState = viewState;
    guarded(() => session!.setView(view));
  }
});

// --- toolbar ---
const presetSelect = $<HTMLSelectElement>('#preset');
presetSelect.replaceChildren(...[...presets].map(([name, g]) => new Option(name === 'core' ? `${g.name} (built-in)` : (g.name ?? name), name)));
presetSelect.value = presetName;
presetSelect.addEventListener('change', () => {
  presetName = presetSelect.value;
  startSession(presets.get(presetName)!, true);
});
$('#reset-all').addEventListener('click', () => startSession(presets.get(presetName)!, true));
$<HTMLSelectElement>('#view-select').addEventListener('change', (e) => selectView((e.target as HTMLSelectElement).value));
$('#zoom-fit').addEventListener('click', () => controls.setZoom(null));
$('#zoom-100').addEventListener('click', () => controls.setZoom(1));
$('#zoom-200').addEventListener('click', () => controls.setZoom(2));
controls.onChange = showZoom;
const splitOn = $<HTMLInputElement>('#split-on');
const split = $<HTMLInputElement>('#split');
const applySplit = () => {
  split.disabled = !splitOn.checked;
  if (session) session.viewState.split = splitOn.checked ? Number(split.value) : null;
  session?.redisplay();
};
splitOn.addEventListener('change', applySplit);
split.addEventListener('input', applySplit);
const sampleSelect = $<HTMLSelectElement>('#sample');
const requestedSample = new URLSearchParams(location.search).get('sample');
sampleSelect.value = requestedSample === 'generated' || requestedSample === 'quick' ? requestedSample : defaultSampleKind(be.caps.renderer);
sampleSelect.addEventListener('change', () => void loadSample(sampleSelect.value as SampleKind));
$<HTMLInputElement>('#file').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void openFile(f);
});
viewer.addEventListener('dragover', (e) => {
  e.preventDefault();
  viewer.classList.add('dragging');
});
viewer.addEventListener('dragleave', () => viewer.classList.remove('dragging'));
viewer.addEventListener('drop', (e) => {
  e.preventDefault();
  viewer.classList.remove('dragging');
  const f = e.dataTransfer?.files[0];
  if (f) void openFile(f);
});
$('#export-png').addEventListener('click', async () => {
  if (!session) return;
  try {
    download(await session.exportPng(), `${sourceName}-retouched.png`);
  } catch (e) {
    showError(e);
  }
});
$('#export-graph').addEventListener('click', () => {
  if (!session) return;
  download(new Blob([JSON.stringify(session.exportGraph(), null, 2) + '\n'], { type: 'application/json' }), `${sourceName}.graph.json`);
});
// --- marks: strokes the key and the light step read as "$hints", spots for the heal step ---
function selectHintTool(tool: HintTool): void {
  hints.tool = tool;
  $<HTMLSelectElement>('#hint-tool').value = tool;
  canvas.classList.toggle('painting', hints.active);
  hints.place();
}
/** The graph's first imperfections.heal node (its "spots" take manual spots). */
function healNode(graph: GraphSpec): string | undefined {
  return graph.nodes.find((n) => n.pass === 'imperfections.heal')?.id;
}
/** The heal node's spots, changed by `edit` (which returns false to leave them), shown in its JSON field in the panel. */
function editSpots(edit: (spots: number[][]) => boolean): boolean {
  const s = session;
  const graph = s?.exportGraph();
  const node = graph && healNode(graph);
  if (!s || !graph || !node) return false;
  const spots = [...spotsOf(graph)];
  if (!edit(spots)) return false;
  guarded(() => s.setParam(node, 'spots', spots));
  const field = document.querySelector<HTMLTextAreaElement>(`textarea[data-node="${node}"][data-param="spots"]`);
  if (field) field.value = JSON.stringify(spots);
  return true;
}
/** The heal node's spots as circles over the picture. */
function showSpots(): void {
  hints.showSpots(session ? spotsOf(session.exportGraph()) : []);
}
/** The heal node's spots in a graph ([] without a heal node). */
function spotsOf(graph: GraphSpec): number[][] {
  const node = healNode(graph);
  return node ? ((graph.nodes.find((n) => n.id === node)!.params?.spots as number[][] | undefined) ?? []) : [];
}
/** Marks in the order they were made, for undo: a stroke on the hint layer or a spot clicked onto the heal step. */
const marks: Array<{ kind: 'stroke' } | { kind: 'spot'; spot: number[] }> = [];
/** Removes the last entry equal to `spot`: the list may have been edited by hand in the panel since the click. */
function removeSpot(spots: number[][], spot: number[]): boolean {
  const i = spots.findLastIndex((s) => s.length === spot.length && s.every((v, k) => v === spot[k]));
  if (i >= 0) spots.splice(i, 1);
  return i >= 0;
}
function undoMark(): void {
  // A mark whose spot is no longer in the list (deleted by hand) is skipped.
  for (let m = marks.pop(); m; m = marks.pop()) {
    if (m.kind === 'stroke' ? hints.undo() : editSpots((spots) => removeSpot(spots, m.spot))) return;
  }
}
controls.paint = (down) => {
  if (!hints.active) return false;
  if (hints.tool === 'heal-spot' || hints.tool === 'protect-spot') {
    const at = hints.imagePoint(down);
    const mode = hints.tool === 'heal-spot' ? 1 : 0;
    const spot = at && [Math.round(at.x), Math.round(at.y), Math.max(1, Math.round(at.radius)), mode];
    if (spot && editSpots((spots) => spots.push(spot) > 0)) marks.push({ kind: 'spot', spot });
  } else {
    hints.stroke(down);
    marks.push({ kind: 'stroke' });
  }
  return true;
};
$('#marks-undo').addEventListener('click', undoMark);
const TOOL_KEYS: Record<string, HintTool> = { p: 'piece', b: 'backdrop', e: 'erase', h: 'heal-spot', k: 'protect-spot', Escape: 'off' };
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
    e.preventDefault();
    undoMark();
  } else if (e.key in TOOL_KEYS && !e.ctrlKey && !e.metaKey && !e.altKey) {
    const option = [...$<HTMLSelectElement>('#hint-tool').options].find((o) => o.value === TOOL_KEYS[e.key]);
    if (option && !option.disabled) selectHintTool(TOOL_KEYS[e.key]);
  } else if (e.key === '[' || e.key === ']') {
    const size = $<HTMLInputElement>('#hint-size');
    size.value = String(Number(size.value) + (e.key === ']' ? 2 : -2));
    hints.brushRadius = Number(size.value);
  }
});
hints.onStroke = (change) =>
  guarded(() => {
    if (!session) return;
    if ('hints' in change) session.setHints(change.hints);
    // A stroke's rectangle goes into the session's hint layer; the whole layer where it has none yet.
    else if (!session.updateHints(change.region.x, change.region.y, change.region.pixels)) session.setHints(hints.pixels());
  });
$<HTMLSelectElement>('#hint-tool').addEventListener('change', (e) => selectHintTool((e.target as HTMLSelectElement).value as HintTool));
$<HTMLInputElement>('#hint-size').addEventListener('input', (e) => (hints.brushRadius = Number((e.target as HTMLInputElement).value)));
/** The strokes are gone from the layer (cleared, or replaced by opened hints): undo skips them. */
function forgetStrokes(): void {
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i].kind === 'stroke') marks.splice(i, 1);
}
$('#hint-clear').addEventListener('click', () => {
  hints.clear();
  forgetStrokes();
});
$<HTMLInputElement>('#hint-file').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    hints.load(await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' }));
    forgetStrokes();
    showError(null);
  } catch (err) {
    showError(err);
  }
});
$('#hint-export').addEventListener('click', async () => {
  try {
    download(await hints.toBlob(), `${sourceName}.hints.png`);
  } catch (e) {
    showError(e);
  }
});
$('#toggle-editor').addEventListener('click', () => {
  const root = $('#editor');
  if (root.hidden) editor.open(editor.path || `${be.registry.get(session?.exportGraph().nodes[0]?.pass ?? '')?.shaders[0] ?? 'core/blend'}.frag`);
  else root.hidden = true;
  resizeCanvas();
});
$('#close-editor').addEventListener('click', () => {
  $('#editor').hidden = true;
  resizeCanvas();
});

void loadSample(sampleSelect.value as SampleKind);
const caps = $('#caps');
caps.textContent = `${be.caps.format}${be.caps.warnings.length ? ' ⚠' : ''} · max ${be.caps.maxTextureSize}px`;
caps.title = be.capabilityReport().join('\n');

installTestHook({
  be,
  session: () => session,
  loading: () => sampleLoading,
  editor,
  presets: () => [...presets.keys()],
  openPixels,
  errorText: () => (errorBox.hidden ? '' : errorBox.textContent ?? ''),
  hintsPng: () => hints.toBlob(),
});
