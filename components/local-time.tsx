"use client";

import { useEffect, useState } from "react";

/** A time in the reader's own time zone. The server renders UTC; the browser swaps in local time. */
export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => iso.replace("T", " ").slice(0, 19) + " UTC");
  useEffect(() => {
    setText(new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" }));
  }, [iso]);
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
