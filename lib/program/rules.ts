import type { ProgramDecision } from "@/db/schema";
import { ipInList } from "@/lib/incoming/ip-allow-list";
import type { BLOCKABLE_PARAMS, RULE_KINDS } from "./terms";
export type BlockableParam = (typeof BLOCKABLE_PARAMS)[number];
/** What a block may read of a click: its sub ids, source and IP. */
export type ClickParams = Partial<Record<BlockableParam | "ip", string | null>>;

export type RuleTerms = {
  id: string;
  kind: (typeof RULE_KINDS)[number];
  action: "reject" | "hold" | "flag";
  threshold: number | null;
  windowMinutes: number | null;
  countries: string[] | null;
  param: BlockableParam | null;
  blockedValues: string[] | null;
};

/**
 * The click's value a block rule blocks, or null: its IP in one of a blocked_ips rule's addresses
 * or ranges, or its sub id or source among a blocked_subs rule's values, matched whole and
 * regardless of case (a source blocked as "Spam" is blocked as "spam" too). An empty value is
 * never blocked.
 */
export function blockedValue(rule: Pick<RuleTerms, "kind" | "param" | "blockedValues">, click: ClickParams): string | null {
  if (rule.kind === "blocked_ips") return click.ip && ipInList(click.ip, rule.blockedValues ?? []) ? click.ip : null;
  if (rule.kind !== "blocked_subs") return null;
  const value = rule.param ? click[rule.param]?.trim() : undefined;
  if (!value || !rule.blockedValues) return null;
  const lower = value.toLowerCase();
  return rule.blockedValues.some((blocked) => blocked.toLowerCase() === lower) ? value : null;
}

export type RuleFacts = {
  clickedAt: Date;
  now: Date;
  country: string | null;
  /** The click's sub ids, source and IP. */
  params: ClickParams;
  /** Conversions of the offer already made from the click's IP within each ip_limit rule's window, by rule id. */
  conversionsFromIp: Record<string, number>;
};

/** Every rule that fires on a new conversion, with its reason. */
export function evaluateRules(rules: readonly RuleTerms[], facts: RuleFacts): ProgramDecision[] {
  const seconds = Math.round((facts.now.getTime() - facts.clickedAt.getTime()) / 1000);
  const fired: ProgramDecision[] = [];
  const fire = (rule: RuleTerms, reason: string, values: Record<string, string | number>) =>
    fired.push({ by: "rule", id: rule.id, kind: rule.kind, action: rule.action, reason, values });
  for (const rule of rules) {
    const n = rule.threshold ?? 0;
    if (rule.kind === "min_click_seconds" && seconds < n) fire(rule, `converted ${seconds} s after the click, under the minimum of ${n} s`, { seconds, limit: n });
    if (rule.kind === "max_click_seconds" && seconds > n) fire(rule, `converted ${seconds} s after the click, over the maximum of ${n} s`, { seconds, limit: n });
    if (rule.kind === "ip_limit" && (facts.conversionsFromIp[rule.id] ?? 0) >= n) {
      const count = facts.conversionsFromIp[rule.id] ?? 0;
      const minutes = rule.windowMinutes ?? 60;
      fire(rule, `${count} conversions from this IP in ${minutes} min already (limit ${n})`, { count, minutes, limit: n });
    }
    if (rule.kind === "countries" && rule.countries?.length && !rule.countries.includes(facts.country ?? "")) {
      fire(rule, `the click came from ${facts.country ?? "an unknown country"}, not one of ${rule.countries.join(", ")}`, {
        country: facts.country ?? "unknown",
        countries: rule.countries.join(", "),
      });
    }
    const blocked = blockedValue(rule, facts.params);
    // The reason names the parameter, not its value: merchants read reasons in their incoming log,
    // and an affiliate's sub ids and its visitors' IPs are not theirs to read (decisionsSeenBy drops the value too).
    const param = rule.kind === "blocked_ips" ? "IP" : rule.param!;
    if (blocked !== null) fire(rule, `the click's ${param} is blocked`, { param, value: blocked });
  }
  return fired;
}
