import { parseDocument, stringify } from 'yaml';

/** A small seeded PRNG (mulberry32): the same seed gives the same mutations on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE = [':', '-', ' ', '  ', '\t', '\n', '[', ']', '{', '}', '"', "'", '#', '&a', '*a', '!!str', '!tag', ',', '|', '>', '%', '@', '`', '0', '9', '-1', '1e999', 'x', 'Z', 'é', '\u0000', '\\', '?', '~'];
const VALUES: unknown[] = [0, -1, 1.5, 1e300, '', 'x', '90', '90s', '5 minutes', true, null, [], {}, ['jkt'], { kind: 'podKill' }, 'podKill', 'partition', 'Infinity', 2 ** 53 + 1];

/**
 * One random mutation of a YAML or JSON text: byte-level (delete, insert noise, truncate), line-level (duplicate,
 * swap, re-indent) or structural (delete a key, retype a value, rename a key, swap a kind), the structural ones
 * written back as YAML or JSON. Returns the mutated text and what was done, for the failure message.
 */
export function mutate(text: string, random: () => number): { text: string; what: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const at = () => Math.floor(random() * (text.length + 1));
  const lines = text.split('\n');
  const line = () => Math.floor(random() * lines.length);
  switch (Math.floor(random() * 10)) {
    case 0: {
      const i = at();
      const n = 1 + Math.floor(random() * 12);
      return { text: text.slice(0, i) + text.slice(i + n), what: `delete ${n} chars at ${i}` };
    }
    case 1: {
      const i = at();
      const noise = pick(NOISE);
      return { text: text.slice(0, i) + noise + text.slice(i), what: `insert ${JSON.stringify(noise)} at ${i}` };
    }
    case 2: {
      const i = at();
      return { text: text.slice(0, i), what: `truncate at ${i}` };
    }
    case 3: {
      const i = line();
      lines.splice(i, 0, lines[i]!);
      return { text: lines.join('\n'), what: `duplicate line ${i + 1}` };
    }
    case 4: {
      const i = line();
      const j = line();
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return { text: lines.join('\n'), what: `swap lines ${i + 1} and ${j + 1}` };
    }
    case 5: {
      const i = line();
      const shift = pick([-4, -2, -1, 1, 2, 4]);
      lines[i] = shift > 0 ? ' '.repeat(shift) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-shift}}`), '');
      return { text: lines.join('\n'), what: `re-indent line ${i + 1} by ${shift}` };
    }
    default:
      return structural(text, random, pick);
  }
}

type Node = Record<string, unknown> | unknown[];

function structural(text: string, random: () => number, pick: <T>(xs: readonly T[]) => T): { text: string; what: string } {
  let data: unknown;
  try {
    const doc = parseDocument(text);
    // Keys that are collections would be stringified (with a warning) by toJS: leave such texts to the other cases.
    if (doc.errors.length || /^\s*[[{].*[\]}]\s*:/m.test(text)) return { text, what: 'unchanged (not structural)' };
    data = doc.toJS();
  } catch {
    return { text, what: 'unchanged (not parseable)' };
  }
  const containers: { node: Node; path: string }[] = [];
  const walk = (node: unknown, path: string) => {
    if (node && typeof node === 'object') {
      containers.push({ node: node as Node, path });
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    }
  };
  walk(data, '');
  if (!containers.length) return { text, what: 'unchanged (no structure)' };
  const { node, path } = pick(containers);
  const keys = Object.keys(node);
  let what: string;
  if (!keys.length) {
    what = `fill ${path || '/'}`;
    if (Array.isArray(node)) node.push(pick(VALUES));
    else node.extra = pick(VALUES);
  } else {
    const key = pick(keys);
    const op = Math.floor(random() * 4);
    const record = node as Record<string, unknown>;
    if (op === 0) {
      what = `delete ${path}/${key}`;
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete record[key];
    } else if (op === 1) {
      const value = pick(VALUES);
      what = `set ${path}/${key} = ${JSON.stringify(value)}`;
      record[key] = structuredClone(value);
    } else if (op === 2 && !Array.isArray(node)) {
      const renamed = key.length > 1 ? key.slice(0, -1) : `${key}x`;
      what = `rename ${path}/${key} → ${renamed}`;
      record[renamed] = record[key];
      delete record[key];
    } else {
      const kind = pick(['podKill', 'partition', 'latency', 'replicaLag', 'cacheLoss', 'stress', 'availability', 'rto', 'custom', 'query', 'bogus']);
      what = `kind ${path}/${key} → ${kind}`;
      if (record[key] && typeof record[key] === 'object' && !Array.isArray(record[key])) (record[key] as Record<string, unknown>).kind = kind;
      else record.kind = kind;
    }
  }
  const json = random() < 0.3;
  return { text: json ? JSON.stringify(data, null, 2) : stringify(data), what: `${what} (written as ${json ? 'JSON' : 'YAML'})` };
}
