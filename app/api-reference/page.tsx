import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApiReference } from "@/components/api-reference";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("apiReference"))("metaTitle") };
}

/** Public, like the document it renders: it holds no data, only what the API takes and answers. */
export default function ApiReferencePage() {
  return <ApiReference />;
}
