import { createHash, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";
import { randomToken } from "@/lib/platform/ids";

/** Passwords: bcrypt, slow on purpose. */
const BCRYPT_ROUNDS = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * Machine secrets (endpoint tokens, API keys) are 192-bit random, so a fast SHA-256 is enough to
 * store them; comparing digests in constant time keeps timing from leaking a prefix.
 */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomToken(24)}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The last characters of a secret, shown so a person can tell which one is in use. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}
