"use client";

import { useLocale } from "next-intl";
import { useEffect, useState } from "react";

/** A time in the reader's own time zone and language. The server renders UTC; the browser swaps in local time. */
export function LocalTime({ iso }: { iso: string }) {
  const locale = useLocale();
  const [text, setText] = useState(() => iso.replace("T", " ").slice(0, 19) + " UTC");
  useEffect(() => {
    setText(new Date(iso).toLocaleString(locale, { dateStyle: "short", timeStyle: "medium" }));
  }, [iso, locale]);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
