/**
 * The public site's only data access (docs/PUBLIC-SITE.md "Scope"): published artifacts and the
 * venue registry, read through a Kysely instance guarded to exactly those two tables
 * (../table-guard.ts). The artifact reads are the release repository's own queries, run on the
 * guarded instance; anything else it has (cases, travel owners, subjects) is refused there.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, PlaceTable } from '../schema.ts';
import { ReleaseRepository } from '../release.repository.ts';
import type { PublishedArtifactRow } from '../release.repository.ts';
import { guardTables } from '../table-guard.ts';

/** The tables the public reader may name: nothing else, not even the `releases` workflow table. */
export const PUBLIC_TABLES = ['published_artifacts', 'places'] as const;

export type PublicVenueRow = Pick<Selectable<PlaceTable>, 'id' | 'name' | 'address' | 'district_code' | 'category'>;

export class PublicDataRepository {
  /** The guarded instance (exposed for the tests that prove what it refuses). */
  readonly db: Kysely<Database>;
  readonly #releases: ReleaseRepository;

  constructor(db: Kysely<Database>) {
    this.db = guardTables(db, PUBLIC_TABLES);
    this.#releases = new ReleaseRepository(this.db);
  }

  liveArtifacts(now: string, limit: number): Promise<PublishedArtifactRow[]> {
    return this.#releases.liveArtifacts(now, limit);
  }

  liveArtifact(releaseId: string, now: string): Promise<PublishedArtifactRow | undefined> {
    return this.#releases.liveArtifact(releaseId, now);
  }

  /** Every venue of the registry outside the excluded categories, by id: no coordinates. */
  async venues(excludedCategories: readonly string[]): Promise<PublicVenueRow[]> {
    let q = this.db.selectFrom('places').select(['id', 'name', 'address', 'district_code', 'category']);
    if (excludedCategories.length > 0) q = q.where('category', 'not in', [...excludedCategories]);
    return q.orderBy('id').execute();
  }
}
