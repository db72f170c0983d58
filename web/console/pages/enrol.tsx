/**
 * First-time enrolment: an account created with a one-time password must choose its own password
 * (step 1), then accept the confidentiality terms (step 2). The terms page is also where a user is
 * sent when the terms change.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, session } from '../api.ts';
import type { Session } from '../api.ts';
import { continueSignedIn } from '../auth-flow.ts';
import { Field, FormError, errorMessage, useForm } from '../form.tsx';
import { lang, t } from '../i18n.ts';
import { useStore } from '../store.ts';
import { passwordProblem } from '../validate.ts';

export interface Terms {
  version: string;
  text: { en: string; zh: string };
  accepted: boolean;
}

export function EnrolPasswordPage() {
  const username = useStore(session)?.account.username ?? '';
  const form = useForm({ currentPassword: '', newPassword: '', confirm: '' }, {
    currentPassword: { required: true },
    newPassword: { required: true, checks: [passwordProblem, (v) => (username && v.toLowerCase().includes(username.toLowerCase()) ? 'v.passwordUser' : null)] },
    confirm: { required: true },
  });

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      // The change starts a new session: its answer carries the new CSRF token.
      const s = await post<Session>('/api/auth/password', { currentPassword: form.values.currentPassword, newPassword: form.values.newPassword });
      continueSignedIn(s);
    }, (v) => (v.confirm && v.confirm !== v.newPassword ? { confirm: 'enrol.mismatch' } : {}));
  };
  const mismatch = form.values.confirm !== '' && form.values.confirm !== form.values.newPassword;

  return (
    <section class="card narrow" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('enrol.title')}</h1>
      <h2>{t('enrol.step1')}</h2>
      <p>{t('enrol.passwordIntro')}</p>
      <div class="rules" data-testid="password-rules">
        <strong>{t('enrol.rules')}</strong>
        <ul>
          <li>{t('enrol.rule1')}</li>
          <li>{t('enrol.rule2')}</li>
          <li>{t('enrol.ruleUser')}</li>
          <li>{t('enrol.rule3')}</li>
        </ul>
      </div>
      <form onSubmit={onSubmit} noValidate data-testid="password-form">
        <Field form={form} name="currentPassword" type="password" label={t('enrol.current')} autoComplete="current-password" required />
        <Field form={form} name="newPassword" type="password" label={t('enrol.new')} autoComplete="new-password" required />
        <Field form={form} name="confirm" type="password" label={t('enrol.confirm')} autoComplete="new-password" required />
        {mismatch ? <div class="field-error" role="alert">{t('enrol.mismatch')}</div> : null}
        <FormError message={form.formError} />
        <button type="submit" class="primary" disabled={form.busy || mismatch}>{t('enrol.changePassword')}</button>
      </form>
    </section>
  );
}

export function TermsPage() {
  const l = useStore(lang);
  const s = useStore(session);
  const [terms, setTerms] = useState<Terms | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<Terms>('/api/terms').then(setTerms, (err: unknown) => setError(errorMessage(err)));
  }, []);

  const accept = async (e: Event) => {
    e.preventDefault();
    if (!terms || !agreed) return;
    setBusy(true);
    try {
      const accepted = await post<Terms>('/api/terms/accept', { version: terms.version });
      if (s && accepted.accepted) continueSignedIn({ ...s, account: { ...s.account, termsAccepted: true } });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="terms-title">
      <h1 id="terms-title">{t('enrol.title')}</h1>
      <h2>{t('enrol.step2')}</h2>
      {terms ? (
        <form onSubmit={accept} data-testid="terms-form">
          <p class="muted">{t('terms.version', { version: terms.version })}</p>
          <div class="terms-text" data-testid="terms-text" lang={l === 'zh' ? 'zh-CN' : 'en'}>{l === 'zh' ? terms.text.zh : terms.text.en}</div>
          <label class="check">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed((e.currentTarget as HTMLInputElement).checked)} data-testid="terms-agree" />
            {t('terms.read')}
          </label>
          <FormError message={error} />
          <button type="submit" class="primary" disabled={!agreed || busy} data-testid="terms-accept">{t('terms.accept')}</button>
        </form>
      ) : error ? <FormError message={error} /> : <p>{t('app.loading')}</p>}
    </section>
  );
}
