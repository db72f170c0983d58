/**
 * What the supervision and audit pages share: the shapes of the answers of
 * src/http/routes/supervision.schema.ts (alerts and audit events: src/domain/views/audit.ts, the
 * services' own types), the table of audit events, the notice that these pages
 * state the purpose `audit`, the note rule of closing an alert, and the file download of the CSV
 * export. Audit events hold no personal value (docs/AUDIT.md): ids, codes, times, reasons.
 */
import type { AuditEventView as AuditEvent } from '../../../src/domain/views/audit.ts';
import { ApiError, seg, session } from '../api.ts';
import type { Purpose } from '../api.ts';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { PATHS } from '../nav.ts';
import { Link } from '../router.tsx';

/** Every request of these pages states this purpose, whatever the header's selector says. */
export const AUDIT: { purpose: Purpose } = { purpose: 'audit' };

export type AlertKind = 'break_glass' | 'reveal_burst' | 'enumeration' | 'out_of_scope' | 'unusual_hours' | 'failed_sign_in';

export interface ActivityCount {
  action: string;
  outcome: string;
  n: number;
}

export interface Activity {
  accountId: string;
  from: string;
  to: string;
  counts: ActivityCount[];
}

export interface Checkpoint {
  size: number;
  checkpoint: string;
  publicKey: string;
  createdAt: string;
}

/** The notice of every supervision and audit page: its requests state the purpose `audit`. */
export function AuditPurposeNotice() {
  return <p class="notice notice-info" data-testid="audit-purpose">{t('audit.purposeNotice')}</p>;
}

/** Staff accounts have ids; `system:…` actors and `anonymous` (unknown usernames) have no activity report. */
export const isStaffAccount = (id: string) => id !== 'anonymous' && !id.startsWith('system:');

/** An account id, linked to its activity report when it is a staff account. */
export function AccountRef({ id }: { id: string }) {
  if (id === 'anonymous') return <span class="muted">{t('alerts.anonymous')}</span>;
  if (!isStaffAccount(id)) return <code>{id}</code>;
  return <Link href={`${PATHS.activity}/${seg(id)}`} class="account-ref" data-testid="account-link"><code>{id}</code></Link>;
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span class={`badge result-${outcome}`}>{label('result', outcome)}</span>;
}

/** Audit events as a table, in the order given. */
export function EventsTable({ events, testId }: { events: readonly AuditEvent[]; testId: string }) {
  return (
    <div class="table-scroll">
      <table class="list events" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('events.seq')}</th><th>{t('events.at')}</th><th>{t('events.actor')}</th><th>{t('events.action')}</th>
            <th>{t('events.resource')}</th><th>{t('events.purpose')}</th><th>{t('events.outcome')}</th><th>{t('events.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-seq={e.seq}>
              <td class="num">{e.seq}</td>
              <td class="nowrap">{dateTime(e.at)}</td>
              <td><AccountRef id={e.actor} /> <span class="muted">{label('role', e.actorRole)}</span></td>
              <td><code>{e.action}</code></td>
              <td>
                <code>{e.resourceType}</code>{e.resourceId ? <> <code class="muted">{e.resourceId}</code></> : null}
                {e.subjectRef ? <div class="muted small" title={t('events.subjectHint')}>{t('events.subject')} <code>{e.subjectRef.slice(0, 12)}…</code></div> : null}
              </td>
              <td>{label('purpose', e.purpose)}</td>
              <td><OutcomeBadge outcome={e.outcome} /></td>
              <td class="reason">{e.reason ?? t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The server's rule for notes and reasons: one per character, two per CJK character, at least 10 (src/services/access.service.ts). */
export function noteProblem(v: string): MessageKey | null {
  const text = v.trim();
  const chars = typeof Intl.Segmenter === 'function' ? [...new Intl.Segmenter().segment(text)].map((s) => s.segment) : [...text];
  const weight = chars.reduce((w, ch) => w + (/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(ch) ? 2 : 1), 0);
  return weight < 10 ? 'v.note' : null;
}

/**
 * POSTs a JSON body under the purpose `audit` and returns the answer as a file (the CSV export).
 * Like api.ts `call`: the CSRF token, the purpose, no cache; errors become ApiError.
 */
export async function postForFile(path: string, body: unknown): Promise<Blob> {
  const headers: Record<string, string> = { accept: 'text/csv, application/json', 'content-type': 'application/json', 'x-epivault-purpose': AUDIT.purpose };
  const csrf = session.get()?.csrfToken;
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'ERR_NETWORK', 'network error');
  }
  if (!res.ok) {
    let err: { code?: unknown; message?: unknown; field?: unknown } = {};
    try {
      err = (await res.json()) as typeof err;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, typeof err.code === 'string' ? err.code : `HTTP_${res.status}`, typeof err.message === 'string' ? err.message : res.statusText, typeof err.field === 'string' ? err.field : undefined);
  }
  return res.blob();
}

/** Saves a blob as a file through an object URL (released once the download started). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `YYYY-MM-DD` of a Date in local time. */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A local date or date-time from an input (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`) as an ISO instant, or null. */
export function localToIso(value: string, addDays = 0): string | null {
  const d = new Date(/T/.test(value) ? value : `${value}T00:00`);
  if (Number.isNaN(d.getTime())) return null;
  d.setDate(d.getDate() + addDays);
  return d.toISOString();
}
