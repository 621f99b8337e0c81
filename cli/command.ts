/** One `faultline` subcommand. Each lives in its own file under cli/commands/ and exports `command`. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text: usage, options with defaults, and examples that teach. */
  help: string;
  /** Returns the process exit code (see core/exit-codes.ts). */
  run(argv: string[]): Promise<number>;
}
