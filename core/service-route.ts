import { FaultlineError } from './errors.ts';
import type { Topology } from './topology.ts';

/**
 * An HTTP route the services of one region call on a service of another region: seed 003's "Write via API" from
 * Bandung and Surabaya to Jakarta. HTTP and DNS faults aim at routes: a fault on a route nobody calls would change
 * nothing, so it is refused instead.
 */
export interface ServiceRoute {
  /** The region whose services make the call. */
  from: string;
  /** The service that serves the route, and its region. */
  service: string;
  region: string;
  /** e.g. `POST`. */
  method: string;
  /** e.g. `/items`. */
  path: string;
}

/** The routes from `from` to `service` in `region`, narrowed to `method` and `path` when given; never empty. */
export function requireRoutes(
  topology: Topology,
  want: { from: string; service: string; region: string; method?: string; path?: string },
): ServiceRoute[] {
  const all = topology.routes ?? [];
  const found = all.filter(
    (r) =>
      r.from === want.from &&
      r.service === want.service &&
      r.region === want.region &&
      (want.method === undefined || r.method === want.method.toUpperCase()) &&
      (want.path === undefined || r.path === want.path),
  );
  if (found.length === 0) {
    const asked = `${want.method ? `${want.method.toUpperCase()} ` : ''}${want.path ?? ''}`.trim();
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `no service serves the route ${want.from} → ${want.service}@${want.region}${asked ? ` ${asked}` : ''} in topology "${topology.name}"`,
      `routes: ${all.map(describeRoute).join('; ') || '(none: this topology declares no service-to-service calls)'}`,
    );
  }
  return found;
}

export function describeRoute(r: ServiceRoute): string {
  return `${r.from} → ${r.service}@${r.region} ${r.method} ${r.path}`;
}
