import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_NAME_LENGTH, NAME_DOT, maskName, normalizeName, validateName } from './name.ts';

describe('normalizeName', () => {
  it('trims, collapses whitespace and lowercases', () => {
    assert.equal(normalizeName('  Li   Wei '), 'li wei');
    assert.equal(normalizeName('LI\tWEI\n'), 'li wei');
    assert.equal(normalizeName('张\u3000三'), '张 三');
    assert.equal(normalizeName('张三'), '张三');
  });

  it('applies NFKC (full-width letters, composed accents)', () => {
    assert.equal(normalizeName('ＬＩ　ＷＥＩ'), 'li wei');
    assert.equal(normalizeName('Jose\u0301'), normalizeName('Jos\u00E9'));
    assert.equal(normalizeName('ﬁona'), 'fiona');
  });

  it('maps every middle-dot variant to one canonical dot', () => {
    const variants = ['\u00B7', '\u2022', '\u30FB', '\u2027', '\uFF0E', '\uFF65', '\u0387'];
    for (const dot of variants) {
      assert.equal(normalizeName(`阿卜杜${dot}热合曼`), `阿卜杜${NAME_DOT}热合曼`, `U+${dot.codePointAt(0)?.toString(16)}`);
    }
    assert.equal(normalizeName('阿卜杜 · 热合曼'), '阿卜杜·热合曼');
    assert.equal(normalizeName('Abdul • Rahman'), 'abdul·rahman');
  });

  it('leaves an ASCII full stop alone', () => {
    assert.equal(normalizeName('J. Smith'), 'j. smith');
  });

  it('drops zero-width characters', () => {
    assert.equal(normalizeName('张\u200B三\uFEFF'), '张三');
  });

  it('is idempotent (property)', () => {
    const dots = fc.constantFrom('\u00B7', '\u2022', '\u30FB', '\u2027', '\uFF0E', '\u0387', ' ', '\u3000', '\u200B', '\u0301');
    const mixed = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), dots)).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mixed), (s) => {
        const once = normalizeName(s);
        return normalizeName(once) === once;
      }),
      { numRuns: 2000 },
    );
  });

  it('produces no leading/trailing or doubled whitespace (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const n = normalizeName(s);
        return n === n.trim() && !/\s\s/.test(n) && !/[\t\n\r]/.test(n);
      }),
    );
  });
});

describe('validateName', () => {
  it('accepts ordinary names', () => {
    for (const name of ['张三', 'Li Wei', '阿卜杜·热合曼', "O'Brien", 'x'.repeat(MAX_NAME_LENGTH), '𠀀'.repeat(MAX_NAME_LENGTH)]) {
      assert.equal(validateName(name), null, name);
    }
  });

  it('rejects empty, overlong and control-character names without echoing them', () => {
    assert.equal(validateName(''), 'name is empty');
    assert.equal(validateName(' \t\u3000 '), 'name is empty');
    assert.equal(validateName('x'.repeat(MAX_NAME_LENGTH + 1)), `name is longer than ${MAX_NAME_LENGTH} characters`);
    assert.equal(validateName('张\u0000三'), 'name contains control characters');
    assert.equal(validateName('Li\u007FWei'), 'name contains control characters');
  });
});

describe('maskName', () => {
  it('keeps the first code point', () => {
    assert.equal(maskName('张三丰'), '张**');
    assert.equal(maskName('Li Wei'), 'L*****');
    assert.equal(maskName('王'), '王');
    assert.equal(maskName(''), '');
    assert.equal(maskName('𠀀𠀁'), '𠀀*');
  });

  it('has one character per code point (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (s) => {
        const masked = maskName(s);
        const chars = [...s];
        return [...masked].length === chars.length && masked.startsWith(chars[0] as string) && /^\**$/.test(masked.slice((chars[0] as string).length));
      }),
    );
  });
});
