import { PostbackEditScreen } from "@/app/(workspace)/_screens/postback-screens";

export default function NewPostbackPage() {
  return <PostbackEditScreen />;
}
