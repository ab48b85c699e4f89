import { ConversionsScreen } from "@/app/(workspace)/_screens/conversions-screen";

export default function ConversionsPage() {
  return <ConversionsScreen />;
}
