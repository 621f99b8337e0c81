import type { SelectionMode } from '../../core/index.ts';

export const CHAOS_GROUP = 'chaos-mesh.org';
export const CHAOS_VERSION = 'v1alpha1';
export const CHAOS_API_VERSION = `${CHAOS_GROUP}/${CHAOS_VERSION}` as const;

/** The Chaos Mesh kinds faultline generates, with the plural the API path uses. */
export const CHAOS_KINDS = {
  PodChaos: 'podchaos',
  NetworkChaos: 'networkchaos',
  IOChaos: 'iochaos',
  StressChaos: 'stresschaos',
  DNSChaos: 'dnschaos',
  HTTPChaos: 'httpchaos',
  TimeChaos: 'timechaos',
} as const;
export type ChaosKind = keyof typeof CHAOS_KINDS;

/**
 * Several experiments run as one (regionLoss: pods failed and network cut together). Rendered by the dry run; the live
 * driver does not create Workflows yet (their status is not an experiment's), so it refuses them at preflight.
 */
export const WORKFLOW_KIND = 'Workflow';

export function pluralOf(kind: ChaosKind | typeof WORKFLOW_KIND): string {
  return kind === WORKFLOW_KIND ? 'workflows' : CHAOS_KINDS[kind];
}

export function isChaosKind(kind: string): kind is ChaosKind {
  return Object.hasOwn(CHAOS_KINDS, kind);
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Chaos Mesh's pod selector, as the CRD spells it. */
export interface PodSelectorSpec {
  namespaces: string[];
  labelSelectors?: Record<string, string>;
}

export type ModeSpec = { mode: SelectionMode['mode']; value?: string };


/** A Chaos Mesh custom resource as sent to the API server. */
export interface ChaosResource<Spec extends object = Record<string, unknown>> {
  apiVersion: typeof CHAOS_API_VERSION;
  kind: ChaosKind | typeof WORKFLOW_KIND;
  metadata: ObjectMeta;
  spec: Spec;
}

/** Which pods a chaos experiment hits: the selector and how many of the matched pods. */
export interface ChaosTarget {
  selector: PodSelectorSpec;
  selection: SelectionMode;
}

/** The CRD wants `value` as a string, and only for the modes that take one. */
export function modeSpec(selection: SelectionMode): ModeSpec {
  return 'value' in selection ? { mode: selection.mode, value: String(selection.value) } : { mode: selection.mode };
}

/** `selector` + `mode` + `value`: the part every chaos spec shares. */
export function targetSpec(target: ChaosTarget): { selector: PodSelectorSpec } & ModeSpec {
  return { selector: target.selector, ...modeSpec(target.selection) };
}
