/**
 * `infrastructure:` as the typed Scenario keeps it (infrastructure.ts has the schema). Apart from the
 * schema so that what normalizes a scenario, which the simulation's modules import, does not load zod
 * (issue 10: the built CLI's `evaluate` of a shipped scenario loads neither zod nor yaml).
 */
import type { Infrastructure, InfrastructureDocument } from './infrastructure.ts';

export const NO_INFRASTRUCTURE: Infrastructure = {
  rke2TokenRotated: false,
  httpProxy: null,
  externalSystems: [],
  csiDriverConfig: {},
};

export function normalizeInfrastructure(document: InfrastructureDocument | undefined): Infrastructure {
  if (document === undefined) return NO_INFRASTRUCTURE;
  return {
    rke2TokenRotated: document.rke2TokenRotated,
    httpProxy:
      document.httpProxy === undefined
        ? null
        : { noProxy: document.httpProxy.noProxy, fromOemFiles: document.httpProxy.fromOemFiles },
    externalSystems: document.externalSystems,
    csiDriverConfig: document.csiDriverConfig,
  };
}
