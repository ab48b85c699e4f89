import { ConversionsScreen } from "@/components/conversions-screen";

export default function ConversionsPage() {
  return <ConversionsScreen />;
}
