/** Break-glass: the request form (a reason, then the grant) and the page for a case that cannot be opened. */
import { useState } from 'preact/hooks';
import { post, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { t } from '../i18n.ts';
import { reasonProblem } from '../validate.ts';

/** The break-glass request: a reason, then `POST /api/cases/:id/break-glass`; the grant's expiry is shown. */
export function BreakGlassForm({ id, onGranted }: { id: string; onGranted(expiresAt: string): void }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const p = reasonProblem(reason);
    if (p) return setProblem(t(p));
    setBusy(true);
    try {
      const grant = await post<{ expiresAt: string }>(`/api/cases/${seg(id)}/break-glass`, { reason: reason.trim() });
      onGranted(grant.expiresAt);
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} data-testid="break-glass-form">
      <p class="notice notice-warn">{t('breakGlass.offer')}</p>
      <div class="field">
        <label for="bg-reason">{t('breakGlass.reason')}</label>
        <textarea id="bg-reason" rows={3} maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      <FormError message={problem} />
      <button type="submit" class="danger" disabled={busy}>{t('breakGlass.submit')}</button>
    </form>
  );
}

/** The answer for a case that does not exist or may not be opened (the same 404 for both). */
export function NoAccess({ id, offer, onGranted }: { id: string; offer: boolean; onGranted(expiresAt: string): void }) {
  return (
    <section class="card narrow" data-testid="no-access">
      <h1>{t('breakGlass.title')}</h1>
      <p>{t('breakGlass.notFound')}</p>
      {offer ? <BreakGlassForm id={id} onGranted={onGranted} /> : null}
      <p><button type="button" class="link" onClick={() => history.back()}>{t('breakGlass.back')}</button></p>
    </section>
  );
}

