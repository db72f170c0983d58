/**
 * A masked identity field with its "reveal" control: the user states a reason (at least 10
 * characters, recorded in the audit log), the server answers with the value and when the grant
 * expires, and the value is shown with a countdown until then. The clear value lives only in this
 * component's state: never in storage, never in a URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { post } from './api.ts';
import { errorMessage } from './form.tsx';
import { t } from './i18n.ts';
import type { FieldView, MaskableField } from '../../src/domain/masking.ts';
import { reasonProblem } from './validate.ts';

/** The current time, refreshed every `ms` while mounted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function Countdown({ until, onExpired }: { until: number; onExpired(): void }) {
  const now = useNow(1000);
  const left = until - now;
  useEffect(() => {
    if (left <= 0) onExpired();
  }, [left <= 0]);
  return <span class="countdown" data-testid="reveal-countdown">{t('reveal.expiresIn', { time: formatRemaining(left) })}</span>;
}

interface RevealProps {
  label: string;
  field: MaskableField;
  resourceType: 'subject';
  resourceId: string;
  view: FieldView | null;
  /** The server's abilities allow a reveal of this field (the server checks again). */
  canReveal?: boolean;
}

export function MaskedField({ label, field, resourceType, resourceId, view, canReveal = true }: RevealProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ value: string | null; until: number } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const p = reasonProblem(reason);
    if (p) {
      setProblem(t(p));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const r = await post<{ value: string | null; expiresAt: string }>('/api/reveal', { resourceType, id: resourceId, field, reason: reason.trim() });
      setRevealed({ value: r.value, until: Date.parse(r.expiresAt) });
      setOpen(false);
      setReason('');
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const masked = view?.masked ?? true;
  const shown = revealed ? revealed.value : view?.value ?? null;
  const isMasked = !revealed && masked;
  const id = `reveal-${field}-${resourceId}`.replace(/\W/g, '-');
  return (
    <div class="kv" data-field={field}>
      <dt>{label}</dt>
      <dd>
        <span class={isMasked ? 'value masked' : 'value clear'} data-testid={`field-${field}`} data-masked={isMasked ? 'true' : 'false'}>
          {shown ?? t('common.none')}
        </span>
        {isMasked ? <span class="tag">{t('field.masked')}</span> : null}
        {revealed ? <Countdown until={revealed.until} onExpired={() => setRevealed(null)} /> : null}
        {revealed ? <button type="button" class="link" onClick={() => setRevealed(null)}>{t('reveal.hide')}</button> : null}
        {isMasked && canReveal && !open ? (
          <button type="button" class="small" data-testid={`reveal-${field}`} onClick={() => setOpen(true)}>{t('reveal.button')}</button>
        ) : null}
        {open ? (
          <form class="reveal-form" onSubmit={submit}>
            <label for={id}>{t('reveal.reason')}</label>
            <textarea id={id} rows={2} value={reason} maxLength={500} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
            {problem ? <div class="field-error" role="alert">{problem}</div> : null}
            <div class="actions">
              <button type="submit" class="primary small" disabled={busy}>{t('reveal.submit')}</button>
              <button type="button" class="small" onClick={() => { setOpen(false); setProblem(null); }}>{t('reveal.cancel')}</button>
            </div>
          </form>
        ) : null}
      </dd>
    </div>
  );
}
