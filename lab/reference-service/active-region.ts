import { readFileSync } from 'node:fs';

/**
 * Which region is active, as the lab's failover record says. Read at start, every second after, and at once when
 * the runbook asks (POST /admin/reload), so a replica the supervisor restarts mid-failover still knows its role.
 */
export class ActiveRegion {
  private active: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string) {}

  start(): void {
    this.reload();
    this.timer = setInterval(() => this.reload(), 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reload(): string | undefined {
    try {
      this.active = (JSON.parse(readFileSync(this.file, 'utf8')) as { active?: string }).active ?? this.active;
    } catch {
      // mid-rewrite or missing: keep what we knew
    }
    return this.active;
  }

  is(region: string): boolean {
    return this.active === region;
  }
}
