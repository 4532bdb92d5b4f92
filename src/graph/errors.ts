export interface GraphIssue {
  /** Node id, or undefined for graph-level problems. */
  node?: string;
  /** "params.sigma", "inputs.image", "outputs.result", "pass", ... */
  field?: string;
  message: string;
}

/** A graph that cannot run; `issues` lists every problem found, not just the first. */
export class GraphValidationError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(
      `invalid graph: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'GraphValidationError';
  }
}

export function formatIssue(i: GraphIssue): string {
  const where = [i.node !== undefined ? `node "${i.node}"` : 'graph', i.field].filter(Boolean).join(' ');
  return `${where}: ${i.message}`;
}
