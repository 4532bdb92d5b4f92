/**
 * Parameter schemas. Every pass declares its parameters with these so the
 * graph validator, the CLI (`loupe passes`), the HTTP API and the demo's
 * generated sliders all read one description.
 */

/**
 * Units. "px" parameters are lengths in pixels of the full-resolution source
 * image; the executor multiplies them by the render scale, so a preview at
 * 1/4 resolution blurs, detects and sharpens at the same image-relative size
 * as the final render.
 */
export type Unit = 'px' | '%' | 'x' | 'EV' | 'deg' | '/255' | '';

export interface NumberParam {
  type: 'number' | 'integer';
  default: number;
  min: number;
  max: number;
  unit: Unit;
  /** Suggested slider step (UI only). */
  step?: number;
  description: string;
}
export interface BooleanParam {
  type: 'boolean';
  default: boolean;
  description: string;
}
export interface EnumParam {
  type: 'enum';
  options: readonly string[];
  default: string;
  description: string;
}
/** sRGB colour as [r, g, b] in 0..1 (what a colour picker gives). */
export interface ColorParam {
  type: 'color';
  default: [number, number, number];
  description: string;
}
/**
 * A list of fixed-length numeric tuples, e.g. manual spots [x, y, radius, mode].
 * Coordinates are in full-resolution source pixels (scaled like "px").
 */
export interface ListParam {
  type: 'list';
  /** Names of the tuple fields, e.g. ["x", "y", "radius"]. */
  fields: readonly string[];
  /** Per field: is it a length in source pixels (scaled with preview)? */
  spatial: readonly boolean[];
  maxItems: number;
  default: number[][];
  description: string;
}

export type ParamSchema = NumberParam | BooleanParam | EnumParam | ColorParam | ListParam;
export type ParamSchemas = Record<string, ParamSchema>;

/** Resolved parameter values as a pass sees them (defaults filled in). */
export type ParamValues = Record<string, number | boolean | string | number[] | number[][]>;

/** Why a value does not fit its schema, or null when it does. */
export function checkParam(schema: ParamSchema, value: unknown): string | null {
  switch (schema.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number') return `expected a number, got ${describe(value)}`;
      if (Number.isNaN(value)) return 'is NaN';
      if (!Number.isFinite(value)) return 'is not finite';
      if (schema.type === 'integer' && !Number.isInteger(value)) return `expected an integer, got ${value}`;
      if (value < schema.min || value > schema.max)
        return `${value} is out of range [${schema.min}, ${schema.max}]${schema.unit ? ' ' + schema.unit : ''}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected true or false, got ${describe(value)}`;
    case 'enum':
      return typeof value === 'string' && schema.options.includes(value)
        ? null
        : `expected one of ${schema.options.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(value)}`;
    case 'color': {
      if (!Array.isArray(value) || value.length !== 3) return `expected [r, g, b], got ${describe(value)}`;
      for (const c of value) {
        if (typeof c !== 'number' || !Number.isFinite(c)) return `colour components must be finite numbers, got ${describe(c)}`;
        if (c < 0 || c > 1) return `colour component ${c} is out of range [0, 1]`;
      }
      return null;
    }
    case 'list': {
      if (!Array.isArray(value)) return `expected a list of [${schema.fields.join(', ')}], got ${describe(value)}`;
      if (value.length > schema.maxItems) return `has ${value.length} items, at most ${schema.maxItems} allowed`;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (!Array.isArray(item) || item.length !== schema.fields.length)
          return `item ${i} must be [${schema.fields.join(', ')}], got ${describe(item)}`;
        for (const c of item) {
          if (typeof c !== 'number' || !Number.isFinite(c)) return `item ${i} holds ${describe(c)}, expected finite numbers`;
        }
      }
      return null;
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return `${typeof v} ${String(v)}`;
}

export function defaults(schemas: ParamSchemas): ParamValues {
  const out: ParamValues = {};
  for (const [k, s] of Object.entries(schemas)) out[k] = structuredClone(s.default);
  return out;
}

/** Scales "px" parameters (and spatial list fields) by the render scale. */
export function scaleSpatial(schemas: ParamSchemas, values: ParamValues, scale: number): ParamValues {
  if (scale === 1) return values;
  const out: ParamValues = { ...values };
  for (const [k, s] of Object.entries(schemas)) {
    if ((s.type === 'number' || s.type === 'integer') && s.unit === 'px') out[k] = (values[k] as number) * scale;
    if (s.type === 'list')
      out[k] = (values[k] as number[][]).map((item) => item.map((v, i) => (s.spatial[i] ? v * scale : v)));
  }
  return out;
}
