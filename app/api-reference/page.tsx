import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference";

export const metadata: Metadata = { title: "API reference" };

/** Public, like the document it renders: it holds no data, only what the API takes and answers. */
export default function ApiReferencePage() {
  return <ApiReference />;
}
