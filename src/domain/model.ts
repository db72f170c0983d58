/**
 * The data of an epidemic investigation (DESIGN.md "Data at rest"). These are the decrypted,
 * validated shapes that services work with; what is sealed and what stays in clear is decided in
 * services and listed in docs/THREAT-MODEL.md.
 */
export const CLASSIFICATIONS = ['suspected', 'confirmed', 'asymptomatic', 'excluded'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const DOCUMENT_TYPES = ['resident_id', 'passport', 'other_permit'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const SEXES = ['M', 'F'] as const;
export type Sex = (typeof SEXES)[number];

export const OUTCOMES = ['under_treatment', 'recovered', 'died', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const TRAVEL_MODES = ['venue_visit', 'walk', 'bus', 'metro', 'taxi', 'car', 'train', 'flight', 'other'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];

export const EXPOSURE_TYPES = ['household', 'workplace', 'shared_venue', 'transport', 'healthcare', 'other'] as const;
export type ExposureType = (typeof EXPOSURE_TYPES)[number];

/** An identity document: keyed by type and number (a passport's issuing country is part of its number's key). */
export interface IdentityDocument {
  type: DocumentType;
  number: string;
  country?: string;
}

/** Everything identifying about a person: sealed as one document under the subject's data key. */
export interface Identity {
  name: string;
  documents: IdentityDocument[];
  phone?: string;
  address?: string;
  birthDate: string;
  sex: Sex;
  occupation?: string;
  employer?: string;
}

/** A subject as it is registered: identity plus the clear operational metadata. */
export interface PersonInput {
  identity: Identity;
  jurisdictionCode: string;
  streetCode?: string;
  retentionUntil?: string;
}

/** The sealed part of a case (health details). */
export interface CaseDetails {
  onsetDate?: string;
  outcome?: Outcome;
  source?: string;
}

export interface CaseInput extends CaseDetails {
  caseNumber: string;
  classification: Classification;
  reportDate: string;
  confirmationDate?: string;
}

export interface Observation {
  kind: 'symptom' | 'test' | 'temperature';
  date: string;
  symptoms?: string[];
  test?: { type: string; specimenDate: string; result: 'positive' | 'negative' | 'pending' };
  temperatureC?: number;
}

export interface ContactExposure {
  exposureType: ExposureType;
  exposureDate: string;
  setting?: string;
  quarantineStart?: string;
  quarantineEnd?: string;
}

/** A travel record: a venue visit (placeId) or a trip; times are epoch milliseconds. */
export interface TravelRecord {
  mode: TravelMode;
  placeId?: string;
  placeText?: string;
  arrival: number;
  departure: number;
}

/** A public venue (the registry is public data and is stored in clear). */
export interface Place {
  id: string;
  name: string;
  address: string;
  districtCode: string;
  category: string;
  lat: number;
  lon: number;
}

/** Default retention of a subject's record, from its registration (DESIGN.md: retention schedules come later). */
export const DEFAULT_RETENTION_DAYS = 365 * 2;
