import { relations } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** The four parties. `platform` is the operator's own organization; its users are the admins. */
export const orgKind = pgEnum("org_kind", ["network", "merchant", "affiliate", "platform"]);
export const memberRole = pgEnum("member_role", ["owner", "member", "viewer"]);
export const membershipStatus = pgEnum("membership_status", ["pending", "approved", "rejected"]);
/** The languages the app is written in; a new one needs its catalogue in messages/ and a migration here. */
export const LOCALES = ["en", "ru", "ko", "zh", "ja"] as const;
export type Locale = (typeof LOCALES)[number];
export const locale = pgEnum("locale", LOCALES);

export const organizations = pgTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: orgKind("kind").notNull(),
  /** Days of stats and caps are counted in this IANA time zone. */
  timeZone: text("time_zone").notNull().default("UTC"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: memberRole("role").notNull().default("member"),
    /** Bumped when the password is reset: sessions signed in before that stop working. */
    sessionVersion: integer("session_version").notNull().default(0),
    /** The language the user chose; null until they choose, and then the browser's cookie or Accept-Language decides. */
    locale: locale("locale"),
    /** The IANA zone the user reads times in; null until saved, and then the browser's zone is saved on the next visit. */
    timeZone: text("time_zone"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email), index("users_org_idx").on(t.orgId)],
);

/**
 * An organization's API key (the management API, and the leads API for affiliates). Only a hash is
 * kept; the prefix lets a person recognise it. `access: read` keys act as a viewer of the organization.
 */
export const apiKeyAccess = pgEnum("api_key_access", ["read", "write"]);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    access: apiKeyAccess("access").notNull().default("write"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_org_idx").on(t.orgId)],
);

/** An affiliate's standing with a network. One row per pair; the status moves, the row stays. */
export const memberships = pgTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    networkId: text("network_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    affiliateId: text("affiliate_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: membershipStatus("status").notNull().default("pending"),
    note: text("note"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_pair_key").on(t.networkId, t.affiliateId),
    index("memberships_affiliate_idx").on(t.affiliateId),
  ],
);

export const organizationsRelations = relations(organizations, ({ many }) => ({
  users: many(users),
}));

export const usersRelations = relations(users, ({ one }) => ({
  organization: one(organizations, { fields: [users.orgId], references: [organizations.id] }),
}));

export type Organization = typeof organizations.$inferSelect;
export type OrgKind = (typeof orgKind.enumValues)[number];
export type User = typeof users.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
export type Membership = typeof memberships.$inferSelect;
