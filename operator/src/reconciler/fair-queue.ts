/**
 * Keys waiting at one priority, served round-robin across namespaces and in arrival order within
 * one: a tenant that queues a thousand keys delays another tenant's single key by one turn, not by
 * a thousand. A key's namespace is what precedes its slash ("" for cluster-scoped keys).
 */
export class FairQueue {
  private readonly byNamespace = new Map<string, Set<string>>();
  /** Namespaces with waiting keys, the next to serve first; Map order is insertion order. */
  private readonly turns = new Map<string, true>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.byNamespace.get(namespaceOf(key))?.has(key) ?? false;
  }

  add(key: string): void {
    const namespace = namespaceOf(key);
    let keys = this.byNamespace.get(namespace);
    if (!keys) {
      keys = new Set();
      this.byNamespace.set(namespace, keys);
      this.turns.set(namespace, true);
    }
    if (keys.has(key)) return;
    keys.add(key);
    this.count++;
  }

  delete(key: string): boolean {
    const namespace = namespaceOf(key);
    const keys = this.byNamespace.get(namespace);
    if (!keys?.delete(key)) return false;
    this.count--;
    if (keys.size === 0) {
      this.byNamespace.delete(namespace);
      this.turns.delete(namespace);
    }
    return true;
  }

  /** Takes the next key: the oldest of the namespace whose turn it is, which then goes to the back. */
  shift(): string | undefined {
    const namespace = this.turns.keys().next().value;
    if (namespace === undefined) return undefined;
    const keys = this.byNamespace.get(namespace)!;
    const key = keys.values().next().value!;
    this.delete(key);
    if (keys.size > 0) {
      this.turns.delete(namespace);
      this.turns.set(namespace, true);
    }
    return key;
  }
}

function namespaceOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}
