/**
 * Remembers the results of a pure function for up to `capacity` distinct arguments, then starts
 * over (cleared when full): for values that repeat across requests or rows — a listing's filters,
 * its window bounds, a series' topic — where an LRU's bookkeeping would cost more than a miss.
 */
export function boundedMemo<K, V>(capacity: number, compute: (key: K) => V): (key: K) => V {
  const remembered = new Map<K, V>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      value = compute(key);
      if (remembered.size >= capacity) remembered.clear();
      remembered.set(key, value);
    }
    return value;
  };
}
