import { useTranslations } from "next-intl";
import type { ConversionStatus } from "@/lib/conversions/statuses";

/**
 * A conversion status in the reader's words, for client and server components alike. The value
 * stays in URLs, filters and logs; a word the catalogue lacks shows as stored.
 */
export function useStatusWord(): (status: string) => string {
  const t = useTranslations();
  return (status) => (t.has(`postbacks.statuses.${status as ConversionStatus}`) ? t(`postbacks.statuses.${status as ConversionStatus}`) : status);
}
