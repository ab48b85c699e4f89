import { useFormatter, useTranslations } from "next-intl";
import { Money } from "./money";

type Decision = { kind: string; reason: string; values?: Record<string, string | number> };

/**
 * Why a rule or cap acted on a conversion, in the reader's language, from the figures the program
 * kept. A decision recorded before it kept them says its English reason.
 */
export function DecisionReason({ decision, currency }: { decision: Decision; currency?: string }) {
  const t = useTranslations("program.decisions");
  const format = useFormatter();
  const values = decision.values;
  if (!values) return <>{decision.reason}</>;
  const number = (key: string) => format.number(Number(values[key] ?? 0));
  const text = (key: string) => String(values[key] ?? "");
  switch (decision.kind) {
    case "min_click_seconds":
      return <>{t("min_click_seconds", { seconds: number("seconds"), limit: number("limit") })}</>;
    case "max_click_seconds":
      return <>{t("max_click_seconds", { seconds: number("seconds"), limit: number("limit") })}</>;
    case "ip_limit":
      return <>{t("ip_limit", { count: Number(values.count ?? 0), minutes: number("minutes"), limit: number("limit") })}</>;
    case "countries":
      return <>{t("countries", { country: text("country"), countries: text("countries") })}</>;
    case "blocked_subs":
    case "blocked_ips":
      // The merchant's copy has no value (decisionsSeenBy).
      if (values.value === undefined) return <>{t("blocked_subs_hidden", { param: text("param") })}</>;
      return <>{t("blocked_subs", { param: text("param"), value: text("value") })}</>;
    case "cap_reached":
      if (values.metric === "count") return <>{t("cap_reached_count", { limit: Number(values.limit ?? 0), period: text("period") })}</>;
      // A money cap's limit the reader may not see was left out by the lib (decisionsSeenBy).
      if (values.limit === undefined) return <>{t("cap_reached_hidden", { metric: text("metric"), period: text("period") })}</>;
      return (
        <>
          {t.rich(values.metric === "revenue" ? "cap_reached_revenue" : "cap_reached_payout", {
            period: text("period"),
            limit: () => (currency ? <Money value={text("limit")} currency={currency} /> : number("limit")),
          })}
        </>
      );
    default:
      return <>{decision.reason}</>;
  }
}
