import { z } from "zod";
import { type ErrorKey, isErrorKey, issueKeyOf, issueValues, localizeMessage, type MessageValues, translateError } from "./error-messages";
import { DEFAULT_LOCALE, type Locale } from "./locale";

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

const DEFAULT_MESSAGES: Record<ErrorCode, ErrorKey> = {
  bad_request: "errors.code.bad_request",
  invalid_input: "errors.code.invalid_input",
  unauthenticated: "errors.code.unauthenticated",
  forbidden: "errors.code.forbidden",
  not_found: "errors.code.not_found",
  method_not_allowed: "errors.code.method_not_allowed",
  conflict: "errors.code.conflict",
  payload_too_large: "errors.code.payload_too_large",
  rate_limited: "errors.code.rate_limited",
  internal: "errors.code.internal",
  unavailable: "errors.code.unavailable",
};

export type ErrorBody = { code: string; message: string; field?: string };

/**
 * An error's message is a key of the `errors` catalogue (`"errors.notFound.postback"`, with the
 * `values` it names), so each reader gets it in their language; `message` itself stays English for
 * logs. Plain text is still taken and shown as it is in every language.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  /** A more specific, stable code for API clients (e.g. `invalid_secret`); defaults to `code`. */
  readonly detailCode?: string;
  readonly messageKey?: ErrorKey;
  readonly values?: MessageValues;

  constructor(code: ErrorCode, message?: ErrorKey | (string & {}), options: { field?: string; detailCode?: string; values?: MessageValues } = {}) {
    const key = message === undefined ? DEFAULT_MESSAGES[code] : isErrorKey(message) ? message : undefined;
    super(key ? translateError(DEFAULT_LOCALE, key, options.values) : message);
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
    this.detailCode = options.detailCode;
    this.messageKey = key;
    this.values = options.values;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  /** The message in a reader's language; the code and the field are the same in all of them. */
  messageIn(locale: Locale): string {
    return this.messageKey ? translateError(locale, this.messageKey, this.values) : localizeMessage(this.message, locale);
  }

  toBody(locale: Locale = DEFAULT_LOCALE): ErrorBody {
    return { code: this.detailCode ?? this.code, message: this.messageIn(locale), ...(this.field ? { field: this.field } : {}) };
  }
}

/** Turns any thrown value into an AppError: zod issues name their field; unknown errors are logged and hidden. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    if (!issue) return new AppError("invalid_input");
    // A field a strict schema does not know is the field at fault (a misspelt name).
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
    const field = path.join(".") || undefined;
    return new AppError("invalid_input", issueKeyOf(issue) ?? issue.message, { field, values: issueValues(issue) });
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
export function databaseUnreachable(error: unknown): boolean {
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
