/** The cases assigned to the signed-in user (case metadata only; no personal data). */
import { useEffect, useState } from 'preact/hooks';
import { get, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { districtName, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { Page } from '../../../src/domain/views/page.ts';
import type { AssignedCase } from '../../../src/domain/views/staff.ts';
import { dateTime, itemsOf } from '../format.ts';
import { ClassBadge } from './case-list.tsx';

export function MyAssignmentsPage() {
  const [items, setItems] = useState<AssignedCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Page<AssignedCase>>('/api/me/assignments?limit=100').then((r) => setItems(itemsOf(r)), (err: unknown) => setError(errorMessage(err)));
  }, []);
  return (
    <section aria-labelledby="assignments-title">
      <h1 id="assignments-title">{t('assignments.title')}</h1>
      <FormError message={error} />
      {items === null ? (error ? null : <p>{t('app.loading')}</p>) : items.length === 0 ? <p class="empty">{t('assignments.none')}</p> : (
        <table class="list" data-testid="assignments">
          <thead>
            <tr><th>{t('cases.caseNumber')}</th><th>{t('cases.classification')}</th><th>{t('cases.jurisdiction')}</th><th>{t('cases.reportDate')}</th><th>{t('assignments.since')}</th></tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.caseId}>
                <td><Link href={`/cases/${seg(a.caseId)}`} state={{ via: 'assignments' }} data-testid="case-link">{a.caseNumber}</Link></td>
                <td><ClassBadge value={a.classification} /></td>
                <td>{districtName(a.jurisdiction)}</td>
                <td>{a.reportDate}</td>
                <td>{dateTime(a.assignedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
