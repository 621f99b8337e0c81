import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactSecrets, type JournalEntry } from '../core/index.ts';
import { viewRun } from './run-view.ts';
import { faultlineVersion } from './version.ts';

/** What the Allure "Environment" widget shows. Versions are optional: pass what the caller actually measured. */
export interface EnvironmentInfo {
  /** Default: this package's version. */
  faultlineVersion?: string;
  k6Version?: string;
  prometheusVersion?: string;
  /** Anything else worth showing (e.g. `node`, `kube.context`). Secret-looking keys are dropped. */
  extra?: Record<string, string>;
}

/** The environment of the runs in `journals`: target, topology and run id, plus the versions given. */
export function environmentFromJournals(
  journals: readonly (readonly JournalEntry[])[],
  info: EnvironmentInfo = {},
): Record<string, string> {
  const runs = journals.map(viewRun);
  const distinct = (values: string[]) => [...new Set(values)].join(', ');
  const env: Record<string, string | undefined> = {
    target: distinct(runs.map((r) => r.target)),
    topology: distinct(runs.map((r) => r.topology)),
    'faultline.version': info.faultlineVersion ?? faultlineVersion(),
    'k6.version': info.k6Version,
    'prometheus.version': info.prometheusVersion,
    'run.id': distinct(runs.map((r) => r.runId)),
    ...info.extra,
  };
  return withoutSecrets(env);
}

/**
 * Writes `environment.properties`, merged with what is already there: several game days share one results dir,
 * and each adds its run id (and maybe another target) instead of erasing the others'.
 */
export function writeEnvironment(resultsDir: string, env: Record<string, string>): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, 'environment.properties');
  const merged = existsSync(path) ? parseProperties(readFileSync(path, 'latin1')) : {};
  for (const [key, value] of Object.entries(withoutSecrets(env))) {
    const values = new Set([...splitList(merged[key]), ...splitList(value)]);
    merged[key] = [...values].join(', ');
  }
  writeFileSync(path, formatProperties(merged), 'latin1');
  return path;
}

function withoutSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const redacted = redactSecrets(env);
  return Object.fromEntries(
    Object.entries(redacted).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== '' && kv[1] !== '[redacted]'),
  );
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(', ').filter((v) => v !== '') : [];
}

/** Allure reads the file with java.util.Properties, which is ISO-8859-1: anything else goes as \uXXXX. */
export function formatProperties(props: Record<string, string>): string {
  const escape = (text: string, isKey: boolean) =>
    text
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(isKey ? /[=: #!]/g : /^ /, (c) => `\\${c}`)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return (
    Object.entries(props)
      .map(([k, v]) => `${escape(k, true)}=${escape(v, false)}`)
      .join('\n') + '\n'
  );
}

/** Reads back what `formatProperties` writes (one `key=value` per line; no continuation lines). */
export function parseProperties(text: string): Record<string, string> {
  const unescape = (s: string) =>
    s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) =>
      c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c,
    );
  const props: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s*[#!]/.test(line)) continue;
    const m = /^((?:\\.|[^=:\\])*)[=:](.*)$/.exec(line);
    if (m) props[unescape(m[1]!.trim())] = unescape(m[2]!.trimStart());
  }
  return props;
}
