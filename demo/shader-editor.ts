import { ShaderCompileError } from '../src/gpu/shader-library.js';

export interface ShaderEditorHost {
  /** Every file under shaders/ (path relative to it). */
  files(): string[];
  text(path: string): string;
  /** Installs the text or throws (ShaderCompileError keeps the last good shader). */
  apply(path: string, text: string): void;
}

/** Live edits are applied this long after the last keystroke. */
const APPLY_DELAY_MS = 400;

/**
 * The in-page GLSL editor: a file picker, a text area with line numbers,
 * and the compile error shown at its line. Edits apply live; a broken edit
 * leaves the last good shader running, and the error stays until fixed.
 */
export class ShaderEditor {
  path = '';
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: ShaderEditorHost,
    private readonly select = root.querySelector<HTMLSelectElement>('#shader-file')!,
    private readonly area = root.querySelector<HTMLTextAreaElement>('#shader-text')!,
    private readonly gutter = root.querySelector<HTMLElement>('#shader-gutter')!,
    private readonly errorBox = root.querySelector<HTMLElement>('#shader-error')!,
  ) {
    this.select.addEventListener('change', () => this.open(this.select.value));
    this.area.addEventListener('input', () => {
      this.renderGutter();
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.applyNow(), APPLY_DELAY_MS);
    });
    this.area.addEventListener('scroll', () => (this.gutter.scrollTop = this.area.scrollTop));
    this.area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.applyNow();
      }
    });
  }

  /** Opens a file (path relative to shaders/, e.g. "core/blend.frag"). */
  open(path: string): void {
    this.root.hidden = false;
    this.refreshFileList(path);
    this.path = path;
    this.area.value = this.host.text(path);
    this.showError(null);
    this.renderGutter();
  }

  /** A file changed outside the editor (hot reload): show the new text unless the user is editing it. */
  externalChange(path: string, text: string): void {
    if (path === this.path && this.area.value !== text && document.activeElement !== this.area) {
      this.area.value = text;
      this.renderGutter();
    }
  }

  /** Applies the editor text now; returns the compile error, if any. */
  applyNow(): ShaderCompileError | Error | null {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.path) return null;
    try {
      this.host.apply(this.path, this.area.value);
      this.showError(null);
      return null;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.showError(err);
      return err;
    }
  }

  showError(err: Error | null): void {
    this.errorBox.hidden = !err;
    this.errorBox.textContent = err ? err.message : '';
    this.errorLine = err instanceof ShaderCompileError && err.file === `shaders/${this.path}` ? err.line : 0;
    this.renderGutter();
    if (this.errorLine) this.scrollToLine(this.errorLine);
  }

  private errorLine = 0;

  private refreshFileList(selected: string): void {
    const files = this.host.files();
    if (this.select.options.length !== files.length) {
      this.select.replaceChildren(...files.map((f) => new Option(f, f)));
    }
    this.select.value = selected;
  }

  private renderGutter(): void {
    const n = this.area.value.split('\n').length;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(i === this.errorLine ? `<span class="error-line" data-line="${i}">${i} ✖</span>` : String(i));
    this.gutter.innerHTML = lines.join('\n');
    this.gutter.scrollTop = this.area.scrollTop;
  }

  private scrollToLine(line: number): void {
    const lineHeight = parseFloat(getComputedStyle(this.area).lineHeight) || 16;
    this.area.scrollTop = Math.max(0, (line - 5) * lineHeight);
  }
}
