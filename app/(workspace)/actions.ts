"use server";

import { z } from "zod";
import { action } from "@/lib/access/action";
import { signOut } from "@/lib/access/auth";
import { setUserLocale, setUserTimeZone, userTimeZoneInputSchema } from "@/lib/access/users";
import { LOCALES } from "@/lib/platform/locale";
import { rememberLocale } from "@/lib/platform/locale-cookie";

export const signOutAction = action({ schema: z.object({}), permission: "signed-in" }, async () => {
  await signOut({ redirectTo: "/login" });
});

/** The profile keeps the language for every browser the user signs in from; the cookie keeps it here after signing out. */
export const setLocaleAction = action({ schema: z.object({ locale: z.enum(LOCALES) }), permission: "signed-in" }, async ({ locale }, { user, db }) => {
  await setUserLocale(db, user.userId, locale);
  await rememberLocale(locale);
});

/** The zone the user reads times in: saved from the browser on the first visit, changed on the profile page. */
export const setTimeZoneAction = action({ schema: userTimeZoneInputSchema, permission: "signed-in" }, async ({ timeZone }, { user, db }) => {
  await setUserTimeZone(db, user.userId, timeZone);
  return { timeZone };
});
