import type { RegionCode } from "@hyrelog/core";
import { ApiError } from "./errors.ts";

/** Cached companies; bounded so a flood of ids cannot grow memory without end. */
const MAX_CACHED = 100_000;

/**
 * Which region a company lives in, for dashboard calls that name a company (x-company-id, or the id
 * in an admin path) rather than carry a region in an API key (docs/adr/0011-company-directory.md).
 * Each region's dashboard service answers for its own companies: the first lookup of an id asks
 * every region this gateway serves at once, and a found company is cached for good (a company's
 * region is fixed for life). An id no region has is asked again next time (it may be created a
 * moment later); nothing about it is kept.
 */
export class CompanyDirectory {
  readonly #regions: readonly RegionCode[];
  readonly #locate: (region: RegionCode, companyId: string) => Promise<boolean>;
  readonly #cache = new Map<string, RegionCode>();

  constructor(regions: readonly RegionCode[], locate: (region: RegionCode, companyId: string) => Promise<boolean>) {
    this.#regions = regions;
    this.#locate = locate;
  }

  /** The company's region; 404 when no region has it, 503 when a region that might have it did not answer. */
  async regionOf(companyId: string): Promise<RegionCode> {
    const cached = this.#cache.get(companyId);
    if (cached) return cached;
    const answers = await Promise.allSettled(this.#regions.map(async (r) => ((await this.#locate(r, companyId)) ? r : null)));
    const found = answers.find((a): a is PromiseFulfilledResult<RegionCode> => a.status === "fulfilled" && a.value !== null);
    if (found) {
      this.remember(companyId, found.value);
      return found.value;
    }
    const unreachable = this.#regions.filter((_, i) => answers[i]!.status === "rejected");
    if (unreachable.length) throw new ApiError(503, "unavailable", `could not ask every region for company ${companyId} (${unreachable.join(", ")} did not answer); retry`);
    throw new ApiError(404, "not_found", `company ${companyId} not found`);
  }

  /** Records where a company lives (it was just created there, or listed from there). */
  remember(companyId: string, region: RegionCode): void {
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(companyId, region);
  }
}
