export { startPrometheus, prometheusConfig } from './components/prometheus.ts';
export type { ScrapeTarget, ScrapeConfig, PrometheusOptions, StartedPrometheus } from './components/prometheus.ts';
export { queryPrometheus, waitForPrometheusData } from './components/prometheus-query.ts';
export type { PromSample } from './components/prometheus-query.ts';
