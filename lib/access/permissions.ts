import type { MemberRole, OrgKind } from "@/db/schema";

export type { MemberRole, OrgKind };

/**
 * The one permission table. Pages, server actions and route handlers ask `can()`; nothing checks a
 * party or role by hand. A party (the organization's kind) grants a list of permissions; a
 * `viewer` keeps only the `:read` ones of its party.
 */
export const PERMISSIONS = [
  "offers:read",
  "offers:write",
  "memberships:read",
  "memberships:write",
  "campaigns:read",
  "campaigns:write",
  "endpoints:read",
  "endpoints:write",
  "postbacks:read",
  "postbacks:write",
  "conversions:read",
  "conversions:write",
  "logs:read",
  "stats:read",
  "api_keys:write",
  "organizations:read",
  "organizations:write",
  "users:read",
  "users:write",
  "health:read",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const PARTY_PERMISSIONS: Record<OrgKind, readonly Permission[]> = {
  affiliate: [
    "offers:read",
    "memberships:read",
    "memberships:write",
    "campaigns:read",
    "campaigns:write",
    "postbacks:read",
    "postbacks:write",
    "conversions:read",
    "logs:read",
    "stats:read",
    "api_keys:write",
  ],
  network: [
    "offers:read",
    "offers:write",
    "memberships:read",
    "memberships:write",
    "endpoints:read",
    "endpoints:write",
    "postbacks:read",
    "postbacks:write",
    "conversions:read",
    "conversions:write",
    "logs:read",
    "stats:read",
    "api_keys:write",
  ],
  merchant: ["offers:read", "endpoints:read", "postbacks:read", "conversions:read", "logs:read", "api_keys:write"],
  platform: ["organizations:read", "organizations:write", "users:read", "users:write", "health:read"],
};

export type Principal = { orgKind: OrgKind; role: MemberRole };

export function can(principal: Principal, permission: Permission): boolean {
  if (principal.role === "viewer" && !permission.endsWith(":read")) return false;
  return PARTY_PERMISSIONS[principal.orgKind].includes(permission);
}

/** Where each party lands after signing in. */
export const HOME_PATHS: Record<OrgKind, string> = {
  affiliate: "/affiliate",
  network: "/network",
  merchant: "/merchant",
  platform: "/admin",
};
