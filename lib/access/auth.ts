import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { getDb } from "@/lib/platform/database";
import type { MemberRole, OrgKind } from "@/db/schema";
import { getEnv } from "@/lib/platform/env";
import { can, type Permission } from "./permissions";
import { loadActiveUser, type SessionUser, verifyCredentials } from "./users";

declare module "next-auth" {
  interface User {
    orgId: string;
    orgKind: OrgKind;
    role: MemberRole;
    sessionVersion: number;
  }
  interface Session {
    user: { id: string; name: string; email: string; orgId: string; orgKind: OrgKind; role: MemberRole; sessionVersion: number };
  }
}

const credentialsSchema = z.object({ email: z.string().min(1), password: z.string().min(1) });

/*
 * One Auth.js config, Node only: there is no proxy (middleware), so nothing runs on the edge and
 * the public hot paths (`/c/…`, the postback endpoint) never pay for a session check.
 * Sessions are JWT cookies (Credentials requires it); every request that reads or writes data
 * reloads the user from the database (`getSessionUser`), so disabling a user takes effect at once.
 */
export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: getEnv().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  logger: {
    // A wrong password is an answer, not a server error: keep it out of the error log.
    error(error) {
      // `type`, not `name`: a production build minifies class names.
      if ((error as { type?: string }).type !== "CredentialsSignin") console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const user = await verifyCredentials(getDb(), parsed.data.email, parsed.data.password);
        if (!user) throw new CredentialsSignin();
        return { id: user.userId, name: user.name, email: user.email, orgId: user.orgId, orgKind: user.orgKind, role: user.role, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) Object.assign(token, { uid: user.id, orgId: user.orgId, orgKind: user.orgKind, role: user.role, sv: user.sessionVersion });
      return token;
    },
    session({ session, token }) {
      Object.assign(session.user, { id: token.uid, orgId: token.orgId, orgKind: token.orgKind, role: token.role, sessionVersion: token.sv ?? 0 });
      return session;
    },
  },
});

/** The signed-in user as the database knows them now, once per request; null when signed out or disabled. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  return userId ? loadActiveUser(getDb(), userId, session.user.sessionVersion ?? 0) : null;
});

/** For pages: signed out → the sign-in page; signed in without the permission → 404, as for a foreign id. */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (!can(user, permission)) notFound();
  return user;
}

/** For a party's section of the app: other parties get a 404, not a hint that the section exists. */
export async function requireParty(kind: OrgKind): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.orgKind !== kind) notFound();
  return user;
}
