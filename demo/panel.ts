import type { PassRegistry } from '../src/passes/registry.js';
import type { ParamSchema } from '../src/passes/schema.js';
import type { GraphSpec, ParamValue } from '../src/graph/types.js';

export interface PanelCallbacks {
  setParam(nodeId: string, name: string, value: ParamValue): void;
  setEnabled(nodeId: string, enabled: boolean): void;
  /** Opens the node's first shader in the editor. */
  editShaders(nodeId: string): void;
  /** Shows the node's main output in the viewer. */
  view(nodeId: string): void;
}

const UNIT_LABEL: Record<string, string> = { px: 'px', '%': '%', x: '×', EV: 'EV', deg: '°', '/255': '/255', '': '' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function hex(rgb: number[]): string {
  return '#' + rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, '0')).join('');
}
function rgb(hexColour: string): [number, number, number] {
  const n = parseInt(hexColour.slice(1), 16);
  return [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/** Shortest decimal that shows the slider's step. */
function format(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(4, -Math.floor(Math.log10(step))));
  return v.toFixed(decimals);
}

/**
 * The parameter panel, generated from the pass schemas: one card per node
 * with enable (bypass) and reset, and one control per parameter: sliders
 * with units and ranges, selects for enums, checkboxes, colour pickers, and
 * a JSON field for point lists. Controls carry data-node / data-param so
 * tests and scripts can find them.
 */
export function buildPanel(container: HTMLElement, graph: GraphSpec, initial: GraphSpec, registry: PassRegistry, cb: PanelCallbacks): void {
  container.replaceChildren();
  for (const node of graph.nodes) {
    const pass = registry.get(node.pass);
    if (!pass) continue;
    const card = el('section', { className: 'node' });
    card.dataset.node = node.id;
    const enabled = el('input', { type: 'checkbox', checked: node.enabled !== false, title: 'enable (unchecked: bypass, the input passes through)' });
    enabled.dataset.node = node.id;
    enabled.dataset.role = 'enabled';
    enabled.addEventListener('change', () => {
      card.classList.toggle('bypassed', !enabled.checked);
      cb.setEnabled(node.id, enabled.checked);
    });
    card.classList.toggle('bypassed', node.enabled === false);
    const reset = el('button', { textContent: '↺', title: 'reset this node to the preset values' });
    const shaderButton = el('button', { textContent: '{ }', title: `edit GLSL: ${pass.shaders.join(', ')}` });
    shaderButton.addEventListener('click', () => cb.editShaders(node.id));
    const viewButton = el('button', { textContent: '◎', title: 'view this node’s output' });
    viewButton.addEventListener('click', () => cb.view(node.id));
    card.append(
      el('header', {}, enabled, el('span', { className: 'title', textContent: pass.title, title: pass.description }), el('span', { className: 'id', textContent: node.id }), viewButton, shaderButton, reset),
    );

    const setters: Array<() => void> = [];
    const presetNode = initial.nodes.find((n) => n.id === node.id);
    for (const [name, schema] of Object.entries(pass.params)) {
      const value = node.params?.[name] ?? schema.default;
      const presetValue = (presetNode?.params?.[name] ?? schema.default) as ParamValue;
      const { row, set } = control(node.id, name, schema, value as ParamValue, (v) => cb.setParam(node.id, name, v));
      card.append(row);
      setters.push(() => {
        set(presetValue);
        cb.setParam(node.id, name, presetValue);
      });
    }
    reset.addEventListener('click', () => {
      for (const s of setters) s();
      enabled.checked = presetNode?.enabled !== false;
      enabled.dispatchEvent(new Event('change'));
    });
    container.append(card);
  }
}

function control(nodeId: string, name: string, schema: ParamSchema, value: ParamValue, onChange: (v: ParamValue) => void): { row: HTMLElement; set: (v: ParamValue) => void } {
  const label = el('label', { textContent: name, title: schema.description });
  const row = el('div', { className: 'param' }, label);
  const tag = (e: HTMLElement) => {
    e.dataset.node = nodeId;
    e.dataset.param = name;
    return e;
  };
  switch (schema.type) {
    case 'number':
    case 'integer': {
      const step = schema.type === 'integer' ? 1 : (schema.step ?? (schema.max - schema.min) / 200);
      const slider = tag(el('input', { type: 'range', min: String(schema.min), max: String(schema.max), step: String(step), value: String(value) })) as HTMLInputElement;
      const box = el('input', { type: 'number', min: String(schema.min), max: String(schema.max), step: String(step), value: format(value as number, step), className: 'num' });
      const unit = el('span', { className: 'unit', textContent: UNIT_LABEL[schema.unit] ?? schema.unit, title: `range ${schema.min} … ${schema.max} ${schema.unit}` });
      slider.addEventListener('input', () => {
        box.value = format(Number(slider.value), step);
        onChange(Number(slider.value));
      });
      box.addEventListener('change', () => {
        const v = Math.min(schema.max, Math.max(schema.min, Number(box.value)));
        if (!Number.isFinite(v)) return;
        slider.value = String(v);
        box.value = format(v, step);
        onChange(schema.type === 'integer' ? Math.round(v) : v);
      });
      row.append(slider, box, unit);
      return { row, set: (v) => ((slider.value = String(v)), (box.value = format(v as number, step))) };
    }
    case 'enum': {
      const select = tag(el('select')) as HTMLSelectElement;
      for (const o of schema.options) select.append(el('option', { value: o, textContent: o, selected: o === value }));
      select.addEventListener('change', () => onChange(select.value));
      row.append(select);
      return { row, set: (v) => (select.value = String(v)) };
    }
    case 'boolean': {
      const box = tag(el('input', { type: 'checkbox', checked: Boolean(value) })) as HTMLInputElement;
      box.addEventListener('change', () => onChange(box.checked));
      row.append(box);
      return { row, set: (v) => (box.checked = Boolean(v)) };
    }
    case 'color': {
      const picker = tag(el('input', { type: 'color', value: hex(value as number[]) })) as HTMLInputElement;
      picker.addEventListener('input', () => onChange(rgb(picker.value)));
      row.append(picker);
      return { row, set: (v) => (picker.value = hex(v as number[])) };
    }
    case 'list': {
      // Point lists (manual spots...) are edited as JSON; the runner validates them.
      const area = tag(el('textarea', { rows: 2, value: JSON.stringify(value), title: `[[${schema.fields.join(', ')}], ...] at most ${schema.maxItems} items` })) as HTMLTextAreaElement;
      area.addEventListener('change', () => {
        try {
          onChange(JSON.parse(area.value) as number[][]);
          area.classList.remove('invalid');
        } catch {
          area.classList.add('invalid');
        }
      });
      row.append(area);
      return { row, set: (v) => (area.value = JSON.stringify(v)) };
    }
  }
}
