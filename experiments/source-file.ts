import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { PreflightError } from '../core/index.ts';
import { FileProblem, type FilePosition } from './file-problem.ts';

/** A parsed YAML or JSON file that still knows where every value came from. */
export interface SourceFile {
  path: string;
  text: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

/** Far beyond any real experiment; a larger file is a mistake (a log, a dump), not a scenario. */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads and parses a file. YAML and JSON go through one parser (JSON is YAML's flow style), so both get the same
 * positions. Duplicate keys are errors: the second would silently win. Throws a PreflightError listing each problem.
 */
export function readSourceFile(file: string): SourceFile {
  const path = resolve(file);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) throw new PreflightError([new FileProblem(path, { line: 1, column: 1 }, '', `the file is ${size} bytes; an experiment is a few kilobytes`, 'pass the experiment file itself (-f experiment.yaml)')]);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof PreflightError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new PreflightError([
      new FileProblem(path, { line: 1, column: 1 }, '', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? (e as Error).message})`, 'check the path given to -f'),
    ]);
  }
  return parseSource(path, text);
}

/** Parses text already read; `path` is only for messages. */
export function parseSource(path: string, text: string): SourceFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problems = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    return new FileProblem(path, { line: pos.line, column: pos.col }, '', `not valid YAML or JSON: ${e.message.split('\n')[0]}`, 'fix the syntax at that line; YAML indents with spaces, never tabs');
  });
  // A key that is itself a list or mapping (`[a, b]: 1`) has no meaning in an experiment; YAML allows it.
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        const pos = lines.linePos((pair.key as Node).range?.[0] ?? 0);
        problems.push(new FileProblem(path, { line: pos.line, column: pos.col }, '', 'a key must be a plain name, not a list or a mapping', 'write `name: value`; check the indentation of the line above'));
      }
    },
  });
  if (problems.length) throw new PreflightError(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new PreflightError([new FileProblem(path, { line: 1, column: 1 }, '', `cannot be read as data: ${(e as Error).message}`, 'remove YAML anchors, aliases and custom tags: an experiment needs none')]);
  }
  return { path, text, doc, lines, data };
}

/**
 * Where a value sits in the file: the node at `path`, or with `key` the key naming it. A path that does not exist
 * (a missing field) falls back to its nearest existing parent, which is where the field belongs.
 */
export function locate(src: SourceFile, path: readonly (string | number)[], key = false): FilePosition {
  let node: unknown = src.doc.contents;
  let found: unknown = node;
  let keyNode: unknown;
  let depth = 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      keyNode = undefined;
    } else break;
    if (!node) break;
    found = node;
    depth++;
  }
  const target = (key && depth === path.length && keyNode) || found;
  const offset = (target as Node | undefined)?.range?.[0] ?? 0;
  const pos = src.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
