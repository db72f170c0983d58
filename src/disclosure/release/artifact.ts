/**
 * The published artifact of a release (docs/DISCLOSURE-STANDARD.md "Published artifacts"): a JSON
 * object holding the release's public content, a readable notice in Chinese and English, and the
 * standard version it was checked against. It is signed with Ed25519 over its canonical JSON:
 * object keys sorted by UTF-16 code units, no whitespace, strings and numbers as JSON.stringify
 * writes them. A browser verifies by canonicalizing the object it received the same way. Pure.
 */
import type { ReleaseType } from '../standard/catalog.ts';
import type { ReleaseContent } from '../standard/standard.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';

export const ARTIFACT_FORMAT = 'epivault-release/v1';

export interface ReleaseArtifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly id: string;
  readonly type: ReleaseType;
  readonly standardVersion: string;
  readonly publishedAt: string;
  readonly expiresAt: string | null;
  readonly notice: { readonly zh: string; readonly en: string };
  readonly content: ReleaseContent;
}

/** Canonical JSON (sorted keys, no whitespace): one implementation, shared with the public site's browser code. */
export { canonicalJson } from '../../domain/canonical-json.ts';

/** The bytes that are signed. */
export const artifactBytes = (artifact: ReleaseArtifact): Uint8Array => new TextEncoder().encode(canonicalJson(artifact));

const TITLES: Readonly<Record<ReleaseType, { zh: string; en: string }>> = {
  exposure_points: { zh: '暴露点位', en: 'exposure points' },
  risk_areas: { zh: '风险区域', en: 'risk areas' },
  research_extract: { zh: '科研数据集（受限）', en: 'research extract (restricted)' },
  daily_counts: { zh: '每日新增病例（差分隐私）', en: 'daily new cases (differential privacy)' },
};

/** A short readable notice: what is published, under which standard, until when. */
export function noticeFor(type: ReleaseType, content: ReleaseContent, standardVersion: string, expiresAt: string | null): { zh: string; en: string } {
  const t = TITLES[type];
  const n = content.items.length;
  const until = expiresAt ? expiresAt.slice(0, 10) : null;
  const dp = type === 'daily_counts' ? { zh: `数字已加入随机噪声（ε = ${String(content.meta.epsilon)}），单日单区数字不精确，但整体趋势可信。`, en: `Random noise was added to the numbers (ε = ${String(content.meta.epsilon)}): a single day and district is not exact, the trend is.` } : { zh: '', en: '' };
  return {
    zh: `本次发布${t.zh}共 ${n} 条，依据披露标准 ${standardVersion} 审核，不含任何可识别个人的信息。${dp.zh}${until ? `有效期至 ${until}。` : ''}`,
    en: `This release holds ${n} ${t.en} entries, checked against disclosure standard ${standardVersion}; it contains nothing that identifies a person. ${dp.en}${until ? ` Valid until ${until}.` : ''}`.replace(/\s+/g, ' ').trim(),
  };
}
