import { primaryRegion, type Topology } from '../core/index.ts';

/**
 * The starter experiment `faultline init` writes for a topology: half the primary's main service killed under load,
 * judged on availability and latency, with a guardrail, and the other fault kinds shown as comments to swap in.
 * `topologyRef` is what the file's `topology:` says (a registered name, or a topology file's path relative to it).
 */
export function starterExperiment(topology: Topology, topologyRef: string, schemaRef: string): string {
  const primary = primaryRegion(topology).name;
  const service = topology.services.find((s) => s.role === 'main' && s.regions.includes(primary)) ?? topology.services.find((s) => s.regions.includes(primary));
  const link = topology.links[0];
  const replica = topology.datastores.flatMap((d) => d.replicas.map((r) => ({ store: d.name, region: r.region })))[0];
  const regions = topology.regions.map((r) => r.name);
  const name = `${topology.name}-first-experiment`.slice(0, 63).replace(/-+$/, '');
  const fault = service
    ? [`  - kind: podKill`, `    service: ${service.name}`, `    region: ${primary}`, `    mode: fixed-percent`, `    value: 50`, `    for: 60s`]
    : link
      ? [`  - kind: partition`, `    regions: [${link.between[0]}, ${link.between[1]}]`, `    for: 60s`]
      : [`  - kind: cacheLoss`, `    region: ${primary}`, `    for: 60s`];
  return [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# A starter experiment for "${topology.name}", written by faultline init. Edit it, then:`,
    `#   faultline validate -f <this file>          checks it (file:line, field and a hint for every mistake)`,
    `#   faultline run -f <this file> --dry-run     shows what would be done, changes nothing`,
    `#   faultline run -f <this file>               runs it: load, steady state, fault, recovery, verdict`,
    `name: ${name}`,
    `topology: ${topologyRef}`,
    `description: ${service ? `Kill half of ${primary}'s ${service.name} under load; ${primary} stays available` : 'A first fault under load'}`,
    `severity: critical`,
    `load:`,
    `  writeRatio: 0.2`,
    `  requestTimeout: 3s`,
    `  regions:`,
    ...regions.map((r) => `    ${r}: { executor: constant-arrival-rate, rate: 10 }`),
    `# warmup 5s, baseline 20s and recovery 30s unless set here:`,
    `# timeline: { warmup: 5s, baseline: 20s, recovery: 30s }`,
    `faults:`,
    ...fault,
    ...(link ? [`  # - kind: partition`, `  #   regions: [${link.between[0]}, ${link.between[1]}]`, `  #   for: 2m`] : []),
    ...(link ? [`  # - kind: latency`, `  #   regions: [${link.between[0]}, ${link.between[1]}]`, `  #   latency: 300ms`, `  #   for: 2m`] : []),
    ...(replica ? [`  # - kind: replicaLag`, `  #   store: ${replica.store}`, `  #   region: ${replica.region}`, `  #   by: 5s`, `  #   for: 60s`] : []),
    `  # - kind: cacheLoss`,
    `  #   region: ${primary}`,
    `  #   for: 30s`,
    `slos:`,
    `  - name: ${primary} availability (steady state)`,
    `    kind: availability`,
    `    region: ${primary}`,
    `    window: baseline`,
    `    objective: 0.99`,
    `  - name: ${primary} availability during the fault`,
    `    kind: availability`,
    `    region: ${primary}`,
    `    window: during`,
    `    objective: 0.99`,
    `  - name: ${primary} p95 latency during the fault`,
    `    kind: latency`,
    `    region: ${primary}`,
    `    quantile: 0.95`,
    `    window: during`,
    `    objective: 500ms`,
    `guardrails:`,
    `  # Read from k6's own request stream: a region that stops answering is caught in about a second.`,
    `  - name: ${primary} availability floor 50%`,
    `    kind: requestAvailability`,
    `    region: ${primary}`,
    `    below: 0.5`,
    '',
  ].join('\n');
}
