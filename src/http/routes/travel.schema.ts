import { z } from 'zod';
import { TRAVEL_MODES } from '../../domain/model.ts';
import { Cursor, Id, IsoDateTime, Limit, Line } from './common.schema.ts';

export const TravelBody = z.strictObject({
  mode: z.enum(TRAVEL_MODES),
  placeId: Id.optional(),
  placeText: Line(200).optional(),
  arrival: IsoDateTime,
  departure: IsoDateTime,
});

export const PatchTravelBody = z.strictObject({
  mode: z.enum(TRAVEL_MODES).optional(),
  placeId: Id.nullable().optional(),
  placeText: Line(200).nullable().optional(),
  arrival: IsoDateTime.optional(),
  departure: IsoDateTime.optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'change at least one field', path: ['mode'] });

export const TravelQuery = z.strictObject({ cursor: Cursor, limit: Limit });

export const TravelView = z.object({
  id: z.string(),
  subjectId: z.string(),
  mode: z.enum(TRAVEL_MODES),
  placeId: z.string().nullable(),
  placeName: z.string().nullable(),
  placeText: z.string().nullable(),
  arrival: z.string(),
  departure: z.string(),
});
