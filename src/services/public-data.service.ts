/**
 * The public site's data (issue #7, docs/PUBLIC-SITE.md): what its Fastify scope is handed and
 * nothing more — published releases (the release service's reader, on the table-guarded
 * public-data repository) and the public venue registry — plus the authority's release-signing
 * public key, which the site builds into its pages at bundle time so that browsers verify every
 * release against it and never against a key sent with the release. An exposure-points release is
 * served only while none of its points has expired: each point disappears with its own expiry, as
 * the signed revision the expiry step stores (release.service.ts `expireExposurePoints`).
 */
import { defaultStandard } from '../disclosure/standard/index.ts';
import type { DisclosureStandard } from '../disclosure/standard/index.ts';
import type { PublicVenue } from '../domain/views/public.ts';
import type { AppContext } from './app-context.ts';
import { publishedReleaseReader, releaseKeyId, releasePublicKey } from './release.service.ts';
import type { PublishedReleaseReader, SignedRelease } from './release.service.ts';

/** The public scope's only data access. */
export interface PublicDataReader extends PublishedReleaseReader {
  /** The venue registry without the categories the standard never publishes (workplaces, schools); homes are never venues. */
  venues(): Promise<PublicVenue[]>;
}

/** Who signs the releases, as the pages say it, and the key they verify against. */
export interface ReleaseAuthority {
  readonly name: { readonly zh: string; readonly en: string };
  readonly keyId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string;
}

export const DEFAULT_AUTHORITY_NAME = { zh: 'Epivault 演示卫生健康部门', en: 'Epivault demo health authority' } as const;

/**
 * True when a release still holds an exposure point whose own `expiresAt` has come. The storage
 * reads already leave such an artifact out until the expiry step has signed a revision without the
 * point (release.service.ts `expireExposurePoints`); this second guard keeps an expired point from
 * ever being served, even by a reader over rows the step has not seen.
 */
function holdsExpiredPoint(r: SignedRelease, now: Date): boolean {
  if (r.artifact.type !== 'exposure_points') return false;
  return r.artifact.content.items.some((i) => typeof i.expiresAt === 'string' && !(Date.parse(i.expiresAt) > now.getTime()));
}

/** The reader handed to the public scope: list/get of published releases and the venue registry, frozen. */
export function publicDataReader(ctx: Pick<AppContext, 'store' | 'keys'>, standard: DisclosureStandard = defaultStandard()): PublicDataReader {
  const releases = publishedReleaseReader(ctx, standard);
  const excluded = standard.parameters.exposurePoints.excludedCategories;
  return Object.freeze({
    async list(now: Date, limit?: number) {
      return (await releases.list(now, limit)).filter((r) => !holdsExpiredPoint(r, now));
    },
    async get(id: string, now: Date) {
      const r = await releases.get(id, now);
      return r && !holdsExpiredPoint(r, now) ? r : undefined;
    },
    async venues() {
      return (await ctx.store.publicData.venues(excluded)).map((v) => ({ id: v.id, name: v.name, address: v.address, district: v.district_code, category: v.category }));
    },
  });
}

/** The release-signing authority of this server (its current key), for building into the public pages. */
export function releaseAuthority(ctx: Pick<AppContext, 'keys'>, name: { zh: string; en: string } = DEFAULT_AUTHORITY_NAME): ReleaseAuthority {
  return Object.freeze({ name: Object.freeze({ ...name }), keyId: releaseKeyId(ctx.keys), publicKey: releasePublicKey(ctx.keys) });
}
