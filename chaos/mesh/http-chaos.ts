import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export interface HttpFaultOptions {
  target: ChaosTarget;
  duration: Duration;
  /** Which side of the exchange is altered. */
  phase: 'Request' | 'Response';
  /** The container port the service listens on. */
  port: number;
  /** Path glob, e.g. `/items/*`. Default: every path. */
  path?: string;
  method?: string;
  /** Only exchanges whose request carries these headers, e.g. the calling region's. */
  requestHeaders?: Record<string, string>;
  /** Drop the exchange. */
  abort?: boolean;
  /** Hold the exchange this long. */
  delay?: Duration;
  /** Replace the response status, e.g. 503. */
  replaceCode?: number;
}

export type HttpChaosSpec = {
  selector: PodSelectorSpec;
  duration: string;
  target: 'Request' | 'Response';
  port: number;
  path?: string;
  method?: string;
  request_headers?: Record<string, string>;
  abort?: boolean;
  delay?: string;
  replace?: { code: number };
} & ModeSpec;

export function httpChaos(metadata: ObjectMeta, o: HttpFaultOptions): ChaosResource<HttpChaosSpec> {
  const spec: HttpChaosSpec = { ...targetSpec(o.target), duration: goDuration(o.duration), target: o.phase, port: o.port };
  if (o.path !== undefined) spec.path = o.path;
  if (o.method !== undefined) spec.method = o.method;
  if (o.requestHeaders !== undefined) spec.request_headers = { ...o.requestHeaders };
  if (o.abort !== undefined) spec.abort = o.abort;
  if (o.delay !== undefined) spec.delay = goDuration(o.delay, 'delay');
  if (o.replaceCode !== undefined) spec.replace = { code: o.replaceCode };
  return { apiVersion: CHAOS_API_VERSION, kind: 'HTTPChaos', metadata, spec };
}
