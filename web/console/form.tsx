/**
 * Form state with field-level messages: client-side checks run on submit (and on leaving a field
 * once it was checked), and the server's 400 `field` answers are shown next to the field they name.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { checkField } from './validate.ts';
import type { Check } from './validate.ts';

export interface FieldSpec {
  required?: boolean;
  checks?: readonly Check[];
}

export type Values<K extends string> = Record<K, string>;

export interface Form<K extends string> {
  values: Values<K>;
  errors: Partial<Record<K, string>>;
  /** A message for the whole form (not tied to one field). */
  formError: string | null;
  busy: boolean;
  set(name: K, value: string): void;
  /** Runs every client-side check; false (and messages shown) if any fails. */
  validate(extra?: (v: Values<K>) => Partial<Record<K, MessageKey>>): boolean;
  setError(name: K, message: string): void;
  setFormError(message: string | null): void;
  /** Shows an API error next to its field (or above the form); returns nothing. */
  showError(err: unknown): void;
  /** Runs `action` with the busy flag set and errors shown. */
  submit(action: () => Promise<void>, extra?: (v: Values<K>) => Partial<Record<K, MessageKey>>): Promise<void>;
}

/** The message for an API error code, in the current language. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return t('e.internal');
  switch (err.code) {
    case 'ERR_AUTH': return t('e.auth');
    case 'ERR_THROTTLED': return t('e.throttledShort');
    case 'ERR_CSRF': return t('e.csrf');
    case 'ERR_NOT_FOUND': return t('e.notFound');
    case 'ERR_CONFLICT': return t('e.conflict');
    case 'ERR_VALIDATION': return err.field ? t('e.validationField', { message: err.message }) : t('e.validation');
    case 'ERR_REASON_REQUIRED': return t('e.reason');
    case 'ERR_NETWORK': return t('e.network');
    case 'ERR_TERMS_REQUIRED':
    case 'ERR_PASSWORD_CHANGE_REQUIRED': return t('e.forbidden');
    default: return err.status === 403 ? t('e.forbidden') : t('e.internal');
  }
}

/**
 * The form field a server field path names: exact (`identity.phone`), or the last segments matching
 * (`documents.0.number` → `document`, via `aliases`).
 */
function fieldFor<K extends string>(serverField: string, names: readonly K[], aliases: Partial<Record<string, K>>): K | undefined {
  if ((names as readonly string[]).includes(serverField)) return serverField as K;
  const alias = aliases[serverField];
  if (alias) return alias;
  const last = serverField.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? '';
  return names.find((n) => n === last || n.endsWith(`.${last}`) || aliases[last] === n);
}

export function useForm<K extends string>(initial: Values<K>, spec: Partial<Record<K, FieldSpec>>, aliases: Partial<Record<string, K>> = {}): Form<K> {
  const [values, setValues] = useState<Values<K>>(initial);
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const names = Object.keys(initial) as K[];

  const checkAll = (v: Values<K>, extra?: (v: Values<K>) => Partial<Record<K, MessageKey>>) => {
    const found: Partial<Record<K, string>> = {};
    for (const name of names) {
      const s = spec[name];
      if (!s) continue;
      const problem = checkField(v[name], s.checks ?? [], s.required ?? false);
      if (problem) found[name] = t(problem);
    }
    for (const [name, key] of Object.entries(extra?.(v) ?? {}) as [K, MessageKey][]) if (key && !found[name]) found[name] = t(key);
    return found;
  };

  const form: Form<K> = {
    values, errors, formError, busy,
    set(name, value) {
      setValues((old) => ({ ...old, [name]: value }));
      if (errors[name]) setErrors((old) => ({ ...old, [name]: undefined }));
    },
    validate(extra) {
      const found = checkAll(values, extra);
      setErrors(found);
      const ok = Object.values(found).every((m) => !m);
      setFormError(ok ? null : t('e.form'));
      return ok;
    },
    setError(name, message) {
      setErrors((old) => ({ ...old, [name]: message }));
    },
    setFormError,
    showError(err) {
      if (err instanceof ApiError && err.field && (err.code === 'ERR_VALIDATION' || err.code === 'ERR_REASON_REQUIRED')) {
        const name = fieldFor(err.field, names, aliases);
        if (name) {
          setErrors((old) => ({ ...old, [name]: t('e.validationField', { message: err.message }) }));
          setFormError(t('e.form'));
          return;
        }
      }
      setFormError(errorMessage(err));
    },
    async submit(action, extra) {
      if (busy) return;
      if (!form.validate(extra)) return;
      setBusy(true);
      setFormError(null);
      try {
        await action();
      } catch (err) {
        form.showError(err);
      } finally {
        setBusy(false);
      }
    },
  };
  return form;
}

interface FieldProps<K extends string> {
  form: Form<K>;
  name: K;
  label: string;
  type?: 'text' | 'password' | 'date' | 'datetime-local' | 'tel' | 'number';
  hint?: string;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'tel';
  maxLength?: number;
  required?: boolean;
  multiline?: boolean;
}

/** A labelled input with its message; ids and test ids derive from the field name. */
export function Field<K extends string>(p: FieldProps<K>) {
  const id = `f-${p.name.replace(/\W/g, '-')}`;
  const error = p.form.errors[p.name];
  const common = {
    id,
    name: p.name,
    value: p.form.values[p.name],
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    placeholder: p.placeholder,
    maxLength: p.maxLength,
    onInput: (e: Event) => p.form.set(p.name, (e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required ? <span class="req" aria-hidden="true"> *</span> : null}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...common} type={(p.type ?? 'text') as 'text'} autoComplete={p.autoComplete ?? 'off'} inputMode={p.inputMode} />
      )}
      {p.hint ? <div class="hint">{p.hint}</div> : null}
      {error ? <div class="field-error" id={`${id}-error`} role="alert">{error}</div> : null}
    </div>
  );
}

interface SelectProps<K extends string> {
  form: Form<K>;
  name: K;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  required?: boolean;
}

export function SelectField<K extends string>(p: SelectProps<K>) {
  const id = `f-${p.name.replace(/\W/g, '-')}`;
  const error = p.form.errors[p.name];
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>
        {p.label}
        {p.required ? <span class="req" aria-hidden="true"> *</span> : null}
      </label>
      <select id={id} name={p.name} value={p.form.values[p.name]} aria-invalid={error ? true : undefined}
        onChange={(e) => p.form.set(p.name, (e.currentTarget as HTMLSelectElement).value)}>
        {p.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {error ? <div class="field-error" role="alert">{error}</div> : null}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  return message ? <div class="form-error" role="alert">{message}</div> : null;
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'warn' | 'ok' }) {
  return <div class={`notice notice-${kind}`} role="status">{children}</div>;
}
