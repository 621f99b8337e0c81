import { Gauge, Histogram, Registry } from 'prom-client';
import { ServiceMetrics } from '../../../core/index.ts';
import { RevivableServer } from './revivable-server.ts';

/** The reference service's staleness buckets (lab/reference-service/metrics.ts), so freshness SLOs meet real bounds. */
const STALENESS_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120];

/**
 * One stand-in service replica: a real /metrics endpoint with the service metrics the SLOs read, whose values the
 * test drives. `down()` closes the listener and every open connection, so Prometheus sees exactly what it sees when
 * a replica process dies: connection refused, `up` 0, its series marked stale.
 */
export class ServiceExporter {
  readonly registry = new Registry();
  readonly lag: Gauge;
  readonly staleness: Histogram;
  readonly #server: RevivableServer;

  private constructor(
    readonly port: number,
    readonly region: string,
  ) {
    this.#server = new RevivableServer(port, (req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      void this.registry.metrics().then((body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body));
    });
    this.lag = new Gauge({ name: ServiceMetrics.replicationLag, help: 'replication lag', labelNames: ['region'], registers: [this.registry] });
    this.staleness = new Histogram({
      name: ServiceMetrics.readStaleness,
      help: 'age of the data behind each read',
      labelNames: ['region'],
      buckets: STALENESS_BUCKETS,
      registers: [this.registry],
    });
  }

  static async start(port: number, region: string): Promise<ServiceExporter> {
    const exporter = new ServiceExporter(port, region);
    await exporter.up();
    return exporter;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  setLag(seconds: number): void {
    this.lag.set({ region: this.region }, seconds);
  }

  observeRead(ageSeconds: number): void {
    this.staleness.observe({ region: this.region }, ageSeconds);
  }

  up(): Promise<void> {
    return this.#server.start();
  }

  down(): Promise<void> {
    return this.#server.stop();
  }
}
