import { cookies } from "next/headers";
import { LOCALE_COOKIE, type Locale } from "./locale";

/** Keeps the choice in this browser for a year: the sign-in page, and users who have not saved one, read it. */
export async function rememberLocale(locale: Locale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 60 * 60 });
}
