import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { graphemes, identityField, MASKABLE_FIELDS, maskAddress, maskBirthDate, maskDocument, maskIdentityFields, maskName, maskPhone } from './masking.ts';
import type { Identity } from './model.ts';
import { areaOf, isInJurisdiction, jurisdictionPrefix } from './jurisdiction.ts';

const IDENTITY: Identity = {
  name: '欧阳娜娜',
  documents: [{ type: 'resident_id', number: '110105198503011234' }, { type: 'passport', number: 'E12345678', country: 'CN' }],
  phone: '+8613800001234',
  address: '北京市朝阳区建国路88号3单元501',
  birthDate: '1985-03-01',
  sex: 'F',
  occupation: '教师',
  employer: '朝阳区实验小学',
};

describe('masking rules', () => {
  it('masks names: first character, then one star per remaining character', () => {
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(maskName('John Smith'), 'J*********');
    assert.equal(maskName('Zoë'), 'Z**', 'a precomposed ë is one character');
    assert.equal(maskName('Zoe\u0308'), 'Z**', 'e + combining diaeresis is one character');
    assert.equal(maskName('𠮷野家'), '𠮷**', 'a character outside the BMP is one character');
    assert.equal(maskName('阿卜杜·艾力'), '阿*****');
    assert.equal(maskName('王'), '*', 'a one-character name is not shown whole');
    assert.equal(maskName(''), '');
  });

  it('masks document numbers and phones as a star and the last four characters', () => {
    assert.equal(maskDocument('110105198503011234'), '*1234');
    assert.equal(maskDocument('11010519850301123X'), '*123X');
    assert.equal(maskDocument('E12345678'), '*5678');
    assert.equal(maskPhone('+8613800001234'), '*1234');
    assert.equal(maskPhone('13800001234'), '*1234');
    assert.equal(maskPhone('123456'), '*456', 'never more than half of a short value');
    assert.equal(maskPhone('1234'), '*34');
    assert.equal(maskPhone('1'), '*');
  });

  it('masks the address as the district of the subject\'s jurisdiction, and birth dates to the year', () => {
    assert.equal(maskAddress('110105'), '朝阳区');
    assert.equal(maskAddress('110105001'), '朝阳区', 'a street code shows its district only');
    assert.equal(maskAddress('110000'), '北京市', 'above district level: the division itself');
    assert.equal(maskAddress('999999'), null);
    assert.equal(maskBirthDate('1985-03-01'), '1985');
    assert.equal(maskBirthDate('not a date'), null);
  });

  it('masks a whole identity by default, marking each field, and hides occupation and employer', () => {
    const v = maskIdentityFields(IDENTITY, '110105001');
    assert.deepEqual(v.name, { value: '欧***', masked: true });
    assert.deepEqual(v.documents.map((d) => [d.type, d.value, d.masked]), [['resident_id', '*1234', true], ['passport', '*5678', true]]);
    assert.deepEqual(v.phone, { value: '*1234', masked: true });
    assert.deepEqual(v.address, { value: '朝阳区', masked: true });
    assert.deepEqual(v.birthDate, { value: '1985', masked: true });
    assert.deepEqual(v.occupation, { value: null, masked: true });
    assert.deepEqual(v.employer, { value: null, masked: true });
    assert.equal(v.sex, 'F');
    const json = JSON.stringify(v);
    for (const secret of ['娜娜', '198503', '建国路', '88号', '教师', '实验小学', '13800001', 'E1234']) assert.ok(!json.includes(secret), secret);
  });

  it('shows revealed fields in clear, and only those', () => {
    const v = maskIdentityFields(IDENTITY, '110105', ['phone', 'address']);
    assert.deepEqual(v.phone, { value: '+8613800001234', masked: false });
    assert.deepEqual(v.address, { value: IDENTITY.address, masked: false });
    assert.equal(v.name.masked, true);
    assert.equal(v.documents[0]!.masked, true);
    const all = maskIdentityFields(IDENTITY, '110105', MASKABLE_FIELDS);
    assert.equal(all.name.value, IDENTITY.name);
    assert.equal(all.employer.value, IDENTITY.employer);
    assert.ok(Object.values(all).every((f) => typeof f !== 'object' || Array.isArray(f) || !(f as { masked: boolean }).masked));
  });

  it('gives each field\'s clear value for a reveal', () => {
    assert.equal(identityField(IDENTITY, 'document'), '110105198503011234, E12345678');
    assert.equal(identityField(IDENTITY, 'birth_date'), '1985-03-01');
    assert.equal(identityField({ ...IDENTITY, phone: undefined }, 'phone'), null);
  });
});

const unicodeText = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 24 });

describe('masking properties', () => {
  it('a masked name shows at most its first character, and keeps the length in characters', () => {
    fc.assert(fc.property(unicodeText, (name) => {
      const chars = graphemes(name);
      const masked = graphemes(maskName(name));
      if (chars.length === 0) return masked.length === 0;
      const shown = masked.filter((c) => c !== '*');
      return masked.length === chars.length && shown.length <= 1 && (shown.length === 0 || shown[0] === chars[0]);
    }), { numRuns: 2000 });
  });

  it('a masked document or phone is a star and at most four (and at most half) of its last characters', () => {
    fc.assert(fc.property(unicodeText, fc.boolean(), (value, phone) => {
      const masked = phone ? maskPhone(value) : maskDocument(value);
      const chars = graphemes(value.trim());
      const tail = graphemes(masked).slice(1);
      return masked.startsWith('*') && tail.length <= Math.min(4, Math.floor(chars.length / 2))
        && tail.join('') === chars.slice(chars.length - tail.length).join('');
    }), { numRuns: 2000 });
  });

  it('graphemes splits exactly as the Unicode segmenter, on its fast path (ASCII, CJK ideographs) and off it', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const simple = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x4e00, max: 0x9fff })).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(fc.oneof(simple, unicodeText), (s) => {
      return JSON.stringify(graphemes(s)) === JSON.stringify(Array.from(segmenter.segment(s), (g) => g.segment));
    }), { numRuns: 3000 });
  });

  it('a masked birth date is at most its year', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 10);
      return maskBirthDate(iso) === iso.slice(0, 4);
    }));
  });

  it('nothing of the address, occupation or employer reaches a masked view', () => {
    fc.assert(fc.property(unicodeText, unicodeText, unicodeText, unicodeText, (a1, a2, occupation, employer) => {
      const one = maskIdentityFields({ ...IDENTITY, address: a1, occupation, employer }, '110105');
      const two = maskIdentityFields({ ...IDENTITY, address: a2, occupation: 'x', employer: 'y' }, '110105');
      return JSON.stringify(one) === JSON.stringify(two);
    }), { numRuns: 500 });
  });
});

describe('jurisdictions', () => {
  it('canonicalizes padded province and city codes', () => {
    assert.equal(jurisdictionPrefix('110000'), '11');
    assert.equal(jurisdictionPrefix('110100'), '1101');
    assert.equal(jurisdictionPrefix('110105'), '110105');
    assert.equal(jurisdictionPrefix('110105001'), '110105001');
    assert.equal(jurisdictionPrefix('110199'), undefined);
    assert.equal(jurisdictionPrefix('abc'), undefined);
    assert.equal(areaOf('110105001'), '110105');
    assert.equal(areaOf('110000'), undefined);
  });

  it('is within a subtree exactly when the code descends from it', () => {
    assert.equal(isInJurisdiction('110105001', '110000'), true);
    assert.equal(isInJurisdiction('110105', '110105'), true);
    assert.equal(isInJurisdiction('110105', '110105001'), false);
    assert.equal(isInJurisdiction('110108', '110105'), false);
    assert.equal(isInJurisdiction(undefined, '110105'), false);
    assert.equal(isInJurisdiction('1101051', '110105'), false);
  });
});
