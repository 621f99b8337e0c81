/** Objects as the simulator stores them: plain JSON with Kubernetes metadata. */
export interface SimObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  [key: string]: unknown;
}

export type Matcher = (obj: SimObject) => boolean;

/**
 * Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-joined.
 * Throws on syntax it does not know, so a test never passes on a selector the real server would refuse.
 */
export function labelMatcher(selector: string | null | undefined): Matcher {
  if (!selector) return () => true;
  const terms = splitTerms(selector).map((term): Matcher => {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = list!.split(',').map((v) => v.trim());
      return (o) => {
        const v = o.metadata.labels?.[key!];
        return op === 'in' ? v !== undefined && values.includes(v) : v === undefined || !values.includes(v);
      };
    }
    if ((m = term.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      const [, key, op, value] = m;
      return (o) => (op === '!=' ? o.metadata.labels?.[key!] !== value : o.metadata.labels?.[key!] === value);
    }
    if ((m = term.match(/^(!?)([\w./-]+)$/))) {
      const [, not, key] = m;
      return (o) => (o.metadata.labels?.[key!] !== undefined) !== (not === '!');
    }
    throw new Error(`unable to parse requirement: ${term}`);
  });
  return (o) => terms.every((t) => t(o));
}

/** Field selectors: `path=value` / `path!=value` on dotted paths (`metadata.name`, `involvedObject.name`). */
export function fieldMatcher(selector: string | null | undefined): Matcher {
  if (!selector) return () => true;
  const terms = splitTerms(selector).map((term): Matcher => {
    const m = term.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new Error(`invalid field selector: ${term}`);
    const [, path, op, value] = m;
    return (o) => {
      const actual = path!.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return (o) => terms.every((t) => t(o));
}

/** Splits on commas that are not inside `in (...)` lists. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}
