import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import { and, asc, count, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations, users } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";

export function listOrganizations(db: Executor) {
  return db
    .select({ organization: organizations, userCount: count(users.id) })
    .from(organizations)
    .leftJoin(users, eq(users.orgId, organizations.id))
    .groupBy(organizations.id)
    .orderBy(asc(organizations.kind), asc(organizations.name));
}

export function listUsers(db: Executor) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt, lastSignInAt: users.lastSignInAt, orgName: organizations.name, orgKind: organizations.kind })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .orderBy(asc(organizations.name), asc(users.email));
}

/** Refuses, on the form's merchantId field, an id that is not a merchant organization. */
export async function assertMerchant(db: Executor, merchantId: string) {
  const [merchant] = await db.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.id, merchantId), eq(organizations.kind, "merchant")));
  if (!merchant) throw new AppError("invalid_input", "errors.access.pickMerchant", { field: "merchantId" });
}

/** An IANA time zone name (Europe/Berlin, Asia/Tokyo, UTC), as Intl knows them. */
export const timeZoneSchema = z.string().trim().min(1, localizable("errors.form.pickTimeZone")).refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, localizable("errors.form.unknownTimeZone"));

/** The time zone the organization's days are counted in (stats, caps). */
/** The organization's time zone, in which its days are counted (stats, caps). */
export async function organizationTimeZone(db: Executor, orgId: string): Promise<string> {
  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, orgId));
  return org?.timeZone ?? "UTC";
}

export async function setOrganizationTimeZone(db: Executor, orgId: string, timeZone: string) {
  await db.update(organizations).set({ timeZone }).where(eq(organizations.id, orgId));
}
