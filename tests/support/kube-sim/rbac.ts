import { parseAllDocuments } from 'yaml';

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
}

export function ruleAllows(rule: PolicyRule, req: AccessRequest): boolean {
  const has = (list: string[], v: string) => list.includes('*') || list.includes(v);
  return has(rule.apiGroups, req.group) && has(rule.resources, req.resource) && has(rule.verbs, req.verb);
}

export function rulesAllow(rules: PolicyRule[], req: AccessRequest): boolean {
  return rules.some((r) => ruleAllows(r, req));
}

/** Every rule of every Role and ClusterRole in a multi-document YAML text. */
export function rulesFromYaml(text: string): PolicyRule[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string; rules?: PolicyRule[] } | null)
    .filter((d) => d && (d.kind === 'Role' || d.kind === 'ClusterRole'))
    .flatMap((d) => d!.rules ?? []);
}
