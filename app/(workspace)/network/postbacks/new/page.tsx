import { PostbackEditScreen } from "@/components/postback-screens";

export default function NewPostbackPage() {
  return <PostbackEditScreen />;
}
