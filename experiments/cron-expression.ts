/**
 * Checks a cron expression the way both its readers parse it: a Kubernetes CronJob (robfig/cron's standard parser,
 * five fields or a descriptor; `TZ=` prefixes refused in favour of `timeZone`) and a Chaos Mesh Schedule (the same
 * parser, with optional seconds). faultline accepts what both accept: five fields, or @yearly, @annually, @monthly,
 * @weekly, @daily, @midnight, @hourly. Returns the problem in a sentence, or undefined when it is valid.
 */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text === '') return 'the cron expression is empty';
  if (/^(CRON_)?TZ=/.test(text)) return 'a time zone prefix (TZ=…) is not allowed in the expression; Kubernetes refuses it';
  if (text.startsWith('@')) {
    return DESCRIPTORS.has(text) ? undefined : `unknown descriptor "${text}" (known: ${[...DESCRIPTORS].join(', ')})`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const problem = fieldProblem(field, FIELDS[i]!);
    if (problem) return `${FIELDS[i]!.name} field "${field}": ${problem}`;
  }
  return undefined;
}

/** The hint every cron problem carries. */
export const CRON_HINT = "write five fields, minute hour day-of-month month day-of-week, e.g. '0 3 * * 1' (Mondays 03:00), or @daily";

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day-of-week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function fieldProblem(field: string, rule: FieldRule): string | undefined {
  for (const part of field.split(',')) {
    const [range, step, ...extra] = part.split('/');
    if (extra.length) return `"${part}" has more than one "/"`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `the step "${step}" must be a whole number ≥ 1`;
    if (range === '*' || range === '?') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2 || bounds.some((b) => b === '')) return `"${range}" is not a value or a range`;
    const values = bounds.map((b) => valueOf(b, rule));
    const bad = bounds.find((_, i) => values[i] === undefined);
    if (bad !== undefined) return `"${bad}" is not a ${rule.name} (${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names.at(-1)}` : ''})`;
    if (values.length === 2 && values[0]! > values[1]!) return `the range "${range}" runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, rule: FieldRule): number | undefined {
  const named = rule.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (rule.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= rule.min && n <= rule.max ? n : undefined;
}
