import { relative } from 'node:path';
import { FaultlineError, type FaultlineErrorCode } from '../core/index.ts';

/** A place in a file, 1-based as editors count. */
export interface FilePosition {
  line: number;
  column: number;
}

/**
 * A mistake in an experiment or topology file, pointing at the file, line and field, with a hint: what a user needs
 * to fix it without reading faultline's source. A preflight error: exit 2, nothing started.
 */
export class FileProblem extends FaultlineError {
  constructor(
    readonly file: string,
    readonly position: FilePosition,
    /** The field as a user reads it: `faults[0].for`, `links[1].between[0]`; empty for the whole file. */
    readonly field: string,
    readonly problem: string,
    hint?: string,
    code: FaultlineErrorCode = 'FAULTLINE_BAD_INPUT',
  ) {
    super(code, `${displayPath(file)}:${position.line}:${position.column}: ${field ? `${field}: ` : ''}${problem}`, hint);
  }

  /** For `--json`: the same facts as fields. */
  toJSON(): { file: string; line: number; column: number; field: string; code: string; message: string; hint?: string } {
    return { file: displayPath(this.file), line: this.position.line, column: this.position.column, field: this.field, code: this.code, message: this.problem, ...(this.hint && { hint: this.hint }) };
  }
}

/** Paths as the user typed them: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** `['faults', 0, 'for']` → `faults[0].for`. */
export function fieldName(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
