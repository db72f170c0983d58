import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BEIJING_DISTRICTS,
  DIVISIONS_SOURCE,
  divisionLevel,
  divisionName,
  districtsOf,
  isDistrictCode,
  isKnownDivisionCode,
  isKnownRegionPrefix,
  isStreetCode,
  isWithin,
  parentCode,
  streetsOf,
} from './divisions.ts';

describe('division lookups', () => {
  it('records its source', () => {
    assert.match(DIVISIONS_SOURCE, /GB\/T 2260/);
  });

  it('knows districts and streets', () => {
    assert.equal(isDistrictCode('110105'), true);
    assert.equal(divisionName('110105'), '朝阳区');
    assert.equal(isStreetCode('110105001'), true);
    assert.equal(divisionName('110105001'), '建外街道');
    assert.equal(isDistrictCode('999999'), false);
    assert.equal(isDistrictCode('110105001'), false);
    assert.equal(isDistrictCode('1101'), false);
    assert.equal(isStreetCode('110105'), false);
    assert.equal(isStreetCode('999999999'), false);
  });

  it('rejects non-digit or prototype-like keys', () => {
    for (const code of ['', 'constructor', '__proto__', '11010５', ' 110105', '110105 ']) {
      assert.equal(isKnownDivisionCode(code), false, code);
      assert.equal(divisionName(code), undefined, code);
    }
  });

  it('names every level, including padded 6-digit forms', () => {
    assert.equal(divisionName('11'), '北京市');
    assert.equal(divisionName('44'), '广东省');
    assert.equal(divisionName('4403'), '深圳市');
    assert.equal(divisionName('110000'), '北京市');
    assert.equal(divisionName('440300'), '深圳市');
    assert.equal(divisionName('441900'), '东莞市');
    assert.equal(divisionName('99'), undefined);
  });

  it('reports levels', () => {
    assert.deepEqual(['11', '1101', '110105', '110105001', '110000'].map(divisionLevel), ['province', 'city', 'area', 'street', undefined]);
  });
});

describe('isKnownRegionPrefix', () => {
  it('accepts provinces, cities and areas written with six digits', () => {
    for (const code of ['110000', '110100', '110105', '440300', '440305', '441900']) assert.equal(isKnownRegionPrefix(code), true, code);
  });

  it('rejects unknown or malformed codes', () => {
    for (const code of ['999999', '000000', '990000', '119900', '11', '1101', '110105001', 'abcdef', '11010X']) {
      assert.equal(isKnownRegionPrefix(code), false, code);
    }
  });
});

describe('hierarchy', () => {
  it('lists Beijing\u2019s 16 districts', () => {
    assert.equal(BEIJING_DISTRICTS.length, 16);
    assert.ok(BEIJING_DISTRICTS.every((c) => c.startsWith('1101') && isDistrictCode(c)));
    assert.ok(BEIJING_DISTRICTS.includes('110105'));
    assert.deepEqual([...BEIJING_DISTRICTS], [...BEIJING_DISTRICTS].sort());
    assert.ok(Object.isFrozen(BEIJING_DISTRICTS));
    assert.deepEqual(districtsOf('11'), [...BEIJING_DISTRICTS]);
  });

  it('lists districts of a province or city and streets of an area', () => {
    assert.ok(districtsOf('44').length > districtsOf('4403').length);
    assert.ok(districtsOf('4403').includes('440305'));
    assert.deepEqual(districtsOf('110105'), []);
    assert.deepEqual(districtsOf('99'), []);
    const streets = streetsOf('110105');
    assert.ok(streets.includes('110105001'));
    assert.deepEqual(streets, [...streets].sort());
    assert.deepEqual(streetsOf('999999'), []);
    assert.deepEqual(streetsOf('1101'), []);
  });

  it('returns fresh arrays that callers may mutate', () => {
    districtsOf('1101').pop();
    assert.equal(districtsOf('1101').length, 16);
  });

  it('walks up parents to the province', () => {
    assert.equal(parentCode('110105001'), '110105');
    assert.equal(parentCode('110105'), '1101');
    assert.equal(parentCode('1101'), '11');
    assert.equal(parentCode('11'), undefined);
    assert.equal(parentCode('999999'), undefined);
  });

  it('answers isWithin for jurisdiction checks', () => {
    assert.equal(isWithin('110105001', '11'), true);
    assert.equal(isWithin('110105001', '1101'), true);
    assert.equal(isWithin('110105001', '110105'), true);
    assert.equal(isWithin('110105001', '110105001'), true);
    assert.equal(isWithin('11', '11'), true);
    assert.equal(isWithin('110105001', '110106'), false);
    assert.equal(isWithin('110105001', '12'), false);
    assert.equal(isWithin('11', '110105'), false);
    assert.equal(isWithin('110199', '11'), false, 'unknown code is within nothing');
    assert.equal(isWithin('110105', '1'), false, 'partial prefixes are not ancestors');
    assert.equal(isWithin('110105', ''), false);
  });

  it('every street is within each of its ancestors (property)', () => {
    const streets = streetsOf('110105').concat(streetsOf('440305'), streetsOf('510107'));
    fc.assert(
      fc.property(fc.constantFrom(...streets), (street) => {
        const chain = [street];
        for (let p = parentCode(street); p !== undefined; p = parentCode(p)) chain.push(p);
        return chain.length === 4 && chain.every((ancestor) => isWithin(street, ancestor) && isKnownDivisionCode(ancestor));
      }),
    );
  });
});
