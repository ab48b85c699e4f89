const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "5s", "30m", "2h", "1d" or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`Not a duration: "${text}" (use 250ms, 5s, 30m, 2h or 1d).`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "ms"]);
}

/** A comma-separated schedule of delays, one per attempt; the first is the delay before attempt 1. */
export function parseSchedule(text: string): number[] {
  const delays = text.split(",").map(parseDuration);
  if (delays.length === 0 || delays.length > 20) throw new Error("A retry schedule has between 1 and 20 attempts.");
  return delays;
}
