"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { publicAction } from "@/lib/access/action";
import { signIn } from "@/lib/access/auth";
import { AppError } from "@/lib/platform/errors";

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
      throw new AppError("unauthenticated", "That email and password do not match an active account.", {
        field: "password",
      });
    }
    throw error;
  }
});
