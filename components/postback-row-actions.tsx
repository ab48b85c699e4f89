"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { deletePostbackAction, setPostbackEnabledAction } from "@/app/(workspace)/postbacks/actions";
import { buttonClass } from "./ui/styles";

export function PostbackRowActions({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex gap-2">
      <button
        type="button"
        disabled={pending}
        className={buttonClass("secondary", "px-2 py-1 text-xs")}
        onClick={() => start(async () => {
          await setPostbackEnabledAction({ id, enabled: !enabled });
          router.refresh();
        })}
      >
        {enabled ? "Pause" : "Resume"}
      </button>
      <button
        type="button"
        disabled={pending}
        aria-label={`Delete ${name}`}
        className={buttonClass("ghost", "px-2 py-1 text-xs text-red-600")}
        onClick={() => start(async () => {
          if (!window.confirm(`Delete the postback “${name}”? Its log stays.`)) return;
          await deletePostbackAction({ id });
          router.refresh();
        })}
      >
        Delete
      </button>
    </div>
  );
}
