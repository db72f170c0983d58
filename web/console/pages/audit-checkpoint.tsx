/**
 * The latest signed checkpoint of the audit log (public, `GET /api/audit/checkpoint`), with copy
 * buttons so that an auditor keeps it outside the database: a later rewrite of the log is then
 * detected against it (`epivault audit verify --against FILE`, docs/AUDIT.md).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from '../api.ts';
import { errorMessage, FormError } from '../form.tsx';
import { t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import type { Checkpoint } from './audit-shared.tsx';

/** Copies a text: the Clipboard API, or else selecting the element and the copy command. */
async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!element) return false;
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

function CopyButton({ text, target, testId }: { text: string; target: { current: HTMLElement | null }; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => setState((await copyText(text, target.current)) ? 'copied' : 'failed');
  return (
    <span class="copy">
      <button type="button" class="small" data-testid={testId} onClick={() => void copy()}>{t('checkpoint.copy')}</button>
      <span role="status" class={state === 'failed' ? 'field-error' : 'ok'}>{state === 'copied' ? t('checkpoint.copied') : state === 'failed' ? t('checkpoint.copyFailed') : ''}</span>
    </span>
  );
}

export function CheckpointCard() {
  const [cp, setCp] = useState<Checkpoint | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteRef = useRef<HTMLPreElement>(null);
  const keyRef = useRef<HTMLElement>(null);
  useEffect(() => {
    get<Checkpoint>('/api/audit/checkpoint').then(setCp, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setMissing(true);
      else setError(errorMessage(err));
    });
  }, []);
  return (
    <section class="card checkpoint" aria-labelledby="checkpoint-title" data-testid="checkpoint">
      <h2 id="checkpoint-title">{t('checkpoint.title')}</h2>
      <p class="muted">{t('checkpoint.intro')}</p>
      <FormError message={error} />
      {missing ? <p class="empty">{t('checkpoint.none')}</p> : null}
      {cp ? (
        <>
          <dl class="facts">
            <div class="kv"><dt>{t('checkpoint.size')}</dt><dd data-testid="checkpoint-size">{cp.size}</dd></div>
            <div class="kv"><dt>{t('checkpoint.createdAt')}</dt><dd>{dateTime(cp.createdAt)}</dd></div>
          </dl>
          <div class="card-head"><h3>{t('checkpoint.note')}</h3><CopyButton text={cp.checkpoint} target={noteRef} testId="copy-checkpoint" /></div>
          <pre class="note-text" ref={noteRef} data-testid="checkpoint-note">{cp.checkpoint}</pre>
          <div class="card-head"><h3>{t('checkpoint.key')}</h3><CopyButton text={cp.publicKey} target={keyRef} testId="copy-key" /></div>
          <code class="note-text block" ref={keyRef} data-testid="checkpoint-key">{cp.publicKey}</code>
        </>
      ) : null}
    </section>
  );
}
