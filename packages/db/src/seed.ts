import { apiKeyPrefix, generateApiKey, hashApiKey, uuidv7, type PlanTierName, type RegionCode } from "@hyrelog/core";
import { ApiKey, Company, Project, Workspace } from "./entities.ts";
import type { Orm } from "./orm.ts";

export interface SeedCompanyOptions {
  name: string;
  region: RegionCode;
  plan: PlanTierName;
  apiKeySecret: string;
  /** IP allowlist of the company key; key management needs one. */
  companyKeyAllowlist?: string[];
  workspaceName?: string;
  projectName?: string;
}

export interface SeededCompany {
  companyId: string;
  workspaceId: string;
  projectId: string;
  region: RegionCode;
  plan: PlanTierName;
  companyKey: string;
  workspaceKey: string;
}

/** Creates a company with one workspace, one project, a company key and a workspace key. */
export async function seedCompany(orm: Orm, o: SeedCompanyOptions): Promise<SeededCompany> {
  return orm.em.fork().transactional(async (em) => {
  const companyId = uuidv7();
  const workspaceId = uuidv7();
  const projectId = uuidv7();
  const companyKey = generateApiKey("co", o.region);
  const workspaceKey = generateApiKey("ws", o.region);
  // Entities carry plain ids, not relations, so flush parents before children.
  em.create(Company, { id: companyId, name: o.name, dataRegion: o.region, planTier: o.plan, planOverrides: {} });
  await em.flush();
  em.create(Workspace, { id: workspaceId, companyId, name: o.workspaceName ?? "Production" });
  await em.flush();
  em.create(Project, { id: projectId, companyId, workspaceId, name: o.projectName ?? "Web App" });
  em.create(ApiKey, {
    id: uuidv7(),
    companyId,
    workspaceId: null,
    scope: "COMPANY",
    name: "company key",
    keyHash: hashApiKey(companyKey, o.apiKeySecret),
    prefix: apiKeyPrefix(companyKey),
    ipAllowlist: o.companyKeyAllowlist ?? [],
  });
  em.create(ApiKey, {
    id: uuidv7(),
    companyId,
    workspaceId,
    scope: "WORKSPACE",
    name: "workspace key",
    keyHash: hashApiKey(workspaceKey, o.apiKeySecret),
    prefix: apiKeyPrefix(workspaceKey),
    ipAllowlist: [],
  });
  await em.flush();
  return { companyId, workspaceId, projectId, region: o.region, plan: o.plan, companyKey, workspaceKey };
  });
}
