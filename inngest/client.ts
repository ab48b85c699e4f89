import { randomBytes } from "node:crypto";
import { Inngest, Middleware } from "inngest";
import { dispatchMode } from "./mode";

export type OutgoingEvent = { readonly id?: string; readonly name: string; readonly data?: { readonly [key: string]: unknown } };
type LocalSendTarget = (events: readonly OutgoingEvent[]) => string[];

// Set by the local driver when it starts; sends go to it instead of the network.
const globalForDriver = globalThis as unknown as { __postlineLocalSend?: LocalSendTarget; __postlineLocalKey?: string };

/** Routes `inngest.send()` (and `step.sendEvent`) to the local driver, in local mode only. */
class LocalSend extends Middleware.BaseMiddleware {
  readonly id = "postline-local-send";
  override async wrapSendEvent({ events }: { readonly events: readonly OutgoingEvent[] }) {
    const target = globalForDriver.__postlineLocalSend;
    if (!target) throw new Error("The local dispatch driver is not running in this process.");
    return { ids: target(events) };
  }
}

export const mode = dispatchMode();

/**
 * In local mode the client holds a per-process signing key that nobody knows: the serve route
 * then refuses every call from outside (401), and the driver calls its own in-process handler.
 */
const localSigningKey = mode === "local" ? (globalForDriver.__postlineLocalKey ??= `signkey-local-${randomBytes(32).toString("hex")}`) : undefined;

export const inngest = new Inngest(
  mode === "local"
    ? { id: "postline", signingKey: localSigningKey, eventKey: "local-driver", middleware: [LocalSend], checkpointing: false }
    : { id: "postline", checkpointing: false },
);

export function setLocalSendTarget(target: LocalSendTarget) {
  globalForDriver.__postlineLocalSend = target;
}

/**
 * Hands events straight to the local driver, as the LocalSend middleware would at the end of
 * `inngest.send()`: the SDK's send path before it (entropy, headers, env lookups, the middleware
 * chain) took about 3% of a postback's CPU for nothing the driver uses. Local mode only; false
 * when no driver runs in this process (the caller then goes through `inngest.send()`, which
 * reports it).
 */
export function sendToLocalDriver(events: readonly OutgoingEvent[]): boolean {
  const target = globalForDriver.__postlineLocalSend;
  if (mode !== "local" || !target) return false;
  target(events);
  return true;
}
