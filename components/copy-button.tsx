"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { buttonClass } from "./ui/styles";

export function CopyButton({ value, label }: { value: string; label?: string }) {
  const t = useTranslations("common");
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass("secondary", "px-2 py-1 text-xs")}
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? t("copied") : (label ?? t("copy"))}
    </button>
  );
}
