// Small helpers shared by the chaos harness: logging with the run's clock, sleeping, free ports.
import { createServer } from "node:net";

const started = Date.now();

export function log(line) {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[chaos ${t}s] ${line}\n`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function elapsedSince(ms) {
  return ((Date.now() - ms) / 1000).toFixed(1);
}

/** True when nothing listens on 127.0.0.1:port (we can bind it). */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

const taken = new Set();

/** The first free port in [from, to], never one this run handed out before. */
export async function freePort(from, to) {
  for (let port = from; port <= to; port++) {
    if (taken.has(port)) continue;
    if (await portIsFree(port)) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** A number from the environment, or the fallback. */
export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not "${raw}"`);
  return value;
}

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The product's schedule syntax (lib/platform/durations.ts): "0,5s,30s,1m" → delays in ms. */
export function parseSchedule(text) {
  return text.split(",").map((part) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(part.trim());
    if (!match) throw new Error(`not a duration in the retry schedule: "${part}"`);
    return Math.round(Number(match[1]) * UNITS[match[2] ?? "ms"]);
  });
}

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
