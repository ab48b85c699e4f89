import { asc, count, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations, users } from "@/db/schema";

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
