import { ApiError, post } from '../api.ts';
import type { Session } from '../api.ts';
import { continueSignedIn } from '../auth-flow.ts';
import { Field, FormError, useForm } from '../form.tsx';
import { t } from '../i18n.ts';

/** Sign-in: username, password and the 6-digit TOTP code (RFC 6238). */
export function SignInPage() {
  const form = useForm({ username: '', password: '', totp: '' }, {
    username: { required: true },
    password: { required: true },
    totp: { required: true, checks: [(v) => (/^\d{6}$/.test(v.trim()) ? null : 'v.totp')] },
  });

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      try {
        const s = await post<Session>('/api/auth/login', { username: form.values.username.trim(), password: form.values.password, totp: form.values.totp.trim() }, { quiet401: true });
        form.set('password', '');
        form.set('totp', '');
        continueSignedIn(s);
      } catch (err) {
        form.set('password', '');
        form.set('totp', '');
        if (err instanceof ApiError && err.code === 'ERR_AUTH') form.setFormError(t('signIn.failed'));
        else if (err instanceof ApiError && err.code === 'ERR_THROTTLED') form.setFormError(t('e.throttledShort'));
        else throw err;
      }
    });
  };

  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('app.name')} · {t('signIn.title')}</h1>
      <p class="muted">{t('signIn.intro')}</p>
      <form onSubmit={onSubmit} noValidate data-testid="sign-in-form">
        <Field form={form} name="username" label={t('signIn.username')} autoComplete="username" required />
        <Field form={form} name="password" type="password" label={t('signIn.password')} autoComplete="current-password" required />
        <Field form={form} name="totp" label={t('signIn.totp')} autoComplete="one-time-code" inputMode="numeric" maxLength={6} required />
        <FormError message={form.formError} />
        <button type="submit" class="primary" disabled={form.busy}>{t('signIn.submit')}</button>
      </form>
    </section>
  );
}
