/**
 * The first `n` items of a stream in the order of `compare`, ties in the order they came (as a stable
 * sort of the whole list would give them), holding at most about 2n items at a time.
 */
export class TopRows<T> {
  private rows: { item: T; seq: number }[] = [];
  private seq = 0;

  constructor(
    private readonly n: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    this.rows.push({ item, seq: this.seq++ });
    if (this.rows.length >= 2 * this.n + 64) this.trim();
  }

  /** The first `n` items, in order. */
  list(): T[] {
    this.trim();
    return this.rows.map((r) => r.item);
  }

  private trim(): void {
    this.rows.sort((a, b) => this.compare(a.item, b.item) || a.seq - b.seq);
    if (this.rows.length > this.n) this.rows.length = this.n;
  }
}
