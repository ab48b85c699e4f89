import { getLocale } from "next-intl/server";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Database } from "@/db/client";
import { getDb } from "@/lib/platform/database";
import { getSessionUser } from "./auth";
import { AppError } from "@/lib/platform/errors";
import { parseInput } from "@/lib/platform/input";
import { isLocale, DEFAULT_LOCALE, type Locale } from "@/lib/platform/locale";
import { type ActionResult, actionError } from "./action-result";
import { can, type Permission } from "./permissions";
import type { SessionUser } from "./users";

export type { ActionError, ActionResult } from "./action-result";
export type ActionContext = { user: SessionUser; db: Database };

/**
 * The one way to build a server action. The wrapper, not the action, reads the session, reloads
 * the user, checks the permission in the table and parses the input; the handler only runs when
 * all of that passed. `permission: "signed-in"` is for actions any signed-in user may take.
 */
export function action<S extends z.ZodType, T>(
  config: { schema: S; permission: Permission | "signed-in" },
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
) {
  return async (input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    runAction(async () => {
      const user = await getSessionUser();
      if (!user) throw new AppError("unauthenticated");
      if (config.permission !== "signed-in" && !can(user, config.permission)) throw new AppError("forbidden");
      return handler(parseInput(config.schema, input), { user, db: getDb() });
    });
}

/** For the few actions a signed-out person may call (signing in). Same parsing and error mapping. */
export function publicAction<S extends z.ZodType, T>(
  config: { schema: S },
  handler: (input: z.output<S>, ctx: { db: Database }) => Promise<T>,
) {
  return async (input: FormData | z.input<S>): Promise<ActionResult<T>> =>
    runAction(() => handler(parseInput(config.schema, input), { db: getDb() }));
}

async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    unstable_rethrow(error); // redirect() and notFound() are control flow, not failures
    return { ok: false, error: actionError(error, await readerLocale()) };
  }
}

/** The reader's language (next-intl's: profile, cookie, browser), asked only when there is something to say. */
async function readerLocale(): Promise<Locale> {
  try {
    const locale = await getLocale();
    return isLocale(locale) ? locale : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}
