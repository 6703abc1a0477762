/** Staff roles, weakest first: each role includes every role before it (admin ⊃ editor ⊃ staff). */
export const ROLES = ['staff', 'editor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when a token holding `held` may do what needs `required`. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/** Who a token is for: a login name or e-mail address, lowercase. */
export const SUBJECT_PATTERN = /^[a-z0-9][a-z0-9._@-]*$/;

/** Who is acting: the verified holder of a staff token. */
export interface Actor {
  readonly subject: string;
  readonly role: Role;
  readonly tokenId: string;
}
