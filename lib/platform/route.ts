import { getSessionUser } from "@/lib/access/auth";
import { AppError, toAppError } from "./errors";
import { errorResponse, requestLocale } from "./http";
import { can, type Permission } from "@/lib/access/permissions";
import type { SessionUser } from "@/lib/access/users";

/**
 * The route-handler twin of the action wrapper, for signed-in API routes (log lists, streams,
 * exports): session, reloaded user, permission from the table, errors as JSON with their code.
 */
export function withUser<C>(permission: Permission, handler: (request: Request, user: SessionUser, context: C) => Promise<Response>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const user = await getSessionUser();
      if (!user) throw new AppError("unauthenticated");
      if (!can(user, permission)) throw new AppError("not_found");
      return await handler(request, user, context);
    } catch (error) {
      return errorResponse(toAppError(error), requestLocale(request));
    }
  };
}
