import { TooltipProvider } from "@radix-ui/react-tooltip";
import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import { clientMessages } from "@/i18n/client-messages";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Postline", template: "%s · Postline" },
  description: "Postback hub for affiliates, networks and merchants.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">
        {/* Only what client components translate goes to the browser; server components read the rest on the server. */}
        <NextIntlClientProvider messages={clientMessages(messages)}>
          <TooltipProvider delayDuration={150}>{children}</TooltipProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
