import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseRequestLine, RequestWindows, type RequestLine, type RequestStream } from '../core/index.ts';

/** How often the file is read for new lines. k6 writes each console line straight to the file, unbuffered. */
const DEFAULT_POLL_MS = 25;
const CHUNK = 1 << 20;

/**
 * Follows the request stream k6 writes to its --console-output file: reads what was appended every few
 * milliseconds, parses whole lines, and feeds the sliding windows and subscribers. The file itself stays in the
 * session folder as the run's raw record.
 */
export class RequestTail implements RequestStream {
  readonly windows = new RequestWindows();
  readonly #listeners = new Set<(line: RequestLine) => void>();
  readonly #fd: number;
  readonly #timer: NodeJS.Timeout;
  readonly #buffer = Buffer.alloc(CHUNK);
  // A character split across two reads is held back, not mangled.
  readonly #decoder = new StringDecoder('utf8');
  #offset = 0;
  #partial = '';
  #lines = 0;
  #closed = false;

  /** Creates (or empties) the file, so the tail never reads an earlier run's lines, and starts following it. */
  constructor(
    readonly path: string,
    pollMs = DEFAULT_POLL_MS,
  ) {
    writeFileSync(path, '');
    this.#fd = openSync(path, 'r');
    this.#timer = setInterval(() => this.drain(), pollMs);
    // The tail must never keep a harness alive that has nothing else to do.
    this.#timer.unref();
  }

  get lines(): number {
    return this.#lines;
  }

  subscribe(listener: (line: RequestLine) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads everything appended since the last call. Synchronous: a local file read of a few KB. */
  drain(): void {
    if (this.#closed) return;
    for (;;) {
      const n = readSync(this.#fd, this.#buffer, 0, CHUNK, this.#offset);
      if (n <= 0) return;
      this.#offset += n;
      const text = this.#partial + this.#decoder.write(this.#buffer.subarray(0, n));
      const cut = text.lastIndexOf('\n');
      this.#partial = text.slice(cut + 1);
      if (cut >= 0) for (const raw of text.slice(0, cut).split('\n')) this.#feed(raw);
      if (n < CHUNK) return;
    }
  }

  /** Reads the last lines and stops following. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.drain();
    this.#closed = true;
    clearInterval(this.#timer);
    closeSync(this.#fd);
  }

  #feed(raw: string): void {
    const line = parseRequestLine(raw);
    if (!line) return;
    this.#lines++;
    this.windows.add(line);
    for (const listener of this.#listeners) listener(line);
  }
}
