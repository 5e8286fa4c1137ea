/**
 * The reads that fill one of the repository's in-memory caches, now that a read is awaited. A
 * write that forgets an entry (or changes it in place) while a read of it is under way would
 * otherwise see that read put back what it read before the write: on SQLite the statement ran
 * when it was called, on PostgreSQL it may run later still, and either way it is older than the
 * write. So a read keeps its answer only if no write forgot its key meanwhile (its caller still
 * gets the answer), and misses of one key at the same time share one read.
 */
export class Fills<K, V> {
  private readonly reading = new Map<K, Promise<V>>();

  constructor(
    private readonly read: (key: K) => Promise<V>,
    private readonly keep: (key: K, value: V) => void,
  ) {}

  /** The key's value, read (or joined to the read under way) and kept if nothing forgot it meanwhile. */
  of(key: K): Promise<V> {
    const underWay = this.reading.get(key);
    if (underWay) return underWay;
    const reading: Promise<V> = this.read(key).then(
      (value) => {
        if (this.reading.get(key) === reading) {
          this.reading.delete(key);
          this.keep(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.reading.get(key) === reading) this.reading.delete(key);
        throw error;
      },
    );
    this.reading.set(key, reading);
    return reading;
  }

  /** A write changed what the key's reads under way read: they keep nothing. */
  forget(key: K): void {
    this.reading.delete(key);
  }

  forgetAll(): void {
    this.reading.clear();
  }
}
