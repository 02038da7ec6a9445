import { ScanSpool } from '../shared/scan-spool.js';

/** Items sorted in memory at a time: one run of the file. */
const RUN_ITEMS = 4000;

/** One sorted run in the spool: where it starts and the length of each of its records. */
interface Run {
  start: number;
  lengths: Uint32Array;
}

/** Where the merge is in one run, and the run's item there. */
interface Head<T> {
  run: Run;
  next: number;
  at: number;
  item: T;
}

/**
 * Items given in any order, read back sorted by `compare` without holding them all: they are sorted
 * by runs of a few thousand, each run set aside in a private spool file ({@link ScanSpool}), and the
 * runs are merged as they are read back. Memory holds one run, the length of each record and one
 * item per run. The sort is stable (items that compare equal come in the order given). Plain data
 * only (V8-serialised). {@link SortedSpool.close} removes the file.
 */
export class SortedSpool<T> {
  private spool: ScanSpool | undefined;
  private readonly runs: Run[] = [];
  private pending: T[] = [];

  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly runItems = RUN_ITEMS,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.runItems) this.setAside();
  }

  /** Every item, in order (`position` from 0); once. */
  each(visit: (item: T, position: number) => void): void {
    let position = 0;
    for (const item of this.items()) visit(item, position++);
  }

  /** Every item, in order, as the merge reads them; once. */
  *items(): Generator<T, void, undefined> {
    this.pending.sort(this.compare);
    if (this.runs.length === 0) {
      const items = this.pending;
      this.pending = [];
      yield* items;
      return;
    }
    this.setAside();
    const spool = this.spool!;
    const read = (run: Run, next: number, at: number): Head<T> | undefined => {
      const length = run.lengths[next];
      return length === undefined ? undefined : { run, next, at, item: spool.read<T>({ at, length }) };
    };
    // A binary heap of the runs' heads; a tie goes to the earlier run (stable).
    const order = new Map(this.runs.map((r, i) => [r, i]));
    const before = (a: Head<T>, b: Head<T>) =>
      this.compare(a.item, b.item) < 0 ||
      (this.compare(a.item, b.item) === 0 && order.get(a.run)! < order.get(b.run)!);
    const heap: Head<T>[] = [];
    const push = (h: Head<T>) => {
      heap.push(h);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    };
    const pop = (): Head<T> | undefined => {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last) {
        heap[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let least = i;
          if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
          if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
          if (least === i) break;
          [heap[i], heap[least]] = [heap[least]!, heap[i]!];
          i = least;
        }
      }
      return top;
    };
    for (const run of this.runs) {
      const head = read(run, 0, run.start);
      if (head) push(head);
    }
    for (let head = pop(); head; head = pop()) {
      yield head.item;
      const after = read(head.run, head.next + 1, head.at + head.run.lengths[head.next]!);
      if (after) push(after);
    }
  }

  /** Removes the spool file; again is harmless. */
  close(): void {
    this.spool?.close();
    this.spool = undefined;
    this.pending = [];
  }

  /** Sorts the items pending and writes them as one run. */
  private setAside(): void {
    if (this.pending.length === 0) return;
    this.pending.sort(this.compare);
    this.spool ??= new ScanSpool();
    const lengths = new Uint32Array(this.pending.length);
    let start = -1;
    this.pending.forEach((item, i) => {
      const ref = this.spool!.write(item);
      if (i === 0) start = ref.at;
      lengths[i] = ref.length;
    });
    this.runs.push({ start, lengths });
    this.pending = [];
  }
}
