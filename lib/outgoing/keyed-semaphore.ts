/** First in, first out, in constant time per operation: a burst queues thousands of runs on one host. */
export class WaitQueue<T = () => void> {
  private items: T[] = [];
  private head = 0;
  push(item: T) {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as never;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  get size() {
    return this.items.length - this.head;
  }
}

/** At most `limit` holders per key; the rest wait in order. */
export class KeyedSemaphore {
  private readonly active = new Map<string, number>();
  private readonly queues = new Map<string, WaitQueue>();
  async acquire(key: string, limit: number) {
    if ((this.active.get(key) ?? 0) < limit) {
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
      return;
    }
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = new WaitQueue()));
    await new Promise<void>((resolve) => queue.push(resolve));
  }
  release(key: string) {
    const queue = this.queues.get(key);
    const next = queue?.shift();
    if (queue && queue.size === 0) this.queues.delete(key);
    if (next) return next(); // the slot passes straight to the next waiter
    const left = (this.active.get(key) ?? 1) - 1;
    if (left > 0) this.active.set(key, left);
    else this.active.delete(key);
  }
}
