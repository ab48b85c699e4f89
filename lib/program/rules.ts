import type { ProgramDecision } from "@/db/schema";

export type RuleTerms = {
  id: string;
  kind: "min_click_seconds" | "max_click_seconds" | "ip_limit" | "countries";
  action: "reject" | "hold" | "flag";
  threshold: number | null;
  windowMinutes: number | null;
  countries: string[] | null;
};

export type RuleFacts = {
  clickedAt: Date;
  now: Date;
  country: string | null;
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
  }
  return fired;
}
