/**
 * A person's risk status (green / yellow / red) with the reason the rules gave (docs/TRACING.md
 * "Risk status"), as the server returns it: inside a quarantine's view, or from
 * `GET /api/subjects/:id/risk-status` for the person of a case.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RiskStatusView } from '../../../src/domain/views/tracing.ts';
import { get, seg } from '../api.ts';
import type { CallOptions } from '../api.ts';
import { label, lang, t } from '../i18n.ts';
import { useStore } from '../store.ts';

/** A status as a quarantine's view carries it (the person is the quarantine's). */
export type RiskStatus = Omit<RiskStatusView, 'subjectId'>;

/** The colour as a badge (the word, not only the colour) and the reason in the current language. */
export function RiskBadge({ risk }: { risk: RiskStatus }) {
  const l = useStore(lang);
  return (
    <span class="risk" data-testid="risk-status" data-status={risk.status} data-reason={risk.reason}>
      <span class={`badge risk-${risk.status}`}>{label('trRisk', risk.status)}</span>{' '}
      <span class="risk-reason">{l === 'zh' ? risk.label.zh : risk.label.en}</span>
    </span>
  );
}

/**
 * The risk status of a subject, read under `options.purpose`. Shown only if the server answers:
 * where the viewer may not read it, nothing is shown (the caller asks only where the policy lets its role).
 */
export function SubjectRiskStatus({ subjectId, options }: { subjectId: string; options?: CallOptions }) {
  const [risk, setRisk] = useState<RiskStatus | null>(null);
  useEffect(() => {
    let live = true;
    get<RiskStatus & { subjectId: string }>(`/api/subjects/${seg(subjectId)}/risk-status`, options).then((r) => { if (live) setRisk(r); }, () => { if (live) setRisk(null); });
    return () => {
      live = false;
    };
  }, [subjectId]);
  return risk ? (
    <div class="kv">
      <dt>{t('tracing.risk')}</dt>
      <dd><RiskBadge risk={risk} /></dd>
    </div>
  ) : null;
}
