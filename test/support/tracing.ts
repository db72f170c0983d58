/**
 * A small world for contact-tracing tests: staff of any role, places of the venue registry, people
 * (with or without a case) and their venue visits, all written through the application's services
 * (so visits have their co-location tokens exactly as in production), and staff requests to call
 * the tracing services with.
 */
import { randomBytes } from 'node:crypto';
import type { Purpose, Role } from '../../src/domain/roles.ts';
import type { AppContext } from '../../src/services/app-context.ts';
import { createCase } from '../../src/services/case.service.ts';
import type { StaffRequest } from '../../src/services/staff-context.ts';
import { validatePerson } from '../../src/services/staff-input.ts';
import type { PersonFields } from '../../src/services/staff-input.ts';
import { sealPerson } from '../../src/services/subject-cipher.ts';
import { addTravel } from '../../src/services/travel.service.ts';
import { CHAOYANG, daysAgo, person } from './records.ts';
import { createStaff } from './staff.ts';
import type { StaffCredentials } from './staff.ts';

export interface StaffMember extends StaffCredentials {
  req(purpose?: Purpose): StaffRequest;
}

export async function staffMember(ctx: AppContext, role: Role, jurisdiction: string, termsAccepted = true): Promise<StaffMember> {
  const creds = await createStaff(ctx, { role, jurisdiction, termsAccepted });
  return {
    ...creds,
    req: (purpose: Purpose = 'contact_tracing') => ({
      actor: { id: creds.id, role, username: creds.username, jurisdiction, termsAccepted },
      purpose, requestId: `req-${randomBytes(4).toString('hex')}`, now: new Date(),
    }),
  };
}

/** A place of the public registry. */
export async function addPlace(ctx: AppContext, district = CHAOYANG, name = `测试场所${randomBytes(2).toString('hex')}`): Promise<string> {
  const id = `pl-test-${randomBytes(5).toString('hex')}`;
  await ctx.store.travel.insertPlaces([{ id, name, address: `北京市某区${name}`, district_code: district, category: 'restaurant', lat: 39.9, lon: 116.4 }]);
  return id;
}

/** A registered person without a case (fields of `person()`, with any overrides); returns the subject id. */
export async function addPerson(ctx: AppContext, district = CHAOYANG, overrides: Partial<PersonFields> = {}): Promise<string> {
  const today = daysAgo(0);
  const sealed = sealPerson({ ...ctx.keys, root: ctx.keys.keyring.current() }, validatePerson(person(district, overrides), today), null, new Date().toISOString());
  await ctx.store.subjects.insertPeople([sealed.person]);
  return sealed.person.subject.id;
}

/** A case (new person) opened by a supervisor; the tracer, if given, assigned to it. */
export async function addCase(ctx: AppContext, supervisor: StaffMember, district: string, dates: { onset: string; report: string }, assign: StaffMember[] = []): Promise<{ caseId: string; subjectId: string }> {
  const c = await createCase(ctx, supervisor.req('case_investigation'), { person: person(district), case: { classification: 'confirmed', reportDate: dates.report, onsetDate: dates.onset, confirmationDate: dates.report } });
  for (const s of assign) await ctx.store.cases.assign(c.id, s.id, new Date().toISOString());
  return { caseId: c.id, subjectId: c.subjectId };
}

/** `YYYY-MM-DD` + `HH:MM` in China time, as an ISO date-time. */
export const at = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`;

/** A venue visit through the travel service (tokens written as in production); returns the travel id. */
export async function visit(ctx: AppContext, supervisor: StaffMember, subjectId: string, placeId: string, date: string, from: string, to: string): Promise<string> {
  const v = await addTravel(ctx, supervisor.req('contact_tracing'), subjectId, { mode: 'venue_visit', placeId, arrival: at(date, from), departure: at(date, to) });
  return v.id;
}

/**
 * Two confirmed Chaoyang cases who both ate at restaurant A two days ago and at restaurant B three
 * days ago, each time with 3 other visitors (so each venue-hour reaches 5 registered visitors): B's
 * exposure point expires a day before A's. Used by the exposure-point expiry tests.
 */
export async function twoRestaurantOutbreak(ctx: AppContext): Promise<{ placeA: string; placeB: string }> {
  const supervisor = await staffMember(ctx, 'supervisor', '110000');
  const placeA = await addPlace(ctx, CHAOYANG, '测试火锅店');
  const placeB = await addPlace(ctx, CHAOYANG, '测试面馆');
  const c1 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
  const c2 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
  for (const [place, day] of [[placeA, daysAgo(2)], [placeB, daysAgo(3)]] as const) {
    await visit(ctx, supervisor, c1.subjectId, place, day, '12:00', '12:40');
    await visit(ctx, supervisor, c2.subjectId, place, day, '12:10', '12:50');
    for (let i = 0; i < 3; i++) await visit(ctx, supervisor, await addPerson(ctx), place, day, '12:15', '12:45');
  }
  return { placeA, placeB };
}
