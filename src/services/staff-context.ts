import type { Purpose, Role } from '../domain/roles.ts';
import type { Actor } from './audit.service.ts';

/** A signed-in staff member, as the session layer hands it to services. */
export interface StaffActor extends Actor {
  readonly id: string;
  readonly role: Role;
  readonly username: string;
  /** GB/T 2260 code of the account's node in the division tree. */
  readonly jurisdiction: string;
  /** The current confidentiality terms are accepted. */
  readonly termsAccepted: boolean;
}

/** Everything a staff use case needs to know about the request it serves. */
export interface StaffRequest {
  readonly actor: StaffActor;
  /** The purpose the request states (header `x-epivault-purpose`). */
  readonly purpose: Purpose;
  /** Fastify's request id, copied into every audit event of the request. */
  readonly requestId: string;
  readonly now: Date;
}
