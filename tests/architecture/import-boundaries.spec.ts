import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkBoundaries, importsOf } from './boundaries.ts';

// ARCHITECTURE.md's layers, checked: every folder's DEPS.list says what its code may import, and this holds the
// whole tree to them. The second half builds small trees that break each rule once, so the check is shown to fail.

const ROOT = resolve(import.meta.dirname, '..', '..');

test('every folder imports only what its DEPS.list allows, and every rule is still true', () => {
  const report = checkBoundaries(ROOT);
  expect(report.violations).toEqual([]);
  // The layers ARCHITECTURE.md names are all units with rules (a silently skipped folder would pass anything).
  expect(report.units).toEqual(expect.arrayContaining(['core', 'chaos/lab', 'chaos/mesh', 'load', 'load/k6', 'assertions', 'reports', 'lab', 'lab/contract', 'targets', 'scenarios', 'cli', 'tests']));
});

/** A throwaway repository: files by path, plus a package.json. */
function tree(files: Record<string, string>, pkg: object = { dependencies: { axios: '1' }, devDependencies: { typescript: '5' } }): string {
  const root = mkdtempSync(join(tmpdir(), 'faultline-boundaries-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const sound = {
  'core/DEPS.list': 'node\n',
  'core/index.ts': "import { join } from 'node:path';\nexport const x = join('a');\n",
  'chaos/lab/DEPS.list': 'core\n',
  'chaos/lab/index.ts': "import { x } from '../../core/index.ts';\nexport const y = x;\n",
  'chaos/mesh/DEPS.list': 'core\nnpm axios\n',
  'chaos/mesh/index.ts': "import axios from 'axios';\nimport type { x } from '../../core/index.ts';\nexport const z = axios;\n",
  'targets/DEPS.list': 'type chaos/mesh\n',
  'targets/index.ts': "import { type z } from '../chaos/mesh/index.ts';\nexport type T = typeof z;\n",
  'load/k6/DEPS.list': 'k6\n',
  'load/k6/script.ts': "import http from 'k6/http';\nexport default () => http.get('x');\n",
  'docs/readme.md': 'prose only\n',
};

test('a sound tree passes, so the failures below are caused by what each one breaks', () => {
  expect(checkBoundaries(tree(sound)).violations).toEqual([]);
});

test('it fails on a forbidden import: one driver importing the other', () => {
  const root = tree({ ...sound, 'chaos/lab/index.ts': "import { z } from '../mesh/index.ts';\nexport const y = z;\n" });
  expect(checkBoundaries(root).violations).toEqual(
    expect.arrayContaining([expect.stringContaining('chaos/lab/index.ts:1 imports "../mesh/index.ts": chaos/lab may not import chaos/mesh')]),
  );
});

test('it fails on a folder with code but no rule, instead of skipping it', () => {
  const root = tree({ ...sound, 'newthing/index.ts': "export const n = 1;\n", 'docs/tool.ts': 'export {};\n' });
  const { violations } = checkBoundaries(root);
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('newthing/ has code but no DEPS.list')]));
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('docs/ is listed as holding no code')]));
});

test('it fails on a rule that no longer matches: unused, or naming what does not exist', () => {
  const root = tree({ ...sound, 'chaos/lab/DEPS.list': 'core\nreports\nnode\n' });
  const { violations } = checkBoundaries(root);
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('chaos/lab/DEPS.list:2 "reports": no unit "reports" exists')]));
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('chaos/lab/DEPS.list:3 "node": nothing in chaos/lab imports this any more')]));
});

test('it fails on packages: undeclared in DEPS.list, or absent from package.json dependencies', () => {
  const root = tree({
    ...sound,
    'core/index.ts': "import { parse } from 'yaml';\nexport const x = parse;\n",
    'chaos/mesh/DEPS.list': 'core\nnpm axios\nnpm typescript\n',
    'chaos/mesh/index.ts': "import axios from 'axios';\nimport ts from 'typescript';\nimport type { x } from '../../core/index.ts';\nexport const z = [axios, ts];\n",
  });
  const { violations } = checkBoundaries(root);
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('core/index.ts:1 imports "yaml": package "yaml" is not in core/DEPS.list')]));
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('"npm typescript": package.json does not list "typescript" in dependencies')]));
});

test('it fails on a runtime import where only types are allowed, on internals, and on Node in the k6 script', () => {
  const root = tree({
    ...sound,
    'chaos/mesh/internal.ts': 'export const i = 1;\n',
    'targets/index.ts': "import { z } from '../chaos/mesh/index.ts';\nimport { i } from '../chaos/mesh/internal.ts';\nexport const t = [z, i];\n",
    'load/k6/script.ts': "import http from 'k6/http';\nimport { readFileSync } from 'node:fs';\nexport default () => http.get(String(readFileSync));\n",
  });
  const { violations } = checkBoundaries(root);
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('targets may not import chaos/mesh at runtime (only `import type`)')]));
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('"../chaos/mesh/internal.ts"')]));
  expect(violations).toEqual(expect.arrayContaining([expect.stringContaining('load/k6/script.ts:2 imports "node:fs": Node built-ins are not allowed here')]));
});

test('imports are parsed, not matched: type-only forms, re-exports, dynamic import() and comments', () => {
  const text = [
    "// import { nope } from '../commented-out.ts';",
    "import type { A } from './a.ts';",
    "import { type B, type C } from './b.ts';",
    "import { D, type E } from './d.ts';",
    "export { F } from './f.ts';",
    "export type { G } from './g.ts';",
    "const lazy = await import('./lazy.ts');",
    "const s = \"import { H } from './string.ts'\";",
  ].join('\n');
  expect(importsOf('sample.ts', text).map((r) => [r.specifier, r.typeOnly])).toEqual([
    ['./a.ts', true],
    ['./b.ts', true],
    ['./d.ts', false],
    ['./f.ts', false],
    ['./g.ts', true],
    ['./lazy.ts', false],
  ]);
});
