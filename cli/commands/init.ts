import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, FaultlineError, PreflightError } from '../../core/index.ts';
import { displayPath, loadExperiment, loadTopologyFile, starterExperiment } from '../../experiments/index.ts';
import { requireTopology, topologies } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline init: write a starter experiment file for a topology.

Usage: faultline init [--topology NAME|FILE] [-o FILE] [--force]

Writes a YAML experiment that runs as it is: half of the primary region's main service killed under load for 60 s,
judged on availability and p95 latency, with an availability guardrail, and the other fault kinds of the topology
as comments to swap in. The file names its JSON Schema, so editors with the YAML language server complete and
check it. It is validated before it is written.

Options:
  --topology NAME|FILE  a registered topology (default: tri-region-tgw) or a topology file (.yaml/.yml/.json)
  -o, --out FILE        where to write it (default: experiment.yaml)
  --force               overwrite an existing file (default: refuse)

Topologies: ${Object.keys(topologies).join(', ')}

Examples:
  faultline init
  faultline init --topology garage-platform -o gameday.yaml
  faultline init --topology ./my-system.topology.yaml -o experiments/first.yaml
`;

const SCHEMA = fileURLToPath(new URL('../../experiments/schema/experiment.schema.json', import.meta.url));

export const command: Command = {
  name: 'init',
  summary: 'write a starter experiment file (YAML) for a topology, ready to validate and run',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('init', argv, {
      topology: { type: 'string', default: 'tri-region-tgw' },
      out: { type: 'string', short: 'o', default: 'experiment.yaml' },
      force: { type: 'boolean', default: false },
    });
    if (positionals.length) throw new FaultlineError('FAULTLINE_BAD_INPUT', `unexpected argument "${positionals[0]}"`, 'see: faultline init --help');
    const out = resolve(values.out);
    if (existsSync(out) && !values.force) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `${displayPath(out)} already exists`, 'pick another name with -o, or add --force to overwrite it');
    }
    const fromFile = /\.(ya?ml|json)$/i.test(values.topology);
    const topology = fromFile ? loadTopologyFile(values.topology).topology : requireTopology(values.topology).topology;
    const ref = fromFile ? relativeRef(dirname(out), resolve(values.topology)) : topology.name;
    const text = starterExperiment(topology, ref, relativeRef(dirname(out), SCHEMA));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    try {
      loadExperiment(out);
    } catch (e) {
      // A starter that does not load is faultline's bug, not the user's: say so plainly.
      if (e instanceof PreflightError) throw new FaultlineError('FAULTLINE_HARNESS', `the starter written to ${displayPath(out)} does not validate: ${e.message}`, 'please report this');
      throw e;
    }
    process.stdout.write(`wrote ${displayPath(out)} for topology "${topology.name}"\nnext: faultline validate -f ${displayPath(out)} && faultline run -f ${displayPath(out)} --dry-run\n`);
    return ExitCode.ok;
  },
};

function relativeRef(fromDir: string, to: string): string {
  const rel = relative(fromDir, to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}
