/** Why a run was cut short from outside: a signal, or the caller's AbortSignal (a test timeout, a fixture teardown). */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly why: string) {
    super(why);
  }
}

export interface InterruptSources {
  /** The caller's signal; aborting it interrupts the run. */
  signal?: AbortSignal;
  /** Also listen for SIGINT and SIGTERM. The Playwright fixture turns this off: Playwright owns signals in its workers. */
  handleSignals: boolean;
  /** Told which OS signal arrived, before the run is aborted. */
  onSignal?: (signal: NodeJS.Signals) => void;
}

/**
 * Aborts `controller` with an {@link Interrupted} reason when the caller's signal aborts or SIGINT/SIGTERM arrives.
 * Disposing detaches every listener, so a finished run leaves no handler behind: `using _ = interruptOn(…)`.
 */
export function interruptOn(controller: AbortController, sources: InterruptSources): Disposable {
  const external = sources.signal;
  const onExternal = () => controller.abort(new Interrupted(String(external?.reason ?? 'aborted by caller')));
  const onSignal = (sig: NodeJS.Signals) => {
    sources.onSignal?.(sig);
    controller.abort(new Interrupted(sig));
  };
  external?.addEventListener('abort', onExternal, { once: true });
  if (external?.aborted) onExternal();
  if (sources.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return {
    [Symbol.dispose]() {
      external?.removeEventListener('abort', onExternal);
      if (sources.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}
