import { readFileSync } from 'node:fs';
import { FaultlineError, parseJournalLines, type JournalEntry } from '../core/index.ts';

/**
 * Reads a journal as the engine writes it (JSON lines) or as the report attaches it (one JSON array), so a
 * journal downloaded from an Allure report can be fed straight back to `faultline report --journal`.
 */
export function readJournalFile(path: string): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `cannot read the journal ${path}: ${(e as Error).message}`, HINT, { cause: e });
  }
  try {
    const entries = text.trimStart().startsWith('[') ? (JSON.parse(text) as JournalEntry[]) : parseJournalLines(text);
    if (!entries.length || entries.some((e) => typeof e !== 'object' || e === null || typeof e.type !== 'string')) {
      throw new Error('expected journal events, each an object with a "type"');
    }
    return entries;
  } catch (e) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `${path} is not a faultline journal: ${(e as Error).message}`, HINT, { cause: e });
  }
}

const HINT =
  'pass the JSON-lines file a run wrote (one event per line), or the "journal" attachment of a game day in the Allure report';
