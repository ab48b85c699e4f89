"use client";

import { signOutAction } from "@/app/(workspace)/actions";
import { buttonClass } from "./ui/styles";

export function SignOutButton() {
  return (
    <form
      action={async (form) => {
        await signOutAction(form);
      }}
    >
      <button type="submit" className={buttonClass("ghost")}>
        Sign out
      </button>
    </form>
  );
}
