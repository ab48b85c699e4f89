import { z } from "zod";

/**
 * The one error type. Each code has an HTTP status and a message a person can read; anything that
 * is not an AppError is reported as `internal` with no detail (the detail goes to the server log).
 */
export const ERROR_CODES = {
  bad_request: 400,
  invalid_input: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  bad_request: "The request could not be read.",
  invalid_input: "Some fields are not valid.",
  unauthenticated: "Sign in to continue.",
  forbidden: "Your role does not allow this.",
  not_found: "Not found.",
  method_not_allowed: "This address does not take this method.",
  conflict: "This conflicts with something that already exists.",
  payload_too_large: "The request is too large.",
  rate_limited: "Too many requests. Try again shortly.",
  internal: "Something went wrong on our side. It has been logged.",
  unavailable: "The database is out of reach for a moment; nothing was recorded. Retry shortly.",
};

export type ErrorBody = { code: string; message: string; field?: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  /** A more specific, stable code for API clients (e.g. `invalid_secret`); defaults to `code`. */
  readonly detailCode?: string;

  constructor(code: ErrorCode, message?: string, options: { field?: string; detailCode?: string } = {}) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
    this.detailCode = options.detailCode;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return { code: this.detailCode ?? this.code, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

/** Turns any thrown value into an AppError: zod issues name their field; unknown errors are logged and hidden. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    // A field a strict schema does not know is the field at fault (a misspelt name).
    const path = issue?.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : (issue?.path ?? []);
    const field = path.join(".") || undefined;
    return new AppError("invalid_input", issue ? issue.message : undefined, { field });
  }
  if (databaseUnreachable(error)) {
    console.error("[postline] the database is out of reach", describeForLog(error));
    return new AppError("unavailable");
  }
  console.error("[postline] unexpected error", describeForLog(error));
  return new AppError("internal");
}

// postgres.js's own codes for a lost or refused connection, and Postgres's for a lost connection
// or a server shutting down or starting up. Not a bare ECONNRESET/EPIPE (a client hanging up
// raises them too) and not 08P01 (a protocol violation is our bug, not an outage).
const UNREACHABLE_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED",
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03",
]);

/**
 * The driver's error inside drizzle's DrizzleQueryError (which carries the query, its parameters
 * and the cause). Told by its shape: drizzle does not set the class's name, and a production
 * bundle may hold more than one copy of the class, so neither `name` nor `instanceof` is reliable.
 */
function driverErrorOf(error: unknown): (Error & { code?: unknown }) | undefined {
  return error instanceof Error && "query" in error && "params" in error && error.cause instanceof Error ? error.cause : undefined;
}

// Inside drizzle's wrapper these come from the database's own socket, so they mean it broke.
const UNREACHABLE_DRIVER_CODES = new Set([...UNREACHABLE_CODES, "ECONNRESET", "EPIPE"]);

/** A failure of the connection, not of the statement: the request may be retried as it is. */
function databaseUnreachable(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  const code = (driverError ?? (error as { code?: unknown } | null))?.code;
  return typeof code === "string" && (driverError ? UNREACHABLE_DRIVER_CODES : UNREACHABLE_CODES).has(code);
}

/**
 * What the server log keeps of an unexpected error. A failed query's message carries its bound
 * parameters (secrets among them), so only the database's own code and message are kept.
 */
export function describeForLog(error: unknown): unknown {
  const cause = driverErrorOf(error);
  return cause ? `query failed: ${String(cause.code ?? "")} ${cause.message}` : error;
}
