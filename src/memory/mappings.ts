// What each part of the guest address space is, beyond its page flags: which file it maps
// (and from which offset), or which special region it is ([heap], [stack], [vectors]).
// /proc/self/maps is made from this and the page flags. Pages no entry covers are
// anonymous memory. Entries never overlap; unmapping pages drops what covered them.

/** A host file a mapping was made from (its path, and st_dev/st_ino as the host reports them). */
export interface MappedFile {
  path: string;
  dev: bigint;
  inode: bigint;
}

export interface MappingInfo {
  /** The mapped file; absent for anonymous memory. */
  file?: MappedFile;
  /** File offset of the entry's first byte (0 when there is no file). */
  offset: number;
  /** The kernel's name for a special mapping ([heap], [stack], [vectors], "/dev/zero (deleted)"). */
  name?: string;
  /** MAP_SHARED ("s" in /proc/self/maps instead of "p"). */
  shared?: boolean;
}

export interface MappingEntry {
  start: number;
  /** Exclusive. */
  end: number;
  info: MappingInfo;
}

/** The part of `e` from `start` on (file offsets move along). */
function tail(e: MappingEntry, start: number): MappingEntry {
  const info = e.info.file ? { ...e.info, offset: e.info.offset + (start - e.start) } : e.info;
  return { start, end: e.end, info };
}

export class MappingTable {
  /** Sorted by start, non-overlapping. */
  private entries: MappingEntry[] = [];

  /** Entries in address order. */
  list(): readonly MappingEntry[] {
    return this.entries;
  }

  /** Index of the first entry whose end is above `address`. */
  private firstEndingAbove(address: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.end <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Describe [start, end) with `info`, replacing whatever described any part of it. */
  set(start: number, end: number, info: MappingInfo): void {
    if (end <= start) return;
    this.clear(start, end);
    const i = this.firstEndingAbove(start);
    this.entries.splice(i, 0, { start, end, info });
  }

  /** Forget [start, end): entries are cut back or split around it. */
  clear(start: number, end: number): void {
    if (end <= start || this.entries.length === 0) return;
    const i = this.firstEndingAbove(start);
    const kept: MappingEntry[] = [];
    let j = i;
    while (j < this.entries.length && this.entries[j]!.start < end) {
      const e = this.entries[j]!;
      if (e.start < start) kept.push({ start: e.start, end: start, info: e.info });
      if (e.end > end) kept.push(tail(e, end));
      j++;
    }
    if (j === i) return;
    this.entries.splice(i, j - i, ...kept);
  }

  /** The entry covering `address`, if any. */
  at(address: number): MappingEntry | undefined {
    const e = this.entries[this.firstEndingAbove(address)];
    return e && e.start <= address ? e : undefined;
  }

  /** The entries describing [start, end), clipped to it. */
  slice(start: number, end: number): MappingEntry[] {
    const out: MappingEntry[] = [];
    for (let i = this.firstEndingAbove(start); i < this.entries.length && this.entries[i]!.start < end; i++) {
      const e = this.entries[i]!;
      const clipped = e.start < start ? tail(e, start) : e;
      out.push({ ...clipped, end: Math.min(clipped.end, end) });
    }
    return out;
  }

  /** mremap: what described [from, from+length) now describes [to, to+length). */
  move(from: number, length: number, to: number): void {
    const moved = this.slice(from, from + length);
    this.clear(from, from + length);
    this.clear(to, to + length);
    for (const e of moved) this.set(e.start - from + to, e.end - from + to, e.info);
  }

  /** Make this table a copy of `other` (a forked address space). */
  copyFrom(other: MappingTable): void {
    this.entries = other.entries.map((e) => ({ ...e }));
  }
}
