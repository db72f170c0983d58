/**
 * Canary people: distinctive personal values planted by the tests, and the needles to look for
 * them in files, dumps, logs and output: UTF-8 text, percent-encoded, hex (both cases) and base64
 * at every alignment, so a value is found even in the middle of a longer encoded blob.
 */
import { makeResidentId } from '../../src/domain/id-number.ts';

export interface CanaryPerson {
  name: string;
  id_number: string;
  phone: string;
  address: string;
  birth_date: string;
  sex: 'M' | 'F';
  employer: string;
}

export function canaryPeople(): CanaryPerson[] {
  return [
    { name: '司马金丝雀', id_number: makeResidentId('110108', '1931-02-27', 417, 'F'), phone: '13912345671', address: '北京市海淀区金丝雀路88号探针大厦1701室', birth_date: '1931-02-27', sex: 'F', employer: '探针金丝雀科技有限公司' },
    { name: '上官探针', id_number: makeResidentId('110105', '1944-09-13', 733, 'M'), phone: '15887654329', address: '北京市朝阳区蜂鸟胡同29号院7号楼', birth_date: '1944-09-13', sex: 'M', employer: '蜂鸟哨兵物流' },
    { name: 'Zebulon Canarywick', id_number: makeResidentId('440305', '1952-12-05', 111, 'M'), phone: '+44 20 7946 0321', address: 'Flat 9, Quillfeather Court, 北京市东城区', birth_date: '1952-12-05', sex: 'M', employer: 'Sentinelbrook Ltd' },
  ];
}

/** The values that must never appear anywhere (plus their phone's E.164 form). */
export function canaryValues(people: CanaryPerson[]): string[] {
  return people.flatMap((p) => {
    const digits = p.phone.replace(/\D/g, '');
    const e164 = p.phone.startsWith('+') ? `+${digits}` : `+86${digits}`;
    return [p.name, p.id_number, digits, e164, p.address, p.birth_date, p.birth_date.replaceAll('-', ''), p.employer];
  });
}

export interface Needle {
  value: string;
  form: string;
  bytes: Buffer;
}

/** Base64 substrings that any occurrence of `value` must produce, at each of the 3 alignments. */
function base64Forms(value: Buffer): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), value]);
    const b64 = padded.toString('base64');
    const start = shift === 0 ? 0 : Math.ceil((shift * 8) / 6) + (shift === 2 ? 1 : 0);
    const fullBytes = Math.floor(padded.length / 3) * 3;
    const end = (fullBytes / 3) * 4;
    const s = b64.slice(start, end);
    if (s.length >= 8) out.push(s);
  }
  return out;
}

export function needles(values: string[]): Needle[] {
  const out: Needle[] = [];
  for (const value of values) {
    const utf8 = Buffer.from(value, 'utf8');
    out.push({ value, form: 'utf8', bytes: utf8 });
    out.push({ value, form: 'hex', bytes: Buffer.from(utf8.toString('hex')) });
    out.push({ value, form: 'HEX', bytes: Buffer.from(utf8.toString('hex').toUpperCase()) });
    // As a URL would carry it (percent-encoded), e.g. in a logged request line.
    const url = encodeURIComponent(value);
    if (url !== value) out.push({ value, form: 'url', bytes: Buffer.from(url) });
    for (const b of base64Forms(utf8)) out.push({ value, form: 'base64', bytes: Buffer.from(b) });
  }
  return out;
}

/** Every needle found in `haystack`, described without the value itself. */
export function findNeedles(haystack: Buffer, list: Needle[], where: string): string[] {
  return list.filter((n) => haystack.includes(n.bytes)).map((n) => `${where}: canary #${list.findIndex((m) => m.value === n.value)} as ${n.form}`);
}
