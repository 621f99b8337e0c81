import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FaultlineError } from '../core/index.ts';

/** node:util parseArgs, with unknown options turned into a bad-input error that says how to get help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', (e as Error).message, `see: faultline ${command} --help`);
  }
}
