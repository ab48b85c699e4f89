"use client";

import { useFormatter, useTimeZone } from "next-intl";

/**
 * A time in the reader's language and time zone (theirs, else their organization's: i18n/request.ts).
 * The server and the browser format it with the same zone, so the text never changes on hydration.
 */
export function LocalTime({ iso }: { iso: string }) {
  const format = useFormatter();
  const timeZone = useTimeZone();
  return (
    <time dateTime={iso} title={timeZone}>
      {format.dateTime(new Date(iso), { dateStyle: "short", timeStyle: "medium" })}
    </time>
  );
}
