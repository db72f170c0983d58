import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey, RootKey } from '../crypto/index.ts';
import type { CaseInput, PersonInput } from '../domain/model.ts';
import { packPeople, unpackPeople } from './seal-transport.ts';
import type { PackedPeople } from './seal-transport.ts';
import { sealPerson } from './subject-cipher.ts';

const keys = { root: new RootKey(3, Buffer.alloc(32, 9)), documentIndex: generateKey('index'), phoneIndex: generateKey('index'), nameIndex: generateKey('index'), auditSubject: generateKey('token') };

function person(i: number): { person: PersonInput; case: CaseInput | null } {
  const documents: PersonInput['identity']['documents'] = [{ type: 'resident_id', number: `11010519491231${String(i).padStart(3, '0')}X` }];
  if (i % 4 === 1) documents.push({ type: 'passport', number: `E${String(i).padStart(8, '0')}`, country: 'CHN' });
  return {
    person: {
      identity: { name: `张${i}`, documents, birthDate: '1949-12-31', sex: 'F', ...(i % 3 === 0 ? {} : { phone: `+86139${String(i).padStart(8, '0')}` }) },
      jurisdictionCode: '110105',
      ...(i % 2 === 0 ? { streetCode: '110105001' } : {}),
    },
    case: i % 5 === 4 ? null : {
      classification: 'confirmed', reportDate: '2025-01-03', caseNumber: i % 5 === 3 ? `CN-${i}-案例,"x"` : '',
      ...(i % 5 === 2 ? { confirmationDate: '2025-01-04' } : {}),
    },
  };
}

describe('seal transport', () => {
  it('packs sealed people into a few arrays and unpacks the same rows, Buffers included', () => {
    const now = '2026-11-29T00:00:00.000Z';
    const sealed = Array.from({ length: 40 }, (_, i) => { const p = person(i); return sealPerson(keys, p.person, p.case, now); });
    const { packed, transfer } = packPeople(sealed);
    // As a worker posts it: the byte buffer and typed arrays are transferred, not copied.
    const received = structuredClone(packed, { transfer }) as PackedPeople;
    assert.equal(packed.blobs.byteLength, 0, 'transferred away from the sender');
    const back = unpackPeople(received);
    assert.deepStrictEqual(back, sealed);
    for (const s of back) {
      assert.ok(Buffer.isBuffer(s.person.identity.sealed) && Buffer.isBuffer(s.person.key.wrapped) && Buffer.isBuffer(s.person.documents[0]!.doc_bidx));
      assert.equal(Object.keys(s.person.subject).join(), 'id,jurisdiction_code,street_code,retention_until,created_at');
    }
    assert.deepEqual(unpackPeople(structuredClone(packPeople([]).packed)), []);
  });

  it('refuses rows of one person that name different subjects, and a malformed batch', () => {
    const s = sealPerson(keys, person(1).person, person(1).case, '2026-11-29T00:00:00.000Z');
    assert.throws(() => packPeople([{ ...s, person: { ...s.person, key: { ...s.person.key, subject_id: 'sother' } } }]), /different subjects/);
    const { packed } = packPeople([s]);
    assert.throws(() => unpackPeople({ ...packed, blobLengths: Uint32Array.from([...packed.blobLengths, 1]) }), /malformed/);
  });
});
