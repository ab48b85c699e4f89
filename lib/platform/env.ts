import { z } from "zod";

/**
 * The one place the app reads its settings. Parsed lazily (so `next build` can import modules
 * without production secrets) and once per process.
 */
const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "not a Postgres URL; write it as postgres://user:password@host:5432/postline" }).optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  /** Connections per instance (default 10; 2 on a serverless host). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  /** Set when DATABASE_URL goes through a transaction pooler: prepared statements are turned off. */
  DATABASE_POOLER: flag,
  AUTH_SECRET: z.string().min(16, "shorter than 16 characters; generate one: openssl rand -base64 33").optional(),
  SEED_DEMO: flag,
  /** Creates the first admin on a database that has none (then has no effect). */
  POSTLINE_FIRST_ADMIN_EMAIL: z.email().optional(),
  POSTLINE_FIRST_ADMIN_PASSWORD: z.string().min(10).optional(),
  /** Delays before each delivery attempt (Svix's schedule by default): "0,5s,5m,30m,2h,5h,10h,10h". */
  DELIVERY_RETRY_SCHEDULE: z.string().default("0,5s,5m,30m,2h,5h,10h,10h"),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Outgoing requests to these addresses or CIDR ranges pass the SSRF guard anyway. Development and tests only. */
  POSTBACK_ALLOWED_ADDRESSES: z.string().default(""),
  /** A postback is paused after this many deliveries in a row end failed. */
  POSTBACK_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).default(10),
  /** The sweeper wakes deliveries this long overdue. */
  DELIVERY_SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** A log stream ends itself after this long (before the host's 30 s limit); the page resumes from its cursor. */
  LOG_STREAM_SECONDS: z.coerce.number().int().min(1).max(25).default(25),
  /** Requests a minute one API key may make to the management API. */
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** How often the embedded dispatcher runs the sweeper (Inngest runs it every minute by its cron). */
  DELIVERY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Days clicks, the incoming log and delivery attempts are kept (lib/platform/retention.ts): whole
   * weeks are dropped once past. Clicks stay at least as long as the longest click lifetime of an offer.
   */
  RETENTION_CLICKS_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  RETENTION_INCOMING_LOG_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  RETENTION_DELIVERY_ATTEMPTS_DAYS: z.coerce.number().int().min(7).max(3650).default(30),
  /** Weekly partitions made ahead of the current week. */
  RETENTION_WEEKS_AHEAD: z.coerce.number().int().min(1).max(52).default(4),
});

export type Env = z.infer<typeof envSchema> & { AUTH_SECRET: string };

/** Development-only secret so `npm run dev` works with nothing set. Production refuses it (see `productionProblems`). */
const DEV_AUTH_SECRET = "postline-development-secret-do-not-use-in-production";

let cached: Env | undefined;

function parseEnv(source: NodeJS.ProcessEnv) {
  return envSchema.safeParse({ ...source, DATABASE_URL: source.DATABASE_URL || undefined, AUTH_SECRET: source.AUTH_SECRET || undefined });
}

/** Each setting that is present but not valid, as "NAME: what is wrong". */
function invalidSettings(source: NodeJS.ProcessEnv): string[] {
  const parsed = parseEnv(source);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = parseEnv(process.env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${invalidSettings(process.env).map((line) => `  ${line}`).join("\n")}`);
  cached = { ...parsed.data, AUTH_SECRET: parsed.data.AUTH_SECRET ?? DEV_AUTH_SECRET };
  return cached;
}

/** Hosts where a process lives for one request or a few: nothing on local disk or in memory survives. */
export function onServerlessHost(source: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(source.VERCEL || source.AWS_LAMBDA_FUNCTION_NAME || source.NETLIFY);
}

/**
 * What a production start must not go without, each with what to set: a setting missing, or
 * present but not valid (a start with one would answer 500 to every request). Empty when all is well.
 */
export function productionProblems(source: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const serverless = onServerlessHost(source);
  if (!source.AUTH_SECRET) problems.push("AUTH_SECRET is not set. Generate one: openssl rand -base64 33");
  problems.push(...invalidSettings(source));
  if (serverless && !source.DATABASE_URL) {
    problems.push("DATABASE_URL is not set. On a serverless host the embedded database's files do not survive: use a managed Postgres (Neon, Supabase, RDS).");
  }
  const inngestKeys = Boolean(source.INNGEST_EVENT_KEY) && Boolean(source.INNGEST_SIGNING_KEY);
  if (Boolean(source.INNGEST_EVENT_KEY) !== Boolean(source.INNGEST_SIGNING_KEY)) {
    problems.push("Set both INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (Inngest Cloud: your app's Keys page), not one of them.");
  } else if (!inngestKeys && !(source.INNGEST_DEV && source.INNGEST_DEV !== "0")) {
    if (serverless) {
      problems.push("INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY are not set. A serverless host cannot run the embedded dispatcher: connect Inngest Cloud or a self-hosted Inngest.");
    } else if (source.POSTLINE_DISPATCH !== "local") {
      problems.push("INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY are not set. Connect Inngest, or set POSTLINE_DISPATCH=local to run the embedded dispatcher on this one long-running machine.");
    }
  }
  if (source.POSTBACK_ALLOWED_ADDRESSES && source.POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION !== "1") {
    problems.push("POSTBACK_ALLOWED_ADDRESSES opens the SSRF guard to private addresses; it is for development and tests. Remove it, or set POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION=1 if your trackers really live on a private network.");
  }
  return problems;
}

export function resetEnvForTests() {
  cached = undefined;
}
