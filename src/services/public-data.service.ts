/**
 * The public site's data (issue #7, docs/PUBLIC-SITE.md): what its Fastify scope is handed and
 * nothing more — published releases (the release service's reader, on the table-guarded
 * public-data repository) and the public venue registry — plus the authority's release-signing
 * public key, which the site builds into its pages at bundle time so that browsers verify every
 * release against it and never against a key sent with the release.
 */
import { defaultStandard } from '../disclosure/standard/index.ts';
import type { DisclosureStandard } from '../disclosure/standard/index.ts';
import type { PublicVenue } from '../domain/views/public.ts';
import type { AppContext } from './app-context.ts';
import { publishedReleaseReader, releaseKeyId, releasePublicKey } from './release.service.ts';
import type { PublishedReleaseReader } from './release.service.ts';

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

/** The reader handed to the public scope: list/get of published releases and the venue registry, frozen. */
export function publicDataReader(ctx: Pick<AppContext, 'store' | 'keys'>, standard: DisclosureStandard = defaultStandard()): PublicDataReader {
  const releases = publishedReleaseReader(ctx, standard);
  const excluded = standard.parameters.exposurePoints.excludedCategories;
  return Object.freeze({
    list: releases.list,
    get: releases.get,
    async venues() {
      return (await ctx.store.publicData.venues(excluded)).map((v) => ({ id: v.id, name: v.name, address: v.address, district: v.district_code, category: v.category }));
    },
  });
}

/** The release-signing authority of this server (its current key), for building into the public pages. */
export function releaseAuthority(ctx: Pick<AppContext, 'keys'>, name: { zh: string; en: string } = DEFAULT_AUTHORITY_NAME): ReleaseAuthority {
  return Object.freeze({ name: Object.freeze({ ...name }), keyId: releaseKeyId(ctx.keys), publicKey: releasePublicKey(ctx.keys) });
}
