import { ConversionsScreen } from "@/app/(workspace)/_screens/conversions-screen";

export default async function ConversionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  return <ConversionsScreen searchParams={await searchParams} />;
}
