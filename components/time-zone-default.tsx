"use client";

import { useTimeZone } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { setTimeZoneAction } from "@/app/(workspace)/actions";

/**
 * A user with no saved zone gets this browser's on their first visit, saved on the profile so every
 * later page is rendered in it on the server (no flicker); this one re-renders only if it differs.
 */
export function TimeZoneDefault() {
  const rendered = useTimeZone();
  const router = useRouter();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser) return;
    void setTimeZoneAction({ timeZone: browser }).then((result) => {
      if (result.ok && result.data.timeZone !== rendered) router.refresh();
    });
  }, [rendered, router]);
  return null;
}
