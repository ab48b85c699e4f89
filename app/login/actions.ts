"use server";

import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { publicAction } from "@/lib/access/action";
import { signIn } from "@/lib/access/auth";
import { AppError } from "@/lib/platform/errors";
import { LOCALES } from "@/lib/platform/locale";
import { rememberLocale } from "@/lib/platform/locale-cookie";

const loginSchema = z.object({
  email: z.email("Enter the email address you signed up with."),
  password: z.string().min(1, "Enter your password."),
  next: z.string().optional(),
});

/** Only same-site paths are followed after sign-in (no open redirect through `?next=`). */
function safeNextPath(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export const loginAction = publicAction({ schema: loginSchema }, async ({ email, password, next }) => {
  try {
    await signIn("credentials", { email, password, redirectTo: safeNextPath(next) });
  } catch (error) {
    if (error instanceof AuthError) {
      const t = await getTranslations("signIn");
      throw new AppError("unauthenticated", t("wrongCredentials"), {
        field: "password",
      });
    }
    throw error;
  }
});

/** Before signing in there is no profile: the choice stays in this browser, and the first switch after signing in saves it. */
export const setBrowserLocaleAction = publicAction({ schema: z.object({ locale: z.enum(LOCALES) }) }, async ({ locale }) => {
  await rememberLocale(locale);
});
