import { useFormatter } from "next-intl";

/**
 * An amount in the reader's language and its currency's own digits (¥1,234 / 1 234,50 ₽), through
 * next-intl's Intl formatter. Works in server and client components; null shows a dash.
 */
export function Money({ value, currency }: { value: string | number | null | undefined; currency: string }) {
  const format = useFormatter();
  if (value === null || value === undefined) return <>—</>;
  return <>{format.number(Number(value), { style: "currency", currency })}</>;
}
