/**
 * The release-signing authority, compiled into the bundle by src/http/public-site.plugin.ts
 * (esbuild `define`) from the server's signing key: the pages verify every release against this
 * key and never against the `publicKey` the API sends alongside a release.
 */
declare const __EPIVAULT_AUTHORITY__: { name: { zh: string; en: string }; keyId: string; publicKey: string };

export const AUTHORITY = __EPIVAULT_AUTHORITY__;
