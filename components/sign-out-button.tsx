"use client";

import { useTranslations } from "next-intl";
import { signOutAction } from "@/app/(workspace)/actions";
import { buttonClass } from "./ui/styles";

export function SignOutButton() {
  const t = useTranslations("shell");
  return (
    <form
      action={async (form) => {
        await signOutAction(form);
      }}
    >
      <button type="submit" className={buttonClass("ghost")}>
        {t("signOut")}
      </button>
    </form>
  );
}
