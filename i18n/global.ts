import type { Locale } from "@/lib/platform/locale";
import type { Messages } from "./messages";

// English is the reference catalogue: a key missing from it, or a typo in one, fails `tsc`.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
