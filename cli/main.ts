import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_CODE_MEANING, ExitCode, exitCodeForError, isFaultlineError } from '../core/index.ts';
import type { Command } from './command.ts';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

async function loadCommands(): Promise<Command[]> {
  const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts')).sort();
  const modules = await Promise.all(files.map((f) => import(join(commandsDir, f)) as Promise<{ command: Command }>));
  return modules.map((m) => m.command);
}

function globalHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `faultline: chaos and resilience game days. k6 load per region, faults (embedded lab or Chaos Mesh),
SLOs judged from Prometheus, Allure reports.

Usage: faultline <command> [options]     (faultline <command> --help for details)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Exit codes (with several runs, the first of 5, 130, 2, 1, 3, 4, 0 that occurs decides):
${Object.entries(EXIT_CODE_MEANING).map(([code, meaning]) => `  ${code.padStart(3)}  ${meaning}`).join('\n')}

Start here:
  faultline lab up                       bring the tri-region lab up on 127.0.0.1
  faultline gameday                      run the seed-003 game days and open the Allure report
  faultline inject partition jkt bdg --for 2m --dry-run
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp(await loadCommands()));
    return name ? ExitCode.ok : ExitCode.preflight;
  }
  // Only the named command's module is loaded: the others pull in Kubernetes and Allure code a lab run never needs.
  const command = /^[a-z-]+$/.test(name) && existsSync(join(commandsDir, `${name}.ts`))
    ? ((await import(join(commandsDir, `${name}.ts`))) as { command: Command }).command
    : undefined;
  if (!command) {
    process.stderr.write(`faultline: unknown command "${name}". Commands: ${(await loadCommands()).map((c) => c.name).join(', ')}\n`);
    return ExitCode.preflight;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return ExitCode.ok;
  }
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isFaultlineError(error)) process.stderr.write(`faultline: [${error.code}] ${error.message}\n`);
  else process.stderr.write(`faultline: internal error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = exitCodeForError(error);
}
