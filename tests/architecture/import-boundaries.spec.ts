import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, test } from '@playwright/test';

// DESIGN.md's layout table, checked: each folder imports only what it may. A driver never imports another driver,
// core imports nothing of the others, and the k6 script imports nothing of Node's world (k6 runs it, not Node).

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Folder → folders it may import at runtime. `types` lists folders it may import with `import type` only. */
const RULES: Record<string, { may: string[]; types?: string[] }> = {
  core: { may: [] },
  'chaos/lab': { may: ['core'] },
  'chaos/mesh': { may: ['core'] },
  chaos: { may: ['core', 'chaos/lab', 'chaos/mesh'] },
  'load/k6': { may: [] },
  // The Node side reads the script's config contract; the script itself never imports the Node side.
  load: { may: ['core', 'load/k6'] },
  assertions: { may: ['core'] },
  reports: { may: ['core'] },
  lab: { may: ['core'] },
  targets: { may: ['core'], types: ['chaos', 'chaos/mesh', 'chaos/lab', 'load', 'assertions'] },
  // Test infrastructure: the simulator's admission webhook enforces Chaos Mesh's rules as chaos/mesh encodes them.
  'kube-sim': { may: ['core', 'chaos/mesh'] },
};

const FOLDERS = Object.keys(RULES).sort((a, b) => b.length - a.length);
const folderOf = (path: string) => FOLDERS.find((f) => path === f || path.startsWith(f + '/'));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

test('every folder imports only what DESIGN.md allows', () => {
  const violations: string[] = [];
  for (const folder of Object.keys(RULES)) {
    let files: string[];
    try {
      files = sources(join(ROOT, folder));
    } catch {
      continue;
    }
    for (const file of files) {
      const from = relative(ROOT, file).split(sep).join('/');
      if (folderOf(from) !== folder) continue; // a nested folder with its own rule
      const rule = RULES[folder]!;
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = m[3] ?? m[4]!;
        const typeOnly = Boolean(m[2]);
        if (!spec.startsWith('.')) {
          if (folder === 'load/k6' && !spec.startsWith('k6')) violations.push(`${from}: the k6 script imports "${spec}", which k6 cannot load`);
          continue;
        }
        const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
        const to = folderOf(target) ?? target.split('/')[0]!;
        if (to === folder) continue;
        const allowed = rule.may.includes(to) || (typeOnly && (rule.types ?? []).includes(to));
        if (!allowed) violations.push(`${from} imports ${typeOnly ? 'type ' : ''}${target}`);
      }
    }
  }
  expect(violations).toEqual([]);
});

test('the boundary check itself catches a forbidden import', () => {
  // Guards the regex: a check that matches nothing would pass forever.
  const sample = "import { LabFaultDriver } from '../lab/index.ts';\nimport type { X } from '../../core/index.ts';\n";
  const found = [...sample.matchAll(IMPORT)].map((m) => [m[3], Boolean(m[2])]);
  expect(found).toEqual([
    ['../lab/index.ts', false],
    ['../../core/index.ts', true],
  ]);
});
