import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The import-boundary check behind ARCHITECTURE.md. Every folder with code declares, in a `DEPS.list` beside its code,
 * what that code may import; a nested folder with its own `DEPS.list` is a unit of its own. Imports are read with the
 * TypeScript parser, never a regex, so `import type`, `export … from`, inline `type` specifiers and literal dynamic
 * `import()` are all seen.
 *
 * A `DEPS.list` line is one of:
 *   `core`                    the public surface of another unit (its index.ts)
 *   `core/metric-names.ts`    exactly one file of another unit (for a process that must not load the rest)
 *   `type chaos/mesh`         `import type` only, of that unit's public surface
 *   `*`                       anything in the repository, internals included (tests and benchmarks are white-box)
 *   `npm axios`               an npm package, which package.json must declare (devDependencies only in `dev` units)
 *   `node`                    Node's built-in modules (written `node:…`)
 *   `k6`                      the modules k6 itself provides (`k6`, `k6/http`, …): code that k6 runs, not Node
 *   `dev`                     this unit is development-only (tests, benchmarks): devDependencies are allowed
 * `#` starts a comment. The check fails on an import no line allows, on a folder with code but no `DEPS.list`, on a
 * line that names nothing that exists, and on a line nothing imports any more, so the rules cannot silently rot.
 */

export const RULES_FILE = 'DEPS.list';
const SOURCE = /\.(ts|mts|mjs|js)$/;
/** Top-level folders that hold no code by design; gaining code makes them need a DEPS.list. */
export const NO_CODE_FOLDERS = new Set(['docs', 'deploy', 'scripts']);

interface Rule {
  unit: string;
  line: number;
  text: string;
  kind: 'unit' | 'file' | 'type' | 'any' | 'npm' | 'node' | 'k6' | 'dev';
  target: string;
}

interface Unit {
  /** Folder relative to the root, `/`-separated. */
  name: string;
  rules: Rule[];
  dev: boolean;
  files: string[];
}

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** Every import of one source file, as written. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteralLike(specifier)) {
      refs.push({ specifier: specifier.text, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allInlineTypes = !!named && named.length > 0 && !clause?.name && named.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allInlineTypes));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node, node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourcesUnder(path) : SOURCE.test(name) ? [path] : [];
  });
}

function parseRules(root: string, unit: string): Rule[] {
  const text = readFileSync(join(root, unit, RULES_FILE), 'utf8');
  return text.split('\n').flatMap((raw, i): Rule[] => {
    const text = raw.replace(/#.*/, '').trim();
    if (!text) return [];
    const [head, ...rest] = text.split(/\s+/);
    const arg = rest.join(' ');
    const rule = (kind: Rule['kind'], target: string): Rule[] => [{ unit, line: i + 1, text, kind, target }];
    if (head === '*' && !arg) return rule('any', '*');
    if (head === 'node' && !arg) return rule('node', 'node');
    if (head === 'k6' && !arg) return rule('k6', 'k6');
    if (head === 'dev' && !arg) return rule('dev', 'dev');
    if (head === 'npm' && arg) return rule('npm', arg);
    if (head === 'type' && arg) return rule('type', arg.replace(/\/$/, ''));
    if (head && !arg) return rule(/\.[cm]?[jt]s$/.test(head) ? 'file' : 'unit', head.replace(/\/$/, ''));
    return [{ unit, line: i + 1, text, kind: 'unit', target: `\0unparsable: ${text}` }];
  });
}

export interface BoundaryReport {
  violations: string[];
  units: string[];
}

/** Checks the whole tree under `root` against its DEPS.list files and package.json. */
export function checkBoundaries(root: string): BoundaryReport {
  const violations: string[] = [];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const runtimePackages = new Set(Object.keys(pkg.dependencies ?? {}));
  const devPackages = new Set(Object.keys(pkg.devDependencies ?? {}));

  // Units: every folder holding a DEPS.list. Every top-level folder with code must be (inside) one.
  const unitNames: string[] = [];
  const findUnits = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const rel = dir ? `${dir}/${name}` : name;
      if (!statSync(join(root, rel)).isDirectory()) continue;
      if (existsSync(join(root, rel, RULES_FILE))) unitNames.push(rel);
      findUnits(rel);
    }
  };
  findUnits('');
  const unitOf = (path: string) =>
    unitNames.filter((u) => path === u || path.startsWith(u + '/')).sort((a, b) => b.length - a.length)[0];

  for (const top of readdirSync(root)) {
    if (top === 'node_modules' || top.startsWith('.') || !statSync(join(root, top)).isDirectory()) continue;
    const code = sourcesUnder(join(root, top)).map((f) => toPosix(relative(root, f)));
    const orphans = code.filter((f) => unitOf(f) === undefined);
    if (NO_CODE_FOLDERS.has(top)) {
      if (code.length) violations.push(`${top}/ is listed as holding no code, but has ${code[0]}: give it a ${RULES_FILE}`);
    } else if (orphans.length) {
      violations.push(`${dirname(orphans[0]!)}/ has code but no ${RULES_FILE} says what it may import (e.g. ${orphans[0]}): add one`);
    }
  }

  const units: Unit[] = unitNames.map((name) => {
    const rules = parseRules(root, name);
    const files = sourcesUnder(join(root, name))
      .map((f) => toPosix(relative(root, f)))
      .filter((f) => unitOf(f) === name);
    return { name, rules, dev: rules.some((r) => r.kind === 'dev'), files };
  });
  const unitNamed = new Map(units.map((u) => [u.name, u]));
  const indexOf = (unit: string) => [`${unit}/index.ts`, `${unit}/index.mjs`].find((f) => existsSync(join(root, f)));

  for (const unit of units) {
    const used = new Set<Rule>();
    const where = (r: Rule) => `${unit.name}/${RULES_FILE}:${r.line} "${r.text}"`;
    for (const rule of unit.rules) {
      if (rule.target.startsWith('\0')) violations.push(`${where(rule)}: not a rule (see tests/architecture/boundaries.ts for the forms)`);
      if ((rule.kind === 'unit' || rule.kind === 'type') && !unitNamed.has(rule.target)) violations.push(`${where(rule)}: no unit "${rule.target}" exists (no ${rule.target}/${RULES_FILE})`);
      if (rule.kind === 'file' && !existsSync(join(root, rule.target))) violations.push(`${where(rule)}: no file ${rule.target}`);
      if (rule.kind === 'npm' && !runtimePackages.has(rule.target) && !(unit.dev && devPackages.has(rule.target))) {
        violations.push(`${where(rule)}: package.json does not list "${rule.target}" in ${unit.dev ? 'dependencies or devDependencies' : 'dependencies'}`);
      }
      if (rule.kind === 'dev' || rule.kind === 'any') used.add(rule);
    }
    const find = (kind: Rule['kind'], target?: string) => unit.rules.find((r) => r.kind === kind && (target === undefined || r.target === target));

    for (const file of unit.files) {
      for (const ref of importsOf(join(root, file))) {
        const at = `${file}:${ref.line} imports "${ref.specifier}"`;
        const s = ref.specifier;
        if (!s.startsWith('.')) {
          if (s.startsWith('node:') || builtinModules.includes(s)) {
            const rule = find('node');
            if (!rule) violations.push(`${at}: Node built-ins are not allowed here (no "node" line)`);
            else if (!s.startsWith('node:')) violations.push(`${at}: write Node built-ins as "node:${s}"`);
            else used.add(rule);
            continue;
          }
          if (s === 'k6' || s.startsWith('k6/')) {
            const rule = find('k6');
            if (rule) used.add(rule);
            else violations.push(`${at}: k6 modules exist only in code k6 runs (no "k6" line)`);
            continue;
          }
          const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
          const rule = find('npm', name);
          if (rule) used.add(rule);
          else violations.push(`${at}: package "${name}" is not in ${unit.name}/${RULES_FILE} (add "npm ${name}" if it belongs here)`);
          continue;
        }
        const target = toPosix(relative(root, resolve(root, dirname(file), s)));
        const to = unitOf(target);
        if (to === unit.name) continue;
        const any = find('any');
        if (any) continue;
        if (to === undefined) {
          violations.push(`${at}: ${target} belongs to no unit`);
          continue;
        }
        const exact = unit.rules.find((r) => r.kind === 'file' && r.target === target);
        if (exact) {
          used.add(exact);
          continue;
        }
        const whole = find('unit', to) ?? (ref.typeOnly ? find('type', to) : undefined);
        if (!whole) {
          const typeRule = find('type', to);
          violations.push(`${at}: ${unit.name} may not import ${to}${typeRule ? ' at runtime (only `import type`)' : ''}`);
          continue;
        }
        used.add(whole);
        if (target !== indexOf(to)) violations.push(`${at}: reaches into ${to}'s internals; import ${indexOf(to) ?? `${to}/index.ts`} (its public surface)`);
      }
    }
    for (const rule of unit.rules) {
      if (!used.has(rule) && !rule.target.startsWith('\0')) violations.push(`${where(rule)}: nothing in ${unit.name} imports this any more; remove the line`);
    }
  }
  return { violations, units: unitNames };
}
