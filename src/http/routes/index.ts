import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../services/app-context.ts';
import { DEFAULT_BREAK_GLASS_HOURS } from '../../services/break-glass.service.ts';
import { DEFAULT_REVEAL_MINUTES } from '../../services/reveal.service.ts';
import { accessRoutes } from './access.routes.ts';
import type { AccessSettings } from './access.routes.ts';
import { caseRoutes } from './case.routes.ts';
import { clusterRoutes } from './clusters.routes.ts';
import { contactRoutes } from './contact.routes.ts';
import { noteRoutes } from './note.routes.ts';
import { releaseRoutes } from './release.routes.ts';
import { searchRoutes } from './search.routes.ts';
import { subjectRoutes } from './subject.routes.ts';
import { supervisionRoutes } from './supervision.routes.ts';
import { travelRoutes } from './travel.routes.ts';
import { tracingRoutes } from './tracing.routes.ts';

/** The staff API routes (docs/STAFF-API.md), except sign-in and terms (auth.routes.ts). */
export async function apiRoutes(api: FastifyInstance, ctx: AppContext, settings: Partial<AccessSettings> = {}): Promise<void> {
  await caseRoutes(api, ctx);
  await contactRoutes(api, ctx);
  await subjectRoutes(api, ctx);
  await travelRoutes(api, ctx);
  await tracingRoutes(api, ctx);
  await clusterRoutes(api, ctx);
  await noteRoutes(api, ctx);
  await searchRoutes(api, ctx);
  await supervisionRoutes(api, ctx);
  await releaseRoutes(api, ctx);
  await accessRoutes(api, ctx, {
    revealMinutes: settings.revealMinutes ?? DEFAULT_REVEAL_MINUTES,
    breakGlassHours: settings.breakGlassHours ?? DEFAULT_BREAK_GLASS_HOURS,
  });
}
