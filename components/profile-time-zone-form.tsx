"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { setTimeZoneAction } from "@/app/(workspace)/actions";
import type { ActionError } from "@/lib/access/action";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { buttonClass, inputClass, labelClass } from "./ui/styles";

/** The zone the user reads times in, typed or picked from the zones Intl knows, or taken from this browser. */
export function ProfileTimeZoneForm({ timeZone, zones }: { timeZone: string; zones: string[] }) {
  const t = useTranslations("profile");
  // Only the browser knows its zone: it is read after hydration, so the server's HTML stays the same.
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return (
    <ActionForm action={setTimeZoneAction} submitLabel={t("save")} success={(data) => t("saved", { zone: data.timeZone })}>
      {(error) => (
        <div className="max-w-md">
          <label htmlFor="profile-tz" className={labelClass}>{t("timeZoneLabel")}</label>
          <input key={timeZone} id="profile-tz" name="timeZone" list="profile-tz-list" defaultValue={timeZone} autoComplete="off" className={inputClass} />
          <datalist id="profile-tz-list">{zones.map((zone) => <option key={zone} value={zone} />)}</datalist>
          <FieldError error={translated(error, t("timeZoneInvalid"))} field="timeZone" />
          {browserZone && browserZone !== timeZone ? (
            <button
              type="button"
              className={buttonClass("secondary", "mt-2")}
              onClick={(event) => {
                const input = event.currentTarget.form?.elements.namedItem("timeZone");
                if (input instanceof HTMLInputElement) input.value = browserZone;
              }}
            >
              {t("useBrowser", { zone: browserZone })}
            </button>
          ) : null}
        </div>
      )}
    </ActionForm>
  );
}

/** The server's message for the zone is English; the form says it in the reader's language. */
function translated(error: ActionError | null, message: string): ActionError | null {
  if (!error || (error.field !== "timeZone" && !error.fields?.timeZone)) return error;
  return { ...error, message, fields: { ...error.fields, timeZone: message } };
}
