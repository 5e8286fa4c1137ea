/**
 * Runs `work` and counts the turns the event loop took meanwhile (a setImmediate chain): a piece of
 * work that never yields counts none, however long it runs, and no request is read during it.
 */
export async function countingLoopTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    if (!ticking) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    ticking = false;
  }
}
