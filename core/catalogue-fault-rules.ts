import { parseDuration } from './duration.ts';
import { FaultlineError } from './errors.ts';
import type { FaultSpec } from './fault.ts';
import { requireRoutes } from './service-route.ts';
import { requireDatastore, requireRegion, type Topology } from './topology.ts';

type CatalogueFault = Extract<FaultSpec, { kind: 'httpFault' | 'dnsFault' | 'timeSkew' | 'ioLatency' }>;

/**
 * Target-independent checks of the HTTP, DNS, clock and disk faults: the route or store exists, the numbers are in
 * range. What a target's mechanism can do (how far the lab's clock can move) is its driver's check.
 */
export function validateCatalogueFault(spec: CatalogueFault, topology: Topology): void {
  switch (spec.kind) {
    case 'httpFault': {
      requireRoutes(topology, spec);
      if (!(spec.share > 0 && spec.share <= 1)) bad(`share ${spec.share} must be in (0, 1]`, 'write 30% as 0.3');
      if ((spec.abort === undefined) === (spec.delay === undefined)) {
        bad('an HTTP fault either aborts with a status or delays; give exactly one of abort and delay', "e.g. abort: 503, or delay: '500ms'");
      }
      if (spec.abort !== undefined && !(Number.isInteger(spec.abort) && spec.abort >= 400 && spec.abort <= 599)) {
        bad(`abort status ${spec.abort} is not an HTTP error status`, 'use 400..599, e.g. 503');
      }
      if (spec.delay !== undefined && !(parseDuration(spec.delay, 'delay') > 0)) bad('delay must be longer than 0');
      return;
    }
    case 'dnsFault':
      // The name that fails is the one the calling region resolves to reach the service: a route must exist.
      requireRoutes(topology, { from: spec.from, service: spec.service, region: spec.region });
      if (spec.action !== undefined && spec.action !== 'error' && spec.action !== 'random') bad(`action "${spec.action}" is not error or random`);
      return;
    case 'timeSkew':
      if (!(parseDuration(spec.offset, 'offset') > 0)) bad('offset must be longer than 0', "set backwards: true to move the clock back, e.g. offset: '90s'");
      return;
    case 'ioLatency': {
      const store = requireDatastore(topology, spec.store);
      requireRegion(topology, spec.region);
      const regions = [store.primaryRegion, ...store.replicas.map((r) => r.region)];
      if (!regions.includes(spec.region)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `datastore "${spec.store}" has no copy in region "${spec.region}"`, `it lives in: ${regions.join(', ')}`);
      }
      if (!(parseDuration(spec.delay, 'delay') > 0)) bad('delay must be longer than 0');
      if (spec.percent !== undefined && !(Number.isInteger(spec.percent) && spec.percent >= 1 && spec.percent <= 100)) {
        bad(`percent ${spec.percent} must be a whole number from 1 to 100`);
      }
      return;
    }
  }
}

function bad(message: string, hint?: string): never {
  throw new FaultlineError('FAULTLINE_BAD_INPUT', message, hint);
}
