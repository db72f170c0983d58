import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex } from '../crypto/index.ts';
import { TERMS_TEXT, TERMS_VERSION } from './terms.ts';

/**
 * The text of each version, pinned. Editing the terms without a new TERMS_VERSION fails here:
 * give the new text a new version (every account then accepts it again) and pin its hash.
 */
const PINNED: Record<string, string> = {
  '2026-12-01': 'e228688226d4685c79fa0df279c860c79120639026b930e97b5b8f8e3ea84e64',
};

describe('confidentiality terms', () => {
  it('change version whenever the text changes', () => {
    assert.equal(sha256Hex(JSON.stringify(TERMS_TEXT)), PINNED[TERMS_VERSION], `terms ${TERMS_VERSION}: text changed without a new version`);
  });

  it('exist in English and Chinese', () => {
    assert.match(TERMS_TEXT.en, /Confidentiality/);
    assert.match(TERMS_TEXT.zh, /保密承诺/);
    assert.equal(TERMS_TEXT.en.split('\n').length, TERMS_TEXT.zh.split('\n').length);
  });
});
