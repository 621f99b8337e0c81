import { Counter, Gauge, Histogram, Registry } from 'prom-client';
// Only the metric names: a service process must not load the run engine with the rest of core.
import { ServiceMetrics } from '../../core/metric-names.ts';

export type Route = 'read' | 'write' | 'other';

/** The service's metrics, named exactly as core/metric-names.ts says, so SLO queries and the service cannot drift. */
export class ServiceMetricSet {
  readonly registry = new Registry();
  private readonly requests: Counter<'region' | 'service' | 'route' | 'code'>;
  private readonly duration: Histogram<'region' | 'service' | 'route' | 'code'>;
  private readonly staleness: Histogram<'region'>;

  constructor(
    private readonly region: string,
    private readonly service: string,
    /** Per store this region holds a copy of: seconds since the newest primary heartbeat it shows (undefined until one was seen). */
    lags: { store: string; lagSeconds: () => number | undefined }[],
  ) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: ServiceMetrics.requests,
      help: 'Requests served, by route and status code.',
      labelNames: ['region', 'service', 'route', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: ServiceMetrics.duration,
      help: 'Time to answer a request, in seconds.',
      labelNames: ['region', 'service', 'route', 'code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.staleness = new Histogram({
      name: ServiceMetrics.readStaleness,
      help: 'Replication lag of the database behind each read, in seconds: how old the freshest data could be.',
      labelNames: ['region'],
      buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120],
      registers,
    });
    new Gauge({
      name: ServiceMetrics.replicationLag,
      help: "Seconds since the newest primary heartbeat visible on this region's copy of each store (about 0 on the primary): streaming replication, CDC or mirror lag.",
      labelNames: ['region', 'store'],
      registers,
      collect() {
        for (const { store, lagSeconds } of lags) {
          const lag = lagSeconds();
          // No heartbeat seen yet: no series, rather than a made-up 0 that would read as "in sync".
          if (lag !== undefined) this.set({ region, store }, lag);
        }
      },
    });
  }

  observeRequest(route: Route, code: number, seconds: number): void {
    const labels = { region: this.region, service: this.service, route, code: String(code) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  observeReadStaleness(seconds: number): void {
    this.staleness.observe({ region: this.region }, seconds);
  }
}
